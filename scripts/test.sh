#!/usr/bin/env bash
# Runs the test suite after the same set-up as run.sh (plus the test tools);
# arguments go to pytest.
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_venv dev
ensure_pdf_libraries
ensure_pdf_tools
ensure_chromium
ensure_redis_server
ensure_env_file
ensure_database
exec .venv/bin/python -m pytest "$@"
