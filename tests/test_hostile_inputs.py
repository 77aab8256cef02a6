"""Issue 11's hostile inputs (the cases side): each is a clear 4xx JSON
error that writes nothing and costs the pool no connection, through the
test client and through gunicorn."""
import pytest
import requests

from support.api import error_json
from support.sql import app_connections, saved_state

CASE_URL = "/api/cases/data/CASE-2024-001"


def nested(depth):
    """JSON text of arrays nested ``depth`` deep."""
    return "[" * depth + "]" * depth


def deep_object(field, depth):
    """A JSON object whose ``field`` nests arrays so that the whole is ``depth`` deep."""
    return '{"%s": %s}' % (field, nested(depth - 1))


# name: (method, path, JSON text, status)
HOSTILE = {
    "stale_base_version_on_notes_never_saved":
        ("PUT", "/api/cases/data/CASE-2024-003", '{"fsrNotes": "x", "baseVersion": 1}', 409),
    "put_nested_1000_deep": ("PUT", CASE_URL, deep_object("fsrNotes", 1000), 400),
    "batch_nested_1000_deep": ("POST", "/api/cases/data", deep_object("cases", 1000), 400),
    "status_nested_1000_deep":
        ("POST", "/api/cases/status", deep_object("case_numbers", 1000), 400),
    "login_nested_1000_deep": ("POST", "/api/auth/login", deep_object("username", 1000), 400),
    "put_nested_65_deep": ("PUT", CASE_URL, deep_object("extra", 65), 400),
    "batch_item_not_an_object":
        ("POST", "/api/cases/data", '{"cases": [{"caseNumber": "12345"}, 7]}', 400),
    "batch_text_not_a_string":
        ("POST", "/api/cases/data",
         '{"cases": [{"caseNumber": "12345"}, {"caseNumber": "CASE-2024-003", "fsrNotes": 5}]}',
         400),
    "double_slash_batch": ("POST", "/api//cases/data", '{"cases": []}', 404),
    "double_slash_put": ("PUT", "/api/cases//data/CASE-2024-001", '{"fsrNotes": "x"}', 404),
}


@pytest.fixture
def before(alice, sql, db_settings):
    """alice's saved notes, and what the database and the pool hold with them."""
    assert alice.put(CASE_URL, json={"fsrNotes": "before"}).status_code == 200
    return saved_state(sql), app_connections(sql, db_settings["DB_NAME"])


@pytest.mark.parametrize("method,path,text,status", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_request_is_a_4xx_json_error_that_changes_nothing(
        alice, sql, db_settings, before, method, path, text, status):
    response = alice.open(path, method=method, data=text, content_type="application/json")
    body = error_json(response, status)
    assert "Traceback" not in str(body)
    assert alice.get("/api/cases/data").status_code == 200
    assert (saved_state(sql), app_connections(sql, db_settings["DB_NAME"])) == before


def test_json_nested_exactly_64_deep_is_accepted(alice):
    response = alice.open(CASE_URL, method="PUT", data=deep_object("extra", 64),
                          content_type="application/json")
    assert response.status_code == 200, response.json


# (The test client would read a leading "//" as a host name; gunicorn's test has it.)
@pytest.mark.parametrize("path", ["/api//cases/data", "/api/cases//data", "/api/cases/data//"])
def test_a_double_slash_path_is_a_json_404_without_a_location(alice, path):
    response = alice.post(path, json={"cases": []})
    assert "error" in error_json(response, 404)
    assert "Location" not in response.headers


@pytest.fixture
def server(gunicorn, make_user):
    """gunicorn with one worker, so that its pool is the one watched."""
    make_user("alice")
    return gunicorn(WEB_CONCURRENCY="1")


@pytest.mark.parametrize("method,path,text,status", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_request_to_gunicorn_is_a_4xx_json_error_that_changes_nothing(
        server, sql, db_settings, method, path, text, status):
    http = server.session("alice")
    assert http.put(server.url + CASE_URL, json={"fsrNotes": "before"}, timeout=10).ok
    before = saved_state(sql), app_connections(sql, db_settings["DB_NAME"])
    response = http.request(method, server.url + path, data=text, timeout=10,
                            headers={"Content-Type": "application/json"}, allow_redirects=False)
    assert response.status_code == status, response.text[:300]
    assert response.headers["Content-Type"] == "application/json"
    assert "error" in response.json()
    assert http.get(server.url + "/api/cases/data", timeout=10).ok
    assert (saved_state(sql), app_connections(sql, db_settings["DB_NAME"])) == before


# Werkzeug matches a path without its leading slashes: "//api/..." is "/api/...".
@pytest.mark.parametrize("path,status", [("/api//cases/data", 404), ("//api/cases/data", 401)])
def test_a_double_slash_path_through_gunicorn_builds_nothing_from_the_host_header(
        server, path, status):
    response = requests.post(server.url + path, json={"cases": []}, timeout=10,
                             headers={"Host": "attacker.example"}, allow_redirects=False)
    assert response.status_code == status
    assert response.headers["Content-Type"] == "application/json"
    assert "Location" not in response.headers
    assert "attacker.example" not in response.text
