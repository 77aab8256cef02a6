"""Local sign-in: the /api/auth endpoints, the session checks, the users CLI."""
from flask import Blueprint

bp = Blueprint("auth", __name__, url_prefix="/api/auth")

from . import cli, routes  # noqa: E402,F401  (they attach themselves to bp)
