"""Teams on a case: its assignee and collaborators, their permission on the
case, and their notes shared with each other (/api/cases/<case>/team...,
/api/cases/<case>/assignee, /api/cases/assigned, /api/users).

A case has at most one **assignee** and any number of **collaborators**;
the **team** is both. Each member keeps their own notes (``user_cases``);
the team shares access to them. ``permission.case_access`` answers what a
user may do on a case, for every team endpoint and the report.

Modules: ``routes`` (the endpoints), ``changes`` (the team changes, each one
transaction with its event), ``permission``, ``members``, ``events`` and
``notes`` (SQL), ``errors`` (what they raise), ``json``, ``audit``.
"""
from flask import Blueprint

# The views attach themselves in routes.py, which fsr_coach imports.
bp = Blueprint("teams", __name__, url_prefix="/api")
