"""Rate limits (issue 6, "Limits and sign-in behind a proxy"): sign-in
attempts per client address and per account named, API calls per signed-in user,
the 429 answer, and counts shared through a real Redis server."""
import time

import pytest
import redis

from conftest import (PASSWORD, RedisServer, error_json, free_port, signed_in_client,
                      wait_until)
from fsr_coach.config import SETTINGS, ConfigError

LOGIN = "/api/auth/login"
API = "/api/cases/user-cases"
DEFAULT_LIMITS = {name: SETTINGS[name][1] for name in ("RATELIMIT_LOGIN", "RATELIMIT_API")}


def attempt(client, username, password="not the password", address="192.0.2.1"):
    return client.post(LOGIN, json={"username": username, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def assert_too_many_requests(response, window=60):
    body = error_json(response, 429)
    retry_after = int(response.headers["Retry-After"])
    assert 1 <= retry_after <= window
    assert body == {"error": "Too many requests; retry later", "retry_after": retry_after}
    assert response.headers["X-Request-ID"]


@pytest.fixture
def default_app(make_app):
    return make_app(**DEFAULT_LIMITS)


# --- sign-in ------------------------------------------------------------------

def test_sign_in_allows_10_attempts_a_minute_from_one_address_by_default(default_app):
    client = default_app.test_client()
    for number in range(10):
        assert attempt(client, f"nobody{number}").status_code == 401
    assert_too_many_requests(attempt(client, "nobody10"))
    # Another address is not held back.
    assert attempt(client, "nobody11", address="192.0.2.2").status_code == 401


def test_sign_in_allows_10_attempts_a_minute_per_username_from_any_address(
        default_app, make_user):
    make_user("alice")
    client = default_app.test_client()
    for number in range(10):
        assert attempt(client, "alice", address=f"192.0.2.{number}").status_code == 401
    # Even the right password waits: the limit comes before the check.
    assert_too_many_requests(attempt(client, "alice", PASSWORD, address="198.51.100.7"))
    response = attempt(client, "bob", address="198.51.100.7")
    assert response.status_code == 401


def test_a_username_counts_however_its_letters_are_written(make_app, make_user):
    make_user("alice")
    client = make_app(RATELIMIT_LOGIN="2 per minute").test_client()
    # The database matches names without regard to case or accents.
    assert attempt(client, "alice", address="192.0.2.1").status_code == 401
    assert attempt(client, " ALICE", address="192.0.2.2").status_code == 401
    assert_too_many_requests(attempt(client, "Alicé", address="192.0.2.3"))


def test_sign_in_attempts_with_a_bad_body_count_for_the_address(make_app):
    client = make_app(RATELIMIT_LOGIN="2 per minute").test_client()
    assert client.post(LOGIN, json={"username": 1}).status_code == 400
    assert client.post(LOGIN, data="x", content_type="text/plain").status_code == 415
    assert_too_many_requests(client.post(LOGIN, json={"username": "a", "password": "b"}))


def test_retry_after_says_when_an_attempt_is_let_in_again(make_app):
    client = make_app(RATELIMIT_LOGIN="2 per 2 seconds").test_client()
    attempt(client, "nobody")
    attempt(client, "nobody")
    refused = attempt(client, "nobody")
    assert_too_many_requests(refused, window=2)
    time.sleep(int(refused.headers["Retry-After"]) + 0.1)
    assert attempt(client, "nobody").status_code == 401


# --- API calls --------------------------------------------------------------------

def test_the_api_allows_600_calls_a_minute_per_user_by_default(default_app, make_user):
    alice = signed_in_client(default_app, make_user("alice"))
    bob = signed_in_client(default_app, make_user("bob"))
    for _ in range(600):
        assert alice.get(API).status_code == 200
    assert_too_many_requests(alice.get(API))
    assert_too_many_requests(alice.put("/api/cases/data/CASE-2024-001", json={"fsrNotes": "x"}))
    assert bob.get(API).status_code == 200


def test_every_api_endpoint_counts_towards_one_limit(make_app, make_user, sql):
    app = make_app(RATELIMIT_API="3 per minute")
    alice = signed_in_client(app, make_user("alice"))
    assert alice.get("/api/auth/me").status_code == 200
    assert alice.get("/api/cases/data").status_code == 200
    assert alice.get("/api/cases/validate/CASE-2024-001").status_code == 200
    assert_too_many_requests(alice.put("/api/cases/data/CASE-2024-001", json={"fsrNotes": "x"}))
    assert sql.all("SELECT * FROM user_cases") == []


def test_calls_without_a_session_are_not_counted_for_anyone(make_app, make_user):
    app = make_app(RATELIMIT_API="2 per minute")
    stranger = app.test_client()
    for _ in range(5):
        assert error_json(stranger.get(API), 401) == {"error": "Not authenticated"}
    alice = signed_in_client(app, make_user("alice"))
    assert alice.get(API).status_code == 200


def test_the_page_and_its_files_are_not_limited(make_app, make_user):
    app = make_app(RATELIMIT_API="1 per minute")
    alice = signed_in_client(app, make_user("alice"))
    for path in ("/", "/static/main.js", "/sw.js", "/", "/static/main.js"):
        assert alice.get(path).status_code == 200


def test_while_the_database_is_down_sign_in_attempts_count_and_the_api_is_503(
        app, make_app, make_user, caplog):
    alice = signed_in_client(app, make_user("alice"))
    # Nothing listens on this port: every query is a 503.
    down = make_app(DB_PORT=free_port(), RATELIMIT_LOGIN="2 per minute")
    client = down.test_client()
    assert error_json(attempt(client, "alice"), 503)
    assert error_json(attempt(client, "bob"), 503)
    assert_too_many_requests(attempt(client, "carol"))
    # Same SECRET_KEY: alice's cookie is valid there, but she cannot be loaded.
    client.set_cookie("fsr_session", alice.get_cookie("fsr_session").value)
    assert error_json(client.get(API), 503)
    # The database's failure is not taken for the rate-limit store's.
    assert "storage unreachable" not in caplog.text


@pytest.mark.parametrize("name, value", [
    ("RATELIMIT_LOGIN", "ten a minute"),
    ("RATELIMIT_API", ""),
])
def test_a_malformed_limit_stops_the_app_from_starting(make_app, name, value):
    with pytest.raises(ConfigError, match=name):
        make_app(**{name: value})


# --- Redis: counts shared by every process ---------------------------------------------

def test_with_redis_two_apps_share_the_sign_in_count(make_app, redis_url):
    first = make_app(RATELIMIT_LOGIN="3 per minute", RATELIMIT_STORAGE_URI=redis_url)
    second = make_app(RATELIMIT_LOGIN="3 per minute", RATELIMIT_STORAGE_URI=redis_url)
    assert attempt(first.test_client(), "nobody").status_code == 401
    assert attempt(second.test_client(), "nobody").status_code == 401
    assert attempt(first.test_client(), "nobody").status_code == 401
    assert_too_many_requests(attempt(second.test_client(), "nobody"))
    with redis.Redis.from_url(redis_url) as client:
        keys = [key.decode() for key in client.keys("*")]
    assert keys and all(key.startswith("LIMITS:LIMITER/fsr_coach/") for key in keys), keys


def test_with_redis_two_apps_share_the_api_count(make_app, make_user, redis_url):
    settings = {"RATELIMIT_API": "4 per minute", "RATELIMIT_STORAGE_URI": redis_url}
    first, second = make_app(**settings), make_app(**settings)
    make_user("alice")
    on_first, on_second = signed_in_client(first, "alice"), signed_in_client(second, "alice")
    for client in (on_first, on_second, on_first, on_second):
        assert client.get(API).status_code == 200
    assert_too_many_requests(on_first.get(API))
    assert_too_many_requests(on_second.get(API))


def test_while_redis_is_unreachable_each_process_counts_on_its_own(make_app, tmp_path):
    server = RedisServer(tmp_path).start()
    app = make_app(RATELIMIT_LOGIN="2 per minute", RATELIMIT_STORAGE_URI=server.url)
    client = app.test_client()
    try:
        assert attempt(client, "nobody1", address="192.0.2.1").status_code == 401
        server.stop()
        # Answered, not a 500; and still limited, now in memory from zero.
        assert attempt(client, "nobody2", address="192.0.2.1").status_code == 401
        assert attempt(client, "nobody3", address="192.0.2.1").status_code == 401
        assert_too_many_requests(attempt(client, "nobody4", address="192.0.2.1"))
        # Back on Redis once it answers again (asked with back-off).
        server.start()
        wait_until(lambda: attempt(client, "nobody5", address="192.0.2.2").status_code == 401
                   and _redis_keys(server.url), timeout=15, interval=0.5)
    finally:
        server.stop()


def _redis_keys(url):
    with redis.Redis.from_url(url) as client:
        return client.keys("*")
