"""The JSON shape of a user's saved case, as the design document has it
(camelCase), for the case endpoints and for the 409 conflict answer alike."""


def case_json(row):
    return {
        "caseNumber": row["case_number"],
        "problemStatement": row["problem_statement"] or "",
        "fsrNotes": row["fsr_notes"] or "",
        "updatedAt": utc_iso(row["updated_at"]),
        "version": row["version"],
    }


def utc_iso(timestamp):
    # Connections run in UTC, so the naive datetimes the driver returns are UTC.
    return timestamp.isoformat(timespec="microseconds") + "Z"
