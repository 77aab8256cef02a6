"""SQL for each user's notes on a case (``user_cases``), and the history
rows (``case_history``) each change writes; history.py reads them.

Every function takes the signed-in user's id and filters by it: no query
here can read or write another user's notes. A change of a text gives the
notes a new version and writes one history row per changed field, in the
same transaction, with the case and the notes locked: two saves of the
same notes never interleave, so a save that names a stale version is
refused rather than overwriting what it did not see.
"""
from collections import namedtuple

from ..db import get_db, in_list, values_list
from .catalog import case_key
from .errors import CaseClosed, CaseNotFound, NoNotes, VersionConflict

FIELDS = ("problem_statement", "fsr_notes")

# Writes are split into packets of at most this many characters of text, so
# that none can outgrow a 16 MB max_allowed_packet (4 bytes a character at
# the most). Below it, all the writes of a save travel in one round trip.
PACKET_TEXT_CHARS = 2_000_000

# Newest first; id breaks ties between rows saved in the same microsecond.
_NEWEST_FIRST = "ORDER BY uc.updated_at DESC, uc.id DESC"

# One wanted save: texts, and the version the client edited (None: any).
Save = namedtuple("Save", "case_number problem_statement fsr_notes base_version")
# The notes on one case after a write (``row``) and the fields it changed.
Written = namedtuple("Written", "row fields")
# One statement to send, with the characters of text among its parameters.
Statement = namedtuple("Statement", "sql params chars")


class BatchResult(namedtuple("BatchResult", "written unknown closed conflicts")):
    """What came of save_notes: the Written notes; unknown case numbers (as
    given), closed ones, and the stored notes of the conflicting ones."""


def open_case_numbers(user_id):
    """The user's listed case numbers whose case is open, newest first."""
    rows = get_db().execute_all(
        "SELECT c.case_number FROM user_cases uc"
        " JOIN cases c ON c.case_number = uc.case_number"
        " WHERE uc.user_id = %s AND uc.removed_at IS NULL AND c.is_open"
        f" {_NEWEST_FIRST}", (user_id,))
    return [row["case_number"] for row in rows]


# The page's load; bench/run.py sends it straight through the driver too, for
# the ceiling that HTTP is measured against.
LISTED_NOTES_SQL = (
    "SELECT c.case_number, uc.problem_statement, uc.fsr_notes, uc.version,"
    " uc.updated_at FROM user_cases uc JOIN cases c ON c.case_number = uc.case_number"
    " WHERE uc.user_id = %s AND uc.removed_at IS NULL AND c.is_open"
    f" {_NEWEST_FIRST}")


def listed_notes(user_id):
    """The user's notes on the open cases of their list, newest first."""
    return get_db().execute_all(LISTED_NOTES_SQL, (user_id,))


def case_notes(user_id, case_number):
    """The user's notes on one case, open or closed, removed or not, or None."""
    return get_db().execute(
        "SELECT c.case_number, c.is_open, c.closed_at, uc.problem_statement, uc.fsr_notes,"
        " uc.version, uc.updated_at, uc.removed_at"
        " FROM user_cases uc JOIN cases c ON c.case_number = uc.case_number"
        " WHERE uc.user_id = %s AND uc.case_number = %s", (user_id, case_number))


def save_notes(user_id, saves, request_id, changed_by=None):
    """Save the user's notes on many cases in one transaction, in a constant
    number of round trips; ``saves`` maps case_key to a Save. ``changed_by``
    is the id of the user who writes them: a teammate, or (None) the user.

    Unknown and closed cases and stale base versions are left out and
    reported; the rest is written. Saving the stored texts again writes no
    version and no history, but stamps updated_at (the design document's
    upsert does: it is when the user last saved).
    """
    with get_db().transaction():
        stored, now = _lock_notes(user_id, [save.case_number for save in saves.values()])
        result = BatchResult([], [], [], [])
        for key, save in saves.items():
            notes = stored.get(key)
            if notes is None:
                result.unknown.append(save.case_number)
            elif not notes["is_open"]:
                result.closed.append(notes["case_number"])
            elif save.base_version not in (None, _version(notes)):
                result.conflicts.append(_current(notes))
            else:
                result.written.append(_saved(notes, save, now))
        _send([*_upserts(user_id, [written.row for written in result.written]),
                *_history_inserts(user_id, result.written, request_id,
                                  changed_by or user_id)])
    return result


def save_case_notes(user_id, save, request_id, changed_by=None):
    """Save the user's notes on one case (as save_notes); return the Written
    notes, or raise CaseNotFound, CaseClosed or VersionConflict."""
    result = save_notes(user_id, {case_key(save.case_number): save}, request_id, changed_by)
    if result.unknown:
        raise CaseNotFound(save.case_number)
    if result.closed:
        raise CaseClosed(save.case_number)
    if result.conflicts:
        raise VersionConflict(result.conflicts[0])
    return result.written[0]


def remove_notes(user_id, case_number, request_id):
    """Take a case off the user's list, recording its last texts in the
    history; the notes stay, so adding the case again can offer them back.

    Returns the Written notes; raises CaseNotFound or NoNotes.
    """
    with get_db().transaction():
        stored, now = _lock_notes(user_id, [case_number])
        notes = stored.get(case_key(case_number))
        if notes is None:
            raise CaseNotFound(case_number)
        if notes["version"] is None or notes["removed_at"] is not None:
            raise NoNotes(case_number)
        removed = Written({"case_number": notes["case_number"], "version": notes["version"] + 1,
                           "updated_at": now, "old": _texts(notes), "new": (None, None)},
                          list(FIELDS))
        removal = Statement(
            "UPDATE user_cases SET version = %s, updated_at = %s, removed_at = %s"
            " WHERE user_id = %s AND case_number = %s",
            (removed.row["version"], now, now, user_id, notes["case_number"]), 0)
        _send([removal, *_history_inserts(user_id, [removed], request_id, user_id)])
    return removed


# --- the steps of a save ------------------------------------------------------

def _lock_notes(user_id, case_numbers):
    """({case_key: the case and the user's notes on it}, the server's time
    now), with the cases and the notes locked until the transaction ends."""
    rows = get_db().execute_all(
        "SELECT c.case_number, c.is_open, uc.problem_statement, uc.fsr_notes,"
        " uc.version, uc.updated_at, uc.removed_at, CURRENT_TIMESTAMP(6) AS now"
        " FROM cases c LEFT JOIN user_cases uc"
        " ON uc.case_number = c.case_number AND uc.user_id = %s"
        f" WHERE c.case_number IN ({in_list(case_numbers)}) FOR UPDATE",
        (user_id, *case_numbers))
    now = rows[0]["now"] if rows else None
    return {case_key(row["case_number"]): row for row in rows}, now


def _version(notes):
    """The stored version; 0 for notes never saved."""
    return notes["version"] or 0


def _texts(notes):
    """The stored texts; (None, None) when never saved or removed."""
    if notes["version"] is None or notes["removed_at"] is not None:
        return (None, None)
    return (notes["problem_statement"], notes["fsr_notes"])


def _current(notes):
    """The stored notes a conflicting save is answered with."""
    return {"case_number": notes["case_number"], "problem_statement": notes["problem_statement"],
            "fsr_notes": notes["fsr_notes"], "version": _version(notes),
            "updated_at": notes["updated_at"]}


def _saved(notes, save, now):
    old = _texts(notes)
    new = (save.problem_statement, save.fsr_notes)
    fields = [field for field, before, after in zip(FIELDS, old, new, strict=True) if before != after]
    version = _version(notes) + (1 if fields else 0)
    row = {"case_number": notes["case_number"], "problem_statement": new[0],
           "fsr_notes": new[1], "version": version, "updated_at": now,
           "old": old, "new": new}
    return Written(row, fields)


def _send(statements):
    """Send the statements in as few round trips as their text allows."""
    for packet in _chunks_by_text_size(statements, lambda statement: statement.chars):
        get_db().execute_batch([(statement.sql, statement.params) for statement in packet])


def _upserts(user_id, rows):
    """Statements that insert or update the entries, un-removing removed ones."""
    values = [(user_id, row["case_number"], row["problem_statement"], row["fsr_notes"],
               row["version"], row["updated_at"]) for row in rows]
    for chunk in _chunks_by_text_size(values, lambda value: _chars(value[2:4])):
        rows, params = values_list(chunk)
        yield Statement(
            "INSERT INTO user_cases"
            " (user_id, case_number, problem_statement, fsr_notes, version, updated_at)"
            f" VALUES {rows}"
            " ON DUPLICATE KEY UPDATE problem_statement = VALUES(problem_statement),"
            " fsr_notes = VALUES(fsr_notes), version = VALUES(version),"
            " updated_at = VALUES(updated_at), removed_at = NULL",
            params, sum(_chars(row[2:4]) for row in chunk))


def _history_inserts(user_id, written, request_id, changed_by):
    """Statements that write one case_history row per changed field of each
    Written entry, made by the user ``changed_by``."""
    values = []
    for entry in written:
        row = entry.row
        for field in entry.fields:
            index = FIELDS.index(field)
            values.append((user_id, row["case_number"], field, row["old"][index],
                           row["new"][index], row["version"], changed_by, request_id,
                           row["updated_at"]))
    for chunk in _chunks_by_text_size(values, lambda value: _chars(value[3:5])):
        rows, params = values_list(chunk)
        yield Statement(
            "INSERT INTO case_history (user_id, case_number, field_name, old_value,"
            " new_value, version, changed_by, request_id, changed_at)"
            f" VALUES {rows}",
            params, sum(_chars(row[3:5]) for row in chunk))


def _chars(texts):
    return sum(len(text or "") for text in texts)


def _chunks_by_text_size(items, chars_of):
    """``items`` in runs of at most PACKET_TEXT_CHARS characters of text (an
    item larger than that alone)."""
    chunk, size = [], 0
    for item in items:
        item_size = chars_of(item)
        if chunk and size + item_size > PACKET_TEXT_CHARS:
            yield chunk
            chunk, size = [], 0
        chunk.append(item)
        size += item_size
    if chunk:
        yield chunk
