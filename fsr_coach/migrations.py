"""The schema loader: applies ``schema/NNN_name.sql`` in order, each once.

Each file ends by recording its version in ``schema_migrations``, so a DBA
who applies it by hand (``mysql fsr_coach < schema/002_cases.sql``) leaves
the same trace as this loader, and a second run applies nothing.
MySQL commits DDL at once, which is why every file holds one change.
"""
import re
from pathlib import Path

import click
import mysql.connector
from flask import current_app
from flask.cli import AppGroup
from mysql.connector import errorcode

from .db import connect_args

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schema"
FILE_NAME = re.compile(r"(\d{3})_\w+\.sql")


class MigrationError(Exception):
    """A schema file is malformed or did not record itself."""


def migration_files():
    """[(version, path)] of the schema files, in order."""
    found = []
    for path in sorted(SCHEMA_DIR.glob("*.sql")):
        match = FILE_NAME.fullmatch(path.name)
        if match:
            found.append((match.group(1), path))
    return found


def latest_version():
    return migration_files()[-1][0]


def split_statements(sql):
    """The statements of a schema file: comment lines dropped, split at each
    ``;`` that ends a line (the files keep to that)."""
    lines = [line for line in sql.splitlines() if not line.lstrip().startswith("--")]
    statements = re.split(r";[ \t]*(?:\n|$)", "\n".join(lines))
    return [statement.strip() for statement in statements if statement.strip()]


def upgrade(config, dry_run=False, echo=print):
    """Apply the pending schema files, creating the database if missing;
    return the versions applied (or, with ``dry_run``, that would be)."""
    connection = mysql.connector.connect(
        **connect_args(migration_account(config), database=False))
    try:
        cursor = connection.cursor()
        applied = _open_database(cursor, config["DB_NAME"], dry_run, echo)
        pending = [(v, path) for v, path in migration_files() if v not in applied]
        if not pending:
            echo(f"schema is up to date (version {latest_version()})")
        for version, path in pending:
            echo(f"{'would apply' if dry_run else 'applying'} {path.name}")
            if not dry_run:
                _apply(cursor, version, path)
        return [version for version, _ in pending]
    finally:
        connection.close()


def migration_account(config):
    """The settings with the migration account (MIGRATE_DB_USER) as the
    login when it is set: it has DDL, the app's account (DB_USER) need not."""
    if not config.get("MIGRATE_DB_USER"):
        return config
    return {**config, "DB_USER": config["MIGRATE_DB_USER"],
            "DB_PASSWORD": config["MIGRATE_DB_PASSWORD"]}


def _open_database(cursor, name, dry_run, echo):
    """Make ``name`` the current database, creating it if missing (unless
    ``dry_run``); return the versions already applied to it."""
    cursor.execute("SELECT COUNT(*) FROM information_schema.SCHEMATA"
                   " WHERE SCHEMA_NAME = %s", (name,))
    if not cursor.fetchone()[0]:
        echo(f"{'would create' if dry_run else 'creating'} database {name}")
        if dry_run:
            return set()
        # A name cannot be a bound parameter; config.py allows only [A-Za-z0-9_].
        cursor.execute(f"CREATE DATABASE `{name}`"
                       " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
    cursor.execute(f"USE `{name}`")
    return _applied_versions(cursor)


def _applied_versions(cursor):
    try:
        cursor.execute("SELECT version FROM schema_migrations")
    except mysql.connector.Error as err:
        if err.errno == errorcode.ER_NO_SUCH_TABLE:
            return set()
        raise
    return {version for (version,) in cursor.fetchall()}


def _apply(cursor, version, path):
    for statement in split_statements(path.read_text(encoding="utf-8")):
        cursor.execute(statement)
    if version not in _applied_versions(cursor):
        raise MigrationError(
            f"{path.name} must end with: INSERT INTO schema_migrations (version)"
            f" VALUES ('{version}');")


db_cli = AppGroup("db", help="Manage the database schema.")


@db_cli.command("upgrade")
@click.option("--dry-run", is_flag=True, help="Print what would be applied; change nothing.")
def upgrade_command(dry_run):
    """Apply the pending schema/*.sql files (same as scripts/load_schema.py)."""
    upgrade(current_app.config, dry_run=dry_run, echo=click.echo)
