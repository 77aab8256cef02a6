"""The coach (/api/coach/*): explainable feedback on a problem statement and
FSR notes, from a rubric of checks (rubric.py), and the coach CLI."""
from flask import Blueprint, current_app

from ..auth.session import require_api_access
from .rubric import load_rubric

bp = Blueprint("coach", __name__, url_prefix="/api/coach")
bp.before_request(require_api_access)


def init_app(app):
    """Load the rubric (COACH_RUBRIC, else the default) once, at start-up: one
    that does not load stops the app here, with a RubricError naming the
    file, the check and the field."""
    app.extensions["coach"] = load_rubric(app.config["COACH_RUBRIC"] or None)


def current_rubric():
    return current_app.extensions["coach"]


from . import routes  # noqa: E402,F401  (the views attach themselves to bp)
