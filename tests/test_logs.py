"""Logs: one JSON line per request and per data change, carrying the request
id, never a password or a note text."""
import json
import logging

import pytest

from support.api import logged
from support.app import PASSWORD

SECRET_PROBLEM = "problem-text-that-must-not-be-logged"
SECRET_NOTES = "notes-text-that-must-not-be-logged"


def test_each_request_writes_one_json_line(alice, sql, caplog):
    caplog.set_level(logging.INFO, logger="fsr_coach.request")
    response = alice.get("/api/cases/user-cases", headers={"X-Request-ID": "req-99"})
    assert response.headers["X-Request-ID"] == "req-99"
    (line,) = logged(caplog, "fsr_coach.request")
    user_id = sql.one("SELECT id FROM users WHERE username = 'alice'")["id"]
    assert line == {**line, "logger": "fsr_coach.request", "level": "INFO",
                    "message": "request", "method": "GET", "path": "/api/cases/user-cases",
                    "status": 200, "user_id": str(user_id), "request_id": "req-99",
                    "client": "127.0.0.1"}
    assert isinstance(line["duration_ms"], float) and 0 < line["duration_ms"] < 10_000
    assert line["time"].endswith("Z")


def test_errors_and_anonymous_requests_are_logged_with_a_generated_id(client, caplog):
    caplog.set_level(logging.INFO, logger="fsr_coach.request")
    response = client.get("/api/cases/user-cases?token=x")
    (line,) = logged(caplog, "fsr_coach.request")
    assert (line["status"], line["user_id"], line["path"]) == (401, None, "/api/cases/user-cases")
    assert line["request_id"] == response.headers["X-Request-ID"]
    assert len(line["request_id"]) == 32


@pytest.mark.parametrize("given", ["a", "A-z_0.9", "x" * 64, "0123456789abcdef" * 2])
def test_a_request_id_of_1_to_64_letters_digits_dots_underscores_and_dashes_is_kept(
        client, given):
    assert client.get("/healthz", headers={"X-Request-ID": given}).headers["X-Request-ID"] == given


@pytest.mark.parametrize("given", ["", "x" * 65, "no spaces", "req:42", 'quote"', "caf\u00e9",
                                   "line\tbreak", "../../etc"])
def test_any_other_request_id_is_replaced_by_a_generated_one(client, caplog, given):
    caplog.set_level(logging.INFO, logger="fsr_coach.request")
    response = client.get("/healthz", headers={"X-Request-ID": given})
    (line,) = logged(caplog, "fsr_coach.request")
    assert line["request_id"] == response.headers["X-Request-ID"] != given
    assert len(line["request_id"]) == 32


def test_gunicorn_writes_only_json_lines_without_passwords_or_texts(gunicorn, make_user):
    make_user("alice")
    server = gunicorn()
    http = server.session("alice")
    case_url = f"{server.url}/api/cases/data/CASE-2024-001"
    body = {"problemStatement": SECRET_PROBLEM, "fsrNotes": SECRET_NOTES}
    assert http.put(case_url, json=body, timeout=10).status_code == 200
    assert http.put(f"{server.url}/api/cases/data/67890", json=body, timeout=10).status_code == 400
    assert http.post(f"{server.url}/api/auth/login", timeout=10,
                     json={"username": "alice", "password": "wrong " + PASSWORD}).status_code == 401
    assert http.get(case_url, timeout=10).json()["data"]["fsrNotes"] == SECRET_NOTES
    server.stop()

    output = server.log_path.read_text()
    for secret in (PASSWORD, SECRET_PROBLEM, SECRET_NOTES):
        assert secret not in output
    app_lines = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    requests_logged = [(line["method"], line["path"], line["status"])
                       for line in app_lines if line["logger"] == "fsr_coach.request"]
    # The server's start-up probe, then the test's five.
    assert requests_logged[-5:] == [
        ("POST", "/api/auth/login", 200),
        ("PUT", "/api/cases/data/CASE-2024-001", 200),
        ("PUT", "/api/cases/data/67890", 400),
        ("POST", "/api/auth/login", 401),
        ("GET", "/api/cases/data/CASE-2024-001", 200),
    ]
    (audit,) = [line for line in app_lines if line["logger"] == "fsr_coach.audit"]
    assert audit["case_number"] == "CASE-2024-001"
    # gunicorn's own lines are its start and stop messages, not requests.
    assert not any("/api/" in line for line in output.splitlines() if not line.startswith("{"))
