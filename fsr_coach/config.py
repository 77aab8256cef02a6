"""Settings: safe defaults, then the environment (and .env), then a test dict.

This is the one place that reads settings; everything else asks
``current_app.config``.
"""
import ipaddress
import os
import re
import secrets
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


# name: (type, default). The environment overrides these, the test dict overrides both.
SETTINGS = {
    "APP_ENV": (str, "production"),
    "SECRET_KEY": (str, ""),
    "DB_HOST": (str, "127.0.0.1"),
    "DB_PORT": (int, 3306),
    "DB_NAME": (str, "fsr_coach"),
    "DB_USER": (str, "fsr_coach"),
    "DB_PASSWORD": (str, ""),
    "DB_POOL_SIZE": (int, 10),
    "DB_POOL_TIMEOUT": (float, 5.0),
    "DB_CONNECT_TIMEOUT": (int, 5),
    "MAX_TEXT_CHARS": (int, 100_000),
    "MAX_CONTENT_LENGTH": (int, 16 * 1024 * 1024),
    "SESSION_COOKIE_SECURE": (_bool, True),
    "SESSION_LIFETIME_HOURS": (float, 12.0),
    "LOG_LEVEL": (str, "INFO"),
    # The page: seconds between autosaves of unsaved text, and between checks
    # that the user's cases are still open.
    "AUTOSAVE_SECONDS": (float, 30.0),
    "CASE_STATUS_SECONDS": (float, 300.0),
    # scripts/seed.py, in development only: the demo account's password.
    "DEMO_PASSWORD": (str, ""),
    # Rate limits (fsr_coach/limits.py).
    "RATELIMIT_LOGIN": (str, "10 per minute"),
    "RATELIMIT_API": (str, "600 per minute"),
    "RATELIMIT_STORAGE_URI": (str, "memory://"),
    # Behind a reverse proxy (fsr_coach/proxy.py).
    "PROXY_HOPS": (int, 0),
    "AUTH_MODE": (str, "local"),
    "AUTH_PROXY_HEADER": (str, "X-Forwarded-User"),
    "TRUSTED_PROXIES": (str, ""),
    # flask cases sync: the case management system's statuses (JSON over HTTP).
    "CASE_SYNC_URL": (str, ""),
    "CASE_SYNC_TOKEN": (str, ""),
    "CASE_SYNC_TIMEOUT": (float, 30.0),
    "CASE_SYNC_RETRIES": (int, 3),
    "CASE_SYNC_RETRY_SECONDS": (float, 2.0),
    # The schema loader's account (DDL), when it is not the app's (DB_USER).
    "MIGRATE_DB_USER": (str, ""),
    "MIGRATE_DB_PASSWORD": (str, ""),
    # /metrics (fsr_coach/metrics.py): on or off, the client networks it
    # answers (comma-separated CIDRs), and the directory gunicorn's workers
    # share their counts in (prometheus-client's multiprocess mode).
    "METRICS_ENABLED": (_bool, False),
    "METRICS_ALLOW": (str, "127.0.0.1/32,::1/128"),
    "PROMETHEUS_MULTIPROC_DIR": (str, ""),
    # The coach's rubric (docs/coach.md): a YAML file that replaces or amends
    # (extends: default) the one shipped in fsr_coach/coach/; empty: that one.
    "COACH_RUBRIC": (str, ""),
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
    load_dotenv(override=False)
    settings = {name: _from_environment(name, kind, default)
                for name, (kind, default) in SETTINGS.items()}
    settings.update(test_config or {})
    _validate(settings, web)
    return settings


def _from_environment(name, kind, default):
    text = os.environ.get(name)
    if text is None or text == "":
        return default
    try:
        return kind(text)
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
    for name in ("RATELIMIT_LOGIN", "RATELIMIT_API"):
        try:
            parse_many(settings[name])
        except ValueError:
            raise ConfigError(f"{name}: expected a rate such as '10 per minute'") from None


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
