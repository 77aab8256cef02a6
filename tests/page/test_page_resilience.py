"""The page never loses a word, and holds up: a stopped server, server
errors, an ended session, signing out, closing the tab; its
Content-Security-Policy, the keyboard, a phone's width, the text limit.

Everything is real (gunicorn, MariaDB, Chromium); only the 503/500 answers
are made up in the browser with ``page.route``. A test that stops the
server has a gunicorn of its own, so the session's ``page_server`` stays up.
"""
import json
import time
from itertools import pairwise

import pytest
from playwright.sync_api import expect

from support.app import PASSWORD
from support.page import (
    DESKTOP,
    OFFLINE,
    PAGE_SETTINGS,
    PHONE,
    SAVE_REQUEST,
    SAVED_AT,
    add_case_on_page,
    case_button,
    draft_key,
    drafts_on_device,
    expect_editor,
    saved_texts,
    sign_in_on_page,
    status,
    wait_for_service_worker,
    write,
)
from support.wait import wait_until

UNSAVED = "Unsaved changes"
# Any Unicode: accents, right-to-left, an emoji outside the BMP, new lines.
NOTES = "Relay K3 replaced — ünïcode, עברית, 🔧\nsecond line\n"


def draft(case_number, problem, notes, base_version=1):
    """A draft as the page keeps it; version 1 is that of a case just added."""
    return {"caseNumber": case_number, "problemStatement": problem, "fsrNotes": notes,
            "baseVersion": base_version}


def until(page, condition, timeout=10.0):
    """wait_until for a condition on what a ``page.route`` handler records:
    each poll is a round trip to the browser, which lets Playwright run it."""
    return wait_until(lambda: page.evaluate("true") and condition(), timeout)


class FailingSaves:
    """The page's saves (PUT) answered by the server's 503, then 500s, until
    ``stop()``; then they go through to the server. ``attempts`` records
    each save's (monotonic time, status)."""

    def __init__(self, page):
        self.attempts = []
        self.failing = True
        page.route(SAVE_REQUEST, self.answer)

    def answer(self, route):
        if route.request.method != "PUT":
            route.continue_()
        elif self.failing:
            code = 500 if self.attempts else 503
            self.attempts.append((time.monotonic(), code))
            route.fulfill(status=code, content_type="application/json",
                          headers={"Retry-After": "1"} if code == 503 else {},
                          body=json.dumps({"error": f"made up: {code}"}))
        else:
            self.attempts.append((time.monotonic(), "through"))
            route.continue_()

    def stop(self):
        self.failing = False


# --- the server stopped, failing, or forgetting the session -----------------

def test_typing_while_the_server_is_stopped_is_saved_once_it_is_back(
        gunicorn, page, make_user, sql):
    server = gunicorn(**PAGE_SETTINGS)
    sign_in_on_page(page, server.url, make_user("alice"))
    add_case_on_page(page, "CASE-2024-001")

    server.stop()
    page.get_by_label("Problem statement").press_sequentially("Pump trips at start-up")
    expect(status(page)).to_have_text(OFFLINE)  # the autosave found no server
    page.get_by_label("FSR notes").fill(NOTES)  # still typing, offline
    expect(status(page)).to_have_text(OFFLINE)
    assert list(drafts_on_device(page).values()) == [
        draft("CASE-2024-001", "Pump trips at start-up", NOTES)]
    assert saved_texts(sql, "alice", "CASE-2024-001") == ("", "")

    server.start()
    expect(status(page)).to_have_text(SAVED_AT)
    assert saved_texts(sql, "alice", "CASE-2024-001") == ("Pump trips at start-up", NOTES)
    expect_editor(page, "Pump trips at start-up", NOTES)
    assert drafts_on_device(page) == {}


def test_a_reload_while_offline_restores_the_draft_and_sends_it_later(
        gunicorn, page, make_user, sql):
    server = gunicorn(**PAGE_SETTINGS)
    sign_in_on_page(page, server.url, make_user("alice"))
    add_case_on_page(page, "CASE-2024-001")
    wait_for_service_worker(page)

    server.stop()
    write(page, "typed offline", NOTES)
    page.reload()  # the service worker's copy of the page

    expect(case_button(page, "CASE-2024-001")).to_have_attribute("aria-current", "true")
    expect_editor(page, "typed offline", NOTES)
    expect(status(page)).to_have_text(OFFLINE)
    page.get_by_label("Problem statement").press_sequentially(", and after the reload")
    assert saved_texts(sql, "alice", "CASE-2024-001") == ("", "")

    server.start()
    expect(status(page)).to_have_text(SAVED_AT)
    assert saved_texts(sql, "alice", "CASE-2024-001") == (
        "typed offline, and after the reload", NOTES)
    assert drafts_on_device(page) == {}


def test_a_failing_save_keeps_the_draft_and_retries_with_back_off(
        page, page_server, make_user, sql):
    sign_in_on_page(page, page_server.url, make_user("alice"))
    add_case_on_page(page, "CASE-2024-001")
    saves = FailingSaves(page)

    # No click: Save now retries at once, the autosave (2 s) leaves it to the back-off.
    write(page, "kept through 5xx", NOTES)
    expect(status(page)).to_have_text(OFFLINE)
    until(page, lambda: len(saves.attempts) >= 2)
    expect(status(page)).to_have_text(OFFLINE)
    assert list(drafts_on_device(page).values()) == [
        draft("CASE-2024-001", "kept through 5xx", NOTES)]
    assert saved_texts(sql, "alice", "CASE-2024-001") == ("", "")

    saves.stop()
    expect(status(page)).to_have_text(SAVED_AT)
    assert saved_texts(sql, "alice", "CASE-2024-001") == ("kept through 5xx", NOTES)
    assert drafts_on_device(page) == {}
    codes = [code for _, code in saves.attempts]
    assert codes[:2] == [503, 500] and codes[-1] == "through", codes
    # Back-off: a second after the first failure, then twice as long (the
    # autosave interval caps it); never sooner, however slow the machine.
    times = [at for at, _ in saves.attempts]
    gaps = [later - earlier for earlier, later in pairwise(times)]
    assert gaps[0] >= 0.9 and all(gap >= 1.9 for gap in gaps[1:]), gaps


def end_sessions(page, sql, username):
    # Once what the page asks for on selecting a case (its sign-offs, team,
    # rubric) has been answered: the next request is the test's own.
    page.wait_for_load_state("networkidle")
    sql.run("UPDATE users SET session_epoch = session_epoch + 1 WHERE username = %s",
            (username,))


# A server at the default timings: nothing is sent but when the test says, so
# the editor cannot vanish (401) between two edits.

def test_an_expired_session_asks_to_sign_in_and_then_sends_the_draft(
        gunicorn, page, make_user, sql):
    sign_in_on_page(page, gunicorn().url, make_user("alice"))
    add_case_on_page(page, "CASE-2024-001")
    end_sessions(page, sql, "alice")

    write(page, "written as the session ended", NOTES)
    page.get_by_role("button", name="Save now").click()

    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    expect(page.get_by_text("Your session has ended")).to_be_visible()
    expect(page.get_by_role("heading", name="My cases")).to_be_hidden()
    assert list(drafts_on_device(page).values()) == [
        draft("CASE-2024-001", "written as the session ended", NOTES)]
    assert saved_texts(sql, "alice", "CASE-2024-001") == ("", "")

    sign_in_on_page(page, page.url, "alice", navigate=False)
    expect_editor(page, "written as the session ended", NOTES)
    expect(status(page)).to_have_text(SAVED_AT)
    assert saved_texts(sql, "alice", "CASE-2024-001") == ("written as the session ended", NOTES)
    assert drafts_on_device(page) == {}


def test_behind_a_signing_in_proxy_an_ended_sign_in_reloads_through_the_proxy_keeping_the_draft(
        gunicorn, page, sql):
    server = gunicorn(AUTH_MODE="proxy", TRUSTED_PROXIES="127.0.0.1/32")
    page.context.set_extra_http_headers({"X-Forwarded-User": "alice"})  # the proxy's sign-in
    page.goto(server.url)
    add_case_on_page(page, "CASE-2024-001")
    page.context.set_extra_http_headers({})  # the proxy's sign-in has ended

    write(page, "written as the proxy's sign-in ended", NOTES)
    page.get_by_role("button", name="Save now").click()

    expect(page.get_by_role("button", name="Sign in again")).to_be_focused()
    expect(page.get_by_label("Password")).to_be_hidden()
    assert list(drafts_on_device(page).values()) == [
        draft("CASE-2024-001", "written as the proxy's sign-in ended", NOTES)]

    page.context.set_extra_http_headers({"X-Forwarded-User": "alice"})  # signed in again
    page.get_by_role("button", name="Sign in again").click()
    expect_editor(page, "written as the proxy's sign-in ended", NOTES)
    expect(status(page)).to_have_text(SAVED_AT)
    assert saved_texts(sql, "alice", "CASE-2024-001") == (
        "written as the proxy's sign-in ended", NOTES)


def test_someone_else_signing_in_after_an_expired_session_gets_none_of_the_draft(
        gunicorn, page, make_user, sql):
    sign_in_on_page(page, gunicorn().url, make_user("alice"))
    add_case_on_page(page, "CASE-2024-001")
    end_sessions(page, sql, "alice")
    write(page, "alice's words", NOTES)
    page.get_by_role("button", name="Save now").click()
    expect(page.get_by_text("Your session has ended")).to_be_visible()

    sign_in_on_page(page, page.url, make_user("bob"), navigate=False)
    add_case_on_page(page, "CASE-2024-001")
    expect_editor(page, "", "")
    expect(status(page)).to_have_text(SAVED_AT)
    assert saved_texts(sql, "bob", "CASE-2024-001") == ("", "")
    assert saved_texts(sql, "alice", "CASE-2024-001") == ("", "")
    assert list(drafts_on_device(page).values()) == [
        draft("CASE-2024-001", "alice's words", NOTES)]  # kept for alice

    page.get_by_role("button", name="Sign out").click()
    sign_in_on_page(page, page.url, "alice", navigate=False)
    expect_editor(page, "alice's words", NOTES)
    expect(status(page)).to_have_text(SAVED_AT)
    assert saved_texts(sql, "alice", "CASE-2024-001") == ("alice's words", NOTES)
    assert saved_texts(sql, "bob", "CASE-2024-001") == ("", "")


# --- signing out ----------------------------------------------------------------

def start_signing_out_with_unsent_text(page, url, make_user, sql):
    """Sign in, write in a case whose saves fail (503), press Sign out."""
    sign_in_on_page(page, url, make_user("alice"))
    add_case_on_page(page, "CASE-2024-001")
    saves = FailingSaves(page)
    write(page, "not on the server yet", NOTES)
    page.get_by_role("button", name="Sign out").click()
    dialog = page.get_by_role("dialog", name="Unsaved changes")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("CASE-2024-001")
    assert saved_texts(sql, "alice", "CASE-2024-001") == ("", "")
    return dialog, saves


def test_signing_out_with_unsent_text_warns_and_stay_keeps_you_in(
        page, page_server, make_user, sql):
    dialog, saves = start_signing_out_with_unsent_text(page, page_server.url, make_user, sql)

    dialog.get_by_role("button", name="Stay signed in").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    expect_editor(page, "not on the server yet", NOTES)
    saves.stop()
    page.get_by_role("button", name="Save now").click()
    expect(status(page)).to_have_text(SAVED_AT)  # still signed in: the save went through
    assert saved_texts(sql, "alice", "CASE-2024-001") == ("not on the server yet", NOTES)


def test_signing_out_anyway_keeps_the_draft_for_the_next_sign_in(
        page, page_server, make_user, sql):
    dialog, saves = start_signing_out_with_unsent_text(page, page_server.url, make_user, sql)

    dialog.get_by_role("button", name="Sign out anyway").click()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    expect(page.get_by_role("heading", name="My cases")).to_be_hidden()
    assert page.context.request.get(f"{page_server.url}/api/auth/me").status == 401
    assert list(drafts_on_device(page).values()) == [
        draft("CASE-2024-001", "not on the server yet", NOTES)]
    assert saved_texts(sql, "alice", "CASE-2024-001") == ("", "")

    saves.stop()
    sign_in_on_page(page, page.url, "alice", navigate=False)
    expect_editor(page, "not on the server yet", NOTES)
    expect(status(page)).to_have_text(SAVED_AT)
    assert saved_texts(sql, "alice", "CASE-2024-001") == ("not on the server yet", NOTES)
    assert drafts_on_device(page) == {}


# --- every way of saving but the autosave (30 s here: it cannot be what saved) --

def test_ctrl_s_saves(gunicorn, page, make_user, sql):
    sign_in_on_page(page, gunicorn().url, make_user("alice"))
    add_case_on_page(page, "CASE-2024-001")
    write(page, "saved with the keyboard", NOTES)
    expect(status(page)).to_have_text(UNSAVED)

    page.get_by_label("FSR notes").press("Control+s")
    expect(status(page)).to_have_text(SAVED_AT)
    assert saved_texts(sql, "alice", "CASE-2024-001") == ("saved with the keyboard", NOTES)


def test_save_now_saves(gunicorn, page, make_user, sql):
    sign_in_on_page(page, gunicorn().url, make_user("alice"))
    add_case_on_page(page, "CASE-2024-001")
    write(page, "saved with the button", NOTES)
    expect(status(page)).to_have_text(UNSAVED)

    page.get_by_role("button", name="Save now").click()
    expect(status(page)).to_have_text(SAVED_AT)
    assert saved_texts(sql, "alice", "CASE-2024-001") == ("saved with the button", NOTES)


def test_switching_to_another_case_saves_the_one_left(gunicorn, page, make_user, sql):
    sign_in_on_page(page, gunicorn().url, make_user("alice"))
    add_case_on_page(page, "CASE-2024-001")
    add_case_on_page(page, "CASE-2024-003")
    write(page, "left behind", NOTES)

    case_button(page, "CASE-2024-001").click()
    expect(page.get_by_role("heading", name="CASE-2024-001")).to_be_visible()
    assert wait_until(lambda: saved_texts(sql, "alice", "CASE-2024-003") == ("left behind", NOTES))
    case_button(page, "CASE-2024-003").click()
    expect_editor(page, "left behind", NOTES)
    expect(status(page)).to_have_text(SAVED_AT)


def test_closing_the_page_saves(gunicorn, new_page, make_user, sql):
    page = new_page()
    sign_in_on_page(page, gunicorn().url, make_user("alice"))
    add_case_on_page(page, "CASE-2024-001")
    wait_for_service_worker(page)
    write(page, "typed just before closing", NOTES)

    page.close()
    assert wait_until(lambda: saved_texts(sql, "alice", "CASE-2024-001")
                      == ("typed just before closing", NOTES))


def test_hiding_the_page_saves(gunicorn, page, make_user, sql):
    """As when a tablet switches to another app. Headless Chromium never hides
    a page, so the test says it is hidden as the browser would: the page's
    own handler and a real server do the rest."""
    sign_in_on_page(page, gunicorn().url, make_user("alice"))
    add_case_on_page(page, "CASE-2024-001")
    wait_for_service_worker(page)
    write(page, "typed just before switching apps", NOTES)

    page.evaluate("""() => {
        Object.defineProperty(document, "visibilityState", {value: "hidden", configurable: true});
        document.dispatchEvent(new Event("visibilitychange"));
    }""")
    expect(status(page)).to_have_text(SAVED_AT)
    assert saved_texts(sql, "alice", "CASE-2024-001") == (
        "typed just before switching apps", NOTES)


def test_leaving_the_page_saves(gunicorn, page, make_user, sql):
    sign_in_on_page(page, gunicorn().url, make_user("alice"))
    add_case_on_page(page, "CASE-2024-001")
    wait_for_service_worker(page)
    write(page, "typed just before leaving", NOTES)

    page.goto("about:blank")
    assert wait_until(lambda: saved_texts(sql, "alice", "CASE-2024-001")
                      == ("typed just before leaving", NOTES))


# --- drafts left on the device ----------------------------------------------------

def test_a_draft_left_on_the_device_is_restored_and_sent(page, page_server, make_user, sql):
    sign_in_on_page(page, page_server.url, make_user("alice"))
    add_case_on_page(page, "CASE-2024-001")
    left = draft("CASE-2024-001", "from an earlier visit", NOTES)
    page.evaluate("([key, draft]) => localStorage.setItem(key, JSON.stringify(draft))",
                  [draft_key(sql, "alice", "CASE-2024-001"), left])

    page.reload()
    expect_editor(page, "from an earlier visit", NOTES)
    expect(status(page)).to_have_text(SAVED_AT)
    assert saved_texts(sql, "alice", "CASE-2024-001") == ("from an earlier visit", NOTES)
    assert drafts_on_device(page) == {}


def test_a_draft_for_a_case_not_in_the_list_brings_it_back_and_is_sent(
        page, page_server, make_user, sql):
    sign_in_on_page(page, page_server.url, make_user("alice"))
    # A draft for a case that is not (or no longer) among the user's saved ones.
    left = draft("case-2024-004", "never reached the server", NOTES, base_version=0)
    page.evaluate("([key, draft]) => localStorage.setItem(key, JSON.stringify(draft))",
                  [draft_key(sql, "alice", "CASE-2024-004"), left])

    page.reload()
    expect(case_button(page, "CASE-2024-004")).to_have_attribute("aria-current", "true")
    expect_editor(page, "never reached the server", NOTES)
    expect(status(page)).to_have_text(SAVED_AT)
    assert saved_texts(sql, "alice", "CASE-2024-004") == ("never reached the server", NOTES)
    assert drafts_on_device(page) == {}


def test_a_draft_for_a_case_closed_meanwhile_is_shown_and_kept(page, page_server, make_user, sql):
    sign_in_on_page(page, page_server.url, make_user("alice"))
    add_case_on_page(page, "CASE-2024-001")
    page.evaluate("([key, draft]) => localStorage.setItem(key, JSON.stringify(draft))",
                  [draft_key(sql, "alice", "CASE-2024-003"),
                   draft("CASE-2024-003", "written before it closed", NOTES, base_version=0)])
    sql.run("UPDATE cases SET is_open = FALSE WHERE case_number = 'CASE-2024-003'")

    page.reload()
    notices = page.get_by_role("region", name="Notices")
    expect(notices).to_contain_text("CASE-2024-003 was closed")
    notices.get_by_text("Show the unsent text").click()
    expect(notices).to_contain_text("written before it closed")
    expect(case_button(page, "CASE-2024-003")).to_have_count(0)
    assert saved_texts(sql, "alice", "CASE-2024-003") is None
    assert list(drafts_on_device(page).values()) == [
        draft("CASE-2024-003", "written before it closed", NOTES, base_version=0)]

    notices.get_by_role("button", name="Discard the unsent text").click()
    expect(notices).not_to_contain_text("CASE-2024-003")
    assert drafts_on_device(page) == {}


# --- the page itself ------------------------------------------------------------------

VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation",
    (event) => window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`));
"""


def expected_api_answer(message):
    """Chromium logs every 4xx as an error: the 401 of /api/auth/me before
    signing in and the 404 of a case with no saved entry are the API's
    normal answers, not a fault of the page."""
    return (message.text.startswith("Failed to load resource")
            and "/api/" in message.location.get("url", ""))


def test_a_whole_session_keeps_to_the_content_security_policy(page, page_server, make_user, sql):
    problems = []
    page.on("console", lambda message: message.type in ("error", "warning")
            and not expected_api_answer(message) and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.add_init_script(VIOLATIONS)

    response = page.goto(page_server.url)
    assert "default-src 'self'" in response.headers["content-security-policy"]
    sign_in_on_page(page, page_server.url, make_user("alice"))
    add_case_on_page(page, "CASE-2024-001")
    write(page, "under a strict policy", NOTES)
    page.get_by_role("button", name="Save now").click()
    expect(status(page)).to_have_text(SAVED_AT)
    page.reload()
    expect_editor(page, "under a strict policy", NOTES)

    assert page.evaluate("window.cspViolations") == []
    assert problems == []
    assert saved_texts(sql, "alice", "CASE-2024-001") == ("under a strict policy", NOTES)


FOCUS_IS_VISIBLE = """() => {
    const style = getComputedStyle(document.activeElement);
    return style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
}"""


def tab_to(page, locator, key="Tab", limit=20):
    """Press Tab (or ``key``) until ``locator`` has the focus, checking that
    every control passed on the way shows where the focus is."""
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate("document.activeElement !== document.body"):
            assert page.evaluate(FOCUS_IS_VISIBLE), page.evaluate(
                "document.activeElement.outerHTML")
        if locator.evaluate("(element) => element === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {locator}")


def test_keyboard_alone_signs_in_adds_a_case_writes_and_saves(page, page_server, make_user, sql):
    make_user("alice")
    page.goto(page_server.url)
    expect(page.get_by_label("Username")).to_be_focused()
    assert page.evaluate(FOCUS_IS_VISIBLE)
    page.keyboard.type("alice")
    tab_to(page, page.get_by_label("Password"))
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="My cases")).to_be_visible()

    tab_to(page, page.get_by_label("Case number"))
    page.keyboard.type("CASE-2024-001")
    page.keyboard.press("Enter")
    expect(case_button(page, "CASE-2024-001")).to_have_attribute("aria-current", "true")
    expect(page.get_by_label("Problem statement")).to_be_focused()
    page.keyboard.type("typed without a mouse")
    tab_to(page, page.get_by_label("FSR notes"))
    page.keyboard.type("notes too")
    tab_to(page, page.get_by_role("button", name="Save now"))
    page.keyboard.press("Enter")

    expect(status(page)).to_have_text(SAVED_AT)
    assert saved_texts(sql, "alice", "CASE-2024-001") == ("typed without a mouse", "notes too")
    tab_to(page, case_button(page, "CASE-2024-001"), key="Shift+Tab")  # the list too


def expect_within_the_screen(page, locator):
    expect(locator).to_be_visible()
    box = locator.bounding_box()
    width = page.viewport_size["width"]
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, (locator, box)


def expect_no_sideways_scroll(page):
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def phone_controls(page, *case_numbers):
    return [page.get_by_role("button", name="Sign out"), page.get_by_label("Case number"),
            page.get_by_role("button", name="Add case"),
            *(case_button(page, number) for number in case_numbers),
            page.get_by_role("heading", name=case_numbers[-1]),
            page.get_by_label("Problem statement"), page.get_by_label("FSR notes"),
            page.get_by_role("button", name="Save now"), status(page)]


def test_on_a_phone_every_control_is_visible_and_nothing_scrolls_sideways(
        new_page, page_server, make_user):
    page = new_page(PHONE)
    page.goto(page_server.url)
    for control in (page.get_by_label("Username"), page.get_by_label("Password"),
                    page.get_by_role("button", name="Sign in")):
        expect_within_the_screen(page, control)
    expect_no_sideways_scroll(page)

    user = make_user("alice", display_name="Alexandra Featherstonehaugh-Wolfeschlegel")
    sign_in_on_page(page, page_server.url, user)
    add_case_on_page(page, "CASE-2024-001")
    add_case_on_page(page, "CASE-2024-003")
    write(page, "on a phone " * 40, NOTES)
    for control in phone_controls(page, "CASE-2024-001", "CASE-2024-003"):
        control.scroll_into_view_if_needed()
        expect_within_the_screen(page, control)
    expect_no_sideways_scroll(page)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_longest_case_number_fits_the_screen(new_page, page_server, make_user, sql,
                                                 viewport):
    longest = "L" + "0123456789" * 9 + "-long-cas"  # 100 characters, no space
    sql.run("INSERT INTO cases (case_number, is_open) VALUES (%s, TRUE)", (longest,))
    page = new_page(viewport)
    sign_in_on_page(page, page_server.url, make_user("alice"))
    add_case_on_page(page, longest)
    for control in phone_controls(page, longest):
        control.scroll_into_view_if_needed()
        expect_within_the_screen(page, control)
    expect_no_sideways_scroll(page)


def test_the_character_count_is_against_the_servers_limit_which_cannot_be_passed(
        gunicorn, page, make_user, sql):
    server = gunicorn(MAX_TEXT_CHARS="20", **PAGE_SETTINGS)
    sign_in_on_page(page, server.url, make_user("alice"))
    add_case_on_page(page, "CASE-2024-001")
    expect(page.get_by_text("0 / 20 characters")).to_have_count(2)

    page.get_by_label("Problem statement").press_sequentially("twelve chars")
    expect(page.locator("#problem-count")).to_have_text("12 / 20 characters")
    page.get_by_label("Problem statement").press_sequentially(" and much more than twenty")
    page.get_by_label("FSR notes").press_sequentially("x" * 25)

    expect_editor(page, "twelve chars and muc", "x" * 20)
    expect(page.locator("#problem-count")).to_have_text("20 / 20 characters")
    expect(page.locator("#notes-count")).to_have_text("20 / 20 characters")
    page.get_by_role("button", name="Save now").click()
    expect(status(page)).to_have_text(SAVED_AT)
    assert saved_texts(sql, "alice", "CASE-2024-001") == ("twelve chars and muc", "x" * 20)
