"""A case closed between two visits: the page remembers on the device which
open cases it last listed, and names those closed since in a notice; their
notes stay on the server. Cases close as an operator closes them, with
`flask cases close`, while no page is open."""
from playwright.sync_api import expect

from support.page import (
    SAVE_REQUEST,
    add_case_on_page,
    case_button,
    listed_cases,
    save_now,
    saved_texts,
    sign_in_on_page,
    write,
)


def notices(page):
    return page.get_by_role("region", name="Notices")


def first_visit(page, url, *case_numbers):
    """alice signs in, adds the cases (the first with a saved text) and leaves."""
    sign_in_on_page(page, url, "alice")
    for case_number in case_numbers:
        add_case_on_page(page, case_number)
    case_button(page, case_numbers[0]).click()
    write(page, "notes from the first visit", "")
    save_now(page)
    page.goto("about:blank")


def test_a_case_closed_since_the_last_visit_is_named_and_its_notes_kept(
        page, page_server, make_user, cli, sql):
    make_user("alice")
    first_visit(page, page_server.url, "CASE-2024-001", "CASE-2024-003")
    assert cli("cases", "close", "CASE-2024-001").exit_code == 0

    page.goto(page_server.url)
    expect(notices(page).locator(".notice p")).to_have_text(
        ["CASE-2024-001 was closed since your last visit; your notes are kept."])
    expect(listed_cases(page)).to_have_text(["CASE-2024-003"])
    assert saved_texts(sql, "alice", "CASE-2024-001") == ("notes from the first visit", "")


def test_a_case_closed_since_the_last_visit_is_named_on_that_visit_only(
        page, page_server, make_user, cli):
    make_user("alice")
    first_visit(page, page_server.url, "CASE-2024-001", "CASE-2024-003")
    assert cli("cases", "close", "CASE-2024-001").exit_code == 0
    page.goto(page_server.url)
    expect(notices(page)).to_contain_text("CASE-2024-001 was closed since your last visit")

    page.reload()
    expect(listed_cases(page)).to_have_text(["CASE-2024-003"])
    expect(notices(page)).to_be_empty()


def test_cases_closed_since_the_last_visit_are_named_in_one_notice(
        page, page_server, make_user, cli):
    make_user("alice")
    first_visit(page, page_server.url, "CASE-2024-001", "CASE-2024-003", "CASE-2024-004")
    assert cli("cases", "close", "CASE-2024-001", "CASE-2024-004").exit_code == 0

    page.goto(page_server.url)  # named in the order they were listed, newest first
    expect(notices(page).locator(".notice p")).to_have_text(
        ["CASE-2024-004 and CASE-2024-001 were closed since your last visit; your notes are kept."])
    expect(listed_cases(page)).to_have_text(["CASE-2024-003"])


def test_a_case_removed_on_another_device_leaves_without_a_word_of_closing(
        page, new_page, page_server, make_user):
    make_user("alice")
    first_visit(page, page_server.url, "CASE-2024-001", "CASE-2024-003")
    other = sign_in_on_page(new_page(), page_server.url, "alice")
    other.get_by_role("button", name="Remove case").click()  # CASE-2024-001, saved last
    other.get_by_role("dialog").get_by_role("button", name="Remove", exact=True).click()
    expect(listed_cases(other)).to_have_text(["CASE-2024-003"])

    page.goto(page_server.url)
    expect(listed_cases(page)).to_have_text(["CASE-2024-003"])
    expect(notices(page)).to_be_empty()


def test_a_case_closed_with_unsent_text_is_named_once_with_its_text(
        page, page_server, make_user, cli):
    make_user("alice")
    sign_in_on_page(page, page_server.url, "alice")
    add_case_on_page(page, "CASE-2024-001")
    add_case_on_page(page, "CASE-2024-003")
    page.route(SAVE_REQUEST, lambda route: route.abort())  # the device loses its network
    write(page, "never reached the server", "")
    page.goto("about:blank")
    page.unroute(SAVE_REQUEST)
    assert cli("cases", "close", "CASE-2024-003").exit_code == 0

    page.goto(page_server.url)
    expect(notices(page).locator(".notice")).to_have_count(1)
    expect(notices(page)).to_contain_text(
        "CASE-2024-003 was closed and has left your list. Your unsent text for it is kept")
    expect(listed_cases(page)).to_have_text(["CASE-2024-001"])
