"""The service report of a user's notes on a case, as a PDF and as Markdown,
and the customer's sign-off of those notes (/api/cases/data/<case>/report.pdf,
report.md, signoff, signoffs)."""
from flask import Blueprint

from ..auth.session import require_api_access

bp = Blueprint("reports", __name__, url_prefix="/api/cases", template_folder="templates")
bp.before_request(require_api_access)

from . import routes  # noqa: E402,F401  (the views attach themselves to bp)
