"""Who is signed in, and the checks every API request passes first.

Sessions are Flask's signed cookies, so any instance with the same
SECRET_KEY accepts them. The cookie holds ``user_data`` (the user's id, as
the design document has it, and the session epoch it was issued in) and the
CSRF token. The user row is loaded once per request; a cookie whose epoch
is behind the user's, or whose user is disabled, counts as signed out.

With ``AUTH_MODE=proxy`` the user is the one the authenticating proxy names
on each request (proxy.py), and the cookie only carries the CSRF token:
``GET /api/auth/me`` issues a session for that user when the cookie holds
none for them, and a state change needs that session's token.

The guard of the signed-in API (``require_api_access``: the before-request
of its blueprints, and called first by the auth views other than the login)
also counts each user's calls towards RATELIMIT_API (limits.py).
"""
import hmac
import logging
import secrets

from flask import current_app, g, request, session

from ..errors import ApiError
from ..limits import count_api_call
from ..proxy import forwarded_username
from ..request_body import require_json_content_type
from . import users

log = logging.getLogger(__name__)

CSRF_HEADER = "X-CSRF-Token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def current_user():
    """The signed-in user's row, or None."""
    if "user" not in g:
        if current_app.config["AUTH_MODE"] == "proxy":
            g.user = _user_from_proxy()
        else:
            g.user = _user_from_session()
    return g.user


def _user_from_session():
    user_data = session.get("user_data")
    if not isinstance(user_data, dict):
        return None
    user = users.find_by_id(user_data.get("user_id"))
    if user is None or not user["is_active"] or not session_is_for(user):
        return None
    return user


def _user_from_proxy():
    forwarded = forwarded_username()
    if forwarded is None:
        return None
    username = users.usable_username(forwarded)
    if username is None:
        log.warning("ignored a malformed %s", current_app.config["AUTH_PROXY_HEADER"])
        return None
    user = users.find_or_create(username)
    return user if user["is_active"] else None


def session_is_for(user):
    """Whether the session cookie was issued to ``user`` since their sessions
    last ended."""
    user_data = session.get("user_data")
    return (isinstance(user_data, dict)
            and user_data.get("user_id") == str(user["id"])
            and user_data.get("session_epoch") == user["session_epoch"])


def current_user_id():
    """The signed-in user's id as the string ``user_cases.user_id`` holds."""
    return str(current_user()["id"])


def start_session(user):
    """Issue a new session for ``user``; return its CSRF token."""
    session.clear()
    session.permanent = True
    session["user_data"] = {"user_id": str(user["id"]),
                            "session_epoch": user["session_epoch"]}
    session["csrf_token"] = secrets.token_urlsafe(32)
    g.user = user
    return session["csrf_token"]


def end_session():
    """Sign the current user out here and on every other device."""
    users.end_sessions(current_user()["id"])
    session.clear()
    g.user = None


def require_api_access():
    """Before-request guard of the signed-in API, in the order the API answers:
    no session is a 401, a call over the user's rate limit a 429, a state
    change without the CSRF header a 403, a body in anything but JSON a 415."""
    user = current_user()
    if user is None:
        raise ApiError(401, "Not authenticated")
    count_api_call(user["id"])
    if request.method in UNSAFE_METHODS and not _csrf_token_matches():
        raise ApiError(403, "Missing or invalid CSRF token")
    require_json_content_type()


def _csrf_token_matches():
    if not session_is_for(current_user()):
        return False
    expected = session.get("csrf_token", "")
    sent = request.headers.get(CSRF_HEADER, "")
    return bool(expected) and hmac.compare_digest(expected.encode(), sent.encode())
