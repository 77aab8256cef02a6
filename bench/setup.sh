#!/bin/sh
# What bench/run.py needs beyond the app's venv (./scripts/test.sh makes it):
# Debian's wrk, and the peers' and the profiler's packages (bench/requirements.txt).
set -e
cd "$(dirname "$0")/.."
if ! command -v wrk >/dev/null; then
    apt-get update -qq && apt-get install -y -qq wrk
fi
.venv/bin/pip install -q -r bench/requirements.txt
