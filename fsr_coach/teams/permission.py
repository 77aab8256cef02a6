"""A user's permission on a case, from lowest to highest: none (their own
notes only), read (the team and its members' notes), write (and save any
member's notes), admin (and change the team).

An account created with --admin is admin on every case; the assignee is
admin on theirs; a collaborator has their permission_level. Nothing is
cached: a change of team counts from the next request.
"""
from collections import namedtuple

from ..db import get_db
from .errors import NotAllowed, NotOnTeam, UnknownCase

LEVELS = ("none", "read", "write", "admin")
# What a collaborator may be given (the assignee is admin by being it).
MEMBER_LEVELS = LEVELS[1:]

# The case as stored, whether it is open, its assignee's id (or None), and
# the user's permission on it.
Access = namedtuple("Access", "case_number is_open assignee_id permission")


def case_access(user, case_number, lock=False):
    """The Access of ``user`` (a users row; None for the command line, which
    is admin) to the case; UnknownCase when there is none. ``lock`` locks
    the case and its team rows until the transaction ends, so that changes
    of one case's team never interleave."""
    row = get_db().execute(
        "SELECT c.case_number, c.is_open, a.assigned_to, cc.permission_level"
        " FROM cases c LEFT JOIN case_assignments a ON a.case_number = c.case_number"
        " LEFT JOIN case_collaborators cc"
        " ON cc.case_number = c.case_number AND cc.user_id = %s"
        f" WHERE c.case_number = %s{' FOR UPDATE' if lock else ''}",
        (user["id"] if user else 0, case_number))
    if row is None:
        raise UnknownCase(case_number)
    return Access(row["case_number"], bool(row["is_open"]), row["assigned_to"],
                  _permission(user, row))


def _permission(user, row):
    if user is None or user["is_admin"] or row["assigned_to"] == user["id"]:
        return "admin"
    return row["permission_level"] or "none"


def allows(access, level):
    """Whether the Access reaches ``level``."""
    return LEVELS.index(access.permission) >= LEVELS.index(level)


def require(access, level):
    """Refuse (NotOnTeam, NotAllowed) unless the Access reaches ``level``."""
    if access.permission == "none":
        raise NotOnTeam(access.case_number)
    if not allows(access, level):
        raise NotAllowed(level)
