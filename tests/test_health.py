"""GET /healthz (the process answers) and GET /readyz (the database answers,
with the schema this release expects)."""
import pytest

from fsr_coach.migrations import latest_version
from support.api import error_json
from support.servers import free_port


def test_healthz_answers_without_the_database(make_app):
    app = make_app(DB_PORT=free_port(), DB_CONNECT_TIMEOUT=1)
    response = app.test_client().get("/healthz")
    assert (response.status_code, response.json) == (200, {"status": "ok"})


def test_readyz_is_ready_with_the_schema_applied(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json == {"status": "ready", "schema_version": latest_version()}


def test_readyz_is_503_while_the_database_is_unreachable(make_app):
    app = make_app(DB_PORT=free_port(), DB_CONNECT_TIMEOUT=1)
    response = app.test_client().get("/readyz")
    body = error_json(response, 503)
    assert body == {"status": "unavailable", "error": "The database is unavailable."}
    assert response.headers["Retry-After"] == "5"


@pytest.fixture
def latest_migration_unrecorded(sql):
    """The schema as if its newest file had not been applied."""
    row = sql.one("SELECT * FROM schema_migrations WHERE version = %s", (latest_version(),))
    sql.run("DELETE FROM schema_migrations WHERE version = %s", (latest_version(),))
    yield
    sql.run("INSERT INTO schema_migrations (version, applied_at) VALUES (%s, %s)",
            (row["version"], row["applied_at"]))


def test_readyz_is_503_while_a_schema_version_is_missing(client, latest_migration_unrecorded):
    body = error_json(client.get("/readyz"), 503)
    assert body["status"] == "unavailable"
    assert f"lacks versions {latest_version()}" in body["error"]


def test_readyz_accepts_a_newer_schema(client, sql):
    # A release rolled back runs on the next one's schema: migrations only add.
    sql.run("INSERT INTO schema_migrations (version) VALUES ('999')")
    try:
        assert client.get("/readyz").status_code == 200
    finally:
        sql.run("DELETE FROM schema_migrations WHERE version = '999'")
