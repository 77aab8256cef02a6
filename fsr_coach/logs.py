"""Logging as JSON lines, the request id, and one log line per request.

A request keeps the id its client or proxy sent in ``X-Request-ID`` when it
is 1-64 characters of ``A-Z a-z 0-9 . _ -`` (nginx's $request_id is 32 hex
digits) or else gets a new one; the response echoes it back and every
log line written while serving it carries it.

Every line the app writes is one JSON object: ``time``, ``level``,
``logger``, ``message``, ``request_id``, and the fields a line was given as
``extra={"log_fields": {...}}``. Logger ``fsr_coach.request`` writes one
line per request (method, path, status, duration, user, client address);
``fsr_coach.audit`` one per data change. No line carries a request body, so
no password and no note text.
"""
import json
import logging
import re
import time
import uuid
from datetime import datetime, timezone

from flask import g, has_request_context, request

REQUEST_ID_HEADER = "X-Request-ID"
_ACCEPTABLE_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")

request_log = logging.getLogger("fsr_coach.request")


class _RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.request_id = g.get("request_id", "-") if has_request_context() else "-"
        return True


class JsonFormatter(logging.Formatter):
    """A record as one line of JSON."""

    def format(self, record):
        line = {
            "time": datetime.fromtimestamp(record.created, timezone.utc)
            .isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
            **getattr(record, "log_fields", {}),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def init_app(app):
    _configure_logging(app.config["LOG_LEVEL"])
    app.before_request(_start_request)
    app.after_request(_finish_request)


def _configure_logging(level):
    package_log = logging.getLogger("fsr_coach")
    package_log.setLevel(level.upper())
    if not package_log.handlers:
        handler = logging.StreamHandler()
        handler.addFilter(_RequestIdFilter())
        handler.setFormatter(JsonFormatter())
        package_log.addHandler(handler)


def _start_request():
    g.request_started = time.perf_counter()
    given = request.headers.get(REQUEST_ID_HEADER, "")
    g.request_id = given if _ACCEPTABLE_ID.fullmatch(given) else uuid.uuid4().hex


def elapsed_seconds():
    """Seconds since this request began (0 if it never did: no before_request ran)."""
    started = g.get("request_started")
    return time.perf_counter() - started if started is not None else 0.0


def _finish_request(response):
    if "request_id" not in g:
        return response
    response.headers[REQUEST_ID_HEADER] = g.request_id
    # The user as far as this request looked them up: never a query of its own.
    user = g.get("user")
    request_log.info("request", extra={"log_fields": {
        "method": request.method,
        "path": request.path,
        "status": response.status_code,
        "duration_ms": round(elapsed_seconds() * 1000, 2),
        "user_id": str(user["id"]) if user else None,
        "client": request.remote_addr,
    }})
    return response
