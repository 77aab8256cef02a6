#!/usr/bin/env bash
# Backs up the app's database to one file: a consistent snapshot (one
# transaction, mysqldump --single-transaction: every table is InnoDB), no
# CREATE DATABASE in it, so it restores into any database. Gzipped when the
# name ends in .gz; readable by its owner only.
#
#     scripts/ops/backup.sh [FILE]   # default: backups/DB_NAME-YYYYMMDDTHHMMSSZ.sql.gz
#
# Settings come from the environment, then .env: DB_HOST, DB_PORT, DB_NAME and
# the migration account (MIGRATE_DB_USER) when set, else the app's (DB_USER).
# Needs mysqldump (or mariadb-dump) and the project's .venv (./scripts/run.sh).
set -euo pipefail
target=${1:-}
if [ -n "$target" ]; then
    target=$(realpath -m -- "$target")  # before lib.sh moves to the project
fi
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=scripts/ops/db_client.sh
source scripts/ops/db_client.sh
load_db_client_settings
dump=$(client_tool mysqldump mariadb-dump)
umask 077
target=${target:-$PWD/backups/$DB_NAME-$(date -u +%Y%m%dT%H%M%SZ).sql.gz}
mkdir -p "$(dirname "$target")"
partial="$target.partial"
TEMP_FILES+=("$partial")

# --skip-add-locks: a restore then needs no LOCK TABLES privilege.
options=(--defaults-extra-file="$CLIENT_CONFIG" --single-transaction --quick
    --skip-add-locks --no-tablespaces --hex-blob --default-character-set=utf8mb4)
if [[ $target == *.gz ]]; then
    "$dump" "${options[@]}" "$DB_NAME" | gzip >"$partial"
else
    "$dump" "${options[@]}" "$DB_NAME" >"$partial"
fi
mv "$partial" "$target"
echo "backed up $DB_NAME on $DB_HOST:$DB_PORT (as $DB_LOGIN) to $target"
