"""How the app serves the page: its settings, its files, its headers."""
import re

import pytest

from fsr_coach.config import ConfigError
from fsr_coach.headers import CONTENT_SECURITY_POLICY

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def page_setting(html, name):
    return float(re.search(rf'data-{name}="([^"]+)"', html).group(1))


def test_the_page_is_served_at_the_root(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert '<label for="case-number">Case number</label>' in response.text


def test_the_page_autosaves_every_30_seconds_by_default(client):
    html = client.get("/").text
    assert page_setting(html, "autosave-seconds") == 30
    assert page_setting(html, "case-status-seconds") == 300
    assert page_setting(html, "max-text-chars") == 100_000


def test_the_page_takes_its_timings_from_the_settings(make_app):
    html = make_app(AUTOSAVE_SECONDS=5, CASE_STATUS_SECONDS=60).test_client().get("/").text
    assert page_setting(html, "autosave-seconds") == 5
    assert page_setting(html, "case-status-seconds") == 60


@pytest.mark.parametrize("name", ["AUTOSAVE_SECONDS", "CASE_STATUS_SECONDS"])
def test_a_timing_that_is_not_positive_stops_the_app_from_starting(make_app, name):
    with pytest.raises(ConfigError, match=name):
        make_app(**{name: 0})


@pytest.mark.parametrize("path, mimetype", [
    ("/static/main.js", "text/javascript"),
    ("/static/api.js", "text/javascript"),
    ("/static/drafts.js", "text/javascript"),
    ("/static/app.css", "text/css"),
    ("/static/icon.svg", "image/svg+xml"),
    ("/sw.js", "text/javascript"),
])
def test_the_page_files_are_served_by_the_app(client, path, mimetype):
    response = client.get(path)
    assert response.status_code == 200
    assert response.mimetype == mimetype


def test_the_page_has_no_inline_script_or_style(client):
    html = client.get("/").text
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
    assert "<style" not in html and " style=" not in html


@pytest.mark.parametrize("path", ["/", "/static/main.js", "/api/auth/me", "/no-such-page"])
def test_every_response_carries_the_security_headers(client, path):
    headers = client.get(path).headers
    assert {name: headers.get(name) for name in SECURITY_HEADERS} == SECURITY_HEADERS
