"""Fixtures that own the database.

The run creates a database of its own (``<DB_NAME>_test_<random>``) on the
server the settings name, loads the schema once, empties the tables before
each test and drops the database at the end. Tests never see the
development database.
"""
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

import mysql.connector
import pytest
import redis
import requests
from flask.testing import FlaskClient
from playwright.sync_api import expect, sync_playwright
from werkzeug.security import generate_password_hash

from fsr_coach import create_app
from fsr_coach.config import defaults, load_settings
from fsr_coach.db import connect_args
from fsr_coach.logs import JsonFormatter
from fsr_coach.migrations import upgrade
from wire import CommandRelay

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / folder) for folder in ("scripts", "scripts/dev", "scripts/ops", "bench")]

PASSWORD = "correct horse battery"
# The catalog every test starts with.
OPEN_CASES = ["CASE-2024-001", "CASE-2024-003", "CASE-2024-004", "12345"]
CLOSED_CASES = ["CASE-2024-002", "67890"]
TABLES_CHILD_FIRST = ["case_team_events", "case_collaborators", "case_assignments",
                      "case_signoffs", "case_history", "user_cases", "cases", "users",
                      "login_attempts"]
SERVER_SETTINGS = ("DB_HOST", "DB_PORT", "DB_USER", "DB_PASSWORD")


# --- the database of the run ------------------------------------------------

@pytest.fixture(scope="session")
def db_settings():
    """Every setting at its default, but for the server to test on (from the
    environment or .env) and this run's own database, made with the schema.

    A developer's .env thus changes nothing in the tests but where they run.
    """
    found = load_settings(web=False)
    settings = defaults()
    settings.update({name: found[name] for name in SERVER_SETTINGS})
    settings["DB_NAME"] = f"{found['DB_NAME']}_test_{secrets.token_hex(4)}"
    upgrade(settings, echo=lambda _line: None)
    yield settings
    with mysql.connector.connect(**connect_args(settings, database=False)) as cnx:
        cnx.cursor().execute(f"DROP DATABASE `{settings['DB_NAME']}`")


@pytest.fixture
def counter(db_settings):
    """A relay to the database server that counts the commands sent through it
    (tests/wire.py); an app reaches it at DB_HOST 127.0.0.1, DB_PORT its port."""
    relay = CommandRelay(db_settings["DB_HOST"], db_settings["DB_PORT"])
    yield relay
    relay.close()


class Sql:
    """A plain connection to the test database, for checking with SQL."""

    def __init__(self, settings):
        self.connection = mysql.connector.connect(**connect_args(settings))

    def one(self, query, params=()):
        rows = self.all(query, params)
        return rows[0] if rows else None

    def all(self, query, params=()):
        cursor = self.connection.cursor(dictionary=True)
        cursor.execute(query, params)
        return cursor.fetchall() if cursor.with_rows else []

    def run(self, query, params=()):
        cursor = self.connection.cursor()
        cursor.execute(query, params)
        return cursor.rowcount


@pytest.fixture(scope="session")
def sql(db_settings):
    checker = Sql(db_settings)
    yield checker
    checker.connection.close()


@pytest.fixture(autouse=True)
def clean_tables(request, sql):
    """Every test that touches the database starts from the same catalog."""
    for table in TABLES_CHILD_FIRST:
        sql.run(f"DELETE FROM {table}")
    rows = [(n, True) for n in OPEN_CASES] + [(n, False) for n in CLOSED_CASES]
    for number, is_open in rows:
        sql.run("INSERT INTO cases (case_number, is_open, closed_at)"
                " VALUES (%s, %s, IF(%s, NULL, CURRENT_TIMESTAMP(6)))",
                (number, is_open, is_open))


# --- the app ------------------------------------------------------------------

class ApiClient(FlaskClient):
    """A test client that, once signed in, sends the CSRF header as the page does."""

    csrf_token = None

    def open(self, *args, **kwargs):
        if self.csrf_token:
            headers = dict(kwargs.pop("headers", None) or {})
            headers.setdefault("X-CSRF-Token", self.csrf_token)
            kwargs["headers"] = headers
        return super().open(*args, **kwargs)

    def login(self, username, password=PASSWORD):
        response = self.post("/api/auth/login",
                             json={"username": username, "password": password})
        self.csrf_token = response.json.get("csrf_token")
        return response


def error_json(response, status):
    """The JSON body of an error answer, after checking its status and type."""
    assert response.status_code == status, response.data[:500]
    assert response.mimetype == "application/json", response.headers
    return response.get_json()


# Tests sign in many times a minute from one address; test_limits.py checks
# the defaults (DEFAULT_RATE_LIMITS).
TEST_RATE_LIMITS = {"RATELIMIT_LOGIN": "10000 per minute",
                    "RATELIMIT_LOGIN_ADDRESS": "10000 per minute",
                    "RATELIMIT_API": "100000 per minute"}
DEFAULT_RATE_LIMITS = {name: defaults()[name] for name in TEST_RATE_LIMITS}


def app_settings(db_settings, **overrides):
    """create_app settings for the run's database."""
    return {**db_settings, "TESTING": True, "APP_ENV": "testing",
            "SECRET_KEY": "test-secret", "DB_POOL_SIZE": 4, **TEST_RATE_LIMITS, **overrides}


@pytest.fixture
def make_app(db_settings):
    """create_app(**overrides) for the run's database; pools closed after the test."""
    made = []

    def make(**overrides):
        app = create_app(app_settings(db_settings, **overrides))
        app.test_client_class = ApiClient
        made.append(app)
        return app

    yield make
    for app in made:
        app.extensions["db"].close()


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make_user(sql):
    """make_user(username, password=PASSWORD, ...): a local account.

    Written with SQL and a cheap (one-round) werkzeug hash: the app's scrypt
    would cost a fifth of a second per test. Logins check it for real.
    """
    def make(username, password=PASSWORD, display_name="", is_admin=False):
        sql.run("INSERT INTO users (username, display_name, password_hash, is_admin)"
                " VALUES (%s, %s, %s, %s)",
                (username, display_name or username,
                 generate_password_hash(password, method="pbkdf2:sha256:1"), is_admin))
        return username
    return make


def signed_in_client(app, username, password=PASSWORD):
    """A new client of ``app`` signed in as an existing user."""
    client = app.test_client()
    response = client.login(username, password)
    assert response.status_code == 200, response.json
    return client


@pytest.fixture
def sign_in(app, make_user):
    """sign_in(username): a new client signed in as a new user of that name."""
    def sign_in_as(username):
        return signed_in_client(app, make_user(username))
    return sign_in_as


@pytest.fixture
def alice(sign_in):
    return sign_in("alice")


@pytest.fixture
def bob(sign_in):
    return sign_in("bob")


@pytest.fixture
def cli(app):
    """cli(*args, input=None): run a `flask --app fsr_coach` command on the test app."""
    runner = app.test_cli_runner()

    def invoke(*args, input=None):
        return runner.invoke(args=list(args), input=input)
    return invoke


def logged(caplog, logger):
    """The lines ``logger`` wrote during the test, as the app writes them:
    each a JSON object."""
    return [json.loads(JsonFormatter().format(record))
            for record in caplog.records if record.name == logger]


# --- real servers -----------------------------------------------------------

def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Gunicorn:
    """gunicorn serving the app with the project's gunicorn.conf.py."""

    def __init__(self, env, tmp_path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**env, "BIND": f"127.0.0.1:{self.port}"}
        self.log_path = tmp_path / f"gunicorn-{self.port}.log"
        self.process = None

    def start(self, timeout=30):
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"],
                cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {self.log_path.read_text()}")
            try:
                requests.get(f"{self.url}/api/auth/me", timeout=1)
                return self
            # A worker still booting on a busy machine may not answer in time.
            except (requests.ConnectionError, requests.Timeout):
                time.sleep(0.1)
        raise RuntimeError(f"gunicorn did not answer: {self.log_path.read_text()}")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)

    def session(self, username, password=PASSWORD):
        """A requests.Session signed in as ``username``, sending the CSRF header."""
        http = requests.Session()
        response = http.post(f"{self.url}/api/auth/login",
                             json={"username": username, "password": password}, timeout=10)
        assert response.status_code == 200, response.text
        http.headers["X-CSRF-Token"] = response.json()["csrf_token"]
        return http


def app_environment(db_settings, **overrides):
    """os.environ for a process of the app (gunicorn, a script) on the run's
    database: every setting given, so that no .env fills anything in."""
    settings = {key: str(value) for key, value in
                app_settings(db_settings, **overrides).items() if key != "TESTING"}
    return {**os.environ, **settings}


@pytest.fixture
def gunicorn(db_settings, tmp_path):
    """gunicorn(**env): a started gunicorn on a free port, on the run's database."""
    servers = []

    def start(**env):
        # requests keeps Secure cookies for https: this is plain http.
        environment = app_environment(db_settings, **{"SESSION_COOKIE_SECURE": "false", **env})
        server = Gunicorn(environment, tmp_path).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


class RedisServer:
    """A private redis-server (Debian's; scripts/test.sh installs it) on a
    free port of 127.0.0.1, its files in ``directory``."""

    def __init__(self, directory):
        self.directory = directory
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        with open(self.directory / "redis.log", "ab") as log:
            self.process = subprocess.Popen(
                ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port),
                 "--dir", str(self.directory), "--save", "", "--appendonly", "no"],
                stdout=log, stderr=subprocess.STDOUT)
        with redis.Redis.from_url(self.url) as client:
            wait_until(lambda: self._answers(client))
        return self

    def _answers(self, client):
        assert self.process.poll() is None, (self.directory / "redis.log").read_text()
        try:
            return client.ping()
        except redis.ConnectionError:
            return False

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    """The run's private Redis; yields its URL."""
    server = RedisServer(tmp_path_factory.mktemp("redis")).start()
    yield server.url
    server.stop()


@pytest.fixture
def redis_url(redis_server):
    """The private Redis, emptied for this test."""
    with redis.Redis.from_url(redis_server) as client:
        client.flushdb()
    return redis_server


# --- the page in a real browser ---------------------------------------------

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # the tests run as root
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--no-first-run",
]
# Short, so that tests wait seconds, not minutes; the defaults are checked apart.
PAGE_SETTINGS = {"AUTOSAVE_SECONDS": "2", "CASE_STATUS_SECONDS": "2"}
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 812}


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by Playwright."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def page_server(db_settings, tmp_path_factory):
    """gunicorn serving the page for the browser tests, with short timings."""
    environment = app_environment(db_settings, SESSION_COOKIE_SECURE="false", **PAGE_SETTINGS)
    server = Gunicorn(environment, tmp_path_factory.mktemp("page-server")).start()
    yield server
    server.stop()


@pytest.fixture
def new_page(browser):
    """new_page(viewport=DESKTOP, touch=False): a page in a browser profile of
    its own (its own cookies and localStorage), as on another device; with
    ``touch``, one with a touch screen."""
    contexts = []

    def make(viewport=DESKTOP, touch=False):
        context = browser.new_context(viewport=viewport, has_touch=touch)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


def sign_in_on_page(page, url, username, password=PASSWORD, navigate=True):
    """Open the page at ``url`` (unless it is open) and sign in through its
    form, as a person does."""
    if navigate:
        page.goto(url)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="My cases")).to_be_visible()
    return page


def add_case_on_page(page, case_number):
    """Add a case with the page's form; it is then the selected case."""
    page.get_by_label("Case number").fill(case_number)
    page.get_by_role("button", name="Add case").click()
    expect(case_button(page, case_number)).to_have_attribute("aria-current", "true")


def case_button(page, case_number):
    return page.get_by_role("navigation").get_by_role("button", name=case_number, exact=True)


def wait_until(condition, timeout=10.0, interval=0.1):
    """Poll ``condition()`` until it returns something truthy; return that."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result or time.monotonic() > deadline:
            assert result, f"still false after {timeout} s: {condition}"
            return result
        time.sleep(interval)


# What the page's status line says.
SAVED_AT = re.compile(r"^Saved at \d\d:\d\d$")
OFFLINE = "Offline — kept on this device, retrying"
# The page's save of one case (PUT), for page.route.
SAVE_REQUEST = re.compile(r"/api/cases/data/[^/]+$")


def status(page):
    return page.get_by_role("status")


def save_now(page):
    """Click Save now and wait until the status line says it is saved."""
    page.get_by_role("button", name="Save now").click()
    expect(status(page)).to_have_text(SAVED_AT)


def expect_editor(page, problem, notes):
    expect(page.get_by_label("Problem statement")).to_have_value(problem)
    expect(page.get_by_label("FSR notes")).to_have_value(notes)


def write(page, problem, notes):
    """Type both texts into the editor of the selected case."""
    page.get_by_label("Problem statement").fill(problem)
    page.get_by_label("FSR notes").fill(notes)


def drafts_on_device(page):
    """The drafts in the page's localStorage, as {key: draft}."""
    return json.loads(page.evaluate("""() => JSON.stringify(Object.fromEntries(
        Object.keys(localStorage).filter((key) => key.startsWith("fsr-coach:draft:"))
            .map((key) => [key, JSON.parse(localStorage.getItem(key))])))"""))


def draft_key(sql, username, case_number):
    """The localStorage key of a user's draft for a case."""
    user_id = sql.one("SELECT id FROM users WHERE username = %s", (username,))["id"]
    return f"fsr-coach:draft:{user_id}:{case_number.upper()}"


def saved_texts(sql, username, case_number):
    """(problem_statement, fsr_notes) saved for a user's case, or None."""
    row = sql.one("SELECT uc.problem_statement, uc.fsr_notes FROM user_cases uc"
                  " JOIN users u ON u.id = uc.user_id"
                  " WHERE u.username = %s AND uc.case_number = %s", (username, case_number))
    return (row["problem_statement"], row["fsr_notes"]) if row else None


def listed_cases(page):
    """The cases in the page's list, as list items."""
    return page.get_by_role("navigation").get_by_role("listitem")


@pytest.fixture
def module_page(page, page_server):
    """A blank page of the app's origin, where a unit test imports one of the
    page's modules (``await import("/static/state.js")`` in page.evaluate)
    from the real server. Not the page itself: its main.js would start."""
    blank = f"{page_server.url}/unit-tests"
    page.route(blank, lambda route: route.fulfill(
        content_type="text/html", body="<!doctype html><title>Unit tests</title>"))
    page.goto(blank)
    return page
