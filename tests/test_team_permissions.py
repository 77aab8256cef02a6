"""Every permission level against every team endpoint (issue 14), and the
design document's endpoints, which still show nobody else's notes.

The case is alice's (its assignee); dora is on its team with read; both
saved notes on it. carol, the caller, has each permission in turn.
"""
import pytest

from support.api import error_json, signed_in_client
from support.team import CASE, assign, members_of, save_own, set_member

# The caller's place, and the permission it gives.
LEVELS = {"none": "none", "read": "read", "write": "write", "admin": "admin",
          "assignee": "admin", "admin_account": "admin"}
ORDER = ["none", "read", "write", "admin"]

# name: (method, path, body, the lowest permission that may)
ENDPOINTS = {
    "get_team": ("GET", f"/api/cases/{CASE}/team", None, "none"),
    "reassign": ("PUT", f"/api/cases/{CASE}/assignee", {"username": "dora"}, "admin"),
    "unassign": ("DELETE", f"/api/cases/{CASE}/assignee", None, "admin"),
    "set_member": ("PUT", f"/api/cases/{CASE}/team/dora", {"permission": "write"}, "admin"),
    "remove_member": ("DELETE", f"/api/cases/{CASE}/team/dora", None, "admin"),
    "team_notes": ("GET", f"/api/cases/{CASE}/team/notes", None, "read"),
    "save_member_notes": ("PUT", f"/api/cases/{CASE}/team/notes/dora",
                          {"fsrNotes": "carol's words", "baseVersion": 1}, "write"),
    "events": ("GET", f"/api/cases/{CASE}/team/events", None, "read"),
}


@pytest.fixture
def carol_as(app, make_user, alice):
    """carol_as(level): carol's client, with that place on alice's case."""

    def make(level):
        make_user("dora")
        make_user("carol", is_admin=level == "admin_account")
        dora = signed_in_client(app, "dora")
        carol = signed_in_client(app, "carol")
        assert assign(alice, "alice").status_code == 200
        assert set_member(alice, "dora", "read").status_code == 200
        assert save_own(alice, {"fsrNotes": "alice's words"}).status_code == 200
        assert save_own(dora, {"fsrNotes": "dora's words"}).status_code == 200
        if level in ("read", "write", "admin"):
            assert set_member(alice, "carol", level).status_code == 200
        elif level == "assignee":
            assert assign(alice, "carol").status_code == 200
        return carol
    return make


def team_rows(sql):
    """Every row a team change or a save could write."""
    return [sql.all(f"SELECT * FROM {table} ORDER BY 1") for table in (
        "case_collaborators", "case_assignments", "case_team_events", "user_cases",
        "case_history")]


def allowed(level, needed):
    return ORDER.index(LEVELS[level]) >= ORDER.index(needed)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("level", LEVELS)
def test_each_endpoint_answers_each_permission_level(carol_as, level, endpoint):
    method, path, body, needed = ENDPOINTS[endpoint]
    response = carol_as(level).open(path, method=method, json=body)
    if allowed(level, needed):
        assert response.status_code == 200, response.json
    else:
        reason = "not_on_team" if level == "none" else "not_allowed"
        assert error_json(response, 403)["reason"] == reason


@pytest.mark.parametrize("endpoint", [name for name, (method, *_r) in ENDPOINTS.items()
                                      if method != "GET"])
def test_a_refused_change_changes_nothing(carol_as, sql, endpoint):
    method, path, body, _needed = ENDPOINTS[endpoint]
    carol = carol_as("read")
    before = team_rows(sql)
    assert carol.open(path, method=method, json=body).status_code == 403
    assert team_rows(sql) == before


@pytest.mark.parametrize("level", LEVELS)
def test_the_team_shows_its_members_from_read_on(carol_as, level):
    members = members_of(carol_as(level).get(f"/api/cases/{CASE}/team").json)
    assert ("dora" in members) == allowed(level, "read")


@pytest.mark.parametrize("level", LEVELS)
def test_the_team_answer_says_the_callers_permission(carol_as, level):
    assert carol_as(level).get(f"/api/cases/{CASE}/team").json["my_permission"] == LEVELS[level]


@pytest.mark.parametrize("level", LEVELS)
def test_the_documents_endpoints_show_only_the_callers_own_notes(carol_as, level):
    carol = carol_as(level)
    assert carol.get("/api/cases/data").json["cases"] == {}
    assert carol.get("/api/cases/user-cases").json["cases"] == []
    assert carol.get(f"/api/cases/data/{CASE}").status_code == 404
    assert carol.get(f"/api/cases/data/{CASE}/history").status_code == 404


@pytest.mark.parametrize("level", LEVELS)
def test_saving_through_the_documents_endpoint_writes_only_the_callers_notes(
        carol_as, alice, level):
    carol = carol_as(level)
    assert save_own(carol, {"fsrNotes": "carol's own"}).status_code == 200
    assert alice.get(f"/api/cases/data/{CASE}").json["data"]["fsrNotes"] == "alice's words"
