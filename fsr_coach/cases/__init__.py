"""Cases and each user's notes on them: the /api/cases endpoints and the
cases CLI.

A user's **notes** on a case are the problem statement and the FSR notes
they wrote for it. The design document's names for them stay where clients
and the schema see them: the notes are one row of the table ``user_cases``
and are served at ``/api/cases/data``; the module ``notes`` holds their
SQL. Table, module and URL are one thing.

Modules: ``routes`` (the endpoints), ``validation`` (input rules),
``json`` (the answers' shapes), ``errors`` (what the SQL modules raise),
``notes`` and ``catalog`` (SQL), ``audit``, ``statuses`` and ``sync`` (the
case management system's statuses), ``cli``.
"""
from flask import Blueprint

# The views attach themselves in routes.py, which fsr_coach imports; nothing
# else is imported here, so the SQL modules' errors import no Flask app code.
bp = Blueprint("cases", __name__, url_prefix="/api/cases")
