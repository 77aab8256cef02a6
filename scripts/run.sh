#!/usr/bin/env bash
# Runs FSR Coach for development on this machine: sets up .venv, .env (fresh
# secrets) and the database (a private server in var/mysql when none
# answers), applies the schema, loads the demo data and serves the app.
# Running it again reuses all of that and loses nothing.
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_venv
ensure_env_file
ensure_database
.venv/bin/python scripts/load_schema.py
.venv/bin/python scripts/seed.py
read_settings BIND
echo "FSR Coach: http://$BIND/"
exec .venv/bin/gunicorn -c gunicorn.conf.py wsgi:app
