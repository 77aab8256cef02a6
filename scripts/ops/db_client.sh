# shellcheck shell=bash
# Shared by backup.sh and restore.sh; source it after lib.sh. Reads the
# database settings as the app does (the environment, then .env) and writes
# the login to a private option file, so no password is on a command line.

# Files removed when the script exits.
TEMP_FILES=()
trap 'rm -f "${TEMP_FILES[@]}"' EXIT

# Usage: client_tool NAME... — the path of the first of these commands found.
client_tool() {
    local name
    for name in "$@"; do
        if command -v "$name"; then
            return
        fi
    done
    echo "need the MySQL/MariaDB client tools: none of $* is installed" >&2
    exit 1
}

# Sets DB_HOST, DB_PORT, DB_NAME (checked by the app's config: letters,
# digits and _), DB_LOGIN (the account used) and CLIENT_CONFIG (an option
# file for --defaults-extra-file). The account is the migration one
# (MIGRATE_DB_USER) when set, else the app's (DB_USER).
load_db_client_settings() {
    read_settings DB_HOST DB_PORT DB_NAME DB_USER DB_PASSWORD MIGRATE_DB_USER MIGRATE_DB_PASSWORD
    DB_LOGIN=$DB_USER
    local password=$DB_PASSWORD
    if [ -n "$MIGRATE_DB_USER" ]; then
        DB_LOGIN=$MIGRATE_DB_USER
        password=$MIGRATE_DB_PASSWORD
    fi
    CLIENT_CONFIG=$(mktemp)  # mode 0600
    TEMP_FILES+=("$CLIENT_CONFIG")
    # Option files read \\ as one backslash.
    printf '[client]\nhost=%s\nport=%s\nuser=%s\npassword="%s"\n' \
        "$DB_HOST" "$DB_PORT" "$DB_LOGIN" "${password//\\/\\\\}" >"$CLIENT_CONFIG"
}
