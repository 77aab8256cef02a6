"""POST /api/auth/login, POST /api/auth/logout, GET /api/auth/me."""
from functools import cache

from flask import current_app, jsonify, session
from werkzeug.security import check_password_hash, generate_password_hash

from ..errors import ApiError, InvalidInput
from ..request_body import json_object
from . import bp, users
from .session import (current_user, end_session, require_api_access, session_is_for,
                      start_session)

WRONG_LOGIN = "Wrong username or password"


@bp.post("/login")
def login():
    if current_app.config["AUTH_MODE"] == "proxy":
        raise ApiError(403, "Sign-in is done by the authenticating proxy")
    body = json_object()
    username, password = body.get("username"), body.get("password")
    if not isinstance(username, str) or not isinstance(password, str):
        raise InvalidInput("username and password must be strings")
    user = users.find_by_username(username.strip())
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
        "display_name": user["display_name"],
        "is_admin": bool(user["is_admin"]),
        "csrf_token": csrf_token,
    }
