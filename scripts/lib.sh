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

# Usage: ensure_venv [dev]. Creates .venv, installs the requirements into it
# and the package itself, editable (pyproject.toml), when any of them changed
# since the last install (a hash per file in .venv/).
ensure_venv() {
    local files=(requirements.txt pyproject.toml)
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
            if [ "$file" != pyproject.toml ]; then
                pip_args+=(-r "$file")
            fi
        done
        .venv/bin/python -m pip install -q --disable-pip-version-check "${pip_args[@]}"
        # The pinned requirements are in already: the package adds none.
        .venv/bin/python -m pip install -q --disable-pip-version-check --no-deps -e .
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

# The service report's PDF (WeasyPrint) is laid out by Pango, in fonts that
# have every script a note may hold: Latin, Greek, Cyrillic, Arabic and
# Hebrew (DejaVu, Noto), Chinese (Noto CJK) and emoji (Noto Color Emoji).
PDF_PACKAGES=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
              fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji)

ensure_pdf_libraries() {
    ensure_debian_packages "${PDF_PACKAGES[@]}"
}

# The report tests read the PDFs with pdftotext, pdfinfo, pdffonts and pdfimages.
ensure_pdf_tools() {
    ensure_debian_packages poppler-utils
}

# Usage: ensure_debian_packages PACKAGE... Installs those that are missing
# (one dpkg-query when none is); without root, names them and stops. Off
# Debian it only says what the app needs.
ensure_debian_packages() {
    if ! command -v dpkg-query >/dev/null; then
        echo "not Debian: make sure these (or your system's equivalents) are installed: $*" >&2
        return
    fi
    local installed package missing=()
    installed=$(dpkg-query -W -f='${Package} ${db:Status-Status}\n' "$@" 2>/dev/null || true)
    for package in "$@"; do
        if ! grep -qx "$package installed" <<<"$installed"; then
            missing+=("$package")
        fi
    done
    if [ ${#missing[@]} -eq 0 ]; then
        return
    fi
    if ! is_root; then
        echo "missing Debian packages: ${missing[*]} (as root: apt-get install ${missing[*]})" >&2
        exit 1
    fi
    echo "installing Debian's ${missing[*]} ..."
    apt_install "${missing[@]}"
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
