"""scripts/seed.py (issue 2, "Command line"): the document's demo cases and,
in development only, a demo account."""
import subprocess
import sys

import pytest

from support.app import ROOT, app_environment
from support.sql import case_states, catalog

DEMO_PASSWORD = "demo password for tests"
# The design document's cases: MOCK_VALID_CASES starts with these, and
# MOCK_CLOSED_CASES is exactly CLOSED.
DOCUMENT_CASES = {"CASE-2024-001", "CASE-2024-002", "CASE-2024-003"}
CLOSED = {"CASE-2024-002", "67890"}


@pytest.fixture(autouse=True)
def empty_catalog(sql):
    """The seed fills an empty catalog (the suite's fixture pre-fills some cases)."""
    sql.run("DELETE FROM user_cases")
    sql.run("DELETE FROM cases")


@pytest.fixture
def seed(db_settings):
    """seed(**env): run scripts/seed.py on the test database; returns the finished process."""
    def run(**env):
        environment = app_environment(db_settings, **{
            "SECRET_KEY": "seed-test-secret", "APP_ENV": "production", **env})
        done = subprocess.run([sys.executable, "scripts/seed.py"], cwd=ROOT, env=environment,
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        return done
    return run


def users(sql):
    return sql.all("SELECT * FROM users ORDER BY id")


def test_seed_loads_the_documents_cases(seed, sql):
    seed()
    assert set(case_states(sql)) >= DOCUMENT_CASES | CLOSED


def test_seed_closes_case_2024_002_and_67890(seed, sql):
    seed()
    closed = {number for number, is_open in case_states(sql).items() if not is_open}
    assert closed == CLOSED


def test_seed_sets_closed_at_of_exactly_the_closed_cases(seed, sql):
    seed()
    assert {row["case_number"] for row in catalog(sql) if row["closed_at"]} == CLOSED


def test_seed_run_twice_changes_nothing(seed, sql):
    seed()
    first = catalog(sql)
    seed()
    assert catalog(sql) == first


def test_seed_does_not_reopen_a_case_closed_in_between(seed, sql):
    seed()
    sql.run("UPDATE cases SET is_open = FALSE, closed_at = CURRENT_TIMESTAMP(6)"
            " WHERE case_number = 'CASE-2024-001'")
    closed = catalog(sql)
    seed()
    assert catalog(sql) == closed


def test_seed_does_not_close_a_case_reopened_in_between(seed, sql):
    seed()
    sql.run("UPDATE cases SET is_open = TRUE, closed_at = NULL"
            " WHERE case_number = 'CASE-2024-002'")
    reopened = catalog(sql)
    seed()
    assert catalog(sql) == reopened


def test_seed_in_development_creates_the_demo_user(seed, sql):
    seed(APP_ENV="development", DEMO_PASSWORD=DEMO_PASSWORD)
    rows = users(sql)
    assert [(row["username"], row["is_active"], row["is_admin"]) for row in rows] == [
        ("demo", 1, 0)]


def test_seed_demo_password_works_for_login(seed, client):
    seed(APP_ENV="development", DEMO_PASSWORD=DEMO_PASSWORD)
    response = client.login("demo", DEMO_PASSWORD)
    assert response.status_code == 200, response.json
    assert client.get("/api/auth/me").json["user_id"] == response.json["user_id"]


def test_seed_in_development_prints_the_demo_login(seed):
    done = seed(APP_ENV="development", DEMO_PASSWORD=DEMO_PASSWORD)
    assert "demo" in done.stdout
    assert DEMO_PASSWORD in done.stdout


def test_seed_run_twice_in_development_keeps_one_demo_user_and_its_sessions(seed, sql):
    seed(APP_ENV="development", DEMO_PASSWORD=DEMO_PASSWORD)
    first = users(sql)
    seed(APP_ENV="development", DEMO_PASSWORD=DEMO_PASSWORD)
    assert users(sql) == first


def test_seed_with_a_new_demo_password_makes_the_new_one_work(seed, client):
    seed(APP_ENV="development", DEMO_PASSWORD=DEMO_PASSWORD)
    seed(APP_ENV="development", DEMO_PASSWORD="another demo password")
    assert client.login("demo", DEMO_PASSWORD).status_code == 401
    assert client.login("demo", "another demo password").status_code == 200


def test_seed_in_production_creates_no_user(seed, sql):
    done = seed(APP_ENV="production", DEMO_PASSWORD=DEMO_PASSWORD)
    assert users(sql) == []
    assert DEMO_PASSWORD not in done.stdout


def test_seed_in_development_without_demo_password_creates_no_user(seed, sql):
    seed(APP_ENV="development")
    assert users(sql) == []
