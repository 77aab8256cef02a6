"""Local sign-in and sessions (issue 2, "Login"): /api/auth/*, the 401/403/415
order of the API's guard, session cookies and their end."""
import pytest
from werkzeug.security import check_password_hash

from fsr_coach.config import ConfigError
from support.app import PASSWORD

LOGIN = "/api/auth/login"
ME = "/api/auth/me"
LOGOUT = "/api/auth/logout"
COOKIE = "fsr_session"
USER_FIELDS = {"user_id", "username", "display_name", "is_admin", "csrf_token"}
NOT_AUTHENTICATED = {"error": "Not authenticated"}

# The seven case endpoints: (method, path, JSON body or None).
CASE_ENDPOINTS = [
    ("GET", "/api/cases/validate/CASE-2024-001", None),
    ("GET", "/api/cases/user-cases", None),
    ("POST", "/api/cases/status", {"case_numbers": ["CASE-2024-001"]}),
    ("GET", "/api/cases/data", None),
    ("GET", "/api/cases/data/CASE-2024-001", None),
    ("PUT", "/api/cases/data/CASE-2024-001", {"problemStatement": "p", "fsrNotes": "n"}),
    ("POST", "/api/cases/data", {"cases": [{"caseNumber": "CASE-2024-001"}]}),
]
# Every state-changing API request a signed-in user can make.
UNSAFE_REQUESTS = [(m, p, b) for m, p, b in CASE_ENDPOINTS if m != "GET"] + [
    ("POST", LOGOUT, None),
]


def _ids(requests_):
    return [f"{method} {path}" for method, path, _ in requests_]


def login(client, username, password=PASSWORD):
    return client.post(LOGIN, json={"username": username, "password": password})


def session_cookie(client):
    cookie = client.get_cookie(COOKIE)
    assert cookie is not None, "no session cookie was set"
    return cookie.value


def replay(app, cookie_value):
    """GET /api/auth/me from a fresh client that only has the saved cookie."""
    other = app.test_client()
    other.set_cookie(COOKIE, cookie_value)
    return other.get(ME)


def send(client, method, path, body, **kwargs):
    return client.open(path, method=method, json=body, **kwargs)


def user_notes(sql):
    return sql.all("SELECT user_id, case_number, problem_statement, fsr_notes FROM user_cases")


def set_cookie_header(response):
    headers = [h for h in response.headers.getlist("Set-Cookie") if h.startswith(COOKIE + "=")]
    assert len(headers) == 1, headers
    return [part.strip().lower() for part in headers[0].split(";")]


# --- login ---------------------------------------------------------------------

def test_login_answers_exactly_the_user_fields(client, make_user, sql):
    make_user("alice", display_name="Alice A.", is_admin=True)
    response = login(client, "alice")
    assert response.status_code == 200, response.json
    assert set(response.json) == USER_FIELDS
    row = sql.one("SELECT id FROM users WHERE username = 'alice'")
    assert response.json["user_id"] == str(row["id"])
    assert response.json["display_name"] == "Alice A."
    assert response.json["is_admin"] is True
    assert isinstance(response.json["csrf_token"], str) and response.json["csrf_token"]


def test_wrong_password_is_401_with_the_same_answer_as_unknown_user(client, make_user):
    make_user("alice")
    wrong_password = login(client, "alice", "not the password")
    unknown_user = login(client, "nobody", PASSWORD)
    assert wrong_password.status_code == unknown_user.status_code == 401
    assert wrong_password.json == unknown_user.json
    assert "error" in wrong_password.json


def test_wrong_password_sets_no_session(client, make_user):
    make_user("alice")
    login(client, "alice", "not the password")
    assert client.get(ME).status_code == 401


def test_disabled_account_cannot_log_in(client, make_user, cli):
    make_user("alice")
    assert cli("users", "disable", "alice").exit_code == 0
    response = login(client, "alice")
    assert response.status_code == 401
    assert response.json == login(client, "nobody").json


def test_username_is_matched_after_trimming(client, make_user):
    make_user("alice")
    response = login(client, "  alice\t")
    assert response.status_code == 200, response.json


@pytest.mark.parametrize("body", [
    {"username": 1, "password": PASSWORD},
    {"username": "alice", "password": None},
    {"username": ["alice"], "password": PASSWORD},
    {"username": "alice", "password": {"x": 1}},
    {"password": PASSWORD},
])
def test_login_with_non_string_fields_is_a_400_json(client, make_user, body):
    make_user("alice")
    response = client.post(LOGIN, json=body)
    assert response.status_code == 400
    assert response.is_json and "error" in response.json


@pytest.fixture
def wired_client(make_app, counter):
    """A client of a new app whose database connections go through ``counter``."""
    return make_app(DB_HOST="127.0.0.1", DB_PORT=counter.port).test_client()


@pytest.mark.parametrize("username, password, field", [
    ("a" * 101, PASSWORD, "username"),
    ("a" * 8_000_000, PASSWORD, "username"),  # under MAX_CONTENT_LENGTH
    ("   ", PASSWORD, "username"),
    ("al\tice", PASSWORD, "username"),
    ("\ud800lice", PASSWORD, "username"),  # a lone surrogate
    ("alice", "correct \udfff battery", "password"),
], ids=["101 characters", "8 MB", "blank", "a tab", "surrogate in username",
        "surrogate in password"])
def test_a_malformed_username_or_password_is_a_400_that_sends_nothing_to_the_database(
        wired_client, counter, make_user, username, password, field):
    make_user("alice")
    response = wired_client.post(LOGIN, json={"username": username, "password": password})
    assert response.status_code == 400
    assert response.json["field"] == field
    assert counter.commands == 0
    # The relay does see this app's queries.
    assert login(wired_client, "alice").status_code == 200
    assert counter.commands > 0


def test_a_username_of_100_characters_is_checked_against_the_accounts(client):
    assert login(client, "a" * 100).status_code == 401


def test_the_cli_refuses_a_username_the_sign_in_would_refuse(cli, sql):
    result = cli("users", "create", "al\tice", "--password-stdin", input=PASSWORD + "\n")
    assert result.exit_code != 0
    assert "printable" in result.output
    assert sql.all("SELECT * FROM users") == []


@pytest.mark.parametrize("content_type", [
    "application/x-www-form-urlencoded", "text/plain", "multipart/form-data; boundary=x",
])
def test_login_with_a_non_json_body_is_415(client, make_user, content_type):
    make_user("alice")
    response = client.post(LOGIN, data=f"username=alice&password={PASSWORD}",
                           content_type=content_type)
    assert response.status_code == 415
    assert response.is_json and "error" in response.json
    assert client.get(ME).status_code == 401


def test_passwords_are_stored_as_werkzeug_hashes(make_user, sql):
    make_user("alice")
    stored = sql.one("SELECT password_hash FROM users WHERE username = 'alice'")["password_hash"]
    assert PASSWORD not in stored
    assert stored.split(":")[0] in ("scrypt", "pbkdf2")
    assert check_password_hash(stored, PASSWORD)


# --- me and logout ----------------------------------------------------------------

def test_me_answers_the_same_fields_as_login(client, make_user):
    make_user("alice", display_name="Alice A.")
    logged_in = login(client, "alice").json
    response = client.get(ME)
    assert response.status_code == 200
    assert response.json == logged_in


def test_me_without_a_session_is_401(client):
    response = client.get(ME)
    assert response.status_code == 401
    assert "error" in response.json


def test_logout_answers_success(alice):
    response = alice.post(LOGOUT)
    assert response.status_code == 200
    assert response.json == {"success": True}


def test_logout_ends_the_session_of_this_client(alice):
    alice.post(LOGOUT)
    assert alice.get(ME).status_code == 401


# --- a cookie saved before the session ended ------------------------------------

def test_saved_cookie_works_while_the_session_lasts(app, alice):
    assert replay(app, session_cookie(alice)).status_code == 200


def test_requests_of_a_session_send_no_new_cookie(alice):
    # The cookie is signed once, at sign-in: re-signing it on every answer
    # would cost CPU on every request.
    for response in (alice.get("/api/cases/data"),
                     alice.put("/api/cases/data/CASE-2024-001", json={"fsrNotes": "x"})):
        assert response.status_code == 200, response.json
        assert response.headers.getlist("Set-Cookie") == []


def test_cookie_saved_before_logout_is_refused_afterwards(app, alice):
    saved = session_cookie(alice)
    assert alice.post(LOGOUT).status_code == 200
    response = replay(app, saved)
    assert response.status_code == 401
    assert response.json == NOT_AUTHENTICATED


def test_cookie_saved_before_logout_cannot_save_notes(app, alice, sql):
    saved, token = session_cookie(alice), alice.csrf_token
    alice.post(LOGOUT)
    other = app.test_client()
    other.set_cookie(COOKIE, saved)
    response = other.put("/api/cases/data/CASE-2024-001", json={"fsrNotes": "late"},
                         headers={"X-CSRF-Token": token})
    assert response.status_code == 401
    assert user_notes(sql) == []


def test_cookie_saved_before_a_password_change_is_refused_afterwards(app, alice, cli):
    saved = session_cookie(alice)
    result = cli("users", "set-password", "alice", "--password-stdin",
                 input="a brand new password\n")
    assert result.exit_code == 0, result.output
    assert replay(app, saved).status_code == 401


def test_cookie_saved_before_disable_is_refused_afterwards(app, alice, cli):
    saved = session_cookie(alice)
    assert cli("users", "disable", "alice").exit_code == 0
    assert replay(app, saved).status_code == 401


def test_logout_of_one_user_leaves_other_users_signed_in(app, alice, bob):
    alice.post(LOGOUT)
    assert replay(app, session_cookie(bob)).status_code == 200


# --- the guard: 401, then 403, then 415 ---------------------------------------------

@pytest.mark.parametrize("method,path,body", CASE_ENDPOINTS, ids=_ids(CASE_ENDPOINTS))
def test_case_endpoint_without_session_is_401_not_authenticated(client, method, path, body):
    response = send(client, method, path, body)
    assert response.status_code == 401
    assert response.json == NOT_AUTHENTICATED


@pytest.mark.parametrize("method,path,body", UNSAFE_REQUESTS, ids=_ids(UNSAFE_REQUESTS))
def test_unsafe_request_without_session_is_401_even_with_a_csrf_token(
        client, sql, method, path, body):
    response = send(client, method, path, body, headers={"X-CSRF-Token": "anything"})
    assert response.status_code == 401
    assert user_notes(sql) == []


@pytest.mark.parametrize("method,path,body", UNSAFE_REQUESTS, ids=_ids(UNSAFE_REQUESTS))
def test_unsafe_request_without_csrf_token_is_403(alice, sql, method, path, body):
    alice.csrf_token = None  # the client stops sending the header
    response = send(alice, method, path, body)
    assert response.status_code == 403
    assert "error" in response.json
    assert user_notes(sql) == []
    assert alice.get(ME).status_code == 200


@pytest.mark.parametrize("method,path,body", UNSAFE_REQUESTS, ids=_ids(UNSAFE_REQUESTS))
def test_unsafe_request_with_a_wrong_csrf_token_is_403(alice, sql, method, path, body):
    response = send(alice, method, path, body, headers={"X-CSRF-Token": "not-the-token"})
    assert response.status_code == 403
    assert user_notes(sql) == []
    assert alice.get(ME).status_code == 200


def test_csrf_token_of_another_user_is_403(alice, bob, sql):
    response = alice.put("/api/cases/data/CASE-2024-001", json={"fsrNotes": "x"},
                         headers={"X-CSRF-Token": bob.csrf_token})
    assert response.status_code == 403
    assert user_notes(sql) == []


def test_safe_request_needs_no_csrf_token(alice):
    alice.csrf_token = None
    assert alice.get("/api/cases/data").status_code == 200


@pytest.mark.parametrize("method,path", [
    ("PUT", "/api/cases/data/CASE-2024-001"),
    ("POST", "/api/cases/data"),
    ("POST", "/api/cases/status"),
])
def test_api_body_that_is_not_json_is_415(alice, sql, method, path):
    response = alice.open(path, method=method, data='{"fsrNotes": "x"}',
                          content_type="text/plain")
    assert response.status_code == 415
    assert "error" in response.json
    assert user_notes(sql) == []


def test_new_login_gives_a_new_csrf_token(client, make_user):
    make_user("alice")
    first = login(client, "alice").json["csrf_token"]
    second = login(client, "alice").json["csrf_token"]
    assert first != second


def test_old_csrf_token_is_refused_after_a_new_login(client, make_user, sql):
    make_user("alice")
    old = login(client, "alice").json["csrf_token"]
    new = login(client, "alice").json["csrf_token"]
    refused = client.put("/api/cases/data/CASE-2024-001", json={"fsrNotes": "old"},
                         headers={"X-CSRF-Token": old})
    assert refused.status_code == 403
    assert user_notes(sql) == []
    accepted = client.put("/api/cases/data/CASE-2024-001", json={"fsrNotes": "new"},
                          headers={"X-CSRF-Token": new})
    assert accepted.status_code == 200


def test_login_issues_a_new_session_cookie(client, make_user):
    make_user("alice")
    login(client, "alice")
    first = session_cookie(client)
    login(client, "alice")
    assert session_cookie(client) != first


# --- cookie and start-up settings ------------------------------------------------

def test_session_cookie_is_httponly_samesite_lax_and_secure_by_default(client, make_user):
    make_user("alice")
    attributes = set_cookie_header(login(client, "alice"))
    assert "httponly" in attributes
    assert "samesite=lax" in attributes
    assert "secure" in attributes


def test_session_cookie_is_not_secure_when_session_cookie_secure_is_false(make_app, make_user):
    app = make_app(SESSION_COOKIE_SECURE=False)
    make_user("alice")
    attributes = set_cookie_header(login(app.test_client(), "alice"))
    assert "secure" not in attributes
    assert "httponly" in attributes
    assert "samesite=lax" in attributes


def test_app_refuses_to_start_in_production_without_secret_key(make_app):
    with pytest.raises(ConfigError):
        make_app(APP_ENV="production", SECRET_KEY="")
