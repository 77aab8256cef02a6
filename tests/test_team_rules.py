"""The team's rules (issue 14): closed cases, unknown and malformed input,
no cache, and the rule for taking a case."""
import pytest

from support.api import error_json, logged, signed_in_client
from support.app import CLOSED_CASES
from support.team import (
    CASE,
    assign,
    members_of,
    remove_member,
    save_member_notes,
    save_own,
    set_member,
    team,
    team_notes,
)

CHANGES = [
    ("PUT", "/assignee", {"username": "bob"}),
    ("DELETE", "/assignee", None),
    ("PUT", "/team/bob", {"permission": "admin"}),
    ("DELETE", "/team/bob", None),
    ("PUT", "/team/notes/bob", {"fsrNotes": "late"}),
]


@pytest.fixture
def closed_team(alice, bob, sql):
    """alice's case, bob on its team with write and notes on it, then closed."""
    assign(alice, "alice")
    set_member(alice, "bob", "write")
    save_own(bob, {"fsrNotes": "bob's words"})
    sql.run("UPDATE cases SET is_open = FALSE WHERE case_number = %s", (CASE,))


@pytest.mark.parametrize("method, suffix, body", CHANGES)
def test_every_change_on_a_closed_case_is_refused_as_case_closed(closed_team, alice, method,
                                                                 suffix, body):
    response = alice.open(f"/api/cases/{CASE}{suffix}", method=method, json=body)
    assert error_json(response, 400)["reason"] == "case_closed"


def test_a_closed_cases_team_and_notes_stay_readable(closed_team, alice):
    assert members_of(team(alice).json) == {"bob": "write"}
    assert [n["fsrNotes"] for n in team_notes(alice).json["notes"]] == ["bob's words"]


@pytest.mark.parametrize("method, suffix, body", [("GET", "/team", None),
                                                  ("GET", "/team/notes", None),
                                                  ("GET", "/team/events", None), *CHANGES])
def test_an_unknown_case_is_a_404(alice, bob, method, suffix, body):
    response = alice.open(f"/api/cases/NO-SUCH-CASE{suffix}", method=method, json=body)
    assert error_json(response, 404)["reason"] == "unknown_case"


@pytest.mark.parametrize("method, suffix, body", [("GET", "/team", None), *CHANGES])
def test_a_malformed_case_number_is_a_400(alice, method, suffix, body):
    response = alice.open(f"/api/cases/-bad{suffix}", method=method, json=body)
    assert error_json(response, 400)["field"] == "caseNumber"


def test_assigning_an_unknown_user_is_a_400_naming_username(alice):
    assign(alice, "alice")
    assert error_json(assign(alice, "nobody"), 400)["field"] == "username"


def test_assigning_a_disabled_user_is_a_400_naming_username(alice, bob, sql):
    assign(alice, "alice")
    sql.run("UPDATE users SET is_active = FALSE WHERE username = 'bob'")
    assert error_json(assign(alice, "bob"), 400)["field"] == "username"


def test_adding_an_unknown_user_is_a_400(alice):
    assign(alice, "alice")
    assert error_json(set_member(alice, "nobody", "read"), 400)["field"] == "username"


@pytest.mark.parametrize("permission", ["owner", "READ", "", None, 1])
def test_another_permission_word_is_a_400_naming_permission(alice, bob, permission):
    assign(alice, "alice")
    assert error_json(set_member(alice, "bob", permission), 400)["field"] == "permission"


def test_the_assignee_cannot_be_made_a_collaborator(alice):
    assign(alice, "alice")
    assert error_json(set_member(alice, "alice", "read"), 400)["field"] == "username"


def test_removing_someone_not_on_the_team_is_a_404(alice, bob):
    assign(alice, "alice")
    error_json(remove_member(alice, "bob"), 404)


def test_saving_the_notes_of_someone_not_on_the_team_is_a_404(alice, bob):
    assign(alice, "alice")
    save_own(bob, {"fsrNotes": "bob's own"})
    error_json(save_member_notes(alice, "bob", {"fsrNotes": "taken"}), 404)


def test_anyone_may_take_an_unassigned_case_for_themselves(alice, bob):
    assert assign(bob, "bob").json["assignee"]["username"] == "bob"


def test_nobody_but_an_admin_gives_an_unassigned_case_to_someone_else(alice, bob):
    assert error_json(assign(bob, "alice"), 403)["reason"] == "not_on_team"


def test_nobody_takes_an_assigned_case_without_admin(alice, bob):
    assign(alice, "alice")
    assert error_json(assign(bob, "bob"), 403)["reason"] == "not_on_team"


def test_an_admin_account_assigns_any_case(alice, make_user, app):
    make_user("dispatch", is_admin=True)
    dispatcher = signed_in_client(app, "dispatch")
    assert assign(dispatcher, "alice").json["assignee"]["username"] == "alice"
    assert dispatcher.get("/api/cases/assigned").json["count"] == 0
    assert alice.get("/api/cases/assigned").json["cases"][0]["assigned_by"]["username"] \
        == "dispatch"


def test_a_removed_collaborators_next_read_is_a_403(alice, bob):
    assign(alice, "alice")
    set_member(alice, "bob", "read")
    assert team_notes(bob).status_code == 200
    remove_member(alice, "bob")
    assert error_json(team_notes(bob), 403)["reason"] == "not_on_team"


def test_a_changed_permission_counts_from_the_next_request(alice, bob):
    assign(alice, "alice")
    set_member(alice, "bob", "read")
    assert save_member_notes(bob, "alice", {"fsrNotes": "x"}).status_code == 403
    set_member(alice, "bob", "write")
    assert save_member_notes(bob, "alice", {"fsrNotes": "x"}).status_code == 200


def test_a_stale_base_version_on_a_members_notes_is_a_409_with_current(alice, bob):
    assign(alice, "alice")
    set_member(alice, "bob", "write")
    save_own(alice, {"fsrNotes": "v1"})
    save_own(alice, {"fsrNotes": "v2"})
    body = error_json(save_member_notes(bob, "alice", {"fsrNotes": "bob's"}, base=1), 409)
    assert body["current"]["fsrNotes"] == "v2" and body["current"]["version"] == 2


def test_setting_the_same_permission_again_writes_no_event(alice, bob, sql):
    assign(alice, "alice")
    set_member(alice, "bob", "read")
    set_member(alice, "bob", "read")
    assert sql.one("SELECT COUNT(*) AS n FROM case_team_events")["n"] == 2


def test_a_handover_writes_an_event_for_each_person_it_changed(alice, bob, sql):
    assign(alice, "alice")
    assign(alice, "bob")
    rows = sql.all("SELECT action, permission FROM case_team_events ORDER BY id")
    assert [(r["action"], r["permission"]) for r in rows] == [
        ("assigned", None), ("assigned", None), ("added", "write")]


def test_a_team_change_writes_an_audit_line_without_texts(alice, bob, caplog):
    assign(alice, "alice")
    set_member(alice, "bob", "read")
    line = logged(caplog, "fsr_coach.audit")[-1]
    assert {key: line[key] for key in ("action", "case_number", "permission")} == {
        "action": "team_added", "case_number": CASE, "permission": "read"}
    assert line["request_id"] and line["by_user_id"] != line["user_id"]


@pytest.mark.parametrize("query", ["", "?q=" + "x" * 101])
def test_user_search_without_q_or_with_a_long_one_is_a_400(alice, query):
    assert error_json(alice.get(f"/api/users{query}"), 400)["field"] == "q"


def test_closed_cases_leave_the_assigned_list(alice, sql):
    assign(alice, "alice")
    sql.run("UPDATE cases SET is_open = FALSE WHERE case_number = %s", (CASE,))
    assert alice.get("/api/cases/assigned").json == {"cases": [], "count": 0}


def test_a_closed_case_cannot_be_taken(alice):
    assert error_json(assign(alice, "alice", case=CLOSED_CASES[0]), 400)["reason"] \
        == "case_closed"
