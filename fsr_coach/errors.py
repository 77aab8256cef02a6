"""Every error the API answers, and the one place that turns them into JSON.

The views raise ApiError; the SQL modules raise plain exceptions of their
own (fsr_coach/cases/errors.py) and know nothing of HTTP.
``register_error_handlers`` maps each to a status and a JSON body. No HTML
error page and no stack trace ever reaches a client.
"""
import logging

import mysql.connector
from flask import g, jsonify
from werkzeug.exceptions import HTTPException

from .cases.errors import CaseClosed, CaseNotFound, NoNotes, VersionConflict
from .cases.json import conflict_json
from .db import DatabaseUnavailable
from .metrics import count_database_error
from .teams.errors import (
    NotAllowed,
    NotAMember,
    NotOnTeam,
    TargetIsAssignee,
    UnknownCase,
    UnknownUser,
)

log = logging.getLogger(__name__)


class ApiError(Exception):
    """An answer other than success: a status and the JSON body's fields."""

    def __init__(self, status, message, **fields):
        super().__init__(message)
        self.status = status
        self.body = {"error": message, **fields}


class InvalidInput(ApiError):
    """The request's data breaks an input rule (400), naming the field and,
    in a list of items, the item's index."""

    def __init__(self, message, field=None, index=None):
        fields = {"field": field} if field else {}
        if index is not None:
            fields["index"] = index
        super().__init__(400, message, **fields)
        self.field = field


class TooManyRequests(Exception):
    """A rate limit refused the request (429): ``reason`` names the limit,
    ``retry_after`` is the whole seconds until it lets one in again."""

    def __init__(self, reason, retry_after):
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


def register_error_handlers(app):
    app.register_error_handler(ApiError, _api_error)
    app.register_error_handler(HTTPException, _http_exception)
    app.register_error_handler(TooManyRequests, _too_many_requests)
    app.register_error_handler(CaseNotFound, _case_not_found)
    app.register_error_handler(CaseClosed, _case_closed)
    app.register_error_handler(VersionConflict, _version_conflict)
    app.register_error_handler(NoNotes, _no_notes)
    app.register_error_handler(UnknownCase, _unknown_case)
    app.register_error_handler(NotOnTeam, _not_on_team)
    app.register_error_handler(NotAllowed, _not_allowed)
    app.register_error_handler(UnknownUser, _unknown_user)
    app.register_error_handler(TargetIsAssignee, _target_is_assignee)
    app.register_error_handler(NotAMember, _not_a_member)
    app.register_error_handler(DatabaseUnavailable, _database_unavailable)
    app.register_error_handler(Exception, _unexpected)


def _api_error(err):
    return jsonify(err.body), err.status


def _http_exception(err):
    # Keep Werkzeug's headers (Allow on a 405) but not its HTML content type.
    headers = [(name, value) for name, value in err.get_headers()
               if name.lower() != "content-type"]
    return jsonify({"error": err.description}), err.code, headers


def _too_many_requests(err):
    body = {"error": "Too many requests; retry later", "reason": err.reason,
            "retry_after": err.retry_after}
    return jsonify(body), 429, {"Retry-After": str(err.retry_after)}


# The messages are the design document's; ``reason`` lets the page tell the
# two apart without matching on text.
def _case_not_found(_err):
    return jsonify({"error": "Invalid case number", "reason": "unknown_case"}), 400


def _case_closed(_err):
    return jsonify({"error": "Cannot save data for closed case", "reason": "case_closed"}), 400


def _version_conflict(err):
    return jsonify(conflict_json(err.current)), 409


def _no_notes(_err):
    return jsonify({"found": False, "message": "No saved data for this case"}), 404


def _unknown_case(_err):
    return jsonify({"error": "No such case", "reason": "unknown_case"}), 404


def _not_on_team(_err):
    return jsonify({"error": "You are not on this case's team", "reason": "not_on_team"}), 403


def _not_allowed(err):
    return jsonify({"error": f"This needs {err.needed} permission on the case",
                    "reason": "not_allowed"}), 403


def _unknown_user(err):
    return jsonify({"error": f"No active user {str(err)[:100]!r}", "field": "username"}), 400


def _target_is_assignee(err):
    return jsonify({"error": f"{str(err)[:100]!r} is the case's assignee; use its"
                             " assignee endpoints", "field": "username"}), 400


def _not_a_member(err):
    return jsonify({"error": f"{str(err)[:100]!r} is not on the case's team"}), 404


def _database_unavailable(err):
    log.warning("database unavailable: %s", err)
    count_database_error("unavailable")
    body = {"error": "The database is unavailable; please retry shortly."}
    return jsonify(body), 503, {"Retry-After": "5"}


def _unexpected(err):
    request_id = g.get("request_id")
    if isinstance(err, mysql.connector.Error):
        count_database_error("error")
    log.exception("unhandled error (request %s)", request_id)
    body = {"error": "Internal server error", "request_id": request_id}
    return jsonify(body), 500
