"""The team endpoints (issue 14) answer with the shapes the issue gives."""
from support.api import error_json
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


def test_a_case_nobody_took_has_no_assignee_and_no_members(alice):
    answer = team(alice).json
    assert answer == {"case_number": CASE, "assignee": None, "assigned_at": None,
                      "my_permission": "none", "members": []}


def test_taking_an_unassigned_case_makes_the_taker_its_admin_assignee(alice):
    answer = assign(alice, "alice").json
    assert answer["assignee"]["username"] == "alice"
    assert answer["assignee"]["display_name"] == "alice"
    assert answer["assigned_at"].endswith("Z")
    assert answer["my_permission"] == "admin"


def test_the_team_answer_names_each_member_with_their_permission(alice, bob, make_user):
    make_user("carol")
    assign(alice, "alice")
    set_member(alice, "bob", "read")
    answer = set_member(alice, "carol", "write").json
    assert members_of(answer) == {"bob": "read", "carol": "write"}
    assert set(answer["members"][0]) == {"user_id", "username", "display_name", "permission"}


def test_a_member_sees_their_own_permission(alice, bob):
    assign(alice, "alice")
    set_member(alice, "bob", "write")
    assert team(bob).json["my_permission"] == "write"


def test_a_handover_keeps_the_previous_assignee_with_write(alice, bob):
    assign(alice, "alice")
    answer = assign(alice, "bob").json
    assert answer["assignee"]["username"] == "bob"
    assert members_of(answer) == {"alice": "write"}


def test_unassigning_leaves_the_case_without_assignee(alice):
    assign(alice, "alice")
    answer = alice.delete(f"/api/cases/{CASE}/assignee").json
    assert answer["assignee"] is None and answer["my_permission"] == "none"


def test_removing_a_member_takes_them_off_the_team(alice, bob):
    assign(alice, "alice")
    set_member(alice, "bob", "read")
    assert members_of(remove_member(alice, "bob").json) == {}


def test_a_member_may_leave_the_team(alice, bob):
    assign(alice, "alice")
    set_member(alice, "bob", "read")
    answer = remove_member(bob, "bob")
    assert answer.status_code == 200 and answer.json["my_permission"] == "none"


def test_team_notes_hold_every_members_saved_notes_newest_first(alice, bob):
    assign(alice, "alice")
    set_member(alice, "bob", "read")
    save_own(alice, {"problemStatement": "a1", "fsrNotes": "a2"})
    save_own(bob, {"problemStatement": "b1", "fsrNotes": "b2"})
    notes = team_notes(bob).json["notes"]
    assert [(n["author"]["username"], n["problemStatement"]) for n in notes] == [
        ("bob", "b1"), ("alice", "a1")]
    assert set(notes[0]) == {"author", "caseNumber", "problemStatement", "fsrNotes",
                             "updatedAt", "version"}


def test_a_teammate_with_write_saves_a_members_notes(alice, bob):
    assign(alice, "alice")
    set_member(alice, "bob", "write")
    saved = save_own(alice, {"fsrNotes": "mine"}).json
    answer = save_member_notes(bob, "alice", {"fsrNotes": "continued"}, base=saved["version"])
    assert answer.status_code == 200 and answer.json["version"] == saved["version"] + 1
    assert alice.get(f"/api/cases/data/{CASE}").json["data"]["fsrNotes"] == "continued"


def test_the_members_own_save_from_the_old_version_is_a_conflict(alice, bob):
    assign(alice, "alice")
    set_member(alice, "bob", "write")
    version = save_own(alice, {"fsrNotes": "mine"}).json["version"]
    save_member_notes(bob, "alice", {"fsrNotes": "bob's"}, base=version)
    answer = save_own(alice, {"fsrNotes": "alice again"}, base=version)
    assert error_json(answer, 409)["current"]["fsrNotes"] == "bob's"


def test_history_names_who_made_each_change(alice, bob):
    assign(alice, "alice")
    set_member(alice, "bob", "write")
    version = save_own(alice, {"fsrNotes": "mine"}).json["version"]
    save_member_notes(bob, "alice", {"fsrNotes": "bob's"}, base=version)
    history = alice.get(f"/api/cases/data/{CASE}/history").json["history"]
    # The first save wrote both fields, the teammate's one.
    assert [entry["changedBy"]["username"] for entry in history] == ["bob", "alice", "alice"]


def test_assigned_cases_list_the_callers_open_assignments_newest_first(alice, bob):
    assign(alice, "alice", case="CASE-2024-003")
    assign(alice, "alice")
    answer = alice.get("/api/cases/assigned").json
    assert [c["case_number"] for c in answer["cases"]] == [CASE, "CASE-2024-003"]
    assert answer["count"] == 2
    assert answer["cases"][0]["assigned_by"]["username"] == "alice"


def test_shared_cases_list_the_cases_where_the_caller_is_a_collaborator(alice, bob):
    assign(alice, "alice")
    set_member(alice, "bob", "read")
    answer = bob.get("/api/cases/shared").json
    assert [(c["case_number"], c["permission"]) for c in answer["cases"]] == [(CASE, "read")]


def test_events_tell_each_change_newest_first(alice, bob):
    assign(alice, "alice")
    set_member(alice, "bob", "read")
    set_member(alice, "bob", "write")
    remove_member(bob, "bob")
    events = alice.get(f"/api/cases/{CASE}/team/events").json["events"]
    assert [(e["action"], e["user"]["username"], e["permission"]) for e in events] == [
        ("left", "bob", None), ("changed", "bob", "write"), ("added", "bob", "read"),
        ("assigned", "alice", None)]
    assert events[0]["by"]["username"] == "bob"


def test_user_search_finds_active_users_by_username_or_display_name_prefix(
        alice, make_user, sql):
    make_user("dan", display_name="Zed Smith")
    make_user("daisy")
    make_user("gone")
    sql.run("UPDATE users SET is_active = FALSE WHERE username = 'gone'")
    found = alice.get("/api/users?q=D").json["users"]
    assert [user["username"] for user in found] == ["daisy", "dan"]
    assert [u["username"] for u in alice.get("/api/users?q=zed").json["users"]] == ["dan"]
    assert alice.get("/api/users?q=go").json["users"] == []


def test_user_search_takes_like_wildcards_literally(alice, make_user):
    make_user("a_b")
    make_user("axb")
    assert [u["username"] for u in alice.get("/api/users?q=a_").json["users"]] == ["a_b"]


def test_user_search_answers_at_most_20(alice, make_user):
    for n in range(25):
        make_user(f"user{n:02d}")
    assert len(alice.get("/api/users?q=user").json["users"]) == 20
