"""Rate limits (issue 6, "Limits and sign-in behind a proxy"; issue 11, "Sign-in
limits that hold with the embedded default"; issue 12, "Rate limits without
private overrides"; issue 16, both limits counted without Flask-Limiter's
per-request work): sign-in attempts per account name (counted in the
database) and per client address, API calls per signed-in user, the 429
answer, the process's own store that starts no thread, and counts shared
through a real Redis server."""
import threading
import time
from contextlib import contextmanager

import pytest
import redis
from limits import parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from fsr_coach.config import ConfigError
from fsr_coach.limits import MovingWindows
from support.api import error_json, signed_in_client
from support.app import DEFAULT_RATE_LIMITS, PASSWORD
from support.servers import RedisServer, free_port
from support.wait import wait_until

LOGIN = "/api/auth/login"
API = "/api/cases/user-cases"


def attempt(client, username, password="not the password", address="192.0.2.1"):
    return client.post(LOGIN, json={"username": username, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def assert_too_many_requests(response, reason, window=60):
    body = error_json(response, 429)
    retry_after = int(response.headers["Retry-After"])
    assert 1 <= retry_after <= window
    assert body == {"error": "Too many requests; retry later", "reason": reason,
                    "retry_after": retry_after}
    assert response.headers["X-Request-ID"]


@contextmanager
def threads_started():
    """The threads started inside the ``with`` block, each seen running:
    threading.setprofile's hook runs in every thread started after it is set."""
    started = set()
    threading.setprofile(lambda *_event: started.add(threading.current_thread()))
    try:
        yield started
    finally:
        threading.setprofile(None)


@pytest.fixture
def default_app(make_app):
    return make_app(**DEFAULT_RATE_LIMITS)


# --- sign-in, per account name -------------------------------------------------------

def test_sign_in_allows_10_attempts_a_minute_per_account_from_any_address_by_default(
        default_app, make_user):
    make_user("alice")
    client = default_app.test_client()
    for number in range(10):
        assert attempt(client, "alice", address=f"192.0.2.{number}").status_code == 401
    # Even the right password waits: the limit comes before the check.
    assert_too_many_requests(attempt(client, "alice", PASSWORD, address="198.51.100.7"),
                             "login_account")
    assert attempt(client, "bob", address="198.51.100.7").status_code == 401


def test_an_unknown_name_gets_the_answers_an_existing_account_gets(make_app, make_user):
    make_user("alice")
    client = make_app(RATELIMIT_LOGIN="3 per minute").test_client()

    def answers(names):
        found = []
        for number, name in enumerate(names):
            response = attempt(client, name, address=f"198.51.100.{number}")
            found.append((response.status_code, response.json.get("reason")))
        return found

    # The database matches names without regard to case or accents, so each
    # list names one account, or one name that no account has.
    existing = answers(["alice", " ALICE", "Alicé", "alicE"])
    unknown = answers(["nobody", " NOBODY", "Nobódy", "nobodY"])
    assert existing == unknown == [(401, None)] * 3 + [(429, "login_account")]


def test_the_account_limit_counts_for_every_app_on_the_database(make_app, make_user):
    make_user("alice")
    first, second = (make_app(RATELIMIT_LOGIN="2 per minute").test_client() for _ in range(2))
    assert attempt(first, "alice").status_code == 401
    assert attempt(second, "alice").status_code == 401
    assert_too_many_requests(attempt(first, "alice"), "login_account")


def test_retry_after_says_when_the_accounts_window_ends(make_app):
    client = make_app(RATELIMIT_LOGIN="2 per 2 seconds").test_client()
    attempt(client, "nobody")
    attempt(client, "nobody")
    refused = attempt(client, "nobody")
    assert_too_many_requests(refused, "login_account", window=2)
    time.sleep(int(refused.headers["Retry-After"]) + 0.1)
    assert attempt(client, "nobody").status_code == 401


def test_the_attempts_are_counted_in_one_row_per_name(app, make_user, sql):
    make_user("alice")
    client = app.test_client()
    for name in ("alice", "ALICE", "nobody"):
        attempt(client, name)
    assert sql.all("SELECT username, attempts FROM login_attempts ORDER BY username") == [
        {"username": "alice", "attempts": 2}, {"username": "nobody", "attempts": 1}]


def test_the_rows_of_ended_windows_are_deleted(app, sql):
    sql.run("INSERT INTO login_attempts (username, attempts, window_started_at) VALUES"
            " ('gone', 4, NOW(6) - INTERVAL 61 SECOND), ('live', 4, NOW(6) - INTERVAL 30 SECOND)")
    attempt(app.test_client(), "nobody")
    assert sql.all("SELECT username FROM login_attempts ORDER BY username") == [
        {"username": "live"}, {"username": "nobody"}]


# --- sign-in, per client address -----------------------------------------------------

def test_sign_in_allows_100_attempts_a_minute_from_one_address_by_default(
        default_app, make_user):
    # 50 engineers behind one address, each signing in twice.
    names = [make_user(f"engineer{number}") for number in range(50)]
    client = default_app.test_client()
    for name in names * 2:
        assert attempt(client, name, PASSWORD).status_code == 200
    assert_too_many_requests(attempt(client, "engineer0", PASSWORD), "login_address")
    # Another address is not held back.
    assert attempt(client, "engineer0", PASSWORD, address="192.0.2.2").status_code == 200


def test_sign_in_attempts_with_a_bad_body_count_for_the_address(make_app):
    client = make_app(RATELIMIT_LOGIN_ADDRESS="2 per minute").test_client()
    assert client.post(LOGIN, json={"username": 1}).status_code == 400
    assert client.post(LOGIN, data="x", content_type="text/plain").status_code == 415
    assert_too_many_requests(client.post(LOGIN, json={"username": "a", "password": "b"}),
                             "login_address")


# --- API calls --------------------------------------------------------------------

def test_the_api_allows_600_calls_a_minute_per_user_by_default(default_app, make_user):
    alice = signed_in_client(default_app, make_user("alice"))
    bob = signed_in_client(default_app, make_user("bob"))
    for _ in range(600):
        assert alice.get(API).status_code == 200
    assert_too_many_requests(alice.get(API), "api")
    assert_too_many_requests(alice.put("/api/cases/data/CASE-2024-001", json={"fsrNotes": "x"}),
                             "api")
    assert bob.get(API).status_code == 200


def test_every_api_endpoint_counts_towards_one_limit(make_app, make_user, sql):
    app = make_app(RATELIMIT_API="3 per minute")
    alice = signed_in_client(app, make_user("alice"))
    assert alice.get("/api/auth/me").status_code == 200
    assert alice.get("/api/cases/data").status_code == 200
    assert alice.get("/api/cases/validate/CASE-2024-001").status_code == 200
    assert_too_many_requests(alice.put("/api/cases/data/CASE-2024-001", json={"fsrNotes": "x"}),
                             "api")
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


def test_while_the_database_is_down_sign_in_attempts_count_for_the_address_and_are_503(
        app, make_app, make_user, caplog):
    alice = signed_in_client(app, make_user("alice"))
    # Nothing listens on this port: every query is a 503.
    down = make_app(DB_PORT=free_port(), RATELIMIT_LOGIN_ADDRESS="2 per minute")
    client = down.test_client()
    assert error_json(attempt(client, "alice"), 503)
    assert error_json(attempt(client, "bob"), 503)
    assert_too_many_requests(attempt(client, "carol"), "login_address")
    # Same SECRET_KEY: alice's cookie is valid there, but she cannot be loaded.
    client.set_cookie("fsr_session", alice.get_cookie("fsr_session").value)
    assert error_json(client.get(API), 503)
    # The database's failure is not taken for the rate-limit store's.
    assert "storage unreachable" not in caplog.text


def test_each_app_counts_the_api_limit_it_was_made_with(make_app, make_user):
    # The rate is parsed once, when the app is made.
    make_user("alice")
    two = signed_in_client(make_app(RATELIMIT_API="2 per minute"), "alice")
    three = signed_in_client(make_app(RATELIMIT_API="3 per minute"), "alice")
    for client, allowed in ((two, 2), (three, 3)):
        for _ in range(allowed):
            assert client.get(API).status_code == 200
        assert_too_many_requests(client.get(API), "api")


def test_an_api_limit_of_two_rates_refuses_at_whichever_is_reached_first(make_app, make_user):
    alice = signed_in_client(make_app(RATELIMIT_API="3 per minute; 2 per second"),
                             make_user("alice"))
    assert alice.get(API).status_code == alice.get(API).status_code == 200
    assert_too_many_requests(alice.get(API), "api", window=1)
    time.sleep(1.05)
    assert alice.get(API).status_code == 200
    refused = alice.get(API)
    assert_too_many_requests(refused, "api")
    assert int(refused.headers["Retry-After"]) > 1  # the minute's, not the second's


def test_with_rate_limits_off_the_api_counts_nothing(make_app, make_user):
    app = make_app(RATELIMIT_API="1 per minute", RATELIMIT_ENABLED=False)
    alice = signed_in_client(app, make_user("alice"))
    for _ in range(3):
        assert alice.get(API).status_code == 200


def test_an_app_with_rate_limits_off_leaves_the_next_app_limited(make_app, make_user):
    make_app(RATELIMIT_ENABLED=False)
    alice = signed_in_client(make_app(RATELIMIT_API="1 per minute"), make_user("alice"))
    assert alice.get(API).status_code == 200
    assert_too_many_requests(alice.get(API), "api")


@pytest.mark.parametrize("name, value", [
    ("RATELIMIT_LOGIN", "ten a minute"),
    # One window per account name.
    ("RATELIMIT_LOGIN", "10 per minute; 50 per hour"),
    ("RATELIMIT_LOGIN_ADDRESS", "many"),
    ("RATELIMIT_API", ""),
])
def test_a_malformed_limit_stops_the_app_from_starting(make_app, name, value):
    with pytest.raises(ConfigError, match=name):
        make_app(**{name: value})


# --- the store in each process's memory ----------------------------------------------

def test_a_burst_of_requests_starts_at_most_one_thread(app, make_user):
    alice = signed_in_client(app, make_user("alice"))
    with threads_started() as started:
        for _ in range(300):
            assert alice.get(API).status_code == 200
    assert len(started) <= 1, started


def test_a_burst_of_hits_on_the_store_starts_no_thread():
    with threads_started() as started:
        burst_of_hits(MovingWindows())
    assert started == set()


def test_limits_own_memory_storage_starts_threads_under_a_burst():
    # Why MovingWindows exists (docs/decisions/005-rate-limit-store.md): if
    # this fails, limits no longer does so, and its storage may do again.
    with threads_started() as started:
        burst_of_hits(MemoryStorage())
    assert len(started) > 5, started


def burst_of_hits(store, seconds=0.3):
    """Hits on ``store`` for ``seconds``, one every millisecond, as the limiter makes them."""
    limiter, limit = MovingWindowRateLimiter(store), parse("100000 per minute")
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert limiter.hit(limit, "user:1")
        time.sleep(0.001)


def test_the_store_counts_a_moving_window():
    store, limit = MovingWindows(), parse("2 per 1 second")
    limiter = MovingWindowRateLimiter(store)
    assert limiter.hit(limit, "a") and limiter.hit(limit, "a")
    assert not limiter.hit(limit, "a")
    assert limiter.hit(limit, "b")
    started, remaining = limiter.get_window_stats(limit, "a")
    assert (remaining, 0 < started - time.time() <= 1) == (0, True)
    time.sleep(1.05)
    assert limiter.hit(limit, "a")


def test_the_store_forgets_the_keys_that_went_quiet():
    store, limit = MovingWindows(), parse("5 per 1 second")
    limiter = MovingWindowRateLimiter(store)
    limiter.hit(limit, "quiet")
    time.sleep(1.05)
    limiter.hit(limit, "busy")
    assert store.reset() == 1  # the keys it held: "busy" alone


# --- Redis: counts shared by every process ---------------------------------------------

def test_with_redis_two_apps_share_the_sign_in_count_per_address(make_app, redis_url):
    settings = {"RATELIMIT_LOGIN_ADDRESS": "3 per minute", "RATELIMIT_STORAGE_URI": redis_url}
    first, second = make_app(**settings), make_app(**settings)
    assert attempt(first.test_client(), "nobody1").status_code == 401
    assert attempt(second.test_client(), "nobody2").status_code == 401
    assert attempt(first.test_client(), "nobody3").status_code == 401
    assert_too_many_requests(attempt(second.test_client(), "nobody4"), "login_address")
    with redis.Redis.from_url(redis_url) as client:
        keys = [key.decode() for key in client.keys("*")]
    assert keys and all(key.startswith("LIMITS:LIMITER/fsr_coach/") for key in keys), keys


def test_with_redis_the_address_count_keeps_flask_limiters_key(make_app, redis_url):
    app = make_app(RATELIMIT_LOGIN_ADDRESS="3 per minute", RATELIMIT_STORAGE_URI=redis_url)
    with redis.Redis.from_url(redis_url) as client:
        client.flushdb()
        attempt(app.test_client(), "nobody", address="192.0.2.1")
        keys = [key.decode() for key in client.keys("*")]
    # As Flask-Limiter keyed the login view's limit before issue 16.
    assert keys == ["LIMITS:LIMITER/fsr_coach/address:192.0.2.1/auth.login:login_address/3/1/minute"]


def test_with_redis_two_apps_share_the_api_count(make_app, make_user, redis_url):
    settings = {"RATELIMIT_API": "4 per minute", "RATELIMIT_STORAGE_URI": redis_url}
    first, second = make_app(**settings), make_app(**settings)
    make_user("alice")
    on_first, on_second = signed_in_client(first, "alice"), signed_in_client(second, "alice")
    for client in (on_first, on_second, on_first, on_second):
        assert client.get(API).status_code == 200
    assert_too_many_requests(on_first.get(API), "api")
    assert_too_many_requests(on_second.get(API), "api")


def test_with_redis_the_api_count_is_keyed_per_user_under_the_prefix(
        make_app, make_user, redis_url, sql):
    app = make_app(RATELIMIT_API="4 per minute", RATELIMIT_STORAGE_URI=redis_url)
    alice = signed_in_client(app, make_user("alice"))
    with redis.Redis.from_url(redis_url) as client:
        client.flushdb()  # the sign-in's count per address
        assert alice.get(API).status_code == 200
        keys = [key.decode() for key in client.keys("*")]
    user_id = sql.one("SELECT id FROM users WHERE username = 'alice'")["id"]
    # Flask-Limiter's key for a shared limit of scope "api", as before issue 16.
    assert keys == [f"LIMITS:LIMITER/fsr_coach/user:{user_id}/api/4/1/minute"]


def test_while_redis_is_unreachable_api_calls_are_counted_in_memory_until_it_answers(
        make_app, make_user, tmp_path):
    server = RedisServer(tmp_path).start()
    app = make_app(RATELIMIT_API="2 per minute", RATELIMIT_STORAGE_URI=server.url)
    alice = signed_in_client(app, make_user("alice"))
    try:
        assert alice.get(API).status_code == 200
        server.stop()
        # Answered, not a 500; and still limited, now in memory from zero.
        assert alice.get(API).status_code == alice.get(API).status_code == 200
        assert_too_many_requests(alice.get(API), "api")
        # The restarted Redis is empty: alice's first call counted there is let in.
        server.start()
        wait_until(lambda: alice.get(API).status_code == 200, timeout=15, interval=0.5)
        assert alice.get(API).status_code == 200
        assert_too_many_requests(alice.get(API), "api")
    finally:
        server.stop()


def test_while_redis_is_unreachable_each_process_counts_on_its_own(make_app, tmp_path):
    server = RedisServer(tmp_path).start()
    app = make_app(RATELIMIT_LOGIN_ADDRESS="2 per minute", RATELIMIT_STORAGE_URI=server.url)
    client = app.test_client()
    try:
        assert attempt(client, "nobody1", address="192.0.2.1").status_code == 401
        server.stop()
        # Answered, not a 500; and still limited, now in memory from zero.
        assert attempt(client, "nobody2", address="192.0.2.1").status_code == 401
        assert attempt(client, "nobody3", address="192.0.2.1").status_code == 401
        assert_too_many_requests(attempt(client, "nobody4", address="192.0.2.1"),
                                 "login_address")
        # Back on Redis once it answers again (asked with back-off).
        server.start()
        wait_until(lambda: attempt(client, "nobody5", address="192.0.2.2").status_code == 401
                   and _redis_keys(server.url), timeout=15, interval=0.5)
    finally:
        server.stop()


def test_while_redis_is_unreachable_sign_in_attempts_start_no_thread_a_burst(
        make_app, tmp_path):
    # Flask-Limiter's fallback was limits' MemoryStorage: a thread per burst.
    server = RedisServer(tmp_path).start()
    client = make_app(RATELIMIT_STORAGE_URI=server.url).test_client()
    server.stop()
    with threads_started() as started:
        for number in range(5):
            assert attempt(client, f"nobody{number}").status_code == 401
    assert len(started) <= 1, started


def _redis_keys(url):
    with redis.Redis.from_url(url) as client:
        return client.keys("*")
