#!/usr/bin/env bash
# The lint (ruff, as pyproject.toml's [tool.ruff] sets it); arguments go to
# `ruff check`, e.g. --fix.
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_venv dev
exec .venv/bin/ruff check . "$@"
