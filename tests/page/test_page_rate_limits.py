"""Answers of 429 (too many requests) through the page: a refused sign-in
says how long to wait, from the Retry-After header; a save refused for it
keeps the draft, says so, and is retried once the wait is over."""
import json
import re
import time

from playwright.sync_api import expect

from support.app import PASSWORD
from support.page import (
    SAVE_REQUEST,
    SAVED_AT,
    add_case_on_page,
    drafts_on_device,
    fill_sign_in_form,
    saved_texts,
    sign_in_on_page,
    status,
    write,
)

BUSY = "Too many requests for now — kept on this device, retrying"


def sign_in_answer(page, username, password):
    """Sign in with the page's form; the server's answer to it."""
    with page.expect_response("**/api/auth/login") as answer:
        fill_sign_in_form(page, username, password)
    return answer.value


def test_a_sign_in_refused_for_too_many_attempts_says_when_to_try_again(
        gunicorn, page, make_user):
    # Attempts per account name, counted in the database.
    server = gunicorn(RATELIMIT_LOGIN="2 per minute", WEB_CONCURRENCY="1")
    make_user("alice")
    page.goto(server.url)
    for _ in range(2):
        assert sign_in_answer(page, "alice", PASSWORD + "x").status == 401

    answer = sign_in_answer(page, "alice", PASSWORD)
    assert answer.status == 429
    seconds = answer.headers["retry-after"]
    assert re.fullmatch(r"[1-9]\d*", seconds)
    expect(page.get_by_role("alert")).to_have_text(
        f"Too many sign-in attempts. Try again in {seconds} s.")
    expect(page.get_by_role("heading", name="My cases")).to_be_hidden()


class SaveAnswered429Once:
    """The page's first save (PUT) answered 429 with a Retry-After, as a
    server over its limit answers; every later save goes through to the
    server. ``attempts`` records each save's monotonic time."""

    def __init__(self, page, retry_after):
        self.retry_after = retry_after
        self.attempts = []
        page.route(SAVE_REQUEST, self.answer)

    def answer(self, route):
        if route.request.method != "PUT":
            route.continue_()
            return
        self.attempts.append(time.monotonic())
        if len(self.attempts) > 1:
            route.continue_()
            return
        route.fulfill(status=429, content_type="application/json",
                      headers={"Retry-After": str(self.retry_after)},
                      body=json.dumps({"error": "Too many requests; retry later",
                                       "retry_after": self.retry_after}))


def test_a_save_refused_for_too_many_requests_keeps_the_draft_and_says_so(
        page, page_server, make_user, sql):
    sign_in_on_page(page, page_server.url, make_user("alice"))
    add_case_on_page(page, "CASE-2024-001")
    SaveAnswered429Once(page, retry_after=3)

    write(page, "kept through a 429", "")  # the autosave (2 s) sends it
    expect(status(page)).to_have_text(BUSY)
    assert [d["problemStatement"] for d in drafts_on_device(page).values()] == [
        "kept through a 429"]
    assert saved_texts(sql, "alice", "CASE-2024-001") == ("", "")


def test_a_save_refused_for_too_many_requests_is_retried_once_the_wait_is_over(
        page, page_server, make_user, sql):
    sign_in_on_page(page, page_server.url, make_user("alice"))
    add_case_on_page(page, "CASE-2024-001")
    saves = SaveAnswered429Once(page, retry_after=3)

    write(page, "kept through a 429", "")
    expect(status(page)).to_have_text(BUSY)
    expect(status(page)).to_have_text(SAVED_AT)
    assert saved_texts(sql, "alice", "CASE-2024-001") == ("kept through a 429", "")
    assert drafts_on_device(page) == {}
    # Not a second after the 429, as after an outage, but the 3 s it said.
    assert len(saves.attempts) == 2 and saves.attempts[1] - saves.attempts[0] >= 2.9, saves.attempts
