"""The text limit in the page (MAX_TEXT_CHARS, 100,000 by default) counts
characters as the server does, in Unicode code points: an emoji is one,
not the two UTF-16 units a textarea's maxLength would count. An input past
the limit is refused whole with a message, never cut."""
import pytest
from playwright.sync_api import expect

from support.page import add_case_on_page, drafts_on_device, save_now, saved_texts, sign_in_on_page

LIMIT = 100_000
EMOJI = "🔧"  # one character, two UTF-16 units


@pytest.fixture
def editor(page, page_server, make_user):
    """alice's page, her new CASE-2024-001 in the editor."""
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=page_server.url)
    sign_in_on_page(page, page_server.url, make_user("alice"))
    add_case_on_page(page, "CASE-2024-001")
    return page


def paste(page, label, text):
    """Paste ``text`` at the cursor of the box labelled ``label``, with Ctrl+V."""
    page.evaluate("(text) => navigator.clipboard.writeText(text)", text)
    page.get_by_label(label).focus()
    page.keyboard.press("ControlOrMeta+V")


def test_a_paste_of_emoji_up_to_the_limit_is_taken_whole(editor, sql):
    paste(editor, "FSR notes", EMOJI * LIMIT)
    expect(editor.locator("#notes-count")).to_have_text("100,000 / 100,000 characters")
    save_now(editor)
    assert saved_texts(sql, "alice", "CASE-2024-001") == ("", EMOJI * LIMIT)


def test_typing_emoji_at_the_limit_takes_the_last_character_and_no_more(editor, sql):
    paste(editor, "Problem statement", "x" * (LIMIT - 1))
    editor.get_by_label("Problem statement").press_sequentially(EMOJI * 2)
    expect(editor.locator("#problem-count")).to_have_text("100,000 / 100,000 characters")
    expect(editor.get_by_role("alert")).to_have_text(
        "1 character not added: the limit is 100,000 characters, 0 left.")
    save_now(editor)
    assert saved_texts(sql, "alice", "CASE-2024-001") == ("x" * (LIMIT - 1) + EMOJI, "")


def test_a_paste_that_would_pass_the_limit_is_refused_whole_with_a_message(editor, sql):
    editor.get_by_label("FSR notes").fill("five.")
    save_now(editor)
    paste(editor, "FSR notes", EMOJI * (LIMIT - 4))

    expect(editor.get_by_role("alert")).to_have_text(
        "99,996 characters not added: the limit is 100,000 characters, 99,995 left.")
    expect(editor.get_by_label("FSR notes")).to_have_value("five.")
    expect(editor.locator("#notes-count")).to_have_text("5 / 100,000 characters")
    assert drafts_on_device(editor) == {}
    assert saved_texts(sql, "alice", "CASE-2024-001") == ("", "five.")


def test_the_message_goes_once_an_input_is_taken(editor):
    paste(editor, "FSR notes", EMOJI * (LIMIT + 1))
    expect(editor.get_by_role("alert")).to_be_visible()
    editor.get_by_label("FSR notes").press_sequentially("ok")
    expect(editor.get_by_role("alert")).to_have_count(0)
    expect(editor.get_by_label("FSR notes")).to_have_value("ok")


def test_text_an_input_method_composes_past_the_limit_is_undone_with_a_message(editor):
    """Chromium lets no page cancel an input method's composition: the page
    undoes it after the fact. Composed here as an input method does, through
    the DevTools protocol."""
    paste(editor, "Problem statement", "x" * (LIMIT - 1))
    devtools = editor.context.new_cdp_session(editor)
    devtools.send("Input.imeSetComposition", {"text": "日本語", "selectionStart": 3, "selectionEnd": 3})
    devtools.send("Input.insertText", {"text": "日本語"})

    expect(editor.get_by_role("alert")).to_have_text(
        "3 characters not added: the limit is 100,000 characters, 1 left.")
    expect(editor.get_by_label("Problem statement")).to_have_value("x" * (LIMIT - 1))
