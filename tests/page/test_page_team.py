"""Teams on a case, through the page (issue 14): a dispatcher assigns, the
engineer shares the case with a colleague at Read, then Write, both edit
the engineer's notes without losing a word, the engineer hands over at
shift change, and a removed colleague loses the case.

Each person is a browser profile of their own. What is not the behaviour
under test (an assignment, a member, notes saved) is set up through the
API, as the page would; the database is checked with SQL.
"""
import re

import pytest
from playwright.sync_api import expect

from support.page import (
    SAVED_AT,
    case_button,
    drafts_on_device,
    save_now,
    saved_texts,
    sign_in_on_page,
    write,
)

CASE = "CASE-2024-003"
BOB_NOTES = ("Pump 2 trips on start", "Replaced the contactor; watch the inrush")


# --- what the page shows -------------------------------------------------------

def group(page, name):
    """One of My cases' groups: Assigned to me, My notes, Shared with me."""
    return page.get_by_role("navigation").get_by_role("region", name=name)


def team_dialog(page):
    return page.get_by_role("dialog", name=f"Team of {CASE}")


def open_team(page):
    page.get_by_role("button", name="Team", exact=True).click()
    expect(team_dialog(page)).to_be_visible()
    return team_dialog(page)


def find_person(dialog, name):
    dialog.get_by_label("Add person").fill(name)


def notes_by(page, display_name):
    """A teammate's notes on the selected case, under their name."""
    return page.get_by_role("region", name=f"Notes by {display_name}")


def own_editor(page):
    return page.get_by_role("region", name=CASE, exact=True)


def conflict_dialog(page):
    return page.get_by_role("dialog", name="Changed elsewhere")


# --- the team, set up through the API ------------------------------------------------

@pytest.fixture
def people(make_user):
    make_user("dispatch", display_name="Dana Dispatch", is_admin=True)
    make_user("bob", display_name="Bob")
    make_user("carol", display_name="Carol")


@pytest.fixture
def api(page_server, people):
    """api(username, method, path, json=None): a request as that user; its JSON."""
    sessions = {}

    def call(username, method, path, json=None):
        if username not in sessions:
            sessions[username] = page_server.session(username)
        http = sessions[username]
        response = http.request(method, f"{page_server.url}{path}", json=json, timeout=10)
        assert response.ok, response.text
        return response.json()
    return call


@pytest.fixture
def bobs_case(api):
    """CASE assigned to bob by the dispatcher, with bob's notes saved."""
    api("dispatch", "PUT", f"/api/cases/{CASE}/assignee", {"username": "bob"})
    problem, notes = BOB_NOTES
    api("bob", "PUT", f"/api/cases/data/{CASE}",
        {"problemStatement": problem, "fsrNotes": notes, "baseVersion": 0})


def add_carol(api, permission):
    api("bob", "PUT", f"/api/cases/{CASE}/team/carol", {"permission": permission})


def signed_in(new_page, page_server, username):
    return sign_in_on_page(new_page(), page_server.url, username)


def open_shared_case(page):
    group(page, "Shared with me").get_by_role("button", name=CASE).click()
    expect(notes_by(page, "Bob")).to_be_visible()


# --- assignment -----------------------------------------------------------------------

def test_a_case_a_dispatcher_assigns_is_under_assigned_to_me_with_no_notes_yet(
        new_page, page_server, people, sql):
    dispatcher = signed_in(new_page, page_server, "dispatch")
    dispatcher.get_by_label("Case number").fill(CASE)
    dispatcher.get_by_role("button", name="Add case").click()
    dialog = open_team(dispatcher)
    find_person(dialog, "bo")
    dialog.get_by_role("button", name="Assign to Bob").click()
    expect(dialog).to_contain_text("Assigned to Bob (bob)")

    engineer = signed_in(new_page, page_server, "bob")
    expect(group(engineer, "Assigned to me").get_by_role("button", name=CASE)).to_be_visible()
    assert saved_texts(sql, "bob", CASE) is None


def test_an_unassigned_case_can_be_taken(new_page, page_server, people, sql):
    page = signed_in(new_page, page_server, "carol")
    page.get_by_label("Case number").fill(CASE)
    page.get_by_role("button", name="Add case").click()
    open_team(page).get_by_role("button", name="Take this case").click()

    expect(team_dialog(page)).to_contain_text("Assigned to Carol (carol)")
    expect(group(page, "Assigned to me").get_by_role("button", name=CASE)).to_be_visible()
    assert sql.one("SELECT u.username FROM case_assignments a JOIN users u ON u.id = a.assigned_to"
                   " WHERE a.case_number = %s", (CASE,))["username"] == "carol"



def test_an_unassigned_case_can_be_taken_after_a_reload(new_page, page_server, people):
    page = signed_in(new_page, page_server, "carol")
    page.get_by_label("Case number").fill(CASE)
    page.get_by_role("button", name="Add case").click()
    write(page, "Compressor trips at start-up", "")
    save_now(page)
    page.reload()
    page.get_by_role("button", name=CASE).click()
    open_team(page).get_by_role("button", name="Take this case").click()

    expect(team_dialog(page)).to_contain_text("Assigned to Carol (carol)")

# --- a colleague at Read, then Write ----------------------------------------------------

def test_a_colleague_added_with_read_sees_the_notes_and_cannot_edit_them(
        new_page, page_server, bobs_case):
    engineer = signed_in(new_page, page_server, "bob")
    dialog = open_team(engineer)
    dialog.get_by_label("Permission", exact=True).select_option("read")
    find_person(dialog, "car")
    dialog.get_by_role("button", name="Add Carol").click()
    expect(dialog.get_by_label("Permission of Carol")).to_have_value("read")

    colleague = signed_in(new_page, page_server, "carol")
    open_shared_case(colleague)
    notes = notes_by(colleague, "Bob")
    expect(notes.get_by_label("Problem statement")).to_have_value(BOB_NOTES[0])
    expect(notes.get_by_label("FSR notes")).to_have_value(BOB_NOTES[1])
    expect(notes.get_by_label("FSR notes")).not_to_be_editable()
    expect(notes).to_contain_text("Read only")


def test_a_colleague_changed_to_write_edits_and_the_engineer_sees_it_after_a_reload(
        new_page, page_server, bobs_case, api, sql):
    add_carol(api, "read")
    engineer = signed_in(new_page, page_server, "bob")
    open_team(engineer).get_by_label("Permission of Carol").select_option("write")
    expect(team_dialog(engineer).get_by_label("Permission of Carol")).to_have_value("write")

    colleague = signed_in(new_page, page_server, "carol")
    open_shared_case(colleague)
    notes = notes_by(colleague, "Bob")
    notes.get_by_label("FSR notes").fill(f"{BOB_NOTES[1]}\nCarol: checked the wiring too")
    expect(notes.get_by_text(SAVED_AT)).to_be_visible()  # the autosave
    assert saved_texts(sql, "bob", CASE) == (
        BOB_NOTES[0], f"{BOB_NOTES[1]}\nCarol: checked the wiring too")

    engineer.reload()
    expect(own_editor(engineer).get_by_label("FSR notes")).to_have_value(
        f"{BOB_NOTES[1]}\nCarol: checked the wiring too")


def test_a_simultaneous_edit_ends_in_the_conflict_dialog_not_in_lost_text(
        new_page, page_server, bobs_case, api, sql):
    add_carol(api, "write")
    engineer = signed_in(new_page, page_server, "bob")
    colleague = signed_in(new_page, page_server, "carol")
    open_shared_case(colleague)

    own_editor(engineer).get_by_label("FSR notes").fill("Bob's newer notes")
    engineer.get_by_role("button", name="Save now").click()
    expect(engineer.get_by_role("status")).to_have_text(SAVED_AT)
    notes_by(colleague, "Bob").get_by_label("FSR notes").fill("Carol's notes from the old text")

    dialog = conflict_dialog(colleague)
    expect(dialog).to_be_visible()  # at the autosave
    expect(dialog.get_by_role("region", name="Your text")).to_contain_text(
        "Carol's notes from the old text")
    expect(dialog.get_by_role("region", name="Saved text")).to_contain_text("Bob's newer notes")
    assert saved_texts(sql, "bob", CASE) == (BOB_NOTES[0], "Bob's newer notes")
    assert [d["fsrNotes"] for d in drafts_on_device(colleague).values()] == [
        "Carol's notes from the old text"]


def test_the_engineers_own_save_after_a_teammates_edit_ends_in_the_conflict_dialog(
        new_page, page_server, bobs_case, api, sql):
    add_carol(api, "write")
    engineer = signed_in(new_page, page_server, "bob")
    expect(own_editor(engineer).get_by_label("FSR notes")).to_have_value(BOB_NOTES[1])
    version = sql.one("SELECT version FROM user_cases WHERE case_number = %s", (CASE,))["version"]
    api("carol", "PUT", f"/api/cases/{CASE}/team/notes/bob",
        {"problemStatement": BOB_NOTES[0], "fsrNotes": "Carol's edit", "baseVersion": version})

    own_editor(engineer).get_by_label("FSR notes").fill("Bob's edit of the old text")
    engineer.get_by_role("button", name="Save now").click()

    dialog = conflict_dialog(engineer)
    expect(dialog.get_by_role("region", name="Saved text")).to_contain_text("Carol's edit")
    expect(dialog.get_by_role("region", name="Your text")).to_contain_text(
        "Bob's edit of the old text")
    assert saved_texts(sql, "bob", CASE) == (BOB_NOTES[0], "Carol's edit")


# --- shift change and removal -------------------------------------------------------------

def test_after_a_handover_the_new_assignee_reads_and_continues_the_previous_notes(
        new_page, page_server, bobs_case, sql):
    engineer = signed_in(new_page, page_server, "bob")
    dialog = open_team(engineer)
    find_person(dialog, "carol")
    dialog.get_by_role("button", name="Hand over to Carol").click()
    expect(dialog).to_contain_text("Assigned to Carol (carol)")

    night_shift = signed_in(new_page, page_server, "carol")
    group(night_shift, "Assigned to me").get_by_role("button", name=CASE).click()
    notes = notes_by(night_shift, "Bob").get_by_label("FSR notes")
    expect(notes).to_have_value(BOB_NOTES[1])
    notes.press("End")
    notes.press_sequentially("\nNight shift: inrush normal after 2 h")
    expect(notes_by(night_shift, "Bob").get_by_text(SAVED_AT)).to_be_visible()
    assert saved_texts(sql, "bob", CASE) == (
        BOB_NOTES[0], f"{BOB_NOTES[1]}\nNight shift: inrush normal after 2 h")


def test_a_removed_colleague_loses_access_at_the_next_refresh(
        new_page, page_server, bobs_case, api):
    add_carol(api, "read")
    colleague = signed_in(new_page, page_server, "carol")
    open_shared_case(colleague)

    engineer = signed_in(new_page, page_server, "bob")
    open_team(engineer).get_by_role("button", name="Remove Carol").click()
    expect(team_dialog(engineer).get_by_label("Permission of Carol")).to_have_count(0)

    colleague.reload()
    expect(colleague.get_by_role("heading", name="My cases")).to_be_visible()
    expect(case_button(colleague, CASE)).to_have_count(0)
    expect(notes_by(colleague, "Bob")).to_have_count(0)


def test_a_removed_colleague_sees_the_open_case_leave_without_a_reload(
        new_page, page_server, bobs_case, api):
    add_carol(api, "read")
    colleague = signed_in(new_page, page_server, "carol")
    open_shared_case(colleague)

    api("bob", "DELETE", f"/api/cases/{CASE}/team/carol")

    expect(notes_by(colleague, "Bob")).to_have_count(0)  # CASE_STATUS_SECONDS later
    expect(case_button(colleague, CASE)).to_have_count(0)
    expect(colleague.get_by_text(re.compile(f"{CASE} is no longer shared with you"))
           ).to_be_visible()


def test_a_member_can_leave_the_team(new_page, page_server, bobs_case, api, sql):
    add_carol(api, "read")
    colleague = signed_in(new_page, page_server, "carol")
    open_shared_case(colleague)
    open_team(colleague).get_by_role("button", name="Leave team").click()

    expect(case_button(colleague, CASE)).to_have_count(0)
    assert sql.one("SELECT COUNT(*) AS n FROM case_collaborators WHERE case_number = %s",
                   (CASE,))["n"] == 0
