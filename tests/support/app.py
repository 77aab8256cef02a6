"""The app's settings for tests, and the catalog every test starts with."""
import os
from pathlib import Path

from fsr_coach.config import defaults

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery"
OPEN_CASES = ["CASE-2024-001", "CASE-2024-003", "CASE-2024-004", "12345"]
CLOSED_CASES = ["CASE-2024-002", "67890"]

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


def app_environment(db_settings, **overrides):
    """os.environ for a process of the app (gunicorn, a script) on the run's
    database: every setting given, so that no .env fills anything in."""
    settings = {key: str(value) for key, value in
                app_settings(db_settings, **overrides).items() if key != "TESTING"}
    return {**os.environ, **settings}
