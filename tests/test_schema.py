"""The schema (issue 2, "Schema"): the loader, files applied by hand with the
mysql client, and the shape of the tables in the test database."""
import secrets
import shutil
import subprocess
import sys
from itertools import groupby

import mysql.connector
import pytest

from fsr_coach.db import connect_args
from fsr_coach.migrations import migration_files, split_statements, upgrade
from support.app import ROOT, app_environment

VERSIONS = ["001", "002", "003", "004", "005", "006", "007", "008", "009", "010", "011", "012",
            "013", "014"]
TABLES = ["case_assignments", "case_collaborators", "case_history", "case_signoffs",
          "case_team_events", "cases", "login_attempts", "schema_migrations",
          "user_cases", "users"]


def server(settings):
    """A connection to the server, with no database selected."""
    return mysql.connector.connect(**connect_args(settings, database=False))


def run_on_server(settings, statement, params=()):
    with server(settings) as connection:
        cursor = connection.cursor()
        cursor.execute(statement, params)
        return cursor.fetchall() if cursor.with_rows else None


def database_exists(settings):
    return bool(run_on_server(
        settings, "SELECT 1 FROM information_schema.schemata WHERE schema_name = %s",
        (settings["DB_NAME"],)))


def migrations_rows(settings):
    return run_on_server(settings, f"SELECT version, applied_at FROM"
                                   f" `{settings['DB_NAME']}`.schema_migrations ORDER BY version")


def table_names(settings):
    return sorted(name for (name,) in run_on_server(
        settings, "SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
        (settings["DB_NAME"],)))


def quiet(_line):
    pass


@pytest.fixture
def fresh(db_settings):
    """Settings naming a database that does not exist yet; dropped after the test."""
    settings = {**db_settings, "DB_NAME": f"{db_settings['DB_NAME']}_s{secrets.token_hex(3)}"}
    yield settings
    run_on_server(settings, f"DROP DATABASE IF EXISTS `{settings['DB_NAME']}`")


@pytest.fixture
def empty(fresh):
    """Settings naming an existing, empty database."""
    run_on_server(fresh, f"CREATE DATABASE `{fresh['DB_NAME']}`"
                         " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
    return fresh


def mysql_client():
    for name in ("mysql", "mariadb"):
        if shutil.which(name):
            return name
    pytest.skip("no mysql or mariadb command-line client on this machine")


def apply_by_hand(settings, paths):
    """Apply schema files as a DBA does: mysql ... DBNAME < file, in order."""
    command = [mysql_client(), "-h", settings["DB_HOST"], "-P", str(settings["DB_PORT"]),
               "-u", settings["DB_USER"]]
    if settings["DB_PASSWORD"]:
        command.append(f"-p{settings['DB_PASSWORD']}")
    command.append(settings["DB_NAME"])
    for path in paths:
        with open(path, "rb") as sql_file:
            done = subprocess.run(command, stdin=sql_file, capture_output=True, timeout=60)
        assert done.returncode == 0, done.stderr.decode()


def load_schema_script(settings, *args):
    return subprocess.run([sys.executable, "scripts/load_schema.py", *args], cwd=ROOT,
                          env=app_environment(settings), capture_output=True, text=True,
                          timeout=60)


# --- the loader ------------------------------------------------------------------------

def test_schema_files_are_numbered_in_order(fresh):
    assert [version for version, _ in migration_files()] == VERSIONS


def test_loader_applies_every_file_in_order(fresh):
    lines = []
    assert upgrade(fresh, echo=lines.append) == VERSIONS
    applying = [line for line in lines if line.startswith("applying")]
    assert [line.split()[-1][:3] for line in applying] == VERSIONS


def test_loader_creates_a_missing_database(fresh, sql):
    lines = []
    upgrade(fresh, echo=lines.append)
    assert lines[0] == f"creating database {fresh['DB_NAME']}"
    assert sql.one("SELECT COUNT(*) AS n FROM information_schema.SCHEMATA"
                   " WHERE SCHEMA_NAME = %s", (fresh["DB_NAME"],))["n"] == 1


def test_loader_records_each_version_in_schema_migrations(fresh):
    upgrade(fresh, echo=quiet)
    rows = migrations_rows(fresh)
    assert [version for version, _ in rows] == VERSIONS
    applied_at = [when for _, when in rows]
    assert applied_at == sorted(applied_at)


def test_loader_creates_the_tables(fresh):
    upgrade(fresh, echo=quiet)
    assert table_names(fresh) == TABLES


def test_second_loader_run_applies_nothing(fresh):
    upgrade(fresh, echo=quiet)
    before = migrations_rows(fresh)
    lines = []
    assert upgrade(fresh, echo=lines.append) == []
    assert migrations_rows(fresh) == before
    assert any("up to date" in line for line in lines)


def test_loader_applies_only_the_files_not_yet_applied(empty):
    apply_by_hand(empty, [path for _, path in migration_files()[:2]])
    assert upgrade(empty, echo=quiet) == VERSIONS[2:]
    assert [version for version, _ in migrations_rows(empty)] == VERSIONS


def test_files_applied_by_hand_with_the_mysql_client_record_every_version(empty):
    apply_by_hand(empty, [path for _, path in migration_files()])
    assert [version for version, _ in migrations_rows(empty)] == VERSIONS
    assert table_names(empty) == TABLES


def test_loader_applies_nothing_after_the_files_were_applied_by_hand(empty):
    apply_by_hand(empty, [path for _, path in migration_files()])
    before = migrations_rows(empty)
    assert upgrade(empty, echo=quiet) == []
    assert migrations_rows(empty) == before


def test_load_schema_script_applies_the_schema(fresh):
    done = load_schema_script(fresh)
    assert done.returncode == 0, done.stderr
    assert [version for version, _ in migrations_rows(fresh)] == VERSIONS


def test_load_schema_dry_run_prints_what_it_would_apply_and_changes_nothing(empty):
    done = load_schema_script(empty, "--dry-run")
    assert done.returncode == 0, done.stderr
    for _, path in migration_files():
        assert path.name in done.stdout
    assert table_names(empty) == []


def test_load_schema_dry_run_lists_only_the_pending_files(empty):
    files = migration_files()
    apply_by_hand(empty, [path for _, path in files[:3]])
    before = migrations_rows(empty)
    done = load_schema_script(empty, "--dry-run")
    assert done.returncode == 0, done.stderr
    assert files[3][1].name in done.stdout
    assert not any(path.name in done.stdout for _, path in files[:3])
    assert migrations_rows(empty) == before
    assert "users" not in table_names(empty)


def test_load_schema_dry_run_does_not_create_a_missing_database(fresh):
    done = load_schema_script(fresh, "--dry-run")
    assert done.returncode == 0, done.stderr
    assert not database_exists(fresh)


# --- split_statements on the real files ---------------------------------------------------

# Each file: one change (a CREATE or ALTER TABLE), then the INSERT that records its version.
@pytest.mark.parametrize("version,path", migration_files(), ids=lambda v: getattr(v, "name", v))
def test_split_statements_splits_each_schema_file_into_one_change_and_record(version, path):
    statements = split_statements(path.read_text(encoding="utf-8"))
    assert len(statements) == 2
    assert statements[0].startswith(("CREATE TABLE", "ALTER TABLE", "UPDATE"))
    assert statements[1] == f"INSERT INTO schema_migrations (version) VALUES ('{version}')"


def test_split_statements_drops_comments_and_the_semicolons():
    statements = split_statements("-- a comment; with a semicolon\nCREATE TABLE t (a INT);\n"
                                  "  -- another\nINSERT INTO t VALUES (1);\n")
    assert statements == ["CREATE TABLE t (a INT)", "INSERT INTO t VALUES (1)"]


# --- table shapes in the test database --------------------------------------------------

def columns(sql, db_settings, where="TRUE", params=()):
    return sql.all("SELECT table_name AS t, column_name AS c, data_type AS type,"
                   " datetime_precision AS precision_, character_set_name AS charset"
                   " FROM information_schema.columns WHERE table_schema = %s AND " + where,
                   (db_settings["DB_NAME"], *params))


def indexes(sql, db_settings, table):
    """{index_name: (non_unique, [columns in order])}"""
    rows = sql.all("SELECT index_name AS name, non_unique, column_name AS col"
                   " FROM information_schema.statistics"
                   " WHERE table_schema = %s AND table_name = %s"
                   " ORDER BY index_name, seq_in_index", (db_settings["DB_NAME"], table))
    return {name: (group[0]["non_unique"], [row["col"] for row in group])
            for name, group in ((n, list(g)) for n, g in groupby(rows, lambda r: r["name"]))}


@pytest.mark.parametrize("column", ["problem_statement", "fsr_notes"])
def test_note_columns_are_mediumtext(sql, db_settings, column):
    found = columns(sql, db_settings, "table_name = 'user_cases' AND column_name = %s",
                    (column,))
    assert [row["type"] for row in found] == ["mediumtext"]


def test_every_timestamp_column_has_microseconds(sql, db_settings):
    found = columns(sql, db_settings, "data_type IN ('timestamp', 'datetime')")
    assert {(row["t"], row["c"]) for row in found} >= {
        ("cases", "closed_at"), ("cases", "updated_at"), ("user_cases", "updated_at")}
    assert [(row["t"], row["c"], row["precision_"]) for row in found
            if row["precision_"] != 6] == []


def test_user_cases_has_a_unique_index_on_user_id_and_case_number(sql, db_settings):
    unique = [cols for non_unique, cols in indexes(sql, db_settings, "user_cases").values()
              if non_unique == 0]
    assert ["user_id", "case_number"] in unique


def test_user_cases_refuses_a_second_row_for_the_same_user_and_case(sql):
    sql.run("INSERT INTO user_cases (user_id, case_number) VALUES ('1', 'CASE-2024-001')")
    with pytest.raises(mysql.connector.IntegrityError):
        sql.run("INSERT INTO user_cases (user_id, case_number) VALUES ('1', 'case-2024-001')")


def test_user_cases_has_a_foreign_key_to_cases_case_number(sql, db_settings):
    keys = sql.all("SELECT column_name AS c, referenced_table_name AS rt,"
                   " referenced_column_name AS rc FROM information_schema.key_column_usage"
                   " WHERE table_schema = %s AND table_name = 'user_cases'"
                   " AND referenced_table_name IS NOT NULL", (db_settings["DB_NAME"],))
    assert keys == [{"c": "case_number", "rt": "cases", "rc": "case_number"}]


def test_user_cases_refuses_a_case_number_not_in_cases(sql):
    with pytest.raises(mysql.connector.IntegrityError):
        sql.run("INSERT INTO user_cases (user_id, case_number) VALUES ('1', 'NOT-A-CASE')")


@pytest.mark.parametrize("table", TABLES)
def test_no_index_is_a_leading_prefix_of_another_index(sql, db_settings, table):
    found = indexes(sql, db_settings, table)
    redundant = [(a, b) for a, (_, cols_a) in found.items() for b, (_, cols_b) in found.items()
                 if a != b and a != "PRIMARY" and cols_b[:len(cols_a)] == cols_a]
    assert redundant == []


@pytest.mark.parametrize("table", TABLES)
def test_table_is_innodb_with_a_utf8mb4_collation(sql, db_settings, table):
    row = sql.one("SELECT engine, table_collation AS collation FROM information_schema.tables"
                  " WHERE table_schema = %s AND table_name = %s", (db_settings["DB_NAME"], table))
    assert row["engine"] == "InnoDB"
    assert row["collation"].startswith("utf8mb4_")


def test_every_text_column_is_utf8mb4(sql, db_settings):
    found = columns(sql, db_settings, "character_set_name IS NOT NULL")
    assert found
    assert {row["charset"] for row in found} == {"utf8mb4"}


def test_case_number_comparison_ignores_letter_case(sql):
    sql.run("INSERT INTO cases (case_number) VALUES ('ABC-1')")
    assert sql.all("SELECT case_number FROM cases WHERE case_number = 'abc-1'") == [
        {"case_number": "ABC-1"}]


def test_user_cases_case_number_comparison_ignores_letter_case(sql):
    sql.run("INSERT INTO user_cases (user_id, case_number) VALUES ('1', 'CASE-2024-001')")
    assert sql.one("SELECT COUNT(*) AS n FROM user_cases"
                   " WHERE user_id = '1' AND case_number = 'case-2024-001'")["n"] == 1
