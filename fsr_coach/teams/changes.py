"""The changes of a case's team: assign, unassign, add or change a
collaborator, remove one (or leave).

Each is one transaction that first locks the case (so that two changes of
one team never interleave), checks the permission and the rules, makes the
change and writes one ``case_team_events`` row per person it changed; the
audit lines follow the commit. ``actor`` is the signed-in user's row, or
None for the command line (which is admin on every case).
"""
from collections import namedtuple

from ..auth import users
from ..cases.errors import CaseClosed
from ..db import get_db
from . import audit, events, members
from .errors import NotAMember, TargetIsAssignee, UnknownUser
from .permission import case_access, require

# One person's place on a team changed: ``action`` as case_team_events has it.
Change = namedtuple("Change", "case_number by_user_id action user_id permission")

# What a previous assignee keeps after a handover.
HANDED_OVER_PERMISSION = "write"


def assign(actor, case_number, username, request_id):
    """Make the user the case's assignee. An admin on the case may assign
    and reassign; anyone may take an unassigned case for themselves. The
    previous assignee stays on the team with write."""
    target = _active_user(username)
    with get_db().transaction():
        access = case_access(actor, case_number, lock=True)
        if not _takes_unassigned_case(actor, access, target):
            require(access, "admin")
        _require_open(access)
        changes = []
        if access.assignee_id != target["id"]:
            number, by = access.case_number, _id(actor)
            members.remove_collaborator(number, target["id"])
            members.set_assignee(number, target["id"], by)
            changes.append(Change(number, by, "assigned", target["id"], None))
            if access.assignee_id is not None:
                members.set_collaborator(number, access.assignee_id, HANDED_OVER_PERMISSION, by)
                changes.append(Change(number, by, "added", access.assignee_id,
                                      HANDED_OVER_PERMISSION))
        _record(changes, request_id)
    audit.log_team_changes(changes)


def unassign(actor, case_number, request_id):
    """Leave the case without an assignee (admin); the assignee leaves the team."""
    with get_db().transaction():
        access = case_access(actor, case_number, lock=True)
        require(access, "admin")
        _require_open(access)
        changes = []
        if access.assignee_id is not None:
            members.remove_assignee(access.case_number)
            changes.append(Change(access.case_number, _id(actor), "unassigned",
                                  access.assignee_id, None))
        _record(changes, request_id)
    audit.log_team_changes(changes)


def set_member(actor, case_number, username, permission, request_id):
    """Add the user to the team with ``permission``, or change theirs (admin)."""
    target = _active_user(username)
    with get_db().transaction():
        access = case_access(actor, case_number, lock=True)
        require(access, "admin")
        _require_open(access)
        _require_not_assignee(access, target)
        old = members.collaborator_permission(access.case_number, target["id"])
        changes = []
        if old != permission:
            members.set_collaborator(access.case_number, target["id"], permission, _id(actor))
            changes.append(Change(access.case_number, _id(actor),
                                  "added" if old is None else "changed", target["id"],
                                  permission))
        _record(changes, request_id)
    audit.log_team_changes(changes)


def remove_member(actor, case_number, username, request_id):
    """Take a collaborator off the team: an admin on the case, or the member
    themselves (leaving). NotAMember when they are not on it."""
    target = users.find_by_username(username)
    with get_db().transaction():
        access = case_access(actor, case_number, lock=True)
        leaving = target is not None and actor is not None and target["id"] == actor["id"]
        if not leaving:
            require(access, "admin")
        _require_open(access)
        if target is None:
            raise NotAMember(username)
        _require_not_assignee(access, target)
        if members.collaborator_permission(access.case_number, target["id"]) is None:
            raise NotAMember(username)
        members.remove_collaborator(access.case_number, target["id"])
        changes = [Change(access.case_number, _id(actor), "left" if leaving else "removed",
                          target["id"], None)]
        _record(changes, request_id)
    audit.log_team_changes(changes)


def _takes_unassigned_case(actor, access, target):
    return (access.assignee_id is None and actor is not None
            and target["id"] == actor["id"])


def _active_user(username):
    user = users.find_by_username(username)
    if user is None or not user["is_active"]:
        raise UnknownUser(username)
    return user


def _require_open(access):
    if not access.is_open:
        raise CaseClosed(access.case_number)


def _require_not_assignee(access, target):
    if target["id"] == access.assignee_id:
        raise TargetIsAssignee(target["username"])


def _id(actor):
    return actor["id"] if actor is not None else None


def _record(changes, request_id):
    for change in changes:
        events.add_event(*change, request_id)
