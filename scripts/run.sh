#!/usr/bin/env bash
# Runs FSR Coach for development on this machine: sets up .venv, .env (fresh
# secrets, this checkout's own database and account) and the database (a
# private server in var/mysql when none answers), applies the schema, loads
# the demo data and serves the app. Running it again reuses all of that and
# loses nothing.
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_venv
ensure_env_file
ensure_database
.venv/bin/python scripts/load_schema.py
.venv/bin/python scripts/seed.py
serve
