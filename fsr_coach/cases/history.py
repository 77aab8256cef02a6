"""SQL that reads the history of a user's notes on a case (``case_history``,
written by notes.py with each change), filtered by the signed-in user."""
from ..db import get_db


def case_history(user_id, case_number, limit, before=None):
    """The changes to the user's notes on one case, newest first, each with
    who made it (changed_by, its username and display_name): at most
    ``limit``, only those older than history id ``before`` when it is given."""
    older = " AND h.id < %s" if before is not None else ""
    params = (user_id, case_number, *((before,) if before is not None else ()), limit)
    return get_db().execute_all(
        "SELECT h.id, h.field_name, h.old_value, h.new_value, h.version, h.request_id,"
        " h.changed_at, h.changed_by, u.username, u.display_name"
        " FROM case_history h LEFT JOIN users u ON u.id = h.changed_by"
        " WHERE h.user_id = %s AND h.case_number = %s" + older +
        " ORDER BY h.id DESC LIMIT %s", params)
