"""SQL for customers' sign-offs of a user's notes (``case_signoffs``).

A sign-off is written once and never changed. Every function takes the
signed-in user's id and filters by it: a sign-off belongs to the notes of
the user who had it signed.
"""
from collections import namedtuple

from ..db import get_db

# What a customer signs: their name and role, the signature (PNG bytes) and
# the version of the user's notes they were shown.
Signoff = namedtuple("Signoff", "signer_name signer_role signature version")

_COLUMNS = "id, case_number, version, signer_name, signer_role, signature, signed_at"


def add_signoff(user_id, case_number, signoff, request_id):
    """Record ``signoff`` of the user's listed notes on the case, if they are
    at ``signoff.version``; return the new row's id and signed_at, or None
    (no such notes, or another version)."""
    with get_db().transaction():
        added = get_db().execute_update(
            "INSERT INTO case_signoffs (user_id, case_number, version, signer_name,"
            " signer_role, signature, request_id)"
            # _binary: the PNG's bytes are no text in the connection's character set.
            " SELECT uc.user_id, uc.case_number, uc.version, %s, %s, _binary %s, %s"
            " FROM user_cases uc"
            " WHERE uc.user_id = %s AND uc.case_number = %s AND uc.removed_at IS NULL"
            " AND uc.version = %s",
            (signoff.signer_name, signoff.signer_role, signoff.signature, request_id,
             user_id, case_number, signoff.version))
        if not added:
            return None
        return get_db().execute(
            "SELECT id, signed_at FROM case_signoffs WHERE id = LAST_INSERT_ID()"
            " AND user_id = %s", (user_id,))


def signoffs(user_id, case_number):
    """The sign-offs of the user's notes on the case, newest first."""
    return get_db().execute_all(
        f"SELECT {_COLUMNS} FROM case_signoffs WHERE user_id = %s AND case_number = %s"
        " ORDER BY id DESC", (user_id, case_number))


def latest_signoff(user_id, case_number):
    """The newest sign-off of the user's notes on the case, or None."""
    return get_db().execute(
        f"SELECT {_COLUMNS} FROM case_signoffs WHERE user_id = %s AND case_number = %s"
        " ORDER BY id DESC LIMIT 1", (user_id, case_number))
