"""No answer of the API is kept by a browser or a cache (issue 11, ASVS
8.2.1): every /api/ answer, success or error, says Cache-Control: no-store,
and so do the health checks."""
import pytest

from support.servers import free_port


def assert_no_store(response):
    assert response.headers.get("Cache-Control") == "no-store", (
        response.status_code, dict(response.headers))


def api_routes(app):
    """(method, path) of every /api/ route, with a case number where one is due."""
    return sorted((method, rule.rule.replace("<case_number>", "CASE-2024-001"))
                  for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/")
                  for method in rule.methods - {"HEAD", "OPTIONS"})


def test_every_api_route_answers_no_store_signed_in(app, alice):
    alice.put("/api/cases/data/CASE-2024-001", json={"fsrNotes": "n"})
    for method, path in api_routes(app):
        if path != "/api/auth/logout":
            assert_no_store(alice.open(path, method=method, json={}))


def test_every_api_route_answers_no_store_signed_out(app, client):
    for method, path in api_routes(app):
        assert_no_store(client.open(path, method=method, json={}))


@pytest.mark.parametrize("method,path,status", [
    ("GET", "/api/nothing-here", 404),
    ("DELETE", "/api/cases/status", 405),
    ("PUT", "/api/cases/data/-bad-", 400),
    ("PUT", "/api/cases/data/CASE-2024-002", 400),
])
def test_api_errors_answer_no_store(alice, method, path, status):
    response = alice.open(path, method=method, json={"fsrNotes": "n"})
    assert response.status_code == status
    assert_no_store(response)


def test_a_503_answers_no_store(alice, make_app):
    stranded = make_app(DB_PORT=free_port(), DB_CONNECT_TIMEOUT=1).test_client()
    stranded.set_cookie("fsr_session", alice.get_cookie("fsr_session").value)
    response = stranded.get("/api/cases/data")
    assert response.status_code == 503
    assert_no_store(response)


def test_a_429_answers_no_store(make_app, make_user):
    make_user("alice")
    client = make_app(RATELIMIT_LOGIN="1 per minute").test_client()
    client.login("alice")
    response = client.login("alice")
    assert response.status_code == 429
    assert_no_store(response)


@pytest.mark.parametrize("path", ["/healthz", "/readyz", "/nowhere"])
def test_health_checks_and_unknown_paths_answer_no_store(client, path):
    assert_no_store(client.get(path))
