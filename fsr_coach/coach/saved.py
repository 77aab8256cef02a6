"""SQL for the coach's summary: the user's own saved texts."""
from ..db import get_db


def last_saved_texts(user_id, last):
    """The user's ``last`` most recently saved entries that hold any text,
    newest first (removed ones left out): their problem statement and notes."""
    return get_db().execute_all(
        "SELECT uc.problem_statement, uc.fsr_notes FROM user_cases uc"
        " WHERE uc.user_id = %s AND uc.removed_at IS NULL"
        " AND (uc.problem_statement <> '' OR uc.fsr_notes <> '')"
        " ORDER BY uc.updated_at DESC, uc.id DESC LIMIT %s", (user_id, last))
