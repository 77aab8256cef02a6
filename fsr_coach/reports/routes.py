"""The report endpoints: the signed-in user's notes on a case as a service
report (PDF, Markdown), and the customer's sign-offs of those notes.

A report or sign-off of a case the user has no listed notes on answers the
404 of ``GET /api/cases/data/<case>``, so another user's case looks like
one nobody wrote about.
"""
from flask import g, jsonify

from ..auth.session import current_user, current_user_id
from ..case_json import utc_iso
from ..cases import notes
from ..cases.validation import case_number_or_400
from ..errors import NoSavedCase, VersionConflict
from ..request_body import json_object
from . import bp, signoffs
from .markdown import render_markdown
from .pdf import render_pdf
from .report import build_report
from .validation import signature_url, signoff_input


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
        raise VersionConflict(_listed_entry(case_number))
    return jsonify({"id": added["id"], "signedAt": utc_iso(added["signed_at"]),
                    "version": signoff.version}), 201


@bp.get("/data/<case_number>/signoffs")
def list_signoffs(case_number):
    entry = _listed_entry(case_number_or_400(case_number))
    rows = signoffs.signoffs(current_user_id(), entry["case_number"])
    return jsonify({"case_number": entry["case_number"],
                    "signoffs": [_signoff_json(row) for row in rows]})


def _report(case_number):
    entry = _listed_entry(case_number_or_400(case_number))
    signoff = signoffs.latest_signoff(current_user_id(), entry["case_number"])
    return build_report(current_user(), entry, signoff)


def _listed_entry(case_number):
    """The user's entry for the case; NoSavedCase (404) when there is none
    or it was removed from the list."""
    entry = notes.saved_case(current_user_id(), case_number)
    if entry is None or entry["removed_at"] is not None:
        raise NoSavedCase(case_number)
    return entry


def _download(body, mimetype, file_name):
    # The notes are the user's: kept by no cache on the way.
    return body, 200, {"Content-Type": mimetype,
                       "Content-Disposition": f'attachment; filename="{file_name}"',
                       "Cache-Control": "private, no-store"}


def _signoff_json(row):
    return {
        "id": row["id"],
        "signerName": row["signer_name"],
        "signerRole": row["signer_role"],
        "signature": signature_url(row["signature"]),
        "version": row["version"],
        "signedAt": utc_iso(row["signed_at"]),
    }
