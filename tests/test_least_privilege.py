"""Least privilege (issue 6, "Database operations"): schema/accounts.sql makes
an app account with rows only and a migration account with DDL; the loader
works as the one, the whole API as the other."""
import secrets
import subprocess
import sys

import mysql.connector
import pytest
from werkzeug.security import generate_password_hash

from accounts_sql import ACCOUNTS_SQL, AccountError, render
from ensure_database import admin_login
from ensure_database import load_settings as server_settings
from fsr_coach import create_app
from fsr_coach.db import connect_args
from fsr_coach.migrations import migration_files, split_statements
from support.api import ApiClient, signed_in_client
from support.app import PASSWORD, ROOT, app_environment

ER_TABLEACCESS_DENIED = 1142
ER_DBACCESS_DENIED = 1044
ROW_PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE"


@pytest.fixture(scope="module")
def admin():
    """An administrator's connection (DB_ADMIN_USER, or root over the local
    socket), as scripts/dev/ensure_database.py makes one: accounts need it."""
    connection = admin_login(server_settings())
    if connection is None:
        pytest.skip("no administrator login (DB_ADMIN_USER/DB_ADMIN_PASSWORD) to make accounts")
    yield connection
    connection.close()


def run_as_admin(admin, sql_text):
    cursor = admin.cursor()
    for statement in split_statements(sql_text):
        cursor.execute(statement)


@pytest.fixture
def account_values(admin, db_settings):
    """The values of accounts.sql for this test: its own account names,
    passwords and database, all dropped at the end."""
    suffix = secrets.token_hex(3)
    values = {"DB_NAME": f"{db_settings['DB_NAME']}_lp{suffix}",
              "DB_USER": f"fsr_app_{suffix}", "DB_PASSWORD": secrets.token_urlsafe(16),
              # A quote in a password must survive the SQL string it goes into.
              "MIGRATE_DB_USER": f"fsr_mig_{suffix}",
              "MIGRATE_DB_PASSWORD": "it's-" + secrets.token_urlsafe(16),
              "ACCOUNT_HOST": "%"}
    yield values
    cursor = admin.cursor()
    for user in (values["DB_USER"], values["MIGRATE_DB_USER"]):
        cursor.execute("DROP USER IF EXISTS %s@%s", (user, "%"))
    cursor.execute(f"DROP DATABASE IF EXISTS `{values['DB_NAME']}`")


@pytest.fixture
def accounts(admin, account_values):
    """account_values after running the rendered file as a DBA. The database
    does not exist yet; the loader makes it."""
    run_as_admin(admin, render(account_values))
    return account_values


def settings_for(db_settings, values):
    """The app's settings on the test's database, as its app account."""
    return {**db_settings, "DB_NAME": values["DB_NAME"], "DB_USER": values["DB_USER"],
            "DB_PASSWORD": values["DB_PASSWORD"]}


def load_schema(db_settings, values, migrate=True):
    """scripts/load_schema.py with the app's account as DB_USER and, unless
    ``migrate`` is false, the migration account as MIGRATE_DB_USER."""
    extra = {"MIGRATE_DB_USER": values["MIGRATE_DB_USER"],
             "MIGRATE_DB_PASSWORD": values["MIGRATE_DB_PASSWORD"]} if migrate else {}
    return subprocess.run([sys.executable, "scripts/load_schema.py"], cwd=ROOT,
                          env=app_environment(settings_for(db_settings, values), **extra),
                          capture_output=True, text=True, timeout=60)


@pytest.fixture
def schema(accounts, db_settings):
    """accounts, with the schema loaded by the migration account."""
    done = load_schema(db_settings, accounts)
    assert done.returncode == 0, done.stderr
    return accounts


def app_login(db_settings, values):
    return mysql.connector.connect(**connect_args(settings_for(db_settings, values)))


def grants(admin, user):
    cursor = admin.cursor()
    cursor.execute("SHOW GRANTS FOR %s@%s", (user, "%"))
    return [line for (line,) in cursor.fetchall() if not line.startswith("GRANT USAGE")]


# --- the file ------------------------------------------------------------------------------

def test_the_accounts_file_is_not_a_migration(db_settings):
    assert ACCOUNTS_SQL.exists()
    assert ACCOUNTS_SQL not in [path for _, path in migration_files()]
    done = subprocess.run([sys.executable, "scripts/load_schema.py", "--dry-run"], cwd=ROOT,
                          env=app_environment({**db_settings, "DB_NAME": "no_such_db_here"}),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "accounts.sql" not in done.stdout
    assert "001_schema_migrations.sql" in done.stdout


def test_the_app_account_gets_row_privileges_only(admin, accounts):
    database = accounts["DB_NAME"].replace("_", r"\_")
    assert grants(admin, accounts["DB_USER"]) == [
        f"GRANT {ROW_PRIVILEGES} ON `{database}`.* TO `{accounts['DB_USER']}`@`%`"]


def test_the_migration_account_gets_ddl_on_the_database_only(admin, accounts):
    [grant] = grants(admin, accounts["MIGRATE_DB_USER"])
    for privilege in ("CREATE", "ALTER", "DROP", "INDEX", "REFERENCES", "INSERT"):
        assert privilege in grant
    assert "ALL PRIVILEGES" not in grant and " ON *.*" not in grant


def test_running_the_file_again_sets_new_passwords_and_cuts_extra_privileges(
        admin, schema, db_settings):
    admin.cursor().execute("GRANT ALL PRIVILEGES ON *.* TO %s@%s", (schema["DB_USER"], "%"))
    changed = {**schema, "DB_PASSWORD": secrets.token_urlsafe(16)}
    run_as_admin(admin, render(changed))
    [grant] = grants(admin, schema["DB_USER"])
    assert grant.startswith(f"GRANT {ROW_PRIVILEGES} ON ")
    app_login(db_settings, changed).close()
    with pytest.raises(mysql.connector.Error):
        app_login(db_settings, schema)


@pytest.mark.parametrize("field,value,message", [
    ("DB_PASSWORD", "", "empty"),
    ("MIGRATE_DB_PASSWORD", "back\\slash", "backslash"),
    ("DB_USER", "app'; DROP USER root; --", "letters, digits"),
    ("MIGRATE_DB_USER", "fsr_coach", "two accounts"),
    ("ACCOUNT_HOST", "' OR '", "host"),
    ("DB_NAME", "fsr`coach", "DB_NAME"),
])
def test_render_refuses_values_that_do_not_fit(field, value, message):
    values = {"DB_NAME": "fsr_coach", "DB_USER": "fsr_coach", "DB_PASSWORD": "pw-app",
              "MIGRATE_DB_USER": "fsr_migrate", "MIGRATE_DB_PASSWORD": "pw-migrate",
              "ACCOUNT_HOST": "%", field: value}
    with pytest.raises(AccountError, match=message):
        render(values)


def test_accounts_sql_script_fills_the_file_from_the_settings(db_settings):
    environment = app_environment(db_settings, DB_USER="fsr_app", DB_PASSWORD="pw-app",
                                  MIGRATE_DB_USER="fsr_migrate", MIGRATE_DB_PASSWORD="pw-mig")
    done = subprocess.run([sys.executable, "scripts/ops/accounts_sql.py", "--host", "10.0.0.%"],
                          cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "${" not in done.stdout
    assert "'fsr_app'@'10.0.0.%' IDENTIFIED BY 'pw-app'" in done.stdout
    assert "'fsr_migrate'@'10.0.0.%' IDENTIFIED BY 'pw-mig'" in done.stdout


def test_accounts_sql_script_applies_the_file_as_the_administrator(db_settings, account_values,
                                                                  admin):
    server = server_settings()
    environment = app_environment(db_settings, **account_values, DB_ADMIN_USER=server.admin_user,
                                  DB_ADMIN_PASSWORD=server.admin_password)
    done = subprocess.run([sys.executable, "scripts/ops/accounts_sql.py", "--apply"], cwd=ROOT,
                          env=environment, capture_output=True, text=True, timeout=60)
    if "Access denied" in done.stderr:
        pytest.skip(f"the administrator ({server.admin_user}) logs in over the unix socket only")
    assert done.returncode == 0, done.stderr
    cursor = admin.cursor()
    cursor.execute("SHOW GRANTS FOR %s@'%'", (account_values["DB_USER"],))
    grants = [row[0] for row in cursor.fetchall()]
    database = account_values["DB_NAME"].replace("_", r"\_")
    assert f"GRANT SELECT, INSERT, UPDATE, DELETE ON `{database}`.* TO `{account_values['DB_USER']}`@`%`" in grants


def test_accounts_sql_script_without_a_migration_account_says_so(db_settings):
    done = subprocess.run([sys.executable, "scripts/ops/accounts_sql.py"], cwd=ROOT,
                          env=app_environment(db_settings, DB_PASSWORD="pw-app"),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert "MIGRATE_DB_USER" in done.stderr
    assert done.stdout == ""


# --- the loader as the migration account, the app as the app account --------------------

def test_the_loader_makes_the_schema_as_the_migration_account(schema, db_settings):
    with app_login(db_settings, schema) as connection:
        cursor = connection.cursor()
        cursor.execute("SELECT version FROM schema_migrations ORDER BY version")
        assert [v for (v,) in cursor.fetchall()] == [v for v, _ in migration_files()]


def test_the_loader_as_the_app_account_is_refused(accounts, db_settings, admin):
    admin.cursor().execute(f"CREATE DATABASE `{accounts['DB_NAME']}`")
    done = load_schema(db_settings, accounts, migrate=False)
    assert done.returncode != 0
    assert "denied" in done.stderr


@pytest.mark.parametrize("statement", [
    "CREATE TABLE intruder (id INT)",
    "DROP TABLE case_history",
    "ALTER TABLE cases ADD COLUMN intruder INT",
    "CREATE INDEX intruder ON cases (is_open)",
])
def test_the_app_account_cannot_change_the_schema(schema, db_settings, statement):
    with app_login(db_settings, schema) as connection:
        with pytest.raises(mysql.connector.Error) as denied:
            connection.cursor().execute(statement)
    assert denied.value.errno in (ER_TABLEACCESS_DENIED, ER_DBACCESS_DENIED)


def test_the_api_works_under_the_app_account(schema, db_settings, tmp_path):
    with app_login(db_settings, schema) as connection:
        cursor = connection.cursor()
        cursor.execute("INSERT INTO cases (case_number) VALUES ('LP-1'), ('LP-2')")
        cursor.execute("INSERT INTO users (username, display_name, password_hash)"
                       " VALUES ('alice', 'Alice', %s)",
                       (generate_password_hash(PASSWORD, method="pbkdf2:sha256:1"),))
    app = create_app({**settings_for(db_settings, schema), "TESTING": True,
                      "APP_ENV": "testing", "SECRET_KEY": "test-secret", "DB_POOL_SIZE": 2})
    app.test_client_class = ApiClient
    try:
        alice = signed_in_client(app, "alice")
        texts = {"problemStatement": "Pump trips", "fsrNotes": "Relay K3"}
        assert alice.put("/api/cases/data/LP-1", json=texts).status_code == 200
        saved = alice.put("/api/cases/data/LP-1",
                          json={**texts, "fsrNotes": "Relay K3 replaced", "baseVersion": 1})
        assert saved.json["version"] == 2
        assert alice.get("/api/cases/data/LP-1").json["data"]["problemStatement"] == "Pump trips"
        history = alice.get("/api/cases/data/LP-1/history").json["history"]
        assert {entry["field"] for entry in history} == {"problemStatement", "fsrNotes"}
        batch = alice.post("/api/cases/data", json={"cases": [{"caseNumber": "LP-2"}]})
        assert batch.json["saved_count"] == 1
        assert alice.delete("/api/cases/data/LP-2").status_code == 200
        # The sync too: its lock and its writes need no more than rows.
        statuses = tmp_path / "statuses.json"
        statuses.write_text('[{"case_number": "LP-1", "is_open": false}]')
        result = app.test_cli_runner().invoke(args=["cases", "sync", "--file", str(statuses)])
        assert result.exit_code == 0, result.output
        assert alice.get("/api/cases/user-cases").json["cases"] == []
    finally:
        app.extensions["db"].close()
