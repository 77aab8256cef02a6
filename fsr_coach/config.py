"""Settings: safe defaults, then the environment (and .env), then a test dict.

This is the one place that reads settings; everything else asks
``current_app.config``.
"""
import ipaddress
import os
import re
import secrets
from typing import Callable, NamedTuple
from urllib.parse import urlsplit

from dotenv import load_dotenv
from limits import parse_many


class ConfigError(Exception):
    """A setting is missing or malformed; the app refuses to start."""


def _bool(text):
    value = text.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"expected true or false, got {text!r}")


class Setting(NamedTuple):
    """One setting: how its text is read, its default, and what it does (the
    one description of it: .env.example and docs/settings.md are generated
    from these tables by ``python -m fsr_coach.settings_cli write``)."""
    kind: Callable[[str], object]
    default: object
    description: str


# The app's settings. The environment overrides these, the test dict overrides both.
SETTINGS = {
    "APP_ENV": Setting(str, "production", "development, production or testing. Production "
                       "refuses to start without SECRET_KEY."),
    "SECRET_KEY": Setting(str, "", "Signs the session cookies: long and random, the same on "
                          "every instance. Outside production a missing one is made up per "
                          "process, so sessions end when it restarts."),
    "DB_HOST": Setting(str, "127.0.0.1", "The MySQL-compatible database server (MySQL 8.0/8.4, "
                       "MariaDB 10.6+)."),
    "DB_PORT": Setting(int, 3306, "The database server's port."),
    "DB_NAME": Setting(str, "fsr_coach", "The database the app's tables live in: letters, "
                       "digits and _."),
    "DB_USER": Setting(str, "fsr_coach", "The app's database account: rows only (SELECT, "
                       "INSERT, UPDATE, DELETE; schema/accounts.sql)."),
    "DB_PASSWORD": Setting(str, "", "DB_USER's password."),
    "DB_POOL_SIZE": Setting(int, 10, "Connections per process (gunicorn worker), 1 to 32, opened "
                            "as requests need them."),
    "DB_POOL_TIMEOUT": Setting(float, 5.0, "Seconds a request waits for a free connection "
                               "before it gets a 503."),
    "DB_CONNECT_TIMEOUT": Setting(int, 5, "Seconds to wait for the server when (re)connecting."),
    "MAX_TEXT_CHARS": Setting(int, 100_000, "The longest problem statement or FSR notes, in "
                              "characters (at most 1,000,000)."),
    "MAX_CONTENT_LENGTH": Setting(int, 16 * 1024 * 1024, "The largest request body, in bytes "
                                  "(16 MiB); a larger one is a 413."),
    "SESSION_COOKIE_SECURE": Setting(_bool, True, "Session cookies go over https only; false "
                                     "only for plain-http development on 127.0.0.1."),
    "SESSION_LIFETIME_HOURS": Setting(float, 12.0, "How long a sign-in lasts from signing in, "
                                      "in hours."),
    "LOG_LEVEL": Setting(str, "INFO", "DEBUG, INFO, WARNING or ERROR."),
    "AUTOSAVE_SECONDS": Setting(float, 30.0, "The page saves unsaved text this often."),
    "CASE_STATUS_SECONDS": Setting(float, 300.0, "The page checks this often that the user's "
                                   "cases are still open."),
    "DEMO_PASSWORD": Setting(str, "", "Development only: the demo account's password "
                             "(scripts/seed.py makes the account when it is set)."),
    "RATELIMIT_LOGIN": Setting(str, "10 per minute", "Sign-in attempts per account name, "
                               "whether an account has it or not, as one \"N per "
                               "second|minute|hour|day\"; more is a 429. Counted in the "
                               "database, for every worker and instance."),
    "RATELIMIT_LOGIN_ADDRESS": Setting(str, "100 per minute", "Sign-in attempts per client "
                                       "address, written the same way (several: "
                                       "\"100/minute;1000/hour\"); counted in "
                                       "RATELIMIT_STORAGE_URI."),
    "RATELIMIT_API": Setting(str, "600 per minute", "API calls per signed-in user, written "
                             "as RATELIMIT_LOGIN_ADDRESS; counted in RATELIMIT_STORAGE_URI."),
    "RATELIMIT_STORAGE_URI": Setting(str, "memory://", "Where the address and API limits' "
                                     "counts live: memory:// in each process; with several "
                                     "workers or instances one Redis for all of them, "
                                     "redis://[:PASSWORD@]HOST:PORT/DB."),
    "PROXY_HOPS": Setting(int, 0, "How many reverse proxies stand in front of the app. 0: "
                          "X-Forwarded-For and X-Forwarded-Proto are ignored (anyone could "
                          "send them); 1 behind one nginx: the client's address and https "
                          "come from them."),
    "AUTH_MODE": Setting(str, "local", "local: sign-in with username and password. proxy: an "
                         "authenticating proxy (oauth2-proxy, nginx auth_request) names the "
                         "user in AUTH_PROXY_HEADER, and a name seen for the first time gets "
                         "an account."),
    "AUTH_PROXY_HEADER": Setting(str, "X-Forwarded-User", "proxy mode: the header naming the "
                                 "user."),
    "TRUSTED_PROXIES": Setting(str, "", "proxy mode (required then): the addresses or CIDR "
                               "networks, comma-separated (e.g. 127.0.0.1/32,10.0.0.0/24), "
                               "that header is believed from; from anywhere else the API "
                               "answers 401."),
    "CASE_SYNC_URL": Setting(str, "", "flask cases sync: the case management system's http(s) "
                             "URL, answering GET with [{\"case_number\": \"...\", "
                             "\"is_open\": true}, ...]."),
    "CASE_SYNC_TOKEN": Setting(str, "", "The bearer token CASE_SYNC_URL wants, if any."),
    "CASE_SYNC_TIMEOUT": Setting(float, 30.0, "flask cases sync: seconds to wait for the "
                                 "connection and for each read."),
    "CASE_SYNC_RETRIES": Setting(int, 3, "flask cases sync: tries again (0 to 10 times) after a failed "
                                 "connection, a timeout, a broken-off answer, a 5xx or a 429."),
    "CASE_SYNC_RETRY_SECONDS": Setting(float, 2.0, "flask cases sync: seconds before the first retry; each next "
                                       "wait doubles."),
    "MIGRATE_DB_USER": Setting(str, "", "The migration account (DDL; schema/accounts.sql): "
                               "the schema loader, flask db upgrade, backup.sh and restore.sh "
                               "log in with it when it is set, else with DB_USER. The app "
                               "itself always uses DB_USER."),
    "MIGRATE_DB_PASSWORD": Setting(str, "", "MIGRATE_DB_USER's password."),
    "METRICS_ENABLED": Setting(_bool, False, "Serve Prometheus metrics on /metrics."),
    "METRICS_ALLOW": Setting(str, "127.0.0.1/32,::1/128", "The client networks (CIDR, "
                             "comma-separated) /metrics answers; others get a 403."),
    "PROMETHEUS_MULTIPROC_DIR": Setting(str, "", "A directory of this instance's own in which "
                                        "gunicorn's workers share their counts "
                                        "(prometheus-client's multiprocess mode); needed for "
                                        "/metrics with more than one worker (emptied at "
                                        "every start)."),
    "COACH_RUBRIC": Setting(str, "", "The coach's rubric: a YAML file that replaces the "
                            "default one (fsr_coach/coach/default_rubric.yaml) or, saying "
                            "extends: default, amends it (docs/coach.md). Empty: the "
                            "default. One that does not load stops the app at start-up."),
}

# Read by the tools around the app, never by the app: gunicorn.conf.py, the
# development set-up and the tests. A default of None is worked out at run time.
TOOL_SETTINGS = {
    "BIND": Setting(str, "127.0.0.1:8000", "gunicorn: the address to listen on. "
                    "./scripts/run.sh takes the next free port when another checkout's "
                    "server holds this one."),
    "WEB_CONCURRENCY": Setting(int, None, "gunicorn: worker processes; by default one more "
                               "than the cores (docs/operations.md: sizing)."),
    "GUNICORN_THREADS": Setting(int, 1, "gunicorn: threads per worker; 1 runs sync workers, "
                                "more runs threaded ones (keep DB_POOL_SIZE at least as "
                                "large then)."),
    "GUNICORN_TIMEOUT": Setting(int, 30, "gunicorn: seconds a worker may spend on one request "
                                "before it is restarted."),
    "DB_ADMIN_USER": Setting(str, "root", "Development and tests only: an administrator's "
                             "login with which scripts/dev/ensure_database.py makes DB_USER "
                             "when it cannot log in (else root over the local server's unix "
                             "socket), and compose's accounts service makes both accounts."),
    "DB_ADMIN_PASSWORD": Setting(str, "", "DB_ADMIN_USER's password."),
    "PRIVATE_DB_DIR": Setting(str, "var/mysql", "Development: where scripts/dev/"
                              "ensure_database.py keeps a private MariaDB when nothing answers "
                              "on a local DB_HOST:DB_PORT (relative to the checkout)."),
    "CHROMIUM": Setting(str, "/usr/bin/chromium", "The tests and scripts/dev/screenshots.py: "
                        "the Chromium that Playwright drives (Debian's; Playwright's own "
                        "download is never used)."),
}

ENVIRONMENTS = ("development", "production", "testing")
AUTH_MODES = ("local", "proxy")
# A process never runs more requests at once than it has threads; more
# connections than this would only idle on the server.
MAX_POOL_SIZE = 32
# Two texts of this many 4-byte characters still fit in one 16 MB packet
# (MariaDB's default max_allowed_packet) and in a MEDIUMTEXT column.
MAX_TEXT_CHARS_LIMIT = 1_000_000


def load_settings(test_config=None, web=True):
    """Return the settings as a dict, validated; raise ConfigError if unusable.

    ``web=False`` is for tools that never sign a session (the schema loader),
    which therefore need no SECRET_KEY.
    """
    settings = _from_environment(SETTINGS)
    settings.update(test_config or {})
    _validate(settings, web)
    return settings


def load_tool_settings():
    """TOOL_SETTINGS as a dict, read like the app's: the environment, then .env."""
    return _from_environment(TOOL_SETTINGS)


def defaults():
    """Every app setting at its default: what the environment would not change."""
    return {name: setting.default for name, setting in SETTINGS.items()}


def _from_environment(table):
    load_dotenv(override=False)
    return {name: _parse(name, setting) for name, setting in table.items()}


def _parse(name, setting):
    text = os.environ.get(name)
    if text is None or text == "":
        return setting.default
    try:
        return setting.kind(text)
    except ValueError as err:
        raise ConfigError(f"{name}: {err}") from None


def _validate(settings, web):
    if settings["APP_ENV"] not in ENVIRONMENTS:
        raise ConfigError(f"APP_ENV must be one of {', '.join(ENVIRONMENTS)}")
    if web and not settings["SECRET_KEY"]:
        if settings["APP_ENV"] == "production":
            raise ConfigError("SECRET_KEY is required outside development")
        # Sessions then last as long as this process: fine for development.
        settings["SECRET_KEY"] = secrets.token_urlsafe(32)
    if not re.fullmatch(r"[A-Za-z0-9_]{1,64}", settings["DB_NAME"]):
        raise ConfigError("DB_NAME may hold only letters, digits and _")
    if not 1 <= settings["DB_POOL_SIZE"] <= MAX_POOL_SIZE:
        raise ConfigError(f"DB_POOL_SIZE must be between 1 and {MAX_POOL_SIZE}")
    if settings["MAX_TEXT_CHARS"] > MAX_TEXT_CHARS_LIMIT:
        raise ConfigError(f"MAX_TEXT_CHARS must be at most {MAX_TEXT_CHARS_LIMIT}")
    networks("METRICS_ALLOW", settings["METRICS_ALLOW"])
    for name in ("DB_POOL_TIMEOUT", "DB_CONNECT_TIMEOUT", "MAX_TEXT_CHARS",
                 "MAX_CONTENT_LENGTH", "SESSION_LIFETIME_HOURS",
                 "AUTOSAVE_SECONDS", "CASE_STATUS_SECONDS"):
        if settings[name] <= 0:
            raise ConfigError(f"{name} must be positive")
    _validate_rate_limits(settings)
    _validate_proxy_settings(settings)
    _validate_case_sync(settings)


def _validate_rate_limits(settings):
    for name in ("RATELIMIT_LOGIN", "RATELIMIT_LOGIN_ADDRESS", "RATELIMIT_API"):
        try:
            rates = parse_many(settings[name])
        except ValueError:
            raise ConfigError(f"{name}: expected a rate such as '10 per minute'") from None
        # The database counts one window per account name.
        if name == "RATELIMIT_LOGIN" and len(rates) != 1:
            raise ConfigError(f"{name}: expected one rate such as '10 per minute'")


def _validate_proxy_settings(settings):
    if settings["PROXY_HOPS"] < 0:
        raise ConfigError("PROXY_HOPS must be 0 or more")
    if settings["AUTH_MODE"] not in AUTH_MODES:
        raise ConfigError(f"AUTH_MODE must be one of {', '.join(AUTH_MODES)}")
    if not re.fullmatch(r"[A-Za-z0-9-]{1,64}", settings["AUTH_PROXY_HEADER"]):
        raise ConfigError("AUTH_PROXY_HEADER must be a header name such as X-Forwarded-User")
    trusted = networks("TRUSTED_PROXIES", settings["TRUSTED_PROXIES"])
    if settings["AUTH_MODE"] == "proxy" and not trusted:
        raise ConfigError("AUTH_MODE=proxy needs TRUSTED_PROXIES")


def networks(name, text):
    """Setting ``name``: comma-separated addresses or CIDR networks, as networks
    (a bare address is one host)."""
    try:
        return [ipaddress.ip_network(item.strip()) for item in text.split(",") if item.strip()]
    except ValueError as err:
        raise ConfigError(f"{name}: {err}") from None


def _validate_case_sync(settings):
    url = urlsplit(settings["CASE_SYNC_URL"])
    if settings["CASE_SYNC_URL"] and (url.scheme not in ("http", "https") or not url.hostname):
        raise ConfigError("CASE_SYNC_URL must be an http:// or https:// URL")
    if settings["CASE_SYNC_TIMEOUT"] <= 0:
        raise ConfigError("CASE_SYNC_TIMEOUT must be positive")
    if not 0 <= settings["CASE_SYNC_RETRIES"] <= 10:
        raise ConfigError("CASE_SYNC_RETRIES must be between 0 and 10")
    if settings["CASE_SYNC_RETRY_SECONDS"] < 0:
        raise ConfigError("CASE_SYNC_RETRY_SECONDS must be 0 or more")
