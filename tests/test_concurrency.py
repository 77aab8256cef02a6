"""Many concurrent requests over real HTTP against a small pool: the checkout
waits for a free connection instead of failing (the connector's own pool
raises "pool exhausted" at once)."""
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from requests.adapters import HTTPAdapter

ROUNDS = 3


# --- helpers ----------------------------------------------------------------

def load_cases(sql, count):
    """``count`` more open cases, one per PUT, so that every save has its own row."""
    numbers = [f"LOAD-{n:04d}" for n in range(count)]
    sql.run("INSERT INTO cases (case_number) VALUES "
            + ", ".join(["(%s)"] * count), numbers)
    return numbers


def text_for(case_number):
    return f"notes for {case_number} \u2713"


def fire_together(server, http, requests_):
    """Send ``requests_`` [(method, path, json)] all at once; return the statuses."""
    barrier = threading.Barrier(len(requests_))

    def send(item):
        method, path, body = item
        barrier.wait(timeout=30)
        response = http.request(method, server.url + path, json=body, timeout=60)
        return response.status_code

    with ThreadPoolExecutor(max_workers=len(requests_)) as pool:
        return list(pool.map(send, requests_))


def mixed_requests(case_numbers):
    """Half GET /api/cases/data, half PUTs (one per case number)."""
    gets = [("GET", "/api/cases/data", None)] * len(case_numbers)
    puts = [("PUT", f"/api/cases/data/{n}", {"fsrNotes": text_for(n)}) for n in case_numbers]
    return [item for pair in zip(gets, puts, strict=True) for item in pair]


def run_rounds(server, http, sql, concurrent):
    """ROUNDS rounds of ``concurrent`` requests at once; return (statuses, cases put)."""
    case_numbers = load_cases(sql, ROUNDS * concurrent // 2)
    statuses = []
    per_round = concurrent // 2
    for r in range(ROUNDS):
        batch = case_numbers[r * per_round:(r + 1) * per_round]
        statuses += fire_together(server, http, mixed_requests(batch))
    return statuses, case_numbers


@pytest.fixture
def signed_in(make_user):
    """signed_in(server): a requests.Session signed in as a new user, with
    enough kept-alive connections for every thread."""
    def sign_in(server):
        make_user("alice")
        http = server.session("alice")
        http.mount("http://", HTTPAdapter(pool_connections=1, pool_maxsize=64))
        return http
    return sign_in


def stored_notes(sql):
    return {row["case_number"]: row["fsr_notes"] for row in
            sql.all("SELECT case_number, fsr_notes FROM user_cases")}


# --- tests --------------------------------------------------------------------

def test_pool_of_2_answers_32_concurrent_requests_all_200(gunicorn, signed_in, sql):
    server = gunicorn(DB_POOL_SIZE=2, WEB_CONCURRENCY=1, GUNICORN_THREADS=32)
    statuses, _ = run_rounds(server, signed_in(server), sql, concurrent=32)
    assert len(statuses) == ROUNDS * 32
    assert set(statuses) == {200}, sorted(statuses)


def test_pool_of_2_under_32_concurrent_requests_stores_every_put(gunicorn, signed_in, sql):
    server = gunicorn(DB_POOL_SIZE=2, WEB_CONCURRENCY=1, GUNICORN_THREADS=32)
    _, case_numbers = run_rounds(server, signed_in(server), sql, concurrent=32)
    assert stored_notes(sql) == {n: text_for(n) for n in case_numbers}


def test_pool_of_5_answers_64_concurrent_requests_all_200(gunicorn, signed_in, sql):
    server = gunicorn(DB_POOL_SIZE=5, WEB_CONCURRENCY=1, GUNICORN_THREADS=64)
    statuses, case_numbers = run_rounds(server, signed_in(server), sql, concurrent=64)
    assert len(statuses) == ROUNDS * 64
    assert set(statuses) == {200}, sorted(statuses)
    assert stored_notes(sql) == {n: text_for(n) for n in case_numbers}
