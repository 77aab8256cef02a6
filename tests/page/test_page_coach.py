"""The Coach panel beside the editor (coach-panel.js, coach-view.js): it
coaches the texts as they are typed, with the page's own engine on the
rubric GET /api/coach/rubric serves, kept on the device so that it coaches
with the server stopped; a finding selects its words in the editor; a save
never waits for it; collapsing it is remembered per user.

Everything is real (gunicorn, MariaDB, Chromium); only the failing rubric
answers are made up in the browser with ``page.route``. A test that stops
the server has a gunicorn of its own.
"""
import json
import re
import time

from playwright.sync_api import expect

from fsr_coach.coach.engine import evaluate
from fsr_coach.coach.rubric import load_rubric
from support.page import (
    PAGE_SETTINGS,
    PHONE,
    SAVE_REQUEST,
    SAVED_AT,
    add_case_on_page,
    saved_texts,
    sign_in_on_page,
    status,
    wait_for_service_worker,
    write,
)

RUBRIC = load_rubric()
RUBRIC_REQUEST = "**/api/coach/rubric"
VAGUE = ("Compressor not working", "fixed it")
SPECIFIC = (
    "Chiller 2 (model XJ-200) trips on high head pressure, 310 psi, within 10 minutes of"
    " start-up since Monday; production stopped on line 3.",
    "High head pressure caused by a fouled condenser coil. Cleaned the coil and replaced fan"
    " contactor K3 (P/N 5KCP39).\nRan unit 45 min under load: head pressure steady at 210 psi,"
    " no trips. Customer confirmed; back in service.")
AUTOSAVE_SECONDS = int(PAGE_SETTINGS["AUTOSAVE_SECONDS"])


def coach_panel(page):
    return page.get_by_role("complementary", name="Coach")


def finding(page, check):
    """The finding buttons of one check."""
    return coach_panel(page).locator(f'button.finding[data-check="{check}"]')


def checklist_item(page, check):
    return coach_panel(page).locator(f'li.check[data-check="{check}"]')


def coach_toggle(page):
    return page.get_by_role("button", name="Coach", exact=True)


def expect_coached(page, problem, notes):
    """Until the panel shows the server's engine's score for these texts."""
    passed = sum(check["passed"] for check in evaluate(RUBRIC, problem, notes)["checks"])
    expect(coach_panel(page).get_by_text(re.compile(r"^\d+ of \d+ checks$"))).to_have_text(
        f"{passed} of {len(RUBRIC.checks)} checks")


def open_case(page, url, username):
    sign_in_on_page(page, url, username)
    add_case_on_page(page, "CASE-2024-001")


def save_requests(page):
    """The page's saves (PUT), as (monotonic time, body) each, from now on."""
    sent = []
    page.on("request", lambda request: sent.append((time.monotonic(), request.post_data_json))
            if request.method == "PUT" and SAVE_REQUEST.search(request.url) else None)
    return sent


def expect_saved_on_time(page, sql, sent, typed_at):
    expect(status(page)).to_have_text(SAVED_AT)
    assert saved_texts(sql, "alice", "CASE-2024-001") == VAGUE
    at, body = next((at, body) for at, body in sent if body["fsrNotes"] == VAGUE[1])
    # The autosave's own delay, and the time to fill the two fields, no more.
    assert at - typed_at < AUTOSAVE_SECONDS + 1.5, at - typed_at


# --- what it says -------------------------------------------------------------------------

def test_vague_texts_show_the_vague_symptom_and_vague_action_findings(
        page, page_server, make_user):
    open_case(page, page_server.url, make_user("alice"))
    write(page, *VAGUE)
    expect(finding(page, "ps.symptom")).to_have_text(
        'Problem statement · warning"not working" says little: describe the symptom itself.')
    expect(finding(page, "fsr.actions")).to_contain_text('"fixed it" alone does not say')


def test_specific_texts_turn_the_symptom_and_action_checks_green(page, page_server, make_user):
    open_case(page, page_server.url, make_user("alice"))
    write(page, *VAGUE)
    expect(checklist_item(page, "ps.symptom")).to_have_class("check missing")
    write(page, *SPECIFIC)
    for check, title in [("ps.symptom", "A concrete symptom"), ("fsr.actions", "Specific work done")]:
        expect(checklist_item(page, check)).to_have_class("check passed")
        expect(checklist_item(page, check)).to_have_text(f"✓Passed: {title}")
    expect(finding(page, "ps.symptom")).to_have_count(0)


def test_the_score_counts_the_checks_passed_as_the_server_does(page, page_server, make_user):
    open_case(page, page_server.url, make_user("alice"))
    for problem, notes in [VAGUE, SPECIFIC, ("", "")]:
        write(page, problem, notes)
        expect_coached(page, problem, notes)


def test_a_missing_check_shows_its_hint_and_its_guide(page, page_server, make_user):
    open_case(page, page_server.url, make_user("alice"))
    write(page, *VAGUE)
    check = RUBRIC.json["checks"][[c["id"] for c in RUBRIC.checks].index("fsr.verification")]
    item = checklist_item(page, "fsr.verification")
    expect(item).to_contain_text(check["hint"])
    expect(item.get_by_role("link", name="Guide")).to_have_attribute("href", check["link"])


def test_the_panel_is_at_most_a_second_behind_the_typing(page, page_server, make_user):
    open_case(page, page_server.url, make_user("alice"))
    expect_coached(page, "", "")
    page.evaluate("""() => {
        window.typed = [];
        window.drawn = [];
        document.getElementById("problem-statement").addEventListener("input", (event) =>
            typed.push([performance.now(), event.target.value]));
        new MutationObserver(() => drawn.push([performance.now(),
            document.getElementById("coach-findings").textContent]))
            .observe(document.getElementById("coach"), { childList: true, subtree: true });
    }""")
    # 100 ms a key, for 4 s: the panel must not wait for a pause.
    page.get_by_label("Problem statement").press_sequentially(
        "Compressor not working at all since the storm on Monday night", delay=100)
    typed, drawn = page.evaluate("[typed, drawn]")
    vague_typed = next(at for at, text in typed if text.endswith("not working"))
    shown = next(at for at, text in drawn if "not working" in text)
    assert shown - vague_typed < 1100, shown - vague_typed
    assert shown < typed[-1][0]  # while the typing went on


def test_the_panel_sits_beside_the_editor_on_a_desktop(page, page_server, make_user):
    open_case(page, page_server.url, make_user("alice"))
    editor, coach = page.locator("section.editor").bounding_box(), coach_panel(page).bounding_box()
    assert coach["x"] >= editor["x"] + editor["width"]
    assert coach["y"] < editor["y"] + editor["height"]


def test_the_panel_is_below_the_editor_on_a_phone(new_page, page_server, make_user):
    page = new_page(PHONE)
    open_case(page, page_server.url, make_user("alice"))
    editor, coach = page.locator("section.editor").bounding_box(), coach_panel(page).bounding_box()
    assert coach["y"] >= editor["y"] + editor["height"]
    assert coach["x"] + coach["width"] <= PHONE["width"]


# --- a finding selects its words --------------------------------------------------------

def test_clicking_a_finding_selects_its_words_after_an_emoji(page, page_server, make_user):
    open_case(page, page_server.url, make_user("alice"))
    # Offsets are code points: 🔧 is one, but two UTF-16 units in a textarea.
    write(page, "🔧🔧 Compressor not working", "Relay K3 🔧 fixed it")
    finding(page, "fsr.actions").click()
    notes = page.get_by_label("FSR notes")
    expect(notes).to_be_focused()
    assert notes.evaluate("(field) => [field.selectionStart, field.selectionEnd]") == [12, 20]
    finding(page, "ps.symptom").click()
    selected = page.get_by_label("Problem statement").evaluate(
        "(field) => field.value.slice(field.selectionStart, field.selectionEnd)")
    assert selected == "not working"


def test_code_points_become_utf16_indices(module_page):
    assert module_page.evaluate("""async () => {
        const { utf16Offset } = await import("/static/coach-panel.js");
        return [utf16Offset("ab", 1), utf16Offset("🔧a🔧b", 3), utf16Offset("é🔧", 9)];
    }""") == [1, 5, 3]


# --- offline ------------------------------------------------------------------------------

def test_the_panel_coaches_with_the_server_stopped(gunicorn, page, make_user):
    server = gunicorn(**PAGE_SETTINGS)
    open_case(page, server.url, make_user("alice"))
    expect_coached(page, "", "")

    server.stop()
    write(page, *VAGUE)
    expect(finding(page, "ps.symptom")).to_contain_text("not working")
    expect_coached(page, *VAGUE)


def test_the_panel_coaches_after_a_reload_with_the_server_stopped(gunicorn, page, make_user):
    server = gunicorn(**PAGE_SETTINGS)
    open_case(page, server.url, make_user("alice"))
    expect_coached(page, "", "")
    wait_for_service_worker(page)

    server.stop()
    write(page, *VAGUE)  # a draft, for the case to be there offline
    page.reload()  # the service worker's copy of the page, the rubric kept on the device
    expect_coached(page, *VAGUE)
    write(page, *SPECIFIC)
    expect_coached(page, *SPECIFIC)
    expect(checklist_item(page, "ps.symptom")).to_have_class("check passed")


def test_the_kept_rubric_is_asked_for_with_its_etag_and_kept_on_a_304(
        page, page_server, make_user):
    open_case(page, page_server.url, make_user("alice"))
    expect_coached(page, "", "")
    with page.expect_response(RUBRIC_REQUEST) as answer:
        page.reload()
    assert answer.value.status == 304
    assert answer.value.request.headers["if-none-match"] == json.loads(page.evaluate(
        "localStorage.getItem('fsr-coach:coach-rubric')"))["etag"]
    write(page, *VAGUE)
    expect_coached(page, *VAGUE)


# --- a save never waits for it ------------------------------------------------------------

def test_a_save_goes_out_on_time_while_the_rubric_is_never_answered(
        page, page_server, make_user, sql):
    page.route(RUBRIC_REQUEST, lambda route: None)  # left hanging
    open_case(page, page_server.url, make_user("alice"))
    sent = save_requests(page)
    write(page, *VAGUE)
    expect_saved_on_time(page, sql, sent, time.monotonic())
    expect(coach_panel(page)).to_contain_text("The coach needs the server once")


def test_a_save_goes_out_on_time_while_the_coach_fails(page, page_server, make_user, sql):
    page.route(RUBRIC_REQUEST, lambda route: route.fulfill(
        status=500, content_type="application/json", body='{"error": "made up: 500"}'))
    page.goto(page_server.url)
    # A kept rubric the engine cannot run: each check has a test it does not know.
    broken = {**RUBRIC.json, "checks": [{**check, "tests": [{"kind": "unknown"}]}
                                        for check in RUBRIC.json["checks"]]}
    page.evaluate("(kept) => localStorage.setItem('fsr-coach:coach-rubric', kept)",
                  json.dumps({"etag": '"old"', "rubric": broken}))
    open_case(page, page_server.url, make_user("alice"))
    sent = save_requests(page)
    write(page, *VAGUE)
    expect_saved_on_time(page, sql, sent, time.monotonic())
    expect(coach_panel(page)).to_contain_text("The coach could not read its checklist")


# --- collapsed ------------------------------------------------------------------------------

def test_a_collapsed_panel_stays_collapsed_after_a_reload(page, page_server, make_user, sql):
    open_case(page, page_server.url, make_user("alice"))
    coach_toggle(page).click()
    expect(coach_toggle(page)).to_have_attribute("aria-expanded", "false")
    expect(coach_panel(page).get_by_role("heading", name="Checklist")).to_be_hidden()

    page.reload()
    expect(coach_toggle(page)).to_have_attribute("aria-expanded", "false")
    expect(coach_panel(page).get_by_role("heading", name="Checklist")).to_be_hidden()
    user_id = sql.one("SELECT id FROM users WHERE username = 'alice'")["id"]
    assert page.evaluate(f"localStorage.getItem('fsr-coach:coach-collapsed:{user_id}')") == "1"


def test_collapsing_the_panel_is_remembered_for_that_user_only(page, page_server, make_user):
    open_case(page, page_server.url, make_user("alice"))
    coach_toggle(page).click()
    page.get_by_role("button", name="Sign out").click()
    open_case(page, page_server.url, make_user("bob"))
    expect(coach_toggle(page)).to_have_attribute("aria-expanded", "true")
    expect(coach_panel(page).get_by_role("heading", name="Checklist")).to_be_visible()
