"""Sign-in attempts per account name (RATELIMIT_LOGIN), counted in the
``login_attempts`` table so that every worker and instance shares one count
without Redis.

A name is counted as typed, and matched as the users table matches names
(without regard to case or accents), whether an account has it or not: a
refusal tells nothing about which accounts exist. Each name has one row, a
window that opens at its first attempt and lasts RATELIMIT_LOGIN's period;
the attempts after the limit are refused until it ends. Each process
deletes the rows of ended windows at most once every PURGE_SECONDS.
"""
import math
import time

from flask import current_app
from limits import parse

from ..db import get_db

PURGE_SECONDS = 60.0

# One statement counts the attempt: a new name, or a name whose window has
# ended, starts a window at 1. Neither assignment reads a column the other
# sets, so the order MySQL and MariaDB assign them in does not matter.
_COUNT = (
    "INSERT INTO login_attempts (username, attempts) VALUES (%s, 1)"
    " ON DUPLICATE KEY UPDATE"
    " attempts = IF(window_started_at > NOW(6) - INTERVAL %s SECOND, attempts + 1, 1),"
    " window_started_at = IF(window_started_at > NOW(6) - INTERVAL %s SECOND,"
    " window_started_at, NOW(6))")


def seconds_to_wait(username):
    """Count an attempt to sign in as ``username``; None when it may go ahead,
    else the whole seconds until its name's window ends."""
    rate = parse(current_app.config["RATELIMIT_LOGIN"])
    window = rate.get_expiry()
    _purge_when_due(window)
    db = get_db()
    # The count holds the name's row locked until the commit: no other
    # attempt counts between it and the read.
    with db.transaction():
        db.execute_update(_COUNT, (username, window, window))
        row = db.execute(
            "SELECT attempts, TIMESTAMPDIFF(MICROSECOND, NOW(6),"
            " window_started_at + INTERVAL %s SECOND) AS wait_us"
            " FROM login_attempts WHERE username = %s", (window, username))
    if row["attempts"] <= rate.amount:
        return None
    return min(window, max(1, math.ceil(row["wait_us"] / 1_000_000)))


def _purge_when_due(window):
    purge = current_app.extensions.setdefault("login_attempts", {"next_purge": 0.0})
    now = time.monotonic()
    if now < purge["next_purge"]:
        return
    purge["next_purge"] = now + PURGE_SECONDS
    get_db().execute_update(
        "DELETE FROM login_attempts WHERE window_started_at <= NOW(6) - INTERVAL %s SECOND",
        (window,))
