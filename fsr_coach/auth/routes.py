"""POST /api/auth/login, POST /api/auth/logout, GET /api/auth/me."""
from functools import cache

from flask import current_app, jsonify, session
from werkzeug.security import check_password_hash, generate_password_hash

from ..cases.validation import is_valid_unicode
from ..errors import ApiError, InvalidInput, TooManyRequests
from ..limits import count_sign_in_attempt
from ..request_body import json_object
from . import attempts, bp, users
from .session import (
    current_user,
    end_session,
    require_api_access,
    session_is_for,
    start_session,
)

WRONG_LOGIN = "Wrong username or password"


@bp.post("/login")
def login():
    # First, as Flask-Limiter's decorator did: every attempt counts for its
    # address, a refused one too (proxy mode, a malformed body), and one
    # over the limit costs no query.
    count_sign_in_attempt()
    if current_app.config["AUTH_MODE"] == "proxy":
        raise ApiError(403, "Sign-in is done by the authenticating proxy")
    username, password = _credentials(json_object())
    wait = attempts.seconds_to_wait(username)
    if wait is not None:
        raise TooManyRequests("login_account", wait)
    user = users.find_by_username(username)
    if not _password_matches(user, password) or not user["is_active"]:
        raise ApiError(401, WRONG_LOGIN)
    csrf_token = start_session(user)
    return jsonify(_user_fields(user, csrf_token))


@bp.post("/logout")
def logout():
    require_api_access()
    end_session()
    return jsonify({"success": True})


@bp.get("/me")
def me():
    require_api_access()
    user = current_user()
    # Behind an authenticating proxy, the first request of a user (or of
    # another user in the same browser) has no session for them yet.
    csrf_token = session["csrf_token"] if session_is_for(user) else start_session(user)
    return jsonify(_user_fields(user, csrf_token))


def _credentials(body):
    """(username, password) from a sign-in body; checked whole before any
    query or hash, so that no malformed one costs the database anything."""
    username, password = body.get("username"), body.get("password")
    if not isinstance(username, str) or not isinstance(password, str):
        raise InvalidInput("username and password must be strings")
    usable = users.usable_username(username)
    if usable is None:
        raise InvalidInput(f"username must have 1 to {users.MAX_USERNAME_CHARS}"
                           " printable characters", field="username")
    if not is_valid_unicode(password):
        raise InvalidInput("password is not valid Unicode text", field="password")
    return usable, password


def _password_matches(user, password):
    # An unknown user costs a hash check too, so the answer's timing does
    # not tell which usernames exist.
    stored = user["password_hash"] if user else _decoy_hash()
    return check_password_hash(stored, password) and user is not None


@cache
def _decoy_hash():
    return generate_password_hash("no user has this password")


def _user_fields(user, csrf_token):
    return {
        "user_id": str(user["id"]),
        "username": user["username"],
        "display_name": user["display_name"],
        "is_admin": bool(user["is_admin"]),
        "csrf_token": csrf_token,
    }
