"""The report on the page (issue 15), in Chromium against gunicorn: the
customer signs on the pad with a mouse, a finger or a pen (on a 375-pixel
phone too), Clear empties it, the case shows the sign-off and, after a later
change, "changed since sign-off"; a sign-off given while the server is away
is kept on the device and sent when it is back; Export PDF and Export
Markdown download what the API answers."""
import io
import json
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from support.page import (
    DESKTOP,
    PAGE_SETTINGS,
    PHONE,
    SAVED_AT,
    add_case_on_page,
    save_now,
    sign_in_on_page,
    status,
    write,
)
from support.report_files import pdf_text
from support.wait import wait_until

CASE = "CASE-2024-001"
SIGNED = re.compile(r"^Signed by Dana Customer at .+ \(version (\d+)\)$")


def signoffs(sql):
    return sql.all("SELECT version, signer_name, signer_role, signature FROM case_signoffs"
                   " ORDER BY id")


def ink_box(png):
    """The box around what was drawn on a signature (None: nothing)."""
    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG"
        return image.getchannel("A").getbbox()


def open_signoff(page, name="Dana Customer", role="Plant manager"):
    page.get_by_role("button", name="Customer sign-off").click()
    dialog = page.get_by_role("dialog", name=f"Customer sign-off: {CASE}")
    expect(dialog).to_be_visible()
    dialog.get_by_label("Signer's name").fill(name)
    dialog.get_by_label("Role").fill(role)
    return dialog


def stroke_points(pad):
    box = pad.bounding_box()
    return [(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy)
            for fx, fy in ((0.1, 0.7), (0.3, 0.2), (0.5, 0.8), (0.7, 0.3), (0.9, 0.6))]


def draw_with_mouse(page, pad):
    points = stroke_points(pad)
    page.mouse.move(*points[0])
    page.mouse.down()
    for point in points[1:]:
        page.mouse.move(*point, steps=4)
    page.mouse.up()


def draw_with_finger(page, pad):
    """A touch drag, as a touch screen reports one (Chromium's DevTools input)."""
    cdp = page.context.new_cdp_session(page)
    points = stroke_points(pad)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart",
                                          "touchPoints": [{"x": points[0][0], "y": points[0][1]}]})
    for x, y in points[1:]:
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove",
                                              "touchPoints": [{"x": x, "y": y}]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


def draw_with_pen(page, pad):
    """A pen's stroke (pointerType "pen"), through Chromium's DevTools input."""
    cdp = page.context.new_cdp_session(page)
    points = stroke_points(pad)

    def pen(kind, x, y, buttons):
        cdp.send("Input.dispatchMouseEvent", {"type": kind, "x": x, "y": y, "button": "left",
                                              "buttons": buttons, "clickCount": 1,
                                              "pointerType": "pen"})
    pen("mousePressed", *points[0], 1)
    for x, y in points[1:]:
        pen("mouseMoved", x, y, 1)
    pen("mouseReleased", *points[-1], 0)


DEVICES = {
    "mouse on a desktop": (DESKTOP, False, draw_with_mouse),
    "finger on a phone": (PHONE, True, draw_with_finger),
    "pen on a phone": (PHONE, True, draw_with_pen),
}


def signed_in_with_notes(page, url, username, notes="Replaced relay K3; tested 10 starts."):
    sign_in_on_page(page, url, username)
    add_case_on_page(page, CASE)
    write(page, "Pump trips on start", notes)
    save_now(page)


# --- signing ------------------------------------------------------------------------------

@pytest.mark.parametrize("device", DEVICES.values(), ids=DEVICES)
def test_the_customer_signs_on_the_pad_and_the_case_shows_it(
        new_page, page_server, make_user, sql, device):
    viewport, touch, draw = device
    page = new_page(viewport, touch)
    signed_in_with_notes(page, page_server.url, make_user("alice"))
    dialog = open_signoff(page)
    pad = dialog.get_by_role("img", name="Signature")
    assert pad.bounding_box()["width"] <= viewport["width"]
    draw(page, pad)
    dialog.get_by_role("button", name="Sign").click()

    expect(page.get_by_text(SIGNED)).to_be_visible()
    [stored] = wait_until(lambda: signoffs(sql))
    assert (stored["version"], stored["signer_name"], stored["signer_role"]) == (
        2, "Dana Customer", "Plant manager")
    left, top, right, bottom = ink_box(stored["signature"])
    assert right - left > 50 and bottom - top > 20  # the whole stroke, not a dot


def test_clear_empties_the_pad_and_an_empty_pad_is_not_sent(page, page_server, make_user, sql):
    signed_in_with_notes(page, page_server.url, make_user("alice"))
    dialog = open_signoff(page)
    draw_with_mouse(page, dialog.get_by_role("img", name="Signature"))
    dialog.get_by_role("button", name="Clear").click()
    dialog.get_by_role("button", name="Sign").click()
    expect(dialog.get_by_role("alert")).to_have_text("Ask the signer to sign on the pad.")
    assert signoffs(sql) == []


def test_a_later_change_shows_changed_since_signoff(page, page_server, make_user):
    signed_in_with_notes(page, page_server.url, make_user("alice"))
    dialog = open_signoff(page)
    draw_with_mouse(page, dialog.get_by_role("img", name="Signature"))
    dialog.get_by_role("button", name="Sign").click()
    expect(page.get_by_text(SIGNED)).to_be_visible()

    page.get_by_label("FSR notes").press_sequentially(" Came back for a leak.")
    expect(page.get_by_text(re.compile(r"\(version 2\) · changed since sign-off$"))).to_be_visible()
    save_now(page)
    page.reload()
    expect(page.get_by_text(re.compile(r"\(version 2\) · changed since sign-off$"))).to_be_visible()


def test_a_signoff_given_while_the_server_is_away_is_kept_and_sent_when_it_is_back(
        gunicorn, page, make_user, sql):
    server = gunicorn(**PAGE_SETTINGS)
    signed_in_with_notes(page, server.url, make_user("alice"))

    server.stop()
    page.get_by_label("FSR notes").press_sequentially(" Signed in the basement.")
    dialog = open_signoff(page)
    draw_with_mouse(page, dialog.get_by_role("img", name="Signature"))
    dialog.get_by_role("button", name="Sign").click()
    expect(page.get_by_text(re.compile(r"kept on this device until the server has it$"))
           ).to_be_visible()
    kept = json.loads(page.evaluate(
        "JSON.stringify(Object.entries(localStorage).filter(([key]) =>"
        " key.startsWith('fsr-coach:signoffs:')).map(([, value]) => JSON.parse(value)))"))
    assert [[s["signerName"], s["texts"]["fsrNotes"]] for s in kept[0]] == [
        ["Dana Customer", "Replaced relay K3; tested 10 starts. Signed in the basement."]]

    server.start()
    expect(status(page)).to_have_text(SAVED_AT)
    expect(page.get_by_text(SIGNED)).to_have_text(re.compile(r"\(version 3\)$"), timeout=20_000)
    assert [s["version"] for s in signoffs(sql)] == [3]


# --- exports --------------------------------------------------------------------------------

def without_the_made_line(text):
    """A report's text but for when it was made (two reports a minute apart differ there)."""
    return re.sub(r"Made \d{4}-\d\d-\d\d \d\d:\d\d UTC", "Made", text)


@pytest.mark.parametrize("kind,button", [("pdf", "Export PDF"), ("md", "Export Markdown")])
def test_an_export_downloads_what_the_api_answers(page, page_server, make_user, kind, button):
    signed_in_with_notes(page, page_server.url, make_user("alice"),
                         notes="Replaced relay K3 — עברית, 中文, 🔧")
    with page.expect_download() as download_info:
        page.get_by_role("button", name=button).click()
    download = download_info.value
    assert download.suggested_filename == f"{CASE}-service-report.{kind}"
    with open(download.path(), "rb") as file:
        downloaded = file.read()
    answered = page.request.get(f"{page_server.url}/api/cases/data/{CASE}/report.{kind}").body()
    read = pdf_text if kind == "pdf" else bytes.decode
    assert without_the_made_line(read(downloaded)) == without_the_made_line(read(answered))
    assert "Replaced relay K3 — עברית, 中文, 🔧" in read(downloaded)


def test_an_export_sends_the_typed_text_first(page, page_server, make_user):
    signed_in_with_notes(page, page_server.url, make_user("alice"))
    page.get_by_label("FSR notes").fill("Typed just before the export")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Export Markdown").click()
    with open(download_info.value.path(), encoding="utf-8") as file:
        assert "Typed just before the export" in file.read()


# --- signoff.js's pure functions ---------------------------------------------------------

SIGNOFF_CASES = """
    const { fromServer } = await import("/static/state.js");
    const saved = fromServer({caseNumber: "C-1", problemStatement: "p", fsrNotes: "n",
                              updatedAt: "2026-05-01T10:00:00Z", version: 4});
    const texts = { problemStatement: "p", fsrNotes: "n" };
    const other = { problemStatement: "p", fsrNotes: "other" };
"""

VERSIONS_SIGNED = {
    "given at a saved version": ("{version: 3, texts}", "saved", 3),
    "given unsaved, since saved as signed": ("{version: null, texts}", "saved", 4),
    "given unsaved, still being typed": ("{version: null, texts: other}",
                                         "{...saved, fsrNotes: 'typing'}", None),
    "given unsaved, other text saved since": ("{version: null, texts: other}", "saved", "never"),
    "given unsaved, its case gone": ("{version: null, texts}", "undefined", "never"),
}


@pytest.mark.parametrize("signoff,case,expected", VERSIONS_SIGNED.values(), ids=VERSIONS_SIGNED)
def test_the_version_a_signoff_is_for(module_page, signoff, case, expected):
    assert module_page.evaluate(f"""async () => {{
        {SIGNOFF_CASES}
        const {{ versionSigned }} = await import("/static/signoff.js");
        const version = versionSigned({signoff}, {case});
        return version === undefined ? "never" : version;
    }}""") == expected


SIGNOFF_TEXTS = {
    "signed at the saved version": ("saved", "{signerName: 'Dana', signedAt, version: 4}",
                                    "null", r"^Signed by Dana at .+ \(version 4\)$"),
    "saved again since": ("saved", "{signerName: 'Dana', signedAt, version: 3}", "null",
                          r"\(version 3\) · changed since sign-off$"),
    "typed since": ("{...saved, fsrNotes: 'typing'}", "{signerName: 'Dana', signedAt, version: 4}",
                    "null", r"\(version 4\) · changed since sign-off$"),
    "kept on the device": ("saved", "null", "{signerName: 'Lee', signedAt}",
                           r"^Signed by Lee at .+ — kept on this device until the server has it$"),
    "never signed": ("saved", "null", "null", r"^$"),
}


@pytest.mark.parametrize("case,signed,waiting,expected", SIGNOFF_TEXTS.values(), ids=SIGNOFF_TEXTS)
def test_what_a_case_says_of_its_signoff(module_page, case, signed, waiting, expected):
    assert re.search(expected, module_page.evaluate(f"""async () => {{
        {SIGNOFF_CASES}
        const {{ signoffText }} = await import("/static/signoff.js");
        const signedAt = "2026-05-01T11:00:00Z";
        return signoffText({case}, {signed}, {waiting});
    }}"""))
