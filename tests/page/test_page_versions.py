"""No silent overwrites, through the page: two devices of one user saving
the same case meet a conflict dialog that keeps both texts; the history
restores an older text; a removed case offers its text back when added again.

The laptop and the tablet are two browser profiles (own cookies, own
localStorage), as two devices are.
"""
import re

import pytest
from playwright.sync_api import expect

from support.page import (
    OFFLINE,
    SAVE_REQUEST,
    SAVED_AT,
    add_case_on_page,
    case_button,
    drafts_on_device,
    expect_editor,
    save_now,
    saved_texts,
    sign_in_on_page,
    status,
    write,
)

CASE = "CASE-2024-003"


def conflict_dialog(page):
    return page.get_by_role("dialog", name="Changed elsewhere")


def unsent_texts(page):
    return [(d["problemStatement"], d["fsrNotes"]) for d in drafts_on_device(page).values()]


def problem_statements_in_history(sql):
    rows = sql.all("SELECT new_value FROM case_history"
                   " WHERE case_number = %s AND field_name = 'problem_statement' ORDER BY id",
                   (CASE,))
    return [row["new_value"] for row in rows]


@pytest.fixture
def laptop_and_tablet(new_page, page_server, make_user):
    """Two devices signed in as alice, both showing her new, empty CASE."""
    make_user("alice")
    laptop = sign_in_on_page(new_page(), page_server.url, "alice")
    add_case_on_page(laptop, CASE)
    tablet = sign_in_on_page(new_page(), page_server.url, "alice")
    expect(case_button(tablet, CASE)).to_have_attribute("aria-current", "true")
    return laptop, tablet


@pytest.fixture
def conflict(laptop_and_tablet):
    """The laptop saved its text; the tablet's later save met the conflict dialog."""
    laptop, tablet = laptop_and_tablet
    write(laptop, "from the laptop", "laptop notes")
    save_now(laptop)
    write(tablet, "from the tablet", "tablet notes")
    tablet.get_by_role("button", name="Save now").click()
    expect(conflict_dialog(tablet)).to_be_visible()
    return tablet


# --- conflicts ------------------------------------------------------------------

def test_saving_over_text_saved_on_another_device_shows_both_texts(conflict, sql):
    dialog = conflict_dialog(conflict)
    expect(dialog.get_by_role("region", name="Your text")).to_contain_text("from the tablet")
    expect(dialog.get_by_role("region", name="Your text")).to_contain_text("tablet notes")
    expect(dialog.get_by_role("region", name="Saved text")).to_contain_text("from the laptop")
    expect(dialog.get_by_role("region", name="Saved text")).to_contain_text("laptop notes")
    assert saved_texts(sql, "alice", CASE) == ("from the laptop", "laptop notes")
    assert unsent_texts(conflict) == [("from the tablet", "tablet notes")]


def test_closing_the_conflict_dialog_keeps_the_text_unsent_until_a_choice(conflict, sql):
    conflict.keyboard.press("Escape")
    expect(conflict_dialog(conflict)).to_be_hidden()
    expect(status(conflict)).to_have_text("Changed elsewhere: not saved until you choose a text")
    conflict.wait_for_timeout(2_500)  # past an autosave: it does not send
    assert saved_texts(sql, "alice", CASE) == ("from the laptop", "laptop notes")
    assert unsent_texts(conflict) == [("from the tablet", "tablet notes")]

    conflict.get_by_role("button", name="Compare texts").click()
    expect(conflict_dialog(conflict)).to_be_visible()


def test_keeping_my_text_saves_it_and_the_history_keeps_the_other(conflict, sql):
    conflict_dialog(conflict).get_by_role("button", name="Keep my text").click()
    expect(status(conflict)).to_have_text(SAVED_AT)
    assert saved_texts(sql, "alice", CASE) == ("from the tablet", "tablet notes")
    assert problem_statements_in_history(sql) == ["", "from the laptop", "from the tablet"]
    assert unsent_texts(conflict) == []


def test_taking_the_saved_text_puts_it_in_the_editor(conflict, sql):
    conflict_dialog(conflict).get_by_role("button", name="Take the saved text").click()
    expect_editor(conflict, "from the laptop", "laptop notes")
    expect(status(conflict)).to_have_text(SAVED_AT)
    assert saved_texts(sql, "alice", CASE) == ("from the laptop", "laptop notes")
    assert unsent_texts(conflict) == []


def test_merging_by_hand_puts_both_texts_in_the_editor_to_save(conflict, sql):
    conflict_dialog(conflict).get_by_role("button", name="Merge by hand").click()
    problem = conflict.get_by_label("Problem statement")
    expect(problem).to_have_value(re.compile(r"^from the tablet\n\n-+ saved elsewhere .*\nfrom the laptop$"))
    save_now(conflict)
    saved_problem, saved_notes = saved_texts(sql, "alice", CASE)
    assert "from the tablet" in saved_problem and "from the laptop" in saved_problem
    assert "tablet notes" in saved_notes and "laptop notes" in saved_notes


def test_a_draft_written_offline_does_not_overwrite_newer_text_after_a_reload(
        laptop_and_tablet, sql):
    laptop, tablet = laptop_and_tablet
    tablet.route(SAVE_REQUEST, lambda route: route.abort())  # the tablet loses its network
    write(tablet, "written offline", "on the tablet")
    expect(status(tablet)).to_have_text(OFFLINE)
    write(laptop, "newer, from the laptop", "")
    save_now(laptop)

    tablet.unroute(SAVE_REQUEST)
    tablet.reload()

    dialog = conflict_dialog(tablet)
    expect(dialog.get_by_role("region", name="Your text")).to_contain_text("written offline")
    expect(dialog.get_by_role("region", name="Saved text")).to_contain_text("newer, from the laptop")
    assert saved_texts(sql, "alice", CASE) == ("newer, from the laptop", "")
    assert unsent_texts(tablet) == [("written offline", "on the tablet")]


# --- history and removal ----------------------------------------------------------

def test_history_lists_the_changes_and_restores_an_older_text(page, page_server, make_user, sql):
    sign_in_on_page(page, page_server.url, make_user("alice"))
    add_case_on_page(page, CASE)
    write(page, "first wording", "")
    save_now(page)
    write(page, "second wording", "")
    save_now(page)

    page.get_by_role("button", name="History").click()
    changes = page.get_by_role("dialog", name=f"History of {CASE}").get_by_role("listitem")
    expect(changes).to_have_count(4)  # adding the case set both fields, then two edits
    expect(changes.nth(0)).to_contain_text("Problem statement · version 3")
    expect(changes.nth(0)).to_contain_text("second wording")
    expect(changes.nth(1)).to_contain_text("first wording")
    changes.nth(1).get_by_role("button", name="Restore this text").click()

    expect_editor(page, "first wording", "")
    expect(status(page)).to_have_text(SAVED_AT)
    assert saved_texts(sql, "alice", CASE) == ("first wording", "")
    assert problem_statements_in_history(sql) == [
        "", "first wording", "second wording", "first wording"]


def test_a_removed_case_leaves_the_list_and_adding_it_again_offers_its_text_back(
        page, page_server, make_user, sql):
    sign_in_on_page(page, page_server.url, make_user("alice"))
    add_case_on_page(page, CASE)
    write(page, "kept through removal", "notes too")
    save_now(page)

    page.get_by_role("button", name="Remove case").click()
    page.get_by_role("dialog", name="Remove this case from your list?").get_by_role(
        "button", name="Remove", exact=True).click()
    notices = page.get_by_role("region", name="Notices")
    expect(notices).to_contain_text(f"{CASE} was removed from your list")
    expect(case_button(page, CASE)).to_have_count(0)
    assert sql.one("SELECT removed_at FROM user_cases WHERE case_number = %s",
                   (CASE,))["removed_at"] is not None
    page.reload()
    expect(case_button(page, CASE)).to_have_count(0)

    add_case_on_page(page, CASE)
    expect_editor(page, "", "")
    notices.get_by_role("button", name="Put back the removed text").click()
    expect_editor(page, "kept through removal", "notes too")
    expect(status(page)).to_have_text(SAVED_AT)
    assert saved_texts(sql, "alice", CASE) == ("kept through removal", "notes too")
