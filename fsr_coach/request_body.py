"""Reading JSON request bodies by the API's rules.

A body must be sent as ``application/json`` (else 415), must parse (else
400) and, where an object is due, be one (else 400). Bodies above
``MAX_CONTENT_LENGTH`` are refused by Werkzeug with a 413.
"""
from flask import request
from werkzeug.exceptions import BadRequest

from .errors import ApiError, InvalidInput


def has_body():
    return bool(request.content_length) or "chunked" in request.headers.get(
        "Transfer-Encoding", "").lower()


def require_json_content_type():
    """Refuse (415) a request that carries a body in anything but JSON."""
    if has_body() and not request.is_json:
        raise ApiError(415, "Send the request body as Content-Type: application/json")


def json_object():
    """The request body, which must be a JSON object."""
    if not has_body():
        raise InvalidInput("The request body must be a JSON object")
    require_json_content_type()
    try:
        data = request.get_json()
    except BadRequest:
        raise InvalidInput("The request body is not valid JSON") from None
    if not isinstance(data, dict):
        raise InvalidInput("The request body must be a JSON object")
    return data
