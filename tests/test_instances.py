"""More than one machine (issue 6): two app instances (two gunicorns, two
workers each) on two ports, one database and one Redis. A session made on
one works on the other, and rate limits count requests to both."""
import pytest
import requests

from support.app import PASSWORD

CASE = "/api/cases/data/CASE-2024-001"


@pytest.fixture
def two_instances(gunicorn, redis_url):
    settings = {"RATELIMIT_STORAGE_URI": redis_url, "RATELIMIT_LOGIN": "4 per minute",
                "RATELIMIT_API": "6 per minute"}
    return gunicorn(**settings), gunicorn(**settings)


def test_a_session_made_on_one_instance_works_on_the_other(two_instances, make_user, sql):
    first, second = two_instances
    make_user("alice")
    http = first.session("alice")  # signed in on the first
    saved = http.put(f"{second.url}{CASE}", json={"fsrNotes": "saved on the second"},
                     timeout=10)
    assert saved.status_code == 200, saved.text
    read = http.get(f"{first.url}{CASE}", timeout=10)
    assert read.json()["data"]["fsrNotes"] == "saved on the second"
    # Signing out on the second ends the session on the first too.
    assert http.post(f"{second.url}/api/auth/logout", timeout=10).status_code == 200
    assert http.get(f"{first.url}/api/auth/me", timeout=10).status_code == 401
    assert sql.one("SELECT COUNT(*) AS n FROM user_cases")["n"] == 1


def test_api_calls_to_both_instances_count_towards_one_limit(two_instances, make_user):
    first, second = two_instances
    make_user("alice")
    http = first.session("alice")
    statuses = [http.get(f"{server.url}/api/cases/user-cases", timeout=10).status_code
                for server in (first, second) * 4]
    assert statuses == [200] * 6 + [429] * 2
    refused = http.get(f"{first.url}/api/cases/user-cases", timeout=10)
    assert refused.status_code == 429 and 1 <= int(refused.headers["Retry-After"]) <= 60


def test_sign_in_attempts_on_both_instances_count_towards_one_limit(two_instances, make_user):
    first, second = two_instances
    make_user("alice")
    statuses = [requests.post(f"{server.url}/api/auth/login",
                              json={"username": "alice", "password": "wrong"},
                              timeout=10).status_code
                for server in (first, second, first, second)]
    assert statuses == [401] * 4
    right_password = requests.post(f"{second.url}/api/auth/login",
                                   json={"username": "alice", "password": PASSWORD}, timeout=10)
    assert right_password.status_code == 429
