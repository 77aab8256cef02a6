"""GET /api/openapi.json: the OpenAPI 3 document of the whole HTTP API.

The document is ``openapi.json`` beside this file, written by hand with the
API; tests/test_openapi.py checks the running app against it.
"""
from functools import cache
from pathlib import Path

from flask import Blueprint, current_app

DOCUMENT = Path(__file__).resolve().parent / "openapi.json"

bp = Blueprint("openapi", __name__)


@bp.get("/api/openapi.json")
def openapi_document():
    return current_app.response_class(_document(), mimetype="application/json")


@cache
def _document():
    return DOCUMENT.read_bytes()
