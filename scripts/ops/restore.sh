#!/usr/bin/env bash
# Restores a backup made by backup.sh into DB_NAME, creating it when missing.
# A database that has tables is left alone unless --replace is given, which
# drops it first so that it becomes exactly the backup. A backup that is not
# whole (no "Dump completed" at its end, or a broken .gz) is refused.
#
#     scripts/ops/restore.sh [--replace] FILE
#     DB_NAME=fsr_coach_restored scripts/ops/restore.sh FILE   # into another database
#
# Settings as backup.sh's: the environment, then .env; the migration account
# (MIGRATE_DB_USER) when set, else the app's (DB_USER).
set -euo pipefail
replace=false
if [ "${1:-}" = --replace ]; then
    replace=true
    shift
fi
if [ $# -ne 1 ]; then
    echo "usage: scripts/ops/restore.sh [--replace] FILE" >&2
    exit 2
fi
source_file=$(realpath -m -- "$1")  # before lib.sh moves to the project
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=scripts/ops/db_client.sh
source scripts/ops/db_client.sh
load_db_client_settings
client=$(client_tool mysql mariadb)

if [ ! -r "$source_file" ]; then
    echo "cannot read $source_file" >&2
    exit 1
fi
read_backup() {
    if [[ $source_file == *.gz ]]; then
        gzip -dc -- "$source_file"
    else
        cat -- "$source_file"
    fi
}
if [[ $source_file == *.gz ]] && ! gzip -t -- "$source_file" 2>/dev/null; then
    echo "$source_file is not a whole gzip file; nothing restored" >&2
    exit 1
fi
if ! read_backup | tail -n 1 | grep -q -- "-- Dump completed"; then
    echo "$source_file does not end with \"-- Dump completed\": a cut-off backup; nothing restored" >&2
    exit 1
fi

sql() {
    "$client" --defaults-extra-file="$CLIENT_CONFIG" --batch --skip-column-names "$@"
}
# DB_NAME is checked (letters, digits, _): it may stand in these statements.
tables=$(sql -e "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = '$DB_NAME'")
if [ "$tables" -gt 0 ] && ! $replace; then
    echo "$DB_NAME on $DB_HOST:$DB_PORT has $tables tables; restore into an empty or new" \
        "database (DB_NAME=...), or give --replace to drop it first; nothing restored" >&2
    exit 1
fi
if $replace; then
    sql -e "DROP DATABASE IF EXISTS \`$DB_NAME\`"
fi
sql -e "CREATE DATABASE IF NOT EXISTS \`$DB_NAME\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
read_backup | sql --default-character-set=utf8mb4 "$DB_NAME"
echo "restored $source_file into $DB_NAME on $DB_HOST:$DB_PORT (as $DB_LOGIN)"
