"""SQL for local user accounts (the ``users`` table).

``session_epoch`` counts how often a user's sessions were ended: a session
cookie remembers the epoch it was issued in and is refused once it moves on.
"""
import secrets

import mysql.connector
from mysql.connector import errorcode
from werkzeug.security import generate_password_hash

from ..db import get_db

_COLUMNS = "id, username, display_name, password_hash, is_admin, is_active, session_epoch"
MAX_USERNAME_CHARS = 100  # users.username


def usable_username(raw):
    """``raw`` trimmed when it is 1 to MAX_USERNAME_CHARS printable characters
    (no control character, no lone surrogate), else None: the rule for a
    name typed at sign-in, sent by a proxy or given to the CLI."""
    username = raw.strip()
    if 0 < len(username) <= MAX_USERNAME_CHARS and username.isprintable():
        return username
    return None


class UserExists(Exception):
    """A user with that username exists already."""


def find_by_username(username):
    return get_db().execute(
        f"SELECT {_COLUMNS} FROM users WHERE username = %s", (username,))


def find_by_id(user_id):
    return get_db().execute(
        f"SELECT {_COLUMNS} FROM users WHERE id = %s", (user_id,))


def create(username, password, display_name="", is_admin=False):
    """Add an active user. Raise UserExists when the username is taken."""
    try:
        get_db().execute_update(
            "INSERT INTO users (username, display_name, password_hash, is_admin)"
            " VALUES (%s, %s, %s, %s)",
            (username, display_name or username, generate_password_hash(password),
             is_admin))
    except mysql.connector.IntegrityError as err:
        if err.errno == errorcode.ER_DUP_ENTRY:
            raise UserExists(username) from None
        raise


def find_or_create(username):
    """The user an authenticating proxy names, created on first sight (active,
    not an administrator, with a random password nobody knows)."""
    user = find_by_username(username)
    if user is None:
        try:
            create(username, secrets.token_urlsafe(32))
        except UserExists:  # a concurrent request created it first
            pass
        user = find_by_username(username)
    return user


def set_password(username, password):
    """Change the password and end the user's sessions; False if no such user."""
    return bool(get_db().execute_update(
        "UPDATE users SET password_hash = %s, session_epoch = session_epoch + 1"
        " WHERE username = %s",
        (generate_password_hash(password), username)))


def disable(username):
    """Stop the user from signing in and end their sessions; False if no such user."""
    return bool(get_db().execute_update(
        "UPDATE users SET is_active = FALSE, session_epoch = session_epoch + 1"
        " WHERE username = %s", (username,)))


def end_sessions(user_id):
    """End every session of the user, on every instance."""
    get_db().execute_update(
        "UPDATE users SET session_epoch = session_epoch + 1 WHERE id = %s", (user_id,))


def search(prefix, limit):
    """Active users whose username or display name starts with ``prefix``
    (without regard to letter case: the columns' collation), by username, at most ``limit``."""
    pattern = _like_escaped(prefix) + "%"
    # The username index read in order until ``limit`` match: no sort, and
    # at most one pass over an index of (a few hundred) accounts.
    return get_db().execute_all(
        "SELECT id, username, display_name FROM users FORCE INDEX (uq_users_username)"
        " WHERE is_active AND (username LIKE %s OR display_name LIKE %s)"
        " ORDER BY username LIMIT %s", (pattern, pattern, limit))


def _like_escaped(text):
    """``text`` matching itself in a LIKE pattern (\\ is LIKE's escape)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
