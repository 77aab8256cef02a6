"""Fixtures every test may use: the run's database, the app, users, signed-in
clients, gunicorn and Redis (helpers: support/; the browser's: page/conftest.py).

Marks come from the fixtures a test uses, so nobody has to remember them:
``server`` (the database, Redis), ``browser`` (Chromium). docs/testing.md.
"""
import pytest
import redis
from werkzeug.security import generate_password_hash

from fsr_coach import create_app
from support.api import ApiClient, signed_in_client
from support.app import PASSWORD, app_environment, app_settings
from support.servers import Gunicorn, RedisServer
from support.sql import Sql, create_run_database, drop_run_database, reset_catalog
from support.wire import CommandRelay

SERVER_FIXTURES = {"db_settings", "redis_server"}


def pytest_collection_modifyitems(items):
    for item in items:
        if SERVER_FIXTURES.intersection(item.fixturenames):
            item.add_marker(pytest.mark.server)
        if "browser" in item.fixturenames:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def db_settings():
    """The settings of the run's own database (support/sql.py), dropped at the end."""
    settings = create_run_database()
    yield settings
    drop_run_database(settings)


@pytest.fixture(scope="session")
def sql(db_settings):
    """A plain connection to the run's database, for checking with SQL."""
    checker = Sql(db_settings)
    yield checker
    checker.connection.close()


@pytest.fixture(autouse=True)
def clean_tables(request):
    """Every test that uses the database starts from the same catalog; one
    that does not never connects."""
    if "db_settings" in request.fixturenames:
        reset_catalog(request.getfixturevalue("sql"))


@pytest.fixture
def counter(db_settings):
    """A relay to the database server that counts the commands sent through it
    (support/wire.py); an app reaches it at DB_HOST 127.0.0.1, DB_PORT its port."""
    relay = CommandRelay(db_settings["DB_HOST"], db_settings["DB_PORT"])
    yield relay
    relay.close()


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
    """make_user(username, password=PASSWORD, ...): a local account, written
    with SQL and a cheap (one-round) werkzeug hash: the app's scrypt would
    cost a fifth of a second per test. Logins check it for real."""
    def make(username, password=PASSWORD, display_name="", is_admin=False):
        sql.run("INSERT INTO users (username, display_name, password_hash, is_admin)"
                " VALUES (%s, %s, %s, %s)",
                (username, display_name or username,
                 generate_password_hash(password, method="pbkdf2:sha256:1"), is_admin))
        return username
    return make


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


@pytest.fixture
def gunicorn(db_settings, tmp_path):
    """gunicorn(**env): a started gunicorn on a free port, on the run's database,
    with one worker unless ``env`` asks for more (WEB_CONCURRENCY): each one
    more costs a second of CPU to boot and seconds to stop (decision 012)."""
    servers = []

    def start(**env):
        # requests keeps Secure cookies for https: this is plain http.
        environment = app_environment(db_settings, **{
            "SESSION_COOKIE_SECURE": "false", "WEB_CONCURRENCY": "1", **env})
        server = Gunicorn(environment, tmp_path).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


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
