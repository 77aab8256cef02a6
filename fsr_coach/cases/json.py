"""The JSON shapes of cases and of a user's notes on them, as the design
document has them (camelCase for notes, snake_case for statuses), for the
case endpoints and the 409 conflict answer alike."""

from ..auth.json import user_json

_FIELD_NAMES = {"problem_statement": "problemStatement", "fsr_notes": "fsrNotes"}


def notes_json(row):
    """The user's notes on a case; ``updatedAt`` is null when they were never saved."""
    return {
        "caseNumber": row["case_number"],
        "problemStatement": row["problem_statement"] or "",
        "fsrNotes": row["fsr_notes"] or "",
        "updatedAt": utc_iso(row["updated_at"]) if row["updated_at"] else None,
        "version": row["version"],
    }


def removed_notes_json(row):
    """Notes taken off the user's list, offered back to a re-add."""
    return {**notes_json(row), "removedAt": utc_iso(row["removed_at"])}


def saved_json(row):
    """One item of a batch's ``saved``."""
    return {"caseNumber": row["case_number"], "version": row["version"],
            "updatedAt": utc_iso(row["updated_at"])}


def save_answer(row):
    """The answer to a save of one case's notes (``row``: Written.row)."""
    return {
        "success": True,
        "message": "Case data saved successfully",
        "case_number": row["case_number"],
        "updated_at": utc_iso(row["updated_at"]),
        "version": row["version"],
    }


def conflict_json(current):
    """The body of a 409, also an item of a batch's errors."""
    return {"error": "conflict", "current": notes_json(current)}


def status_json(case):
    return {"is_closed": not case["is_open"],
            "status": "open" if case["is_open"] else "closed"}


def history_json(row):
    return {
        "id": row["id"],
        "field": _FIELD_NAMES[row["field_name"]],
        "oldValue": row["old_value"],
        "newValue": row["new_value"],
        "version": row["version"],
        "changedAt": utc_iso(row["changed_at"]),
        "requestId": row["request_id"],
        "changedBy": user_json(row["changed_by"], row["username"], row["display_name"]),
    }


def utc_iso(timestamp):
    # Connections run in UTC, so the naive datetimes the driver returns are UTC.
    return timestamp.isoformat(timespec="microseconds") + "Z"
