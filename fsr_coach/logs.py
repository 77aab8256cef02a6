"""Logging, and the request id that ties a client's error to a log line.

A request keeps the id its client or proxy sent in ``X-Request-ID`` (when it
looks like an id) or gets a new one; the response echoes it back and every
log line written while serving it carries it.
"""
import logging
import re
import uuid

from flask import g, has_request_context, request

REQUEST_ID_HEADER = "X-Request-ID"
_ACCEPTABLE_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")


class _RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.request_id = g.get("request_id", "-") if has_request_context() else "-"
        return True


def init_app(app):
    _configure_logging(app.config["LOG_LEVEL"])
    app.before_request(_assign_request_id)
    app.after_request(_echo_request_id)


def _configure_logging(level):
    package_log = logging.getLogger("fsr_coach")
    package_log.setLevel(level.upper())
    if not package_log.handlers:
        handler = logging.StreamHandler()
        handler.addFilter(_RequestIdFilter())
        handler.setFormatter(logging.Formatter(
            "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"))
        package_log.addHandler(handler)


def _assign_request_id():
    given = request.headers.get(REQUEST_ID_HEADER, "")
    g.request_id = given if _ACCEPTABLE_ID.fullmatch(given) else uuid.uuid4().hex


def _echo_request_id(response):
    if "request_id" in g:
        response.headers[REQUEST_ID_HEADER] = g.request_id
    return response
