"""The run's database, and SQL to check what the app did to it.

A run makes a database of its own (``<DB_NAME>_test_<random>``) on the server
the settings name, loads the schema once, empties the tables before each test
that uses it and drops it at the end: tests never see the development database.
"""
import secrets

import mysql.connector

from fsr_coach.config import defaults, load_settings
from fsr_coach.db import connect_args
from fsr_coach.migrations import upgrade

from .app import CLOSED_CASES, OPEN_CASES

SERVER_SETTINGS = ("DB_HOST", "DB_PORT", "DB_USER", "DB_PASSWORD")
TABLES_CHILD_FIRST = ["case_team_events", "case_collaborators", "case_assignments",
                      "case_signoffs", "case_history", "user_cases", "cases", "users",
                      "login_attempts"]


def create_run_database():
    """Every setting at its default, but for the server to test on (from the
    environment or .env) and a new database made with the schema.

    A developer's .env thus changes nothing in the tests but where they run.
    """
    found = load_settings(web=False)
    settings = defaults()
    settings.update({name: found[name] for name in SERVER_SETTINGS})
    settings["DB_NAME"] = f"{found['DB_NAME']}_test_{secrets.token_hex(4)}"
    upgrade(settings, echo=lambda _line: None)
    return settings


def drop_run_database(settings):
    with mysql.connector.connect(**connect_args(settings, database=False)) as cnx:
        cnx.cursor().execute(f"DROP DATABASE `{settings['DB_NAME']}`")


class Sql:
    """A plain connection to the test database, for checking with SQL."""

    def __init__(self, settings):
        self.connection = mysql.connector.connect(**connect_args(settings))

    def one(self, query, params=()):
        rows = self.all(query, params)
        return rows[0] if rows else None

    def all(self, query, params=()):
        cursor = self.connection.cursor(dictionary=True)
        cursor.execute(query, params)
        return cursor.fetchall() if cursor.with_rows else []

    def run(self, query, params=()):
        cursor = self.connection.cursor()
        cursor.execute(query, params)
        return cursor.rowcount


def reset_catalog(sql):
    """Empty every table and put back the catalog every test starts with."""
    _empty_tables(sql)
    rows = [(n, True) for n in OPEN_CASES] + [(n, False) for n in CLOSED_CASES]
    sql.run("INSERT INTO cases (case_number, is_open, closed_at) VALUES "
            + ", ".join(["(%s, %s, IF(%s, NULL, CURRENT_TIMESTAMP(6)))"] * len(rows)),
            tuple(value for number, is_open in rows for value in (number, is_open, is_open)))


def _empty_tables(sql, attempts=3):
    # A save the previous test's browser sent just before its page closed can
    # land between two deletes (a history row naming a user about to go):
    # emptying again from the children takes that row too.
    for attempt in range(attempts):
        try:
            for table in TABLES_CHILD_FIRST:
                sql.run(f"DELETE FROM {table}")
            return
        except mysql.connector.IntegrityError:
            if attempt == attempts - 1:
                raise


def catalog(sql):
    """Every case of the catalog, by number."""
    return sql.all("SELECT case_number, is_open, closed_at, created_at, updated_at"
                   " FROM cases ORDER BY case_number")


def case_states(sql):
    """{case number: open (True) or closed (False)} for the whole catalog."""
    return {row["case_number"]: bool(row["is_open"]) for row in catalog(sql)}


# --- checks that a refused request changed nothing and cost no connection ---


def notes_snapshot(sql):
    """Every user's notes on every case, byte for byte."""
    return sql.all("SELECT id, user_id, case_number, HEX(problem_statement) AS p,"
                   " HEX(fsr_notes) AS f, version, created_at, updated_at, removed_at"
                   " FROM user_cases ORDER BY id")


def history_snapshot(sql):
    """Every row of the notes' history."""
    return sql.all("SELECT * FROM case_history ORDER BY id")


def saved_state(sql):
    """The notes and their history together."""
    return notes_snapshot(sql), history_snapshot(sql)


def app_connections(sql, db_name):
    """The ids of the server's connections to ``db_name`` but ``sql``'s own:
    the app's pooled ones. The same ids before and after a request mean it
    neither dropped nor replaced a connection."""
    return {row["ID"] for row in sql.all(
        "SELECT ID FROM information_schema.PROCESSLIST WHERE DB = %s AND ID <> CONNECTION_ID()",
        (db_name,))}
