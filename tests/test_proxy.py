"""Behind a reverse proxy (issue 6, "Limits and sign-in behind a proxy";
issue 11, "Proxy mode"): which proxy headers the app believes (PROXY_HOPS),
HSTS over https, and sign-in by an authenticating proxy (AUTH_MODE=proxy)
from trusted peers only, IPv4-mapped ones included, with names in UTF-8 and
a repeated header refused, through the test client and through a real
gunicorn."""
import http.client
import ipaddress

import pytest
import requests

from fsr_coach.config import ConfigError
from fsr_coach.headers import STRICT_TRANSPORT_SECURITY
from fsr_coach.proxy import is_in_networks
from support.api import error_json
from support.app import app_environment
from support.servers import Gunicorn

ME = "/api/auth/me"
CASE = "/api/cases/data/CASE-2024-001"
HSTS = "Strict-Transport-Security"
NOT_AUTHENTICATED = {"error": "Not authenticated"}
PROXY_MODE = {"AUTH_MODE": "proxy", "TRUSTED_PROXIES": "10.0.0.0/8, 127.0.0.1/32"}
PROXY_PEER = "10.1.2.3"


def as_proxy(user, peer=PROXY_PEER, **headers):
    """Request arguments of a request the proxy at ``peer`` passes on for ``user``."""
    return {"headers": {"X-Forwarded-User": user, **headers},
            "environ_base": {"REMOTE_ADDR": peer}}


def login_attempt(client, username, **headers):
    return client.post("/api/auth/login", json={"username": username, "password": "x"},
                       headers=headers)


# --- PROXY_HOPS: client address and scheme -----------------------------------------

def test_hsts_is_sent_over_https_only(client):
    assert client.get("/", base_url="https://localhost").headers[HSTS] == STRICT_TRANSPORT_SECURITY
    assert HSTS not in client.get("/").headers


def test_without_proxy_hops_forwarded_headers_are_ignored(make_app):
    client = make_app(RATELIMIT_LOGIN_ADDRESS="1 per minute").test_client()
    response = client.get("/", headers={"X-Forwarded-Proto": "https"})
    assert HSTS not in response.headers
    # Two "clients" that only say they are: one address, one count.
    assert login_attempt(client, "nobody1", **{"X-Forwarded-For": "203.0.113.1"}).status_code == 401
    assert login_attempt(client, "nobody2", **{"X-Forwarded-For": "203.0.113.2"}).status_code == 429


def test_with_one_proxy_hop_the_proxy_tells_the_client_and_the_scheme(make_app):
    client = make_app(PROXY_HOPS=1, RATELIMIT_LOGIN_ADDRESS="1 per minute").test_client()
    response = client.get("/", headers={"X-Forwarded-Proto": "https"})
    assert response.headers[HSTS] == STRICT_TRANSPORT_SECURITY
    assert login_attempt(client, "nobody1", **{"X-Forwarded-For": "203.0.113.1"}).status_code == 401
    assert login_attempt(client, "nobody2", **{"X-Forwarded-For": "203.0.113.2"}).status_code == 401


def test_with_one_proxy_hop_a_client_cannot_choose_its_address(make_app):
    client = make_app(PROXY_HOPS=1, RATELIMIT_LOGIN_ADDRESS="1 per minute").test_client()
    # The proxy appends the address it saw; only that last entry counts.
    first = login_attempt(client, "nobody1", **{"X-Forwarded-For": "192.0.2.1, 198.51.100.9"})
    second = login_attempt(client, "nobody2", **{"X-Forwarded-For": "192.0.2.2, 198.51.100.9"})
    assert (first.status_code, second.status_code) == (401, 429)


# --- AUTH_MODE=proxy ------------------------------------------------------------------

@pytest.fixture
def proxy_app(make_app):
    return make_app(**PROXY_MODE)


def test_a_user_named_by_a_trusted_proxy_is_signed_in_and_created_on_first_sight(
        proxy_app, sql):
    client = proxy_app.test_client()
    response = client.get(ME, **as_proxy("carol"))
    assert response.status_code == 200, response.json
    row = sql.one("SELECT id, display_name, is_admin, is_active FROM users"
                  " WHERE username = 'carol'")
    assert response.json["user_id"] == str(row["id"])
    assert (row["display_name"], row["is_admin"], row["is_active"]) == ("carol", 0, 1)
    again = proxy_app.test_client().get(ME, **as_proxy("carol"))
    assert again.json["user_id"] == response.json["user_id"]
    assert sql.one("SELECT COUNT(*) AS n FROM users")["n"] == 1


def test_an_existing_account_is_the_one_the_proxy_names(proxy_app, make_user, sql):
    make_user("alice", display_name="Alice A.")
    response = proxy_app.test_client().get(ME, **as_proxy("alice"))
    assert response.json["display_name"] == "Alice A."
    assert sql.one("SELECT COUNT(*) AS n FROM users")["n"] == 1


def test_the_header_from_a_peer_outside_trusted_proxies_is_ignored(proxy_app, sql):
    client = proxy_app.test_client()
    response = client.get(ME, **as_proxy("carol", peer="203.0.113.5"))
    assert error_json(response, 401) == NOT_AUTHENTICATED
    assert sql.all("SELECT * FROM users") == []


def test_a_forwarded_for_naming_a_trusted_proxy_does_not_make_a_peer_trusted(make_app, sql):
    client = make_app(PROXY_HOPS=1, **PROXY_MODE).test_client()
    response = client.get(ME, **as_proxy("carol", peer="203.0.113.5",
                                         **{"X-Forwarded-For": "10.9.9.9"}))
    assert error_json(response, 401) == NOT_AUTHENTICATED
    assert sql.all("SELECT * FROM users") == []


@pytest.mark.parametrize("headers", [{}, {"X-Forwarded-User": ""},
                                     {"X-Forwarded-User": "x" * 101},
                                     {"X-Forwarded-User": "bad\tname"}])
def test_a_trusted_peer_without_a_usable_user_is_401(proxy_app, sql, headers):
    response = proxy_app.test_client().get(ME, headers=headers,
                                           environ_base={"REMOTE_ADDR": PROXY_PEER})
    assert error_json(response, 401) == NOT_AUTHENTICATED
    assert sql.all("SELECT * FROM users") == []


def test_a_session_cookie_alone_does_not_sign_in_behind_the_proxy(proxy_app):
    client = proxy_app.test_client()
    assert client.get(ME, **as_proxy("carol")).status_code == 200
    response = client.get(ME, environ_base={"REMOTE_ADDR": PROXY_PEER})
    assert error_json(response, 401) == NOT_AUTHENTICATED


def test_saving_needs_the_csrf_token_that_me_gave(proxy_app, sql):
    client = proxy_app.test_client()
    token = client.get(ME, **as_proxy("carol")).json["csrf_token"]
    refused = client.put(CASE, json={"fsrNotes": "no token"}, **as_proxy("carol"))
    assert error_json(refused, 403)
    saved = client.put(CASE, json={"fsrNotes": "with token"},
                       **as_proxy("carol", **{"X-CSRF-Token": token}))
    assert saved.status_code == 200, saved.json
    assert sql.all("SELECT u.username, uc.fsr_notes FROM user_cases uc"
                   " JOIN users u ON u.id = uc.user_id") == [
        {"username": "carol", "fsr_notes": "with token"}]


def test_a_csrf_token_of_another_proxy_user_is_refused(proxy_app, sql):
    client = proxy_app.test_client()
    carols = client.get(ME, **as_proxy("carol")).json["csrf_token"]
    # The same browser, now signed in at the proxy as dave.
    refused = client.put(CASE, json={"fsrNotes": "x"},
                         **as_proxy("dave", **{"X-CSRF-Token": carols}))
    assert error_json(refused, 403)
    assert sql.all("SELECT * FROM user_cases") == []
    daves = client.get(ME, **as_proxy("dave")).json["csrf_token"]
    assert daves != carols
    saved = client.put(CASE, json={"fsrNotes": "x"}, **as_proxy("dave", **{"X-CSRF-Token": daves}))
    assert saved.status_code == 200


def test_a_disabled_account_is_refused_behind_the_proxy(proxy_app, make_user, cli):
    make_user("alice")
    assert cli("users", "disable", "alice").exit_code == 0
    response = proxy_app.test_client().get(ME, **as_proxy("alice"))
    assert error_json(response, 401) == NOT_AUTHENTICATED


def test_sign_out_ends_the_csrf_token_and_me_gives_a_new_one(proxy_app):
    client = proxy_app.test_client()
    token = client.get(ME, **as_proxy("carol")).json["csrf_token"]
    assert client.post("/api/auth/logout", **as_proxy("carol", **{"X-CSRF-Token": token})).json == {
        "success": True}
    stale = client.put(CASE, json={"fsrNotes": "x"}, **as_proxy("carol", **{"X-CSRF-Token": token}))
    assert error_json(stale, 403)
    assert client.get(ME, **as_proxy("carol")).json["csrf_token"] != token


def test_password_sign_in_is_refused_behind_the_proxy(proxy_app, make_user):
    make_user("alice")
    response = proxy_app.test_client().post(
        "/api/auth/login", json={"username": "alice", "password": "correct horse battery"},
        environ_base={"REMOTE_ADDR": PROXY_PEER})
    assert error_json(response, 403) == {"error": "Sign-in is done by the authenticating proxy"}


def test_the_header_name_is_a_setting(make_app):
    client = make_app(AUTH_PROXY_HEADER="X-Auth-Request-User", **PROXY_MODE).test_client()
    assert client.get(ME, **as_proxy("carol")).status_code == 401
    response = client.get(ME, headers={"X-Auth-Request-User": "carol"},
                          environ_base={"REMOTE_ADDR": PROXY_PEER})
    assert response.status_code == 200


def test_an_ipv4_mapped_peer_is_trusted_as_its_ipv4_address(proxy_app):
    response = proxy_app.test_client().get(ME, **as_proxy("carol", peer="::ffff:10.1.2.3"))
    assert response.status_code == 200, response.json


def test_a_header_that_is_not_utf8_names_nobody(proxy_app, sql):
    # What WSGI hands over for the latin-1 byte of "José": \xe9 alone.
    response = proxy_app.test_client().get(ME, **as_proxy("Jos\xe9"))
    assert error_json(response, 401) == NOT_AUTHENTICATED
    assert sql.all("SELECT * FROM users") == []


def test_a_header_sent_twice_names_nobody(proxy_app, sql):
    response = proxy_app.test_client().get(
        ME, headers=[("X-Forwarded-User", "bob"), ("X-Forwarded-User", "alice")],
        environ_base={"REMOTE_ADDR": PROXY_PEER})
    assert error_json(response, 401) == NOT_AUTHENTICATED
    assert sql.all("SELECT * FROM users") == []


@pytest.mark.parametrize("address, expected", [
    ("10.1.2.3", True),
    ("::ffff:10.1.2.3", True),
    ("::ffff:192.0.2.1", False),
    ("2001:db8::1", True),
    ("2001:db9::1", False),
    ("", False),
    ("not an address", False),
])
def test_an_address_is_in_its_networks_as_itself_or_the_ipv4_it_maps(address, expected):
    networks = [ipaddress.ip_network("10.0.0.0/8"), ipaddress.ip_network("2001:db8::/32")]
    assert is_in_networks(address, networks) is expected


@pytest.mark.parametrize("settings, message", [
    ({"AUTH_MODE": "proxy"}, "TRUSTED_PROXIES"),
    ({"AUTH_MODE": "proxy", "TRUSTED_PROXIES": "10.0.0.0/33"}, "TRUSTED_PROXIES"),
    ({"TRUSTED_PROXIES": "proxy.example"}, "TRUSTED_PROXIES"),
    ({"AUTH_MODE": "header"}, "AUTH_MODE"),
    ({"AUTH_PROXY_HEADER": "X Forwarded User"}, "AUTH_PROXY_HEADER"),
    ({"PROXY_HOPS": -1}, "PROXY_HOPS"),
])
def test_bad_proxy_settings_stop_the_app_from_starting(make_app, settings, message):
    with pytest.raises(ConfigError, match=message):
        make_app(**settings)


# --- through a real gunicorn on 127.0.0.1 -------------------------------------------------

def test_gunicorn_with_127_0_0_1_trusted_takes_the_user_from_the_header(gunicorn, sql):
    server = gunicorn(AUTH_MODE="proxy", TRUSTED_PROXIES="127.0.0.1/32", WEB_CONCURRENCY="1")
    http = requests.Session()
    http.headers["X-Forwarded-User"] = "carol"
    me = http.get(f"{server.url}{ME}", timeout=10)
    assert me.status_code == 200, me.text
    saved = http.put(f"{server.url}{CASE}", json={"fsrNotes": "from behind the proxy"},
                     headers={"X-CSRF-Token": me.json()["csrf_token"]}, timeout=10)
    assert saved.status_code == 200, saved.text
    assert sql.one("SELECT u.username FROM user_cases uc JOIN users u ON u.id = uc.user_id"
                   " WHERE uc.fsr_notes = 'from behind the proxy'") == {"username": "carol"}
    without = requests.get(f"{server.url}{ME}", timeout=10)
    assert without.status_code == 401 and without.json() == NOT_AUTHENTICATED


def test_gunicorn_with_127_0_0_1_not_trusted_ignores_the_header(gunicorn, sql):
    server = gunicorn(AUTH_MODE="proxy", TRUSTED_PROXIES="10.0.0.0/8", WEB_CONCURRENCY="1")
    response = requests.get(f"{server.url}{ME}", headers={"X-Forwarded-User": "carol"},
                            timeout=10)
    assert response.status_code == 401 and response.json() == NOT_AUTHENTICATED
    assert sql.all("SELECT * FROM users") == []


@pytest.mark.parametrize("hops, hsts", [("0", False), ("1", True)])
def test_gunicorn_believes_x_forwarded_proto_only_with_proxy_hops(gunicorn, hops, hsts):
    server = gunicorn(PROXY_HOPS=hops, WEB_CONCURRENCY="1")
    response = requests.get(f"{server.url}/", headers={"X-Forwarded-Proto": "https"},
                            timeout=10)
    assert response.status_code == 200
    assert (HSTS in response.headers) is hsts


# --- through a real gunicorn on a dual-stack socket --------------------------------------

@pytest.fixture(scope="module")
def dual_stack(db_settings, tmp_path_factory):
    """gunicorn bound to [::], where a client of 127.0.0.1 is seen as
    ::ffff:127.0.0.1; the app trusts 127.0.0.1/32 as its proxy and shows it
    /metrics."""
    environment = app_environment(
        db_settings, AUTH_MODE="proxy", TRUSTED_PROXIES="127.0.0.1/32", METRICS_ENABLED="true",
        METRICS_ALLOW="127.0.0.1/32", WEB_CONCURRENCY="1", SESSION_COOKIE_SECURE="false")
    server = Gunicorn(environment, tmp_path_factory.mktemp("dual-stack"))
    server.env["BIND"] = f"[::]:{server.port}"
    server.start()
    yield server
    server.stop()


def test_a_proxy_seen_as_ipv4_mapped_is_trusted(dual_stack):
    response = requests.get(f"{dual_stack.url}{ME}", headers={"X-Forwarded-User": "carol"},
                            timeout=10)
    assert response.status_code == 200, response.text
    # The request's log line names the peer as gunicorn saw it.
    assert '"client": "::ffff:127.0.0.1"' in dual_stack.log_path.read_text()


@pytest.mark.parametrize("name", ["Иван", "Łukasz", "Émile", "José"])
def test_a_name_in_utf8_signs_in_as_itself(dual_stack, sql, name):
    # As oauth2-proxy sends it: the name's UTF-8 bytes.
    response = requests.get(f"{dual_stack.url}{ME}",
                            headers={"X-Forwarded-User": name.encode()}, timeout=10)
    assert response.status_code == 200, response.text
    assert response.json()["display_name"] == name
    assert sql.all("SELECT username FROM users") == [{"username": name}]


def test_a_header_sent_twice_through_gunicorn_is_401(dual_stack, sql):
    connection = http.client.HTTPConnection("127.0.0.1", dual_stack.port, timeout=10)
    connection.putrequest("GET", ME)
    connection.putheader("X-Forwarded-User", "bob")
    connection.putheader("X-Forwarded-User", "alice")
    connection.endheaders()
    response = connection.getresponse()
    assert response.status == 401
    assert sql.all("SELECT * FROM users") == []


def test_metrics_answer_a_client_seen_as_ipv4_mapped(dual_stack):
    response = requests.get(f"{dual_stack.url}/metrics", timeout=10)
    assert response.status_code == 200
    assert "fsr_http_requests_total" in response.text
