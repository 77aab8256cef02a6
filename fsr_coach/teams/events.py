"""SQL for ``case_team_events``: one row per change of a case's team,
written in the change's transaction, never updated."""
from ..db import get_db

# A case's events come newest first, at most this many.
EVENTS_SHOWN = 200


def add_event(case_number, by_user_id, action, user_id, permission, request_id):
    get_db().execute_update(
        "INSERT INTO case_team_events"
        " (case_number, by_user_id, action, user_id, permission, request_id)"
        " VALUES (%s, %s, %s, %s, %s, %s)",
        (case_number, by_user_id, action, user_id, permission, request_id))


def case_events(case_number):
    """The case's latest EVENTS_SHOWN events, newest first, with who did
    them and to whom."""
    return get_db().execute_all(
        "SELECT e.id, e.created_at, e.action, e.permission,"
        " e.by_user_id, b.username AS by_username, b.display_name AS by_display_name,"
        " e.user_id, t.username, t.display_name"
        " FROM case_team_events e JOIN users t ON t.id = e.user_id"
        " LEFT JOIN users b ON b.id = e.by_user_id"
        " WHERE e.case_number = %s ORDER BY e.id DESC LIMIT %s",
        (case_number, EVENTS_SHOWN))
