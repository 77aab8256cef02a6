"""The team endpoints (issue 14): the case's team, its assignee and
collaborators, the members' notes, the team's events, the caller's
assigned and shared cases, and the user search that adding a member uses.

Every view checks its input whole first, then the caller's permission on
the case (permission.case_access: 404 for an unknown case, 403 below the
level needed), then the rules; changes answer with the team as it is after.
"""
from flask import g, jsonify, request

from ..auth import users
from ..auth.json import user_json
from ..auth.session import current_user, current_user_id, require_api_access
from ..cases import audit as notes_audit
from ..cases import notes as own_notes
from ..cases.json import save_answer
from ..cases.validation import base_version, case_number_or_400, case_texts
from ..errors import InvalidInput
from ..request_body import json_object
from . import bp, changes, events, members
from .errors import NotAMember
from .json import assigned_json, event_json, shared_json, team_json, team_notes_json
from .notes import saved_notes, team_users
from .permission import MEMBER_LEVELS, case_access, require

MAX_QUERY_CHARS = 100
USERS_FOUND = 20

bp.before_request(require_api_access)


@bp.get("/users")
def search_users():
    q = request.args.get("q")
    if q is None or len(q) > MAX_QUERY_CHARS:
        raise InvalidInput(f"q must be given, at most {MAX_QUERY_CHARS} characters", field="q")
    rows = users.search(q, USERS_FOUND)
    return jsonify({"users": [user_json(row["id"], row["username"], row["display_name"])
                              for row in rows]})


@bp.get("/cases/assigned")
def assigned_cases():
    rows = members.assigned_cases(current_user()["id"])
    return jsonify({"cases": [assigned_json(row) for row in rows], "count": len(rows)})


@bp.get("/cases/shared")
def shared_cases():
    rows = members.shared_cases(current_user()["id"])
    return jsonify({"cases": [shared_json(row) for row in rows], "count": len(rows)})


@bp.get("/cases/<case_number>/team")
def get_team(case_number):
    return _team_answer(case_number_or_400(case_number))


@bp.put("/cases/<case_number>/assignee")
def put_assignee(case_number):
    case_number = case_number_or_400(case_number)
    username = _username(json_object().get("username"))
    changes.assign(current_user(), case_number, username, g.request_id)
    return _team_answer(case_number)


@bp.delete("/cases/<case_number>/assignee")
def delete_assignee(case_number):
    case_number = case_number_or_400(case_number)
    changes.unassign(current_user(), case_number, g.request_id)
    return _team_answer(case_number)


@bp.put("/cases/<case_number>/team/<username>")
def put_member(case_number, username):
    case_number, username = case_number_or_400(case_number), _username(username)
    permission = json_object().get("permission")
    if permission not in MEMBER_LEVELS:
        raise InvalidInput(f"permission must be one of {', '.join(MEMBER_LEVELS)}",
                           field="permission")
    changes.set_member(current_user(), case_number, username, permission, g.request_id)
    return _team_answer(case_number)


@bp.delete("/cases/<case_number>/team/<username>")
def delete_member(case_number, username):
    case_number, username = case_number_or_400(case_number), _username(username)
    changes.remove_member(current_user(), case_number, username, g.request_id)
    return _team_answer(case_number)


@bp.get("/cases/<case_number>/team/notes")
def get_team_notes(case_number):
    access = case_access(current_user(), case_number_or_400(case_number))
    require(access, "read")
    me = current_user()
    authors = {**team_users(access.case_number), me["id"]: (me["username"], me["display_name"])}
    rows = saved_notes(access.case_number, list(authors))
    return jsonify(team_notes_json(access, rows, authors))


@bp.put("/cases/<case_number>/team/notes/<username>")
def put_member_notes(case_number, username):
    case_number, username = case_number_or_400(case_number), _username(username)
    body = json_object()
    texts, version = case_texts(body), base_version(body)
    access = case_access(current_user(), case_number)
    require(access, "write")
    author_id = _member_id(access.case_number, username)
    save = own_notes.Save(access.case_number, *texts, version)
    written = own_notes.save_case_notes(author_id, save, g.request_id,
                                        changed_by=current_user_id())
    notes_audit.log_changes("save", author_id, [written], changed_by=current_user_id())
    return jsonify(save_answer(written.row))


@bp.get("/cases/<case_number>/team/events")
def get_team_events(case_number):
    access = case_access(current_user(), case_number_or_400(case_number))
    require(access, "read")
    return jsonify({"events": [event_json(row) for row in events.case_events(access.case_number)]})


def _team_answer(case_number):
    access = case_access(current_user(), case_number)
    return jsonify(team_json(access, members.assignee(access.case_number),
                             members.collaborators(access.case_number)))


def _username(raw):
    """A username as given in a body or a path; a malformed one is a 400."""
    username = users.usable_username(raw) if isinstance(raw, str) else None
    if username is None:
        raise InvalidInput(f"username must have 1 to {users.MAX_USERNAME_CHARS}"
                           " printable characters", field="username")
    return username


def _member_id(case_number, username):
    """The user id (as user_cases has it) of the team member named; NotAMember else."""
    user = users.find_by_username(username)
    if user is None or user["id"] not in team_users(case_number):
        raise NotAMember(username)
    return str(user["id"])
