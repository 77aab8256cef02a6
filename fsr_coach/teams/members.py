"""SQL for a case's team: its assignee (``case_assignments``) and its
collaborators (``case_collaborators``).

The callers check the permission first (permission.py); the changes run
inside a transaction that locked the case (changes.py).
"""
from ..db import get_db


def assignee(case_number):
    """The case's assignee (user_id, username, display_name, assigned_at,
    assigned_by), or None."""
    return get_db().execute(
        "SELECT a.assigned_to AS user_id, u.username, u.display_name, a.assigned_at,"
        " a.assigned_by FROM case_assignments a JOIN users u ON u.id = a.assigned_to"
        " WHERE a.case_number = %s", (case_number,))


def collaborators(case_number):
    """The case's collaborators (user_id, username, display_name, permission), by username."""
    rows = get_db().execute_all(
        "SELECT cc.user_id, u.username, u.display_name, cc.permission_level AS permission"
        " FROM case_collaborators cc JOIN users u ON u.id = cc.user_id"
        " WHERE cc.case_number = %s", (case_number,))
    # A team is a handful of people: sorted here rather than by the server.
    return sorted(rows, key=lambda row: row["username"].lower())


def collaborator_permission(case_number, user_id):
    """The user's permission_level on the case as a collaborator, or None."""
    row = get_db().execute(
        "SELECT permission_level FROM case_collaborators"
        " WHERE case_number = %s AND user_id = %s", (case_number, user_id))
    return row["permission_level"] if row else None


def set_collaborator(case_number, user_id, permission, added_by):
    """Add the user to the case's team with ``permission``, or change theirs."""
    get_db().execute_update(
        "INSERT INTO case_collaborators (case_number, user_id, permission_level, added_by)"
        " VALUES (%s, %s, %s, %s)"
        " ON DUPLICATE KEY UPDATE permission_level = VALUES(permission_level)",
        (case_number, user_id, permission, added_by))


def remove_collaborator(case_number, user_id):
    get_db().execute_update(
        "DELETE FROM case_collaborators WHERE case_number = %s AND user_id = %s",
        (case_number, user_id))


def set_assignee(case_number, user_id, assigned_by):
    """Assign the case to the user (replacing any assignee), as of now."""
    get_db().execute_update(
        "INSERT INTO case_assignments (case_number, assigned_to, assigned_by)"
        " VALUES (%s, %s, %s)"
        " ON DUPLICATE KEY UPDATE assigned_to = VALUES(assigned_to),"
        " assigned_by = VALUES(assigned_by), assigned_at = CURRENT_TIMESTAMP(6)",
        (case_number, user_id, assigned_by))


def remove_assignee(case_number):
    get_db().execute_update(
        "DELETE FROM case_assignments WHERE case_number = %s", (case_number,))


def assigned_cases(user_id):
    """The open cases assigned to the user (case_number, assigned_at and who
    assigned it), newest assignment first."""
    return get_db().execute_all(
        "SELECT a.case_number, a.assigned_at, a.assigned_by, u.username, u.display_name"
        " FROM case_assignments a JOIN cases c ON c.case_number = a.case_number"
        " LEFT JOIN users u ON u.id = a.assigned_by"
        " WHERE a.assigned_to = %s AND c.is_open ORDER BY a.assigned_at DESC", (user_id,))


def shared_cases(user_id):
    """The open cases on which the user is a collaborator (case_number,
    permission, added_at), newest first."""
    rows = get_db().execute_all(
        "SELECT cc.case_number, cc.permission_level AS permission, cc.added_at"
        " FROM case_collaborators cc JOIN cases c ON c.case_number = cc.case_number"
        " WHERE cc.user_id = %s AND c.is_open", (user_id,))
    return sorted(rows, key=lambda row: row["added_at"], reverse=True)
