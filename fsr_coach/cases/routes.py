"""The seven case endpoints.

Status codes and response fields are those of the design document, so an
existing front end keeps working: its mix of camelCase and snake_case too.
"""
from flask import jsonify

from ..auth.session import current_user_id
from ..errors import InvalidInput
from ..request_body import json_object
from . import bp, catalog, notes
from .validation import (case_number_or_400, case_texts, malformed_message,
                         normalize_case_number)

MAX_ITEMS = 500


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
    return jsonify({"valid": True, "case_number": case["case_number"], **_status(case)})


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
    for given, case_number in zip(asked, normalized):
        case = found.get(catalog.case_key(case_number)) if case_number else None
        if case is None:
            results.append({"case_number": given, "valid": False,
                            "is_closed": False, "status": "invalid"})
        else:
            results.append({"case_number": case["case_number"], "valid": True,
                            **_status(case)})
    return jsonify({"results": results})


@bp.get("/data")
def saved_cases():
    user_id = current_user_id()
    cases = {row["case_number"]: _case_json(row) for row in notes.open_saved_cases(user_id)}
    return jsonify({"user_id": user_id, "cases": cases, "count": len(cases)})


@bp.get("/data/<case_number>")
def saved_case(case_number):
    row = notes.saved_case(current_user_id(), case_number_or_400(case_number))
    if row is None:
        return jsonify({"found": False, "message": "No saved data for this case"}), 404
    return jsonify({"found": True, "data": _case_json(row)})


@bp.put("/data/<case_number>")
def save_case(case_number):
    case_number = case_number_or_400(case_number)
    problem_statement, fsr_notes = case_texts(json_object())
    row = notes.save_case(current_user_id(), case_number, problem_statement, fsr_notes)
    return jsonify({
        "success": True,
        "message": "Case data saved successfully",
        "case_number": row["case_number"],
        "updated_at": _utc_iso(row["updated_at"]),
    })


@bp.post("/data")
def save_cases():
    items = json_object().get("cases", [])
    if not isinstance(items, list):
        raise InvalidInput("cases must be a list", field="cases")
    if len(items) > MAX_ITEMS:
        raise InvalidInput(f"cases holds at most {MAX_ITEMS} cases", field="cases")
    texts_by_key, errors = _batch_texts(items)
    saved, unknown, closed = [], [], []
    if texts_by_key:
        saved, unknown, closed = notes.save_cases(current_user_id(), texts_by_key)
    errors += [f"Invalid case: {case_number}" for case_number in unknown]
    errors += [f"Case is closed: {case_number}" for case_number in closed]
    return jsonify({"success": True, "saved_count": len(saved), "errors": errors})


def _batch_texts(items):
    """({case_key: (case_number, problem, notes)}, [error]) from a batch.

    When a case number comes twice, the last item counts, even a bad one.
    """
    texts_by_key, errors = {}, []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            errors.append(f"Item {index}: must be an object")
            continue
        given = item.get("caseNumber")
        case_number = normalize_case_number(given)
        if case_number is None:
            errors.append(malformed_message(given))
            continue
        key = catalog.case_key(case_number)
        texts_by_key.pop(key, None)
        try:
            texts_by_key[key] = (case_number, *case_texts(item))
        except InvalidInput as err:
            errors.append(f"Invalid data for {case_number}: {err}")
    return texts_by_key, errors


def _distinct(case_numbers):
    """The well-formed case numbers, each case once."""
    return list({catalog.case_key(n): n for n in case_numbers if n}.values())


def _status(case):
    return {"is_closed": not case["is_open"],
            "status": "open" if case["is_open"] else "closed"}


def _case_json(row):
    return {
        "caseNumber": row["case_number"],
        "problemStatement": row["problem_statement"] or "",
        "fsrNotes": row["fsr_notes"] or "",
        "updatedAt": _utc_iso(row["updated_at"]),
    }


def _utc_iso(timestamp):
    # Connections run in UTC, so the naive datetimes the driver returns are UTC.
    return timestamp.isoformat(timespec="microseconds") + "Z"
