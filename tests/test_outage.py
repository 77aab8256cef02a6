"""The database server stops and starts again under a running app.

The server is a private one that this module starts itself (scripts/dev/
private_mysql.py) in a temporary folder on a free port: never the machine's
shared server. While it is down the app answers 503 JSON; once it is back the
same app object (no restart) answers 200 and the data saved before is there.
"""
import shutil

import pytest

from fsr_coach import create_app
from fsr_coach.auth import users
from fsr_coach.migrations import upgrade
from private_mysql import PrivateServer
from support.app import PASSWORD
from support.servers import free_port

DB_NAME = "fsr_coach_outage"
CASE = "CASE-2024-001"


# --- the private server ---------------------------------------------------------

def server_settings(server):
    return {"DB_HOST": "127.0.0.1", "DB_PORT": server.port, "DB_USER": "root",
            "DB_PASSWORD": "", "DB_NAME": DB_NAME}


def private_sql(server, query, params=()):
    """Run one statement on the private server's database; return its rows."""
    connection = server.admin_connect(database=DB_NAME, autocommit=True)
    try:
        cursor = connection.cursor(dictionary=True)
        cursor.execute(query, params)
        return cursor.fetchall() if cursor.with_rows else []
    finally:
        connection.close()


@pytest.fixture(scope="module")
def private_server(tmp_path_factory, db_settings):
    """A private server with the schema, one open case and the user alice."""
    basedir = tmp_path_factory.mktemp("private-mysql")
    server = PrivateServer(basedir, free_port())
    try:
        server.initialize()
        server.start(timeout=60)
        settings = {**db_settings, **server_settings(server)}
        upgrade(settings, echo=lambda _line: None)
        private_sql(server, "INSERT INTO cases (case_number) VALUES (%s)", (CASE,))
        setup_app = create_app({**settings, "APP_ENV": "testing", "SECRET_KEY": "setup"})
        with setup_app.app_context():
            users.create("alice", PASSWORD)
        setup_app.extensions["db"].close()
        yield server
    finally:
        server.stop()
        shutil.rmtree(basedir, ignore_errors=True)


@pytest.fixture
def server(private_server):
    """The private server, running and without saved notes; running again after."""
    private_server.start()
    private_sql(private_server, "DELETE FROM user_cases")
    yield private_server
    private_server.start()


@pytest.fixture
def client(make_app, server):
    """A client signed in as alice to an app on the private server."""
    app = make_app(**server_settings(server), DB_POOL_TIMEOUT=2, DB_CONNECT_TIMEOUT=2)
    signed_in = app.test_client()
    assert signed_in.login("alice").status_code == 200
    return signed_in


# --- helpers ----------------------------------------------------------------

def put_notes(client, text):
    return client.put(f"/api/cases/data/{CASE}", json={"fsrNotes": text})


def stored_notes(server):
    return [row["fsr_notes"] for row in private_sql(server, "SELECT fsr_notes FROM user_cases")]


def assert_unavailable(response):
    assert response.status_code == 503, response.get_data(as_text=True)
    assert response.is_json and isinstance(response.json.get("error"), str)
    text = response.get_data(as_text=True)
    assert "Traceback" not in text and "<html" not in text.lower()


# --- tests --------------------------------------------------------------------

def test_app_on_the_private_server_answers_200(client, server):
    assert put_notes(client, "before").status_code == 200
    response = client.get("/api/cases/data")
    assert response.status_code == 200
    assert response.json["cases"][CASE]["fsrNotes"] == "before"
    assert stored_notes(server) == ["before"]


def test_stopped_server_gets_503_json_for_reading_data(client, server):
    server.stop()
    assert_unavailable(client.get("/api/cases/data"))


def test_stopped_server_gets_503_json_for_saving_and_saves_nothing(client, server):
    server.stop()
    assert_unavailable(put_notes(client, "during the outage"))
    server.start()
    assert stored_notes(server) == []


def test_restarted_server_is_used_again_without_restarting_the_app(client, server):
    assert put_notes(client, "before the outage").status_code == 200
    server.stop()
    assert_unavailable(client.get("/api/cases/data"))
    assert_unavailable(put_notes(client, "during the outage"))
    server.start()
    response = client.get("/api/cases/data")
    assert response.status_code == 200, response.json
    assert response.json["cases"][CASE]["fsrNotes"] == "before the outage"
    assert put_notes(client, "after the outage").status_code == 200
    assert stored_notes(server) == ["after the outage"]
