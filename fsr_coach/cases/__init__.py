"""The case endpoints (/api/cases/*) and the cases CLI."""
from flask import Blueprint

from ..auth.session import api_limit, require_api_access

bp = Blueprint("cases", __name__, url_prefix="/api/cases")
bp.before_request(require_api_access)
api_limit(bp)

from . import routes  # noqa: E402,F401  (the views attach themselves to bp)
