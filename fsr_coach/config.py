"""Settings: safe defaults, then the environment (and .env), then a test dict.

This is the one place that reads settings; everything else asks
``current_app.config``.
"""
import os
import re
import secrets

from dotenv import load_dotenv


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
}

ENVIRONMENTS = ("development", "production", "testing")
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
    for name in ("DB_POOL_TIMEOUT", "DB_CONNECT_TIMEOUT", "MAX_TEXT_CHARS",
                 "MAX_CONTENT_LENGTH", "SESSION_LIFETIME_HOURS",
                 "AUTOSAVE_SECONDS", "CASE_STATUS_SECONDS"):
        if settings[name] <= 0:
            raise ConfigError(f"{name} must be positive")
