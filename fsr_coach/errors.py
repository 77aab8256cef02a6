"""Every error the API answers, and the one place that turns them into JSON.

The data layer raises the plain exceptions below and knows nothing of HTTP;
``register_error_handlers`` maps each to a status and a JSON body. No HTML
error page and no stack trace ever reaches a client.
"""
import logging

from flask import g, jsonify
from werkzeug.exceptions import HTTPException

from .db import DatabaseUnavailable

log = logging.getLogger(__name__)


class ApiError(Exception):
    """An answer other than success: a status and the JSON body's fields."""

    def __init__(self, status, message, **fields):
        super().__init__(message)
        self.status = status
        self.body = {"error": message, **fields}


class InvalidInput(ApiError):
    """The request's data breaks an input rule (400), naming the field."""

    def __init__(self, message, field=None):
        fields = {"field": field} if field else {}
        super().__init__(400, message, **fields)


class CaseNotFound(Exception):
    """The case number is not in ``cases``."""


class CaseClosed(Exception):
    """The case is closed: its notes can be read but no longer saved."""


def register_error_handlers(app):
    app.register_error_handler(ApiError, _api_error)
    app.register_error_handler(HTTPException, _http_exception)
    app.register_error_handler(CaseNotFound, _case_not_found)
    app.register_error_handler(CaseClosed, _case_closed)
    app.register_error_handler(DatabaseUnavailable, _database_unavailable)
    app.register_error_handler(Exception, _unexpected)


def _api_error(err):
    return jsonify(err.body), err.status


def _http_exception(err):
    # Keep Werkzeug's headers (Allow on a 405) but not its HTML content type.
    headers = [(name, value) for name, value in err.get_headers()
               if name.lower() != "content-type"]
    return jsonify({"error": err.description}), err.code, headers


def _case_not_found(_err):
    return jsonify({"error": "Invalid case number"}), 400


def _case_closed(_err):
    return jsonify({"error": "Cannot save data for closed case"}), 400


def _database_unavailable(err):
    log.warning("database unavailable: %s", err)
    body = {"error": "The database is unavailable; please retry shortly."}
    return jsonify(body), 503, {"Retry-After": "5"}


def _unexpected(err):
    request_id = g.get("request_id")
    log.exception("unhandled error (request %s)", request_id)
    body = {"error": "Internal server error", "request_id": request_id}
    return jsonify(body), 500
