# shellcheck shell=bash
# Set-up steps shared by run.sh and test.sh; source it. Each step is
# idempotent: a second run reuses the venv, .env and database it finds.
set -euo pipefail
export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
cd "$(dirname "${BASH_SOURCE[0]}")/.."

is_root() {
    [ "$(id -u)" -eq 0 ]
}

# Installs Debian packages; a fresh machine may have no package lists yet.
apt_install() {
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-get install -y -qq --no-install-recommends "$@" >/dev/null 2>&1; then
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends "$@" >/dev/null
    fi
}

# Usage: ensure_venv [dev]. Creates .venv and installs the requirements into
# it when they changed since the last install (a hash per file in .venv/).
ensure_venv() {
    local files=(requirements.txt)
    if [ "${1:-}" = dev ]; then
        files+=(requirements-dev.txt)
    fi
    if ! .venv/bin/python -m pip --version >/dev/null 2>&1; then
        create_venv
    fi
    if ! requirements_installed "${files[@]}"; then
        echo "installing Python packages into .venv ..."
        local file pip_args=()
        for file in "${files[@]}"; do
            pip_args+=(-r "$file")
        done
        .venv/bin/python -m pip install -q --disable-pip-version-check "${pip_args[@]}"
        for file in "${files[@]}"; do
            sha256sum "$file" >".venv/.installed-$file.sha256"
        done
    fi
}

create_venv() {
    if ! python3 -c 'import venv, ensurepip' 2>/dev/null && is_root; then
        apt_install python3-venv
    fi
    # --clear: a venv whose pip or interpreter is gone is rebuilt.
    python3 -m venv --clear .venv
}

requirements_installed() {
    local file
    for file in "$@"; do
        sha256sum --status -c ".venv/.installed-$file.sha256" 2>/dev/null || return 1
    done
}

# Writes .env for development (fresh secrets, this checkout's own database
# and account); never touches an existing .env.
ensure_env_file() {
    .venv/bin/python scripts/dev/ensure_env_file.py
}

# The browser tests drive Debian's Chromium: Playwright's own browser
# download does not work on machines without general internet access.
ensure_chromium() {
    if [ -x "$CHROMIUM" ]; then
        return
    fi
    if ! is_root; then
        echo "Chromium is missing: install Debian's chromium package (or set CHROMIUM)" >&2
        exit 1
    fi
    echo "installing Debian's chromium ..."
    apt_install chromium
}

# The rate-limit tests start a private Redis of their own (Debian's
# redis-server); the machine's own Redis, if any, is never used.
ensure_redis_server() {
    if command -v redis-server >/dev/null; then
        return
    fi
    if ! is_root; then
        echo "redis-server is missing: install Debian's redis-server package" >&2
        exit 1
    fi
    echo "installing Debian's redis-server ..."
    apt_install redis-server
}

ensure_database() {
    .venv/bin/python scripts/dev/ensure_database.py
}

# Usage: read_settings NAME... Sets each shell variable NAME to the setting
# as the app reads it: the environment, then .env, then config.py's default.
read_settings() {
    local assignments
    assignments=$(.venv/bin/python -m fsr_coach.settings_cli shell "$@")
    eval "$assignments"
}

# Serves the app with gunicorn on BIND, or on the next free port of its host
# when another checkout's server holds that one.
serve() {
    read_settings BIND
    local wanted=$BIND
    BIND=$(free_address "$wanted")
    export BIND
    if [ "$BIND" != "$wanted" ]; then
        echo "$wanted is taken (another checkout's server?): serving on $BIND"
    fi
    echo "FSR Coach: http://$BIND/"
    exec .venv/bin/gunicorn -c gunicorn.conf.py wsgi:app
}

# Usage: free_address HOST:PORT. That address, or the next one of HOST's
# ports that nothing answers on.
free_address() {
    local host=${1%:*} port=${1##*:}
    while (: <"/dev/tcp/$host/$port") 2>/dev/null; do
        port=$((port + 1))
    done
    echo "$host:$port"
}
