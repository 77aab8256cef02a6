"""Driving the page in Chromium as a person does, and reading what it shows."""
import json
import os
import re

from playwright.sync_api import expect

from .app import PASSWORD
from .wait import wait_until

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # the tests run as root
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--no-first-run",
]
# Short, so that tests wait seconds, not minutes; the defaults are checked apart.
PAGE_SETTINGS = {"AUTOSAVE_SECONDS": "2", "CASE_STATUS_SECONDS": "2"}
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 812}

# What the page's status line says.
SAVED_AT = re.compile(r"^Saved at \d\d:\d\d$")
OFFLINE = "Offline — kept on this device, retrying"
# The page's save of one case (PUT), for page.route.
SAVE_REQUEST = re.compile(r"/api/cases/data/[^/]+$")


def fill_sign_in_form(page, username, password=PASSWORD):
    """Type into the page's sign-in form and press Sign in."""
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def sign_in_on_page(page, url, username, password=PASSWORD, navigate=True):
    """Open the page at ``url`` (unless ``navigate`` is false: the form is
    already there) and sign in through its form, as a person does."""
    if navigate:
        page.goto(url)
    fill_sign_in_form(page, username, password)
    expect(page.get_by_role("heading", name="My cases")).to_be_visible()
    return page


def add_case_on_page(page, case_number):
    """Add a case with the page's form; it is then the selected case."""
    page.get_by_label("Case number").fill(case_number)
    page.get_by_role("button", name="Add case").click()
    expect(case_button(page, case_number)).to_have_attribute("aria-current", "true")


def case_button(page, case_number):
    return page.get_by_role("navigation").get_by_role("button", name=case_number, exact=True)


def listed_cases(page):
    """The cases in the page's list, as list items."""
    return page.get_by_role("navigation").get_by_role("listitem")


def status(page):
    return page.get_by_role("status")


def save_now(page):
    """Click Save now and wait until the status line says it is saved."""
    page.get_by_role("button", name="Save now").click()
    expect(status(page)).to_have_text(SAVED_AT)


def write(page, problem, notes):
    """Type both texts into the editor of the selected case."""
    page.get_by_label("Problem statement").fill(problem)
    page.get_by_label("FSR notes").fill(notes)


def expect_editor(page, problem, notes):
    expect(page.get_by_label("Problem statement")).to_have_value(problem)
    expect(page.get_by_label("FSR notes")).to_have_value(notes)


def drafts_on_device(page):
    """The drafts in the page's localStorage, as {key: draft}."""
    return json.loads(page.evaluate("""() => JSON.stringify(Object.fromEntries(
        Object.keys(localStorage).filter((key) => key.startsWith("fsr-coach:draft:"))
            .map((key) => [key, JSON.parse(localStorage.getItem(key))])))"""))


def draft_key(sql, username, case_number):
    """The localStorage key of a user's draft for a case."""
    user_id = sql.one("SELECT id FROM users WHERE username = %s", (username,))["id"]
    return f"fsr-coach:draft:{user_id}:{case_number.upper()}"


def saved_texts(sql, username, case_number):
    """(problem_statement, fsr_notes) saved for a user's case, or None."""
    row = sql.one("SELECT uc.problem_statement, uc.fsr_notes FROM user_cases uc"
                  " JOIN users u ON u.id = uc.user_id"
                  " WHERE u.username = %s AND uc.case_number = %s", (username, case_number))
    return (row["problem_statement"], row["fsr_notes"]) if row else None


def wait_for_service_worker(page):
    """Until the page's service worker controls it, as on every visit but the
    first. Polled from here: Playwright's wait_for_function can meet the
    page's Content-Security-Policy (no eval) while the page reloads."""
    wait_until(lambda: page.evaluate("navigator.serviceWorker.controller !== null"))
