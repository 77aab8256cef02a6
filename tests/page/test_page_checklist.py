"""The design document's testing checklist, done through the page in a real
browser as a person does it, each item checked against the database.
"""
from playwright.sync_api import expect

from support.app import PASSWORD
from support.page import (
    SAVED_AT,
    add_case_on_page,
    case_button,
    expect_editor,
    fill_sign_in_form,
    listed_cases,
    save_now,
    saved_texts,
    sign_in_on_page,
    write,
)
from support.wait import wait_until


def expect_case_in_editor(page, case_number, problem, notes):
    expect(page.get_by_role("heading", name=case_number)).to_be_visible()
    expect_editor(page, problem, notes)


def test_user_can_add_a_new_case(page, page_server, make_user, sql):
    sign_in_on_page(page, page_server.url, make_user("alice"))
    add_case_on_page(page, "CASE-2024-003")
    expect(page.get_by_role("heading", name="CASE-2024-003")).to_be_visible()
    assert saved_texts(sql, "alice", "CASE-2024-003") == ("", "")


def test_case_data_saves_to_the_database(page, page_server, make_user, sql):
    sign_in_on_page(page, page_server.url, make_user("alice"))
    add_case_on_page(page, "CASE-2024-003")
    write(page, "Pump trips at start-up", "Replaced the seal; ran 2 h without fault")
    save_now(page)
    assert saved_texts(sql, "alice", "CASE-2024-003") == (
        "Pump trips at start-up", "Replaced the seal; ran 2 h without fault")


def test_user_can_reload_the_page_and_see_their_cases(page, page_server, make_user):
    sign_in_on_page(page, page_server.url, make_user("alice"))
    add_case_on_page(page, "CASE-2024-001")
    write(page, "first problem", "first notes")
    save_now(page)
    add_case_on_page(page, "CASE-2024-003")
    write(page, "second problem", "second notes")
    save_now(page)

    page.reload()

    expect(listed_cases(page)).to_have_text(["CASE-2024-003", "CASE-2024-001"])
    case_button(page, "CASE-2024-001").click()
    expect_case_in_editor(page, "CASE-2024-001", "first problem", "first notes")


def test_user_can_switch_between_cases_with_each_text_intact(page, page_server, make_user, sql):
    sign_in_on_page(page, page_server.url, make_user("alice"))
    add_case_on_page(page, "CASE-2024-001")
    write(page, "problem one", "notes one")
    add_case_on_page(page, "CASE-2024-003")
    write(page, "problem three", "notes three")

    case_button(page, "CASE-2024-001").click()
    expect_case_in_editor(page, "CASE-2024-001", "problem one", "notes one")
    case_button(page, "CASE-2024-003").click()
    expect_case_in_editor(page, "CASE-2024-003", "problem three", "notes three")
    # Leaving a case saved it.
    assert wait_until(lambda: saved_texts(sql, "alice", "CASE-2024-003")
                      == ("problem three", "notes three"))
    assert saved_texts(sql, "alice", "CASE-2024-001") == ("problem one", "notes one")


def test_autosave_saves_on_its_interval_without_any_click(page, page_server, make_user, sql):
    sign_in_on_page(page, page_server.url, make_user("alice"))  # AUTOSAVE_SECONDS=2
    add_case_on_page(page, "CASE-2024-003")
    write(page, "typed, never saved by hand", "notes")
    expect(page.get_by_role("status")).to_have_text("Unsaved changes")

    expect(page.get_by_role("status")).to_have_text(SAVED_AT)
    assert saved_texts(sql, "alice", "CASE-2024-003") == ("typed, never saved by hand", "notes")


def test_autosave_waits_30_seconds_by_default(page, gunicorn, make_user, sql):
    server = gunicorn()  # every setting at its default
    page.clock.install()
    page.goto(server.url)
    # From here the page's clock moves only when the test moves it.
    page.clock.pause_at(page.evaluate("Date.now()") + 1_000)
    sign_in_on_page(page, server.url, make_user("alice"), navigate=False)
    add_case_on_page(page, "CASE-2024-003")
    write(page, "autosaved at 30 s", "")

    page.clock.run_for(29_000)
    page.wait_for_timeout(500)  # what a save sent at 29 s would need to land
    assert saved_texts(sql, "alice", "CASE-2024-003") == ("", "")
    page.clock.run_for(1_500)
    assert wait_until(lambda: saved_texts(sql, "alice", "CASE-2024-003")
                      == ("autosaved at 30 s", ""))


def test_closed_cases_leave_the_list_with_a_notice(page, page_server, make_user, sql):
    sign_in_on_page(page, page_server.url, make_user("alice"))  # CASE_STATUS_SECONDS=2
    add_case_on_page(page, "CASE-2024-001")
    write(page, "kept in the database", "")
    save_now(page)
    add_case_on_page(page, "CASE-2024-003")

    sql.run("UPDATE cases SET is_open = FALSE WHERE case_number = 'CASE-2024-001'")

    expect(page.get_by_role("region", name="Notices")).to_contain_text(
        "CASE-2024-001 was closed")
    expect(listed_cases(page)).to_have_text(["CASE-2024-003"])
    assert saved_texts(sql, "alice", "CASE-2024-001") == ("kept in the database", "")
    page.reload()
    expect(listed_cases(page)).to_have_text(["CASE-2024-003"])


def test_invalid_case_numbers_are_rejected_with_a_message(page, page_server, make_user, sql):
    sign_in_on_page(page, page_server.url, make_user("alice"))
    refused = {
        "NO-SUCH-CASE": "Case number 'NO-SUCH-CASE' does not exist in the system.",
        "CASE 2024 001": "Malformed case number",
        "CASE-2024-002": "Case CASE-2024-002 is closed",
    }
    for case_number, message in refused.items():
        page.get_by_label("Case number").fill(case_number)
        page.get_by_role("button", name="Add case").click()
        expect(page.locator("#add-case-error")).to_contain_text(message)
    expect(listed_cases(page)).to_have_count(0)
    assert sql.one("SELECT COUNT(*) AS n FROM user_cases")["n"] == 0


def test_two_users_with_the_same_case_number_each_see_their_own_text(
        new_page, page_server, make_user, sql):
    alice = sign_in_on_page(new_page(), page_server.url, make_user("alice"))
    bob = sign_in_on_page(new_page(), page_server.url, make_user("bob"))
    for page, name in ((alice, "alice"), (bob, "bob")):
        add_case_on_page(page, "CASE-2024-003")
        write(page, f"{name}'s problem", f"{name}'s notes")
        save_now(page)

    for page, name in ((alice, "alice"), (bob, "bob")):
        page.reload()
        expect_case_in_editor(page, "CASE-2024-003", f"{name}'s problem", f"{name}'s notes")
        assert saved_texts(sql, name, "CASE-2024-003") == (f"{name}'s problem", f"{name}'s notes")


def test_users_see_only_their_own_cases(new_page, page_server, make_user):
    alice = sign_in_on_page(new_page(), page_server.url, make_user("alice"))
    add_case_on_page(alice, "CASE-2024-001")
    write(alice, "alice only", "")
    save_now(alice)

    bob = sign_in_on_page(new_page(), page_server.url, make_user("bob"))
    expect(bob.get_by_text("No open cases yet")).to_be_visible()
    expect(listed_cases(bob)).to_have_count(0)
    expect(bob.get_by_text("alice only")).to_have_count(0)


def test_a_server_restart_loses_nothing(page, gunicorn, make_user, sql):
    server = gunicorn()
    sign_in_on_page(page, server.url, make_user("alice"))
    add_case_on_page(page, "CASE-2024-003")
    write(page, "written before the restart", "and notes")
    save_now(page)

    server.stop()
    server.start()
    page.reload()

    expect_case_in_editor(page, "CASE-2024-003", "written before the restart", "and notes")
    assert saved_texts(sql, "alice", "CASE-2024-003") == ("written before the restart", "and notes")


def test_a_wrong_password_says_so_and_signs_nobody_in(page, page_server, make_user):
    page.goto(page_server.url)
    fill_sign_in_form(page, make_user("alice"), PASSWORD + "x")
    expect(page.get_by_role("alert")).to_have_text("Wrong username or password")
    expect(page.get_by_role("heading", name="My cases")).to_be_hidden()
