"""Screenshots of the page for the README: docs/page-desktop.png and
docs/page-phone.png.

Usage: python scripts/dev/screenshots.py URL USERNAME PASSWORD — against a
running server (./scripts/run.sh) and the demo account it prints. It adds
two demo cases to that account and writes sample notes in one.
"""
import os
import sys
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

DOCS = Path(__file__).resolve().parents[2] / "docs"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SHOTS = {"page-desktop.png": {"width": 1280, "height": 760},
         "page-phone.png": {"width": 375, "height": 812}}


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
        browser.close()


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
