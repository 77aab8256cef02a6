"""The report endpoints: the signed-in user's notes on a case as a service
report (PDF, Markdown), and the customer's sign-offs of those notes.

A report or sign-off of a case the user has no listed notes on answers the
404 of ``GET /api/cases/data/<case>``, so another user's case looks like
one nobody wrote about. ``?team=1`` adds a section per other team member
with saved notes when the user has read on the case's team; without it,
the report is the user's own (as with ``team=0``), telling nothing of the team.
"""
from flask import g, jsonify, request

from ..auth.session import current_user, current_user_id, require_api_access
from ..cases import notes
from ..cases.errors import NoNotes, VersionConflict
from ..cases.json import utc_iso
from ..cases.validation import case_number_or_400
from ..errors import InvalidInput
from ..request_body import json_object
from ..teams.notes import teammates_notes
from . import bp, signoffs
from .markdown import render_markdown
from .pdf import render_pdf
from .report import Section, build_report
from .validation import signature_url, signoff_input

bp.before_request(require_api_access)


@bp.get("/data/<case_number>/report.pdf")
def report_pdf(case_number):
    report = _report(case_number)
    return _download(render_pdf(report), "application/pdf",
                     f"{report.case_number}-service-report.pdf")


@bp.get("/data/<case_number>/report.md")
def report_markdown(case_number):
    report = _report(case_number)
    return _download(render_markdown(report).encode("utf-8"), "text/markdown; charset=utf-8",
                     f"{report.case_number}-service-report.md")


@bp.post("/data/<case_number>/signoff")
def sign_off(case_number):
    case_number = case_number_or_400(case_number)
    signoff = signoff_input(json_object())
    added = signoffs.add_signoff(current_user_id(), case_number, signoff, g.request_id)
    if added is None:
        raise VersionConflict(_listed_notes(case_number))
    return jsonify({"id": added["id"], "signedAt": utc_iso(added["signed_at"]),
                    "version": signoff.version}), 201


@bp.get("/data/<case_number>/signoffs")
def list_signoffs(case_number):
    case_number = _listed_notes(case_number_or_400(case_number))["case_number"]
    rows = signoffs.signoffs(current_user_id(), case_number)
    return jsonify({"case_number": case_number,
                    "signoffs": [_signoff_json(row) for row in rows]})


def _report(case_number):
    with_team = _team_arg()
    row = _listed_notes(case_number_or_400(case_number))
    signoff = signoffs.latest_signoff(current_user_id(), row["case_number"])
    report = build_report(current_user(), row, signoff)
    if not with_team:
        return report
    team = [Section(name, notes_row["problem_statement"] or "", notes_row["fsr_notes"] or "")
            for name, notes_row in teammates_notes(current_user(), row["case_number"])]
    return report._replace(sections=[*report.sections, *team])


def _team_arg():
    """Whether ``?team=1`` asks for the team's notes too (0 or absent: not)."""
    team = request.args.get("team", "0")
    if team not in ("0", "1"):
        raise InvalidInput("team must be 0 or 1", field="team")
    return team == "1"


def _listed_notes(case_number):
    """The user's notes on the case; NoNotes (404) when there are none or
    they were removed from the list."""
    row = notes.case_notes(current_user_id(), case_number)
    if row is None or row["removed_at"] is not None:
        raise NoNotes(case_number)
    return row


def _download(body, mimetype, file_name):
    return body, 200, {"Content-Type": mimetype,
                       "Content-Disposition": f'attachment; filename="{file_name}"'}


def _signoff_json(row):
    return {
        "id": row["id"],
        "signerName": row["signer_name"],
        "signerRole": row["signer_role"],
        "signature": signature_url(row["signature"]),
        "version": row["version"],
        "signedAt": utc_iso(row["signed_at"]),
    }
