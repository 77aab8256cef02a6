"""The case endpoints: the design document's seven, plus removal and history.

Status codes and response fields are those of the design document, so an
existing front end keeps working: its mix of camelCase and snake_case too.
Every answer carrying a user's notes also carries their ``version``.

Each request is checked whole before anything is written, and its answer
is built from what the transaction returned: nothing can fail after the
commit.
"""
from flask import g, jsonify

from ..auth.session import current_user_id, require_api_access
from ..errors import InvalidInput
from ..request_body import json_object
from . import audit, bp, catalog, history, notes
from .json import (
    conflict_json,
    history_json,
    notes_json,
    removed_notes_json,
    save_answer,
    saved_json,
    status_json,
)
from .validation import (
    base_version,
    batch_item,
    case_number_or_400,
    case_texts,
    malformed_message,
    normalize_case_number,
    positive_int_arg,
)

MAX_ITEMS = 500
HISTORY_PAGE = 20
MAX_HISTORY_PAGE = 200

bp.before_request(require_api_access)


@bp.get("/validate/<case_number>")
def validate_case_number(case_number):
    given = case_number
    case_number = normalize_case_number(given)
    if case_number is None:
        return jsonify({"valid": False, "message": malformed_message(given)}), 400
    case = catalog.find_case(case_number)
    if case is None:
        return jsonify({
            "valid": False,
            "message": f"Case number '{case_number}' does not exist in the system.",
        }), 404
    return jsonify({"valid": True, "case_number": case["case_number"], **status_json(case)})


@bp.get("/user-cases")
def user_cases():
    user_id = current_user_id()
    case_numbers = notes.open_case_numbers(user_id)
    return jsonify({"user_id": user_id, "cases": case_numbers, "count": len(case_numbers)})


@bp.post("/status")
def cases_status():
    asked = json_object().get("case_numbers", [])
    if not isinstance(asked, list) or not all(isinstance(n, str) for n in asked):
        raise InvalidInput("case_numbers must be a list of strings", field="case_numbers")
    if len(asked) > MAX_ITEMS:
        raise InvalidInput(f"case_numbers holds at most {MAX_ITEMS} case numbers",
                           field="case_numbers")
    normalized = [normalize_case_number(given) for given in asked]
    found = catalog.find_cases(_distinct(normalized))
    results = []
    for given, case_number in zip(asked, normalized, strict=True):
        case = found.get(catalog.case_key(case_number)) if case_number else None
        if case is None:
            results.append({"case_number": given, "valid": False,
                            "is_closed": False, "status": "invalid"})
        else:
            results.append({"case_number": case["case_number"], "valid": True,
                            **status_json(case)})
    return jsonify({"results": results})


@bp.get("/data")
def get_listed_notes():
    user_id = current_user_id()
    cases = {row["case_number"]: notes_json(row) for row in notes.listed_notes(user_id)}
    return jsonify({"user_id": user_id, "cases": cases, "count": len(cases)})


@bp.get("/data/<case_number>")
def get_case_notes(case_number):
    row = notes.case_notes(current_user_id(), case_number_or_400(case_number))
    if row is None:
        return jsonify({"found": False, "message": "No saved data for this case"}), 404
    if row["removed_at"] is not None:
        # Removed from the list: the texts are offered back to a re-add.
        return jsonify({"found": False, "message": "No saved data for this case",
                        "removed": removed_notes_json(row)}), 404
    return jsonify({"found": True, "data": notes_json(row)})


@bp.put("/data/<case_number>")
def put_case_notes(case_number):
    case_number = case_number_or_400(case_number)
    body = json_object()
    save = notes.Save(case_number, *case_texts(body), base_version(body))
    written = notes.save_case_notes(current_user_id(), save, g.request_id)
    audit.log_changes("save", current_user_id(), [written])
    return jsonify(save_answer(written.row))


@bp.post("/data")
def post_notes_batch():
    items = json_object().get("cases", [])
    if not isinstance(items, list):
        raise InvalidInput("cases must be a list", field="cases")
    if len(items) > MAX_ITEMS:
        raise InvalidInput(f"cases holds at most {MAX_ITEMS} cases", field="cases")
    saves, errors = _batch_saves(items)
    saved = []
    if saves:
        result = notes.save_notes(current_user_id(), saves, g.request_id)
        audit.log_changes("save", current_user_id(), result.written)
        saved = [saved_json(written.row) for written in result.written]
        errors += [f"Invalid case: {case_number}" for case_number in result.unknown]
        errors += [f"Case is closed: {case_number}" for case_number in result.closed]
        errors += [{"caseNumber": current["case_number"], **conflict_json(current)}
                   for current in result.conflicts]
    return jsonify({"success": True, "saved_count": len(saved), "saved": saved,
                    "errors": errors})


@bp.delete("/data/<case_number>")
def delete_case_notes(case_number):
    removed = notes.remove_notes(current_user_id(), case_number_or_400(case_number),
                                 g.request_id)
    audit.log_changes("remove", current_user_id(), [removed])
    return jsonify({"success": True, "case_number": removed.row["case_number"],
                    "version": removed.row["version"]})


@bp.get("/data/<case_number>/history")
def get_notes_history(case_number):
    case_number = case_number_or_400(case_number)
    limit = positive_int_arg("limit", HISTORY_PAGE, most=MAX_HISTORY_PAGE)
    before = positive_int_arg("before", None)
    rows = history.case_history(current_user_id(), case_number, limit, before)
    if not rows and before is None:
        # Another user's history looks exactly like none at all.
        return jsonify({"found": False, "message": "No history for this case"}), 404
    return jsonify({
        "case_number": case_number,
        "history": [history_json(row) for row in rows],
        "next_before": rows[-1]["id"] if len(rows) == limit else None,
    })


def _batch_saves(items):
    """({case_key: Save}, [error]) from a batch's items, every item checked
    (a 400 for one of the wrong shape) before any is saved.

    A malformed case number is its item's error; when a case comes twice,
    the last item counts.
    """
    checked = [batch_item(index, item) for index, item in enumerate(items)]
    saves, errors = {}, []
    for given, texts, version in checked:
        case_number = normalize_case_number(given)
        if case_number is None:
            errors.append(malformed_message(given))
            continue
        key = catalog.case_key(case_number)
        saves.pop(key, None)
        saves[key] = notes.Save(case_number, *texts, version)
    return saves, errors


def _distinct(case_numbers):
    """The well-formed case numbers, each case once."""
    return list({catalog.case_key(n): n for n in case_numbers if n}.values())
