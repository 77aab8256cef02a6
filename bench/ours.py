"""FSR Coach as the benchmark runs it: its settings, its seed (through the
app's own functions and API), its signed-in users and the batch save."""
import secrets
import statistics
import time

import mysql.connector
import requests

from bench.workload import (
    SAVED_NOTES,
    SAVED_PER_USER,
    SAVED_PROBLEM,
    USERS,
    all_cases,
    open_case_numbers,
    saved_cases,
    username,
)
from fsr_coach import create_app
from fsr_coach.auth import users
from fsr_coach.cases import catalog
from fsr_coach.config import defaults, load_settings
from fsr_coach.db import connect_args

PASSWORD = "bench-password"
SERVER_SETTINGS = ("DB_HOST", "DB_PORT", "DB_USER", "DB_PASSWORD")
BENCH_RATE_LIMIT = "1000000 per minute"


def bench_settings():
    """Every app setting at its default but the server's, on a new database."""
    found = load_settings(web=False)
    settings = defaults()
    settings.update({name: found[name] for name in SERVER_SETTINGS})
    settings.update(DB_NAME=f"fsr_coach_bench_{secrets.token_hex(4)}", APP_ENV="production",
                    SECRET_KEY=secrets.token_urlsafe(32), SESSION_COOKIE_SECURE=False)
    # Rate limits count every request as in production, but the benchmark's
    # 50 users from one address would run into the defaults.
    settings.update(RATELIMIT_LOGIN=BENCH_RATE_LIMIT, RATELIMIT_API=BENCH_RATE_LIMIT)
    return settings


def seed_catalog_and_users(settings):
    """The cases and the users, through the app's own functions."""
    app = create_app(settings)
    with app.app_context():
        catalog.add_missing_cases(all_cases())
        for n in range(USERS):
            users.create(username(n), PASSWORD)
    app.extensions["db"].close()


def sign_in(url):
    """[{user_id, cookie, token, http}] for every bench user."""
    sessions = []
    for n in range(USERS):
        http = requests.Session()
        answer = http.post(f"{url}/api/auth/login", timeout=30,
                           json={"username": username(n), "password": PASSWORD}).json()
        http.headers["X-CSRF-Token"] = answer["csrf_token"]
        sessions.append({"user_id": answer["user_id"], "http": http,
                         "cookie": f"fsr_session={http.cookies['fsr_session']}",
                         "token": answer["csrf_token"]})
    return sessions


def sign_in_and_save(url):
    """Sign every user in and save SAVED_PER_USER cases of ~2 KB for each."""
    sessions = sign_in(url)
    for n, session in enumerate(sessions):
        mine = saved_cases(n)
        answer = session["http"].post(f"{url}/api/cases/data", timeout=30, json={"cases": [
            {"caseNumber": number, "problemStatement": SAVED_PROBLEM, "fsrNotes": SAVED_NOTES}
            for number in mine]})
        assert answer.status_code == 200 and answer.json()["saved_count"] == SAVED_PER_USER, \
            answer.text
        session["cases"] = mine
    return sessions


def time_batches(url, session, runs=7, size=500):
    """Median, fastest and slowest wall time (ms) of a batch save of ``size`` cases."""
    numbers = open_case_numbers()[-size:]
    times = []
    for run_number in range(runs):
        body = {"cases": [{"caseNumber": number, "problemStatement": f"run {run_number} {number}",
                           "fsrNotes": f"batch notes {run_number} " * 5} for number in numbers]}
        started = time.perf_counter()
        answer = session["http"].post(f"{url}/api/cases/data", json=body, timeout=30)
        times.append(1000 * (time.perf_counter() - started))
        assert answer.json()["saved_count"] == size, answer.text
    return {"median_ms": statistics.median(times), "min_ms": min(times), "max_ms": max(times),
            "runs": runs}


def drop_database(settings):
    with mysql.connector.connect(**connect_args(settings, database=False)) as cnx:
        cnx.cursor().execute(f"DROP DATABASE IF EXISTS `{settings['DB_NAME']}`")
