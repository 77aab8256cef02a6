"""The coach's endpoints: coach two texts, serve the rubric, sum up a trend."""
from flask import jsonify, request

from ..auth.session import current_user_id
from ..cases.validation import case_texts, positive_int_arg
from ..request_body import json_object
from . import bp, current_rubric, saved
from .engine import evaluate

SUMMARY_DEFAULT, SUMMARY_MOST = 50, 500


@bp.post("")
def coach_texts():
    """Stateless: the texts are coached, never saved."""
    problem_statement, fsr_notes = case_texts(json_object())
    return jsonify(evaluate(current_rubric(), problem_statement, fsr_notes))


@bp.get("/rubric")
def served_rubric():
    """The rubric, for the page to coach with offline (engine.js)."""
    response = jsonify(current_rubric().json)
    # Like every API answer it is not stored by the browser (no-store); the
    # page keeps its own copy with the ETag and asks with If-None-Match.
    response.add_etag()
    return response.make_conditional(request)


@bp.get("/summary")
def summary():
    """The user's trend over their last saved notes, weakest checks first."""
    last = positive_int_arg("last", SUMMARY_DEFAULT, most=SUMMARY_MOST)
    rubric = current_rubric()
    results = [evaluate(rubric, row["problem_statement"] or "", row["fsr_notes"] or "")
               for row in saved.last_saved_texts(current_user_id(), last)]
    return jsonify(_trend(rubric, results))


def _trend(rubric, results):
    count = len(results)
    checks = [{"id": check["id"], "title": check["title"],
               "passed_share": _passed_share(results, index) if count else None}
              for index, check in enumerate(rubric.checks)]
    if not count:
        return {"count": 0, "average_score": None, "checks": checks}
    # sorted() is stable: checks as weak as each other keep the rubric's order.
    return {"count": count, "average_score": round(sum(r["score"] for r in results) / count, 1),
            "checks": sorted(checks, key=lambda check: check["passed_share"])}


def _passed_share(results, index):
    """The share of the answers that pass their index-th check."""
    return round(sum(result["checks"][index]["passed"] for result in results) / len(results), 3)
