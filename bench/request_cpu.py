"""The CPU one request of each of the benchmark's endpoints costs the app
in process (Flask's test client: no HTTP server, no network but the
database's), as configured and with one part of the request path off, to
see what each part costs.

    DB_USER=root DB_PASSWORD= .venv/bin/python -m bench.request_cpu [--requests 300] [--rounds 5]

A throw-away database with the benchmark's seed (bench/workload.py),
dropped at the end. Variants take turns round by round; the least of the
rounds is printed, in microseconds of this process's CPU a request (on a
shared machine other work only ever adds to a round).
"""
import argparse
import time

from flask.json.provider import DefaultJSONProvider

from bench.load import NOTES, PROBLEM
from bench.ours import PASSWORD, bench_settings, drop_database, seed_catalog_and_users
from bench.workload import SAVED_NOTES, SAVED_PROBLEM, open_case_numbers, saved_cases, username
from fsr_coach import create_app
from fsr_coach.migrations import upgrade


def python_json(app):
    """Flask's own provider (Python's json) in place of the app's (orjson)."""
    app.json = DefaultJSONProvider(app)
    app.json.sort_keys = False


# name: (settings changed, what is done to the app)
VARIANTS = {
    "as configured": ({}, None),
    "Python's json": ({}, python_json),
    "no rate limiter": ({"RATELIMIT_ENABLED": False}, None),
    "no request log": ({"LOG_LEVEL": "WARNING"}, None),
    "with metrics": ({"METRICS_ENABLED": True}, None),
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    settings = bench_settings()
    try:
        upgrade(settings, echo=lambda _line: None)
        seed_catalog_and_users(settings)
        clients = {name: signed_in_client({**settings, **extra}, change)
                   for name, (extra, change) in VARIANTS.items()}
        times = {name: {kind: [] for kind in REQUESTS} for name in VARIANTS}
        for _ in range(args.rounds):
            for name, (client, token) in clients.items():
                for kind, send in REQUESTS.items():
                    times[name][kind].append(cpu_us(send, client, token, args.requests))
        print(f"{'':18}" + "".join(f"{kind:>12}" for kind in REQUESTS) + "   (us of CPU a request)")
        for name in VARIANTS:
            print(f"{name:18}" + "".join(f"{min(times[name][kind]):12.0f}"
                                         for kind in REQUESTS))
    finally:
        drop_database(settings)


def signed_in_client(settings, change):
    app = create_app(settings)
    if change:
        change(app)
    client = app.test_client()
    token = client.post("/api/auth/login", json={"username": username(0),
                                                 "password": PASSWORD}).get_json()["csrf_token"]
    answer = client.post("/api/cases/data", headers={"X-CSRF-Token": token}, json={"cases": [
        {"caseNumber": n, "problemStatement": SAVED_PROBLEM, "fsrNotes": SAVED_NOTES}
        for n in saved_cases(0)]})
    assert answer.status_code == 200, answer.text
    return client, token


MINE, ASKED = saved_cases(0), open_case_numbers()[100:120]


def get(client, _token):
    return client.get("/api/cases/data")


def put(client, token):
    put.count += 1
    return client.put(f"/api/cases/data/{MINE[put.count % len(MINE)]}",
                      headers={"X-CSRF-Token": token},
                      json={"problemStatement": PROBLEM, "fsrNotes": f"{NOTES} {put.count}"})


put.count = 0


def status(client, token):
    return client.post("/api/cases/status", headers={"X-CSRF-Token": token},
                       json={"case_numbers": ASKED})


REQUESTS = {"get": get, "put": put, "status": status}


def cpu_us(send, client, token, count):
    assert send(client, token).status_code == 200
    started = time.process_time()
    for _ in range(count):
        send(client, token)
    return 1e6 * (time.process_time() - started) / count


if __name__ == "__main__":
    main()
