"""Screenshots of the page for the README: docs/page-desktop.png and
docs/page-phone.png, and the editor with its Coach panel on a weak and on a
strong FSR, docs/coach-weak.png and docs/coach-strong.png.

Usage: python scripts/dev/screenshots.py URL USERNAME PASSWORD — against a
running server (./scripts/run.sh) and the demo account it prints. It adds
two demo cases to that account and writes sample notes in both.
"""
import os
import sys
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

DOCS = Path(__file__).resolve().parents[2] / "docs"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SHOTS = {"page-desktop.png": {"width": 1280, "height": 760},
         "page-phone.png": {"width": 375, "height": 812}}
# The editor and the panel, tall enough for every check of a weak FSR.
COACH_VIEWPORT = {"width": 1280, "height": 2000}
COACH_SHOTS = {
    "coach-weak.png": ("CASE-2024-001", "Chiller 2 not working, problem with pressure.",
                       "Replaced part, fixed it. All good."),
    "coach-strong.png": (
        "CASE-2024-003",
        "Chiller 2 (model XJ-200) trips on high head pressure, 310 psi, within 10 minutes of"
        " start-up since Monday; production stopped on line 3.",
        "High head pressure caused by a fouled condenser coil. Cleaned the coil and replaced"
        " fan contactor K3 (P/N 5KCP39).\nRan unit 45 min under load: head pressure steady at"
        " 210 psi, no trips. Customer confirmed; back in service."),
}


def fill_in_sample(page, url, username, password):
    page.goto(url)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    for case_number in ("CASE-2024-001", "CASE-2024-003"):
        page.get_by_label("Case number").fill(case_number)
        page.get_by_role("button", name="Add case").click()
        expect(page.get_by_role("heading", name=case_number)).to_be_visible()
    page.get_by_label("Problem statement").fill(
        "Chiller 2 trips on high head pressure within 10 minutes of start-up.")
    page.get_by_label("FSR notes").fill(
        "Found condenser coil fouled; cleaned coil and checked fan rotation.\n"
        "Ran unit 45 min under load: head pressure steady at 210 psi, no trips.")
    page.get_by_role("button", name="Save now").click()
    expect(page.get_by_role("status")).to_contain_text("Saved at")
    wait_for_the_coach(page)


def wait_for_the_coach(page):
    """Until the Coach panel shows the texts typed: it follows within a second."""
    expect(page.get_by_role("complementary", name="Coach")
           .get_by_role("heading", name="Checklist")).to_be_visible()
    page.wait_for_timeout(1500)


def main(url, username, password):
    DOCS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport=SHOTS["page-desktop.png"])
        fill_in_sample(page, url, username, password)
        for name, viewport in SHOTS.items():
            page.set_viewport_size(viewport)
            page.evaluate("window.scrollTo(0, 0)")
            page.screenshot(path=DOCS / name)
            print(f"wrote docs/{name}")
        page.set_viewport_size(COACH_VIEWPORT)
        for name, (case_number, problem, notes) in COACH_SHOTS.items():
            shoot_coach(page, name, case_number, problem, notes)
        browser.close()


def shoot_coach(page, name, case_number, problem, notes):
    """The editor and the Coach panel beside it, on these texts."""
    page.get_by_role("navigation").get_by_role("button", name=case_number, exact=True).click()
    page.get_by_label("Problem statement").fill(problem)
    page.get_by_label("FSR notes").fill(notes)
    page.get_by_role("button", name="Save now").click()
    expect(page.get_by_role("status")).to_contain_text("Saved at")
    wait_for_the_coach(page)
    coach = page.get_by_role("complementary", name="Coach")
    page.evaluate("window.scrollTo(0, 0)")
    editor = page.locator("section.editor").bounding_box()
    panel = coach.bounding_box()
    bottom = max(editor["y"] + editor["height"], panel["y"] + panel["height"])
    page.screenshot(path=DOCS / name, clip={
        "x": editor["x"], "y": editor["y"],
        "width": panel["x"] + panel["width"] - editor["x"], "height": bottom - editor["y"]})
    print(f"wrote docs/{name}")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
