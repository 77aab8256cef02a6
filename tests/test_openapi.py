"""The app against its OpenAPI document (fsr_coach/openapi.json), checked by
schemathesis over HTTP against gunicorn: every operation, signed in, with
generated requests, valid and not; no server error, every answer's status,
content type, headers and body as the document says, requests that break
the document refused, and no signed-in operation served without a session."""
import json

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    ignored_auth,
    negative_data_rejection,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from fsr_coach.openapi import DOCUMENT
from support.app import OPEN_CASES

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance,
          negative_data_rejection, ignored_auth]

FRAMING_HEADERS = {"transfer-encoding", "content-length", "connection"}
# The file the app serves (a test below checks that it does). Loaded at
# import: schemathesis.pytest.from_fixture, which could load it from a
# running app, fails on pytest 9 (it sets a node attribute pytest no longer
# has).
schema = schemathesis.openapi.from_dict(json.loads(DOCUMENT.read_text()))

# Stand-ins for a session's credentials: schemathesis puts them where the
# document asks for them (or, to test that they are checked, leaves them out
# or spoils them); each request then gets a real session in their place.
COOKIE, TOKEN = "signed-in-session", "signed-in-csrf-token"


@schema.auth()
class SignedIn:
    """The session's stand-ins, wherever the document asks for credentials."""

    def get(self, _case, _context):
        return COOKIE, TOKEN

    def set(self, case, data, _context):
        cookie, token = data
        case.cookies = {**(case.cookies or {}), "fsr_session": cookie}
        case.headers = {**(case.headers or {}), "X-CSRF-Token": token}


@pytest.fixture
def sign_in_fresh(app, make_user):
    """sign_in_fresh(): the cookie and CSRF header of a new session of a user
    with a saved case and its history (a logout ends them all, so each
    request gets a session of its own)."""
    make_user("alice")
    client = app.test_client()

    def sign_in():
        token = client.login("alice").json["csrf_token"]
        return client.get_cookie("fsr_session").value, token

    client.login("alice")
    assert client.put(f"/api/cases/data/{OPEN_CASES[0]}",
                      json={"problemStatement": "p", "fsrNotes": "n"}).status_code == 200
    return sign_in


@pytest.fixture
def server(gunicorn):
    """One gunicorn for all of an operation's examples."""
    return gunicorn()


@schema.parametrize()
@settings(max_examples=12, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
def test_the_app_answers_as_its_document_says(case, server, sign_in_fresh):
    cookie, token = sign_in_fresh()
    if (case.cookies or {}).get("fsr_session") == COOKIE:
        case.cookies["fsr_session"] = cookie
    if (case.headers or {}).get("X-CSRF-Token") == TOKEN:
        case.headers["X-CSRF-Token"] = token
    # Framing is HTTP's, not the API's: gunicorn answers a made-up
    # Transfer-Encoding itself, before the app (tests/test_gunicorn_answers.py).
    for framing in [name for name in case.headers or {} if name.lower() in FRAMING_HEADERS]:
        del case.headers[framing]
    response = case.call(base_url=server.url)
    case.validate_response(response, checks=CHECKS)


def test_the_document_is_served_as_kept_in_the_repository(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.json == json.loads(DOCUMENT.read_text())


def test_the_document_names_every_route_of_the_app(app):
    documented = set(json.loads(DOCUMENT.read_text())["paths"])
    routes = {rule.rule.replace("<", "{").replace(">", "}") for rule in app.url_map.iter_rules()
              if not rule.rule.startswith("/static") and rule.rule not in ("/", "/sw.js")}
    # /metrics exists only while metrics are on.
    assert routes | {"/metrics"} == documented
