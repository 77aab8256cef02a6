"""The report's ?team=1 (issues 14 and 15): each other team member's saved
notes under their display name, for a caller with read on the case; the
caller's own report otherwise."""
import pytest

from support.api import error_json, signed_in_client
from support.report_files import pdf_text
from support.team import CASE, assign, save_own, set_member


def report(client, kind, query="?team=1"):
    response = client.get(f"/api/cases/data/{CASE}/report.{kind}{query}")
    assert response.status_code == 200, response.data[:500]
    return pdf_text(response.data) if kind == "pdf" else response.data.decode()


@pytest.fixture
def team_with_notes(alice, make_user, app, sql):
    """alice's case with her notes; bob (Bo Team-Mate) on the team with his."""
    make_user("bob", display_name="Bo Team-Mate")
    bob = signed_in_client(app, "bob")
    assign(alice, "alice")
    set_member(alice, "bob", "read")
    save_own(alice, {"problemStatement": "alice's problem", "fsrNotes": "alice's notes"})
    save_own(bob, {"problemStatement": "bob's problem", "fsrNotes": "bob's notes"})
    return bob


@pytest.mark.parametrize("kind", ["pdf", "md"])
def test_team_1_adds_each_members_notes_under_their_name(team_with_notes, alice, kind):
    shown = report(alice, kind)
    assert shown.index("alice's notes") < shown.index("Notes by Bo Team-Mate") \
        < shown.index("bob's notes")


@pytest.mark.parametrize("kind", ["pdf", "md"])
def test_without_team_1_the_report_is_the_callers_own(team_with_notes, alice, kind):
    assert "bob's notes" not in report(alice, kind, query="")


@pytest.mark.parametrize("kind", ["pdf", "md"])
def test_team_1_without_read_gives_the_callers_own_report(team_with_notes, alice, sql, kind):
    sql.run("DELETE FROM case_collaborators")
    shown = report(team_with_notes, kind)
    assert "bob's notes" in shown and "alice's notes" not in shown


def test_a_member_with_read_gets_the_assignees_notes(team_with_notes):
    shown = report(team_with_notes, "md")
    assert "## Notes by alice" in shown and "alice's notes" in shown


def test_a_members_removed_notes_stay_out_of_the_report(team_with_notes, alice):
    team_with_notes.delete(f"/api/cases/data/{CASE}")
    assert "bob's notes" not in report(alice, "md")


@pytest.mark.parametrize("value", ["yes", "2", ""])
def test_another_team_value_is_a_400(team_with_notes, alice, value):
    response = alice.get(f"/api/cases/data/{CASE}/report.md?team={value}")
    assert error_json(response, 400)["field"] == "team"
