"""The app against its OpenAPI document (fsr_coach/openapi.json), checked by
schemathesis: every operation, signed in, with generated requests; no
server error, and every answer's status, content type, headers and body as
the document says."""
import json

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (content_type_conformance, not_a_server_error,
                                 response_headers_conformance, response_schema_conformance,
                                 status_code_conformance)

from conftest import OPEN_CASES
from fsr_coach.openapi import DOCUMENT

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance]

# The file the app serves (a test below checks that it does); requests go to
# the app itself, through WSGI. (schemathesis.pytest.from_fixture, which would
# load it from the app, fails on pytest 9: it sets a node attribute pytest
# no longer has.)
schema = schemathesis.openapi.from_dict(json.loads(DOCUMENT.read_text()))


@pytest.fixture
def sign_in_fresh(app, make_user):
    """sign_in_fresh(): the cookie and CSRF header of a new session of a user
    with a saved case and its history (a logout ends them all, so each
    request gets a session of its own)."""
    make_user("alice")
    client = app.test_client()

    def sign_in():
        token = client.login("alice").json["csrf_token"]
        return {"fsr_session": client.get_cookie("fsr_session").value}, {"X-CSRF-Token": token}

    client.login("alice")
    assert client.put(f"/api/cases/data/{OPEN_CASES[0]}",
                      json={"problemStatement": "p", "fsrNotes": "n"}).status_code == 200
    return sign_in


@schema.parametrize()
@settings(max_examples=12, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
def test_the_app_answers_as_its_document_says(case, app, sign_in_fresh):
    cookies, headers = sign_in_fresh()
    response = case.call(app=app, cookies=cookies, headers=headers)
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
