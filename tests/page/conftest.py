"""The browser's fixtures: Debian's Chromium driven by Playwright, and the
gunicorn that serves it the page. Helpers are in support/page.py."""
import pytest
from playwright.sync_api import sync_playwright

from support.app import app_environment
from support.page import CHROMIUM, CHROMIUM_ARGS, DESKTOP, PAGE_SETTINGS
from support.servers import Gunicorn


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by Playwright."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def page_server(db_settings, tmp_path_factory):
    """gunicorn serving the page for the browser tests, with short timings."""
    environment = app_environment(db_settings, SESSION_COOKIE_SECURE="false", **PAGE_SETTINGS)
    server = Gunicorn(environment, tmp_path_factory.mktemp("page-server")).start()
    yield server
    server.stop()


@pytest.fixture
def new_page(browser):
    """new_page(viewport=DESKTOP, touch=False): a page in a browser profile of
    its own (its own cookies and localStorage), as on another device; with
    ``touch``, one with a touch screen."""
    contexts = []

    def make(viewport=DESKTOP, touch=False):
        context = browser.new_context(viewport=viewport, has_touch=touch)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def module_page(page, page_server):
    """A blank page of the app's origin, where a unit test imports one of the
    page's modules (``await import("/static/state.js")`` in page.evaluate)
    from the real server. Not the page itself: its main.js would start."""
    blank = f"{page_server.url}/unit-tests"
    page.route(blank, lambda route: route.fulfill(
        content_type="text/html", body="<!doctype html><title>Unit tests</title>"))
    page.goto(blank)
    return page
