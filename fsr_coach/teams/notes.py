"""SQL for the team's notes on a case: each member's own ``user_cases``
row, read for a caller whose permission on the case is read or more
(checked first)."""
from ..db import get_db, in_list
from . import members
from .permission import allows, case_access


def team_users(case_number):
    """{user id: (username, display_name)} of the case's assignee and collaborators."""
    team = [members.assignee(case_number), *members.collaborators(case_number)]
    return {row["user_id"]: (row["username"], row["display_name"])
            for row in team if row is not None}


def saved_notes(case_number, user_ids):
    """The saved notes (not removed) of those users on the case, newest first."""
    if not user_ids:
        return []
    ids = [str(user_id) for user_id in user_ids]  # user_cases.user_id is a string
    rows = get_db().execute_all(
        "SELECT user_id, case_number, problem_statement, fsr_notes, version, updated_at"
        " FROM user_cases WHERE case_number = %s AND removed_at IS NULL"
        f" AND user_id IN ({in_list(ids)})", (case_number, *ids))
    # A handful of rows: sorted here rather than by the server.
    return sorted(rows, key=lambda row: row["updated_at"], reverse=True)


def teammates_notes(user, case_number):
    """[(display name, notes row)] of the other team members' saved notes on
    the case, newest first, when ``user`` has read on it; else []."""
    access = case_access(user, case_number)
    if not allows(access, "read"):
        return []
    authors = team_users(access.case_number)
    others = [user_id for user_id in authors if user_id != user["id"]]
    return [(authors[int(row["user_id"])][1], row)
            for row in saved_notes(access.case_number, others)]
