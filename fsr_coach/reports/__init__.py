"""The service report of a user's notes on a case, as a PDF and as Markdown,
and the customer's sign-off of those notes (/api/cases/data/<case>/report.pdf,
report.md, signoff, signoffs).

Modules: ``routes`` (the endpoints), ``report`` (what a report says),
``pdf`` and ``markdown`` (its two forms; the PDF's template and styles in
templates/reports/), ``validation`` (a sign-off's input rules, the PNG
check) and ``signoffs`` (SQL).
"""
from flask import Blueprint

# The views attach themselves in routes.py, which fsr_coach imports.
bp = Blueprint("reports", __name__, url_prefix="/api/cases", template_folder="templates")
