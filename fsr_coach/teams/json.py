"""The JSON shapes of a case's team, its members' notes and its events."""
from ..auth.json import user_json
from ..cases.json import notes_json, utc_iso


def team_json(access, assignee, collaborators):
    """The team as the caller with the Access sees it: the assignee always,
    the members only with read or more."""
    shows_members = access.permission != "none"
    return {
        "case_number": access.case_number,
        "assignee": _user(assignee) if assignee else None,
        "assigned_at": utc_iso(assignee["assigned_at"]) if assignee else None,
        "my_permission": access.permission,
        "members": [{**_user(row), "permission": row["permission"]}
                    for row in collaborators] if shows_members else [],
    }


def team_notes_json(access, rows, authors):
    """The members' notes (``rows``) under their ``authors`` {user id: (username, name)}."""
    return {
        "case_number": access.case_number,
        "my_permission": access.permission,
        "notes": [{"author": user_json(row["user_id"], *authors[int(row["user_id"])]),
                   **notes_json(row)} for row in rows],
    }


def event_json(row):
    return {
        "id": row["id"],
        "at": utc_iso(row["created_at"]),
        "by": user_json(row["by_user_id"], row["by_username"], row["by_display_name"]),
        "action": row["action"],
        "user": _user(row),
        "permission": row["permission"],
    }


def assigned_json(row):
    return {"case_number": row["case_number"], "assigned_at": utc_iso(row["assigned_at"]),
            "assigned_by": user_json(row["assigned_by"], row["username"], row["display_name"])}


def shared_json(row):
    return {"case_number": row["case_number"], "permission": row["permission"],
            "added_at": utc_iso(row["added_at"])}


def _user(row):
    return user_json(row["user_id"], row["username"], row["display_name"])
