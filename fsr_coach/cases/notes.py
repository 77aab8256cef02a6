"""SQL for each user's saved case texts (the ``user_cases`` table).

Every function takes the signed-in user's id and filters by it: no query
here can read or write another user's notes.
"""
from ..db import get_db
from ..errors import CaseClosed, CaseNotFound
from .catalog import find_case, find_cases

# A batch is written with one INSERT while it is small; past this many
# characters of text it is split, so that no statement can outgrow a 16 MB
# max_allowed_packet (4 bytes a character at the most).
STATEMENT_TEXT_CHARS = 2_000_000

# Every save stamps updated_at, even one that repeats the stored texts (as
# the design document's upsert does): it is when the user last saved.
_ON_DUPLICATE = (" ON DUPLICATE KEY UPDATE problem_statement = VALUES(problem_statement),"
                 " fsr_notes = VALUES(fsr_notes), updated_at = CURRENT_TIMESTAMP(6)")

# Newest first; id breaks ties between rows saved in the same microsecond.
_NEWEST_FIRST = "ORDER BY uc.updated_at DESC, uc.id DESC"


def open_case_numbers(user_id):
    """The user's saved case numbers whose case is open, newest first."""
    rows = get_db().execute_all(
        "SELECT c.case_number FROM user_cases uc"
        " JOIN cases c ON c.case_number = uc.case_number"
        f" WHERE uc.user_id = %s AND c.is_open {_NEWEST_FIRST}", (user_id,))
    return [row["case_number"] for row in rows]


def open_saved_cases(user_id):
    """The user's saved texts of open cases, newest first."""
    return get_db().execute_all(
        "SELECT c.case_number, uc.problem_statement, uc.fsr_notes, uc.updated_at"
        " FROM user_cases uc JOIN cases c ON c.case_number = uc.case_number"
        f" WHERE uc.user_id = %s AND c.is_open {_NEWEST_FIRST}", (user_id,))


def saved_case(user_id, case_number):
    """The user's saved texts of one case, open or closed, or None."""
    return get_db().execute(
        "SELECT c.case_number, c.is_open, uc.problem_statement, uc.fsr_notes,"
        " uc.updated_at"
        " FROM user_cases uc JOIN cases c ON c.case_number = uc.case_number"
        " WHERE uc.user_id = %s AND uc.case_number = %s", (user_id, case_number))


def save_case(user_id, case_number, problem_statement, fsr_notes):
    """Insert or replace the user's texts of an open case; return the saved row.

    Raises CaseNotFound or CaseClosed, having written nothing.
    """
    # One statement checks that the case is open and writes, so a case
    # closed meanwhile can never receive a save.
    written = get_db().execute_update(
        "INSERT INTO user_cases (user_id, case_number, problem_statement, fsr_notes)"
        " SELECT %s, c.case_number, %s, %s FROM cases c"
        " WHERE c.case_number = %s AND c.is_open" + _ON_DUPLICATE,
        (user_id, problem_statement, fsr_notes, case_number))
    if not written:
        case = find_case(case_number)
        if case is None:
            raise CaseNotFound(case_number)
        if not case["is_open"]:
            raise CaseClosed(case_number)
    return saved_case(user_id, case_number)


def save_cases(user_id, texts_by_key):
    """Save many cases at once, in one transaction and a constant number of
    round trips: one query checks the cases, one statement writes them.

    ``texts_by_key`` maps case_key to (case_number as given, problem, notes).
    Returns (saved, unknown, closed): case numbers, saved ones as stored.
    """
    db = get_db()
    saved, unknown, closed = [], [], []
    rows = []
    with db.transaction():
        cases = find_cases([given for given, _, _ in texts_by_key.values()], lock=True)
        for key, (given, problem, notes) in texts_by_key.items():
            case = cases.get(key)
            if case is None:
                unknown.append(given)
            elif not case["is_open"]:
                closed.append(case["case_number"])
            else:
                saved.append(case["case_number"])
                rows.append((user_id, case["case_number"], problem, notes))
        for chunk in _chunks_by_text_size(rows):
            placeholders = ", ".join(["(%s, %s, %s, %s)"] * len(chunk))
            db.execute_update(
                "INSERT INTO user_cases (user_id, case_number, problem_statement, fsr_notes)"
                f" VALUES {placeholders}" + _ON_DUPLICATE,
                [value for row in chunk for value in row])
    return saved, unknown, closed


def _chunks_by_text_size(rows):
    chunk, size = [], 0
    for row in rows:
        row_size = len(row[2]) + len(row[3])
        if chunk and size + row_size > STATEMENT_TEXT_CHARS:
            yield chunk
            chunk, size = [], 0
        chunk.append(row)
        size += row_size
    if chunk:
        yield chunk
