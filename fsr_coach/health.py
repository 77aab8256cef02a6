"""Probes for the orchestrator or load balancer.

``GET /healthz``: the process answers (no database). ``GET /readyz``: the
database answers and holds every schema version this release ships; else
503, so that traffic goes elsewhere until it does. A database with newer
versions as well is ready: migrations only add, so a release rolled back
keeps working on the next one's schema.
"""
import logging

import mysql.connector
from flask import Blueprint, jsonify

from .db import DatabaseUnavailable, get_db
from .metrics import count_database_error
from .migrations import migration_files

log = logging.getLogger(__name__)
bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    return jsonify({"status": "ok"})


@bp.get("/readyz")
def readyz():
    expected = [version for version, _path in migration_files()]
    try:
        rows = get_db().execute_all("SELECT version FROM schema_migrations")
    except (DatabaseUnavailable, mysql.connector.Error) as err:
        # The details name hosts and accounts: for the log, not for anyone asking.
        log.warning("not ready: %s", err)
        count_database_error("unavailable")
        return _not_ready("The database is unavailable.")
    missing = sorted(set(expected) - {row["version"] for row in rows})
    if missing:
        return _not_ready(f"The database schema lacks versions {', '.join(missing)};"
                          " apply the schema files (scripts/load_schema.py).")
    return jsonify({"status": "ready", "schema_version": expected[-1]})


def _not_ready(message):
    return jsonify({"status": "unavailable", "error": message}), 503, {"Retry-After": "5"}
