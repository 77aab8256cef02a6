"""The page's pure modules, one behaviour at a time, in the Chromium the
page tests drive: each test imports a module in a blank page of the app's
origin (the ``module_page`` fixture) and checks what its functions return.
No Node, no build step: the browser runs the files the server sends.
"""
import re
from pathlib import Path

import pytest

STATIC = Path(__file__).resolve().parent.parent / "fsr_coach" / "web" / "static"

SERVED_ROW = """{caseNumber: "case-2024-001", problemStatement: "p", fsrNotes: "n",
                 updatedAt: "2024-05-01T10:00:00Z", version: 3}"""


def test_case_numbers_match_regardless_of_letter_case(module_page):
    assert module_page.evaluate("""async () => {
        const { caseKey } = await import("/static/state.js");
        return caseKey("case-2024-001");
    }""") == "CASE-2024-001"


def test_a_case_from_the_server_is_saved_at_its_version(module_page):
    assert module_page.evaluate(f"""async () => {{
        const {{ fromServer, isDirty }} = await import("/static/state.js");
        const c = fromServer({SERVED_ROW});
        return [c.caseNumber, c.version, isDirty(c), c.savedAt.toISOString()];
    }}""") == ["case-2024-001", 3, False, "2024-05-01T10:00:00.000Z"]


def test_a_case_whose_text_differs_from_the_saved_one_is_dirty(module_page):
    assert module_page.evaluate(f"""async () => {{
        const {{ fromServer, isDirty }} = await import("/static/state.js");
        const c = fromServer({SERVED_ROW});
        c.fsrNotes = "n, and more";
        return isDirty(c);
    }}""") is True


def test_a_case_edited_back_to_its_saved_text_is_not_dirty(module_page):
    assert module_page.evaluate(f"""async () => {{
        const {{ fromServer, isDirty }} = await import("/static/state.js");
        const c = fromServer({SERVED_ROW});
        c.problemStatement = "changed";
        c.problemStatement = "p";
        return isDirty(c);
    }}""") is False


def test_a_case_the_server_never_acknowledged_is_dirty_even_when_empty(module_page):
    assert module_page.evaluate("""async () => {
        const { newCase, isDirty } = await import("/static/state.js");
        return isDirty(newCase("CASE-1", { problemStatement: "", fsrNotes: "" }));
    }""") is True


def test_a_draft_case_saves_from_the_drafts_version(module_page):
    assert module_page.evaluate("""async () => {
        const { draftCase } = await import("/static/state.js");
        const c = draftCase({ caseNumber: "CASE-1", problemStatement: "p", fsrNotes: "n",
                              baseVersion: 4 });
        return [c.version, c.saved, c.problemStatement];
    }""") == [4, None, "p"]


@pytest.mark.parametrize("draft, version", [("{baseVersion: 0}", 0), ("{}", 7),
                                            ('{baseVersion: "2"}', 7)])
def test_a_draft_without_a_whole_version_number_saves_from_the_cases_own(
        module_page, draft, version):
    assert module_page.evaluate(f"""async () => {{
        const {{ baseVersionOf }} = await import("/static/state.js");
        return baseVersionOf({draft}, 7);
    }}""") == version


def test_a_case_put_first_heads_the_list(module_page):
    assert module_page.evaluate("""async () => {
        const { newCase, putFirst, state } = await import("/static/state.js");
        const empty = { problemStatement: "", fsrNotes: "" };
        putFirst(newCase("CASE-1", empty));
        putFirst(newCase("case-2", empty));
        return [...state.cases.keys()];
    }""") == ["CASE-2", "CASE-1"]


def test_dirty_cases_are_those_with_text_not_yet_acknowledged(module_page):
    assert module_page.evaluate("""async () => {
        const { dirtyCases, newCase, putFirst } = await import("/static/state.js");
        const texts = { problemStatement: "p", fsrNotes: "n" };
        putFirst(newCase("SAVED", texts, texts));
        putFirst(newCase("UNSENT", texts));
        return dirtyCases().map((c) => c.caseNumber);
    }""") == ["UNSENT"]


def test_dropping_the_selected_case_selects_the_first_one_left(module_page):
    assert module_page.evaluate("""async () => {
        const { dropCase, newCase, putFirst, selectCase, selectedCase, state } =
            await import("/static/state.js");
        const empty = { problemStatement: "", fsrNotes: "" };
        for (const number of ["A", "B", "C"]) putFirst(newCase(number, empty));
        selectCase("B");
        dropCase(selectedCase());
        return [state.selected, [...state.cases.keys()]];
    }""") == ["C", ["C", "A"]]


def test_dropping_another_case_keeps_the_selection(module_page):
    assert module_page.evaluate("""async () => {
        const { dropCase, newCase, putFirst, selectCase, state } =
            await import("/static/state.js");
        const empty = { problemStatement: "", fsrNotes: "" };
        for (const number of ["A", "B"]) putFirst(newCase(number, empty));
        selectCase("A");
        dropCase(state.cases.get("B"));
        return state.selected;
    }""") == "A"


def test_a_subscriber_hears_each_change_of_the_selected_case_once(module_page):
    assert module_page.evaluate("""async () => {
        const { newCase, putFirst, selectCase, subscribe } = await import("/static/state.js");
        const heard = [];
        subscribe("selected", (c) => heard.push(c ? c.caseNumber : null));
        putFirst(newCase("A", { problemStatement: "", fsrNotes: "" }));
        selectCase("A");
        selectCase("A");
        selectCase(null);
        return heard;
    }""") == ["A", None]


def test_a_subscriber_hears_the_edits_it_subscribed_to(module_page):
    assert module_page.evaluate("""async () => {
        const { notify, subscribe } = await import("/static/state.js");
        const heard = [];
        subscribe("edited", (c) => heard.push(`edited ${c.caseNumber}`));
        subscribe("selected", (c) => heard.push(`selected ${c.caseNumber}`));
        notify("edited", { caseNumber: "A" });
        return heard;
    }""") == ["edited A"]


def test_each_case_is_in_one_group_assigned_before_mine_before_shared(module_page):
    assert module_page.evaluate(f"""async () => {{
        const {{ caseGroups, fromServer, state }} = await import("/static/state.js");
        const mine = (caseNumber) => fromServer({{ ...{SERVED_ROW}, caseNumber }});
        state.cases = new Map([["A", mine("A")], ["B", mine("B")]]);
        state.assigned = [{{ caseNumber: "a" }}, {{ caseNumber: "C" }}];
        state.shared = [{{ caseNumber: "B", permission: "read" }},
                        {{ caseNumber: "c", permission: "write" }},
                        {{ caseNumber: "D", permission: "read" }}];
        return caseGroups();
    }}""") == {"assigned": ["A", "C"], "mine": ["B"], "shared": ["D"]}


def test_a_teammates_notes_are_keyed_by_case_and_author(module_page):
    assert module_page.evaluate(f"""async () => {{
        const {{ entryKey, fromServer, teammateNotes }} = await import("/static/state.js");
        const author = {{ user_id: 9, username: "bob", display_name: "Bob" }};
        const theirs = teammateNotes({{ ...{SERVED_ROW}, author }});
        return [entryKey(fromServer({SERVED_ROW})), entryKey(theirs)];
    }}""") == ["CASE-2024-001", "CASE-2024-001:by:9"]


# --- api.js ----------------------------------------------------------------------

@pytest.mark.parametrize("header, seconds", [
    ("5", 5), (" 12 ", 12), ("Wed, 01 May 2024 10:00:30 GMT", 30),
    ("Wed, 01 May 2024 09:00:00 GMT", 0), ("soon", None), (None, None),
])
def test_retry_after_is_read_as_seconds_or_as_a_date(module_page, header, seconds):
    assert module_page.evaluate("""async (header) => {
        const { secondsToWait } = await import("/static/api.js");
        return secondsToWait(header, Date.parse("2024-05-01T10:00:00Z"));
    }""", header) == seconds


# --- merge.js --------------------------------------------------------------------

def merge(page, mine, saved):
    """merged(mine, saved) in the page; each a [problemStatement, fsrNotes]."""
    return page.evaluate("""async ([mine, saved]) => {
        const { merged } = await import("/static/merge.js");
        const texts = (pair) => ({ problemStatement: pair[0], fsrNotes: pair[1] });
        const result = merged(texts(mine), { ...texts(saved), updatedAt: "2024-05-01T10:00:00Z" });
        return [result.problemStatement, result.fsrNotes];
    }""", [mine, saved])


def test_merging_keeps_a_text_both_sides_share(module_page):
    assert merge(module_page, ["same", "mine"], ["same", "mine"]) == ["same", "mine"]


def test_merging_takes_the_one_text_where_the_other_side_is_empty(module_page):
    assert merge(module_page, ["mine", ""], ["", "theirs"]) == ["mine", "theirs"]


def test_merging_keeps_both_differing_texts_the_saved_one_under_a_marked_line(module_page):
    problem, _notes = merge(module_page, ["mine", ""], ["theirs", ""])
    assert re.fullmatch(r"mine\n\n----- saved elsewhere at [^\n]*2024[^\n]* -----\ntheirs", problem)


# --- limit.js --------------------------------------------------------------------

def test_a_conflict_with_notes_never_saved_on_the_server_names_no_date(module_page):
    message = module_page.evaluate("""async () => {
        const { conflictMessage } = await import("/static/merge.js");
        return conflictMessage({ caseNumber: "CASE-1" },
            { problemStatement: "", fsrNotes: "", version: 0, updatedAt: null });
    }""")
    assert "not saved on the server yet" in message
    assert "1970" not in message


def test_merging_with_notes_never_saved_on_the_server_marks_them_without_a_date(module_page):
    problem = module_page.evaluate("""async () => {
        const { merged } = await import("/static/merge.js");
        return merged({ problemStatement: "mine", fsrNotes: "" },
            { problemStatement: "theirs", fsrNotes: "", updatedAt: null }).problemStatement;
    }""")
    assert problem == "mine\n\n----- saved elsewhere (not saved on the server yet) -----\ntheirs"


def test_a_conflict_on_a_teammates_notes_names_their_author(module_page):
    assert module_page.evaluate("""async () => {
        const { conflictMessage } = await import("/static/merge.js");
        return conflictMessage({ caseNumber: "CASE-1", author: { display_name: "Bob Jones" } },
            { version: 3, updatedAt: "2024-05-01T10:00:00Z" });
    }""").startswith("Bob Jones's notes on CASE-1 were saved by someone else at ")


def test_an_emoji_counts_as_one_character_as_on_the_server(module_page):
    assert module_page.evaluate("""async () => {
        const { charCount } = await import("/static/limit.js");
        return [charCount("🔧"), charCount("é"), charCount("a\\nb")];
    }""") == [1, 1, 3]


def test_typing_over_a_selection_keeps_the_characters_around_it(module_page):
    assert module_page.evaluate("""async () => {
        const { charsKept } = await import("/static/limit.js");
        // "a🔧b🔧c" with "🔧b" selected: UTF-16 offsets 1 to 4.
        return charsKept({ value: "a🔧b🔧c", selectionStart: 1, selectionEnd: 4 });
    }""") == 3


@pytest.mark.parametrize("event, inserted", [
    ('{inputType: "insertText", data: "ab"}', "ab"),
    ('{inputType: "insertLineBreak", data: null}', "\n"),
    ('{inputType: "insertFromPaste", data: null, dataTransfer: pasted}', "pasted text"),
])
def test_what_an_input_would_insert_comes_from_its_data_or_clipboard(module_page, event, inserted):
    assert module_page.evaluate(f"""async () => {{
        const {{ insertedText }} = await import("/static/limit.js");
        const pasted = new DataTransfer();
        pasted.setData("text/plain", "pasted text");
        return insertedText({event});
    }}""") == inserted


def test_the_refusal_says_how_many_characters_were_not_added_and_how_many_are_left(module_page):
    assert module_page.evaluate("""async () => {
        const { notAddedText } = await import("/static/limit.js");
        return [notAddedText(1, 20, 20), notAddedText(25, 23, 20)];
    }""") == ["1 character not added: the limit is 20 characters, 0 left.",
              "25 characters not added: the limit is 20 characters, 0 left."]


# --- settings.js and format.js ---------------------------------------------------

def test_the_settings_come_from_the_data_attributes_the_server_sets(module_page):
    assert module_page.evaluate("""async () => {
        const { loadSettings, settings } = await import("/static/settings.js");
        loadSettings({ autosaveSeconds: "2", caseStatusSeconds: "300",
                       maxTextChars: "100000", authMode: "proxy" });
        return settings;
    }""") == {"autosaveMs": 2000, "caseStatusMs": 300_000, "maxChars": 100_000,
              "proxySignIn": True}


def test_saved_times_show_hours_and_minutes_on_two_digits(module_page):
    assert module_page.evaluate("""async () => {
        const { hoursAndMinutes } = await import("/static/format.js");
        return hoursAndMinutes(new Date(2024, 4, 1, 9, 5));
    }""") == "09:05"


@pytest.mark.parametrize("items, words", [([], ""), (["A"], "A"), (["A", "B"], "A and B"),
                                          (["A", "B", "C"], "A, B and C")])
def test_lists_are_named_in_words(module_page, items, words):
    assert module_page.evaluate("""async (items) => {
        const { joinedWithAnd } = await import("/static/format.js");
        return joinedWithAnd(items);
    }""", items) == words


# --- drafts.js -------------------------------------------------------------------

def test_a_draft_is_forgotten_only_once_its_very_text_was_sent(module_page):
    assert module_page.evaluate("""async () => {
        const drafts = await import("/static/drafts.js");
        const draft = { caseNumber: "CASE-1", problemStatement: "p2", fsrNotes: "n", version: 1 };
        drafts.keep(7, draft);
        drafts.forgetIfSent(7, { caseNumber: "CASE-1" }, { problemStatement: "p1", fsrNotes: "n" });
        const kept = drafts.find(7, { caseNumber: "case-1" }) !== null;
        drafts.forgetIfSent(7, { caseNumber: "CASE-1" }, { problemStatement: "p2", fsrNotes: "n" });
        return [kept, drafts.find(7, { caseNumber: "CASE-1" })];
    }""") == [True, None]


def test_drafts_are_kept_apart_per_user(module_page):
    assert module_page.evaluate("""async () => {
        const drafts = await import("/static/drafts.js");
        drafts.keep(1, { caseNumber: "CASE-1", problemStatement: "ones", fsrNotes: "", version: 0 });
        drafts.keep(2, { caseNumber: "CASE-1", problemStatement: "twos", fsrNotes: "", version: 0 });
        return [drafts.all(1).map((d) => d.problemStatement),
                drafts.find(2, { caseNumber: "CASE-1" }).baseVersion];
    }""") == [["ones"], 0]


def test_a_draft_of_a_teammates_notes_is_kept_apart_from_ones_own(module_page):
    assert module_page.evaluate("""async () => {
        const drafts = await import("/static/drafts.js");
        const bob = { user_id: 9, username: "bob", display_name: "Bob" };
        drafts.keep(1, { caseNumber: "CASE-1", problemStatement: "mine", fsrNotes: "",
                         version: 2 });
        drafts.keep(1, { caseNumber: "CASE-1", author: bob, problemStatement: "bob's",
                         fsrNotes: "", version: 5 });
        const theirs = drafts.find(1, { caseNumber: "case-1", author: bob });
        return [drafts.find(1, { caseNumber: "CASE-1" }).problemStatement,
                theirs.problemStatement, theirs.baseVersion, theirs.author.username,
                drafts.all(1).map((d) => d.problemStatement)];
    }""") == ["mine", "bob's", 5, "bob", ["mine"]]


def test_the_cases_last_listed_are_remembered_per_user(module_page):
    assert module_page.evaluate("""async () => {
        const drafts = await import("/static/drafts.js");
        drafts.rememberListed(1, ["CASE-1", "CASE-2"]);
        return [drafts.lastListed(1), drafts.lastListed(2)];
    }""") == [["CASE-1", "CASE-2"], []]


def test_a_list_of_cases_spoilt_on_the_device_counts_as_none(module_page):
    assert module_page.evaluate("""async () => {
        const drafts = await import("/static/drafts.js");
        localStorage.setItem("fsr-coach:listed:1", "{not json");
        localStorage.setItem("fsr-coach:listed:2", JSON.stringify(["CASE-1", 5, null]));
        return [drafts.lastListed(1), drafts.lastListed(2)];
    }""") == [[], ["CASE-1"]]


# --- every module --------------------------------------------------------------------

# Counts what a module could start on import: timers, listeners, requests.
COUNT_WHAT_RUNS = """() => {
    window.started = [];
    for (const [owner, name] of [[window, "setTimeout"], [window, "setInterval"],
                                 [window, "fetch"], [EventTarget.prototype, "addEventListener"]]) {
        const original = owner[name];
        owner[name] = function (...args) {
            window.started.push(name);
            return original.apply(this, args);
        };
    }
}"""


def test_no_module_but_main_runs_anything_on_import(module_page):
    errors = []
    module_page.on("pageerror", lambda error: errors.append(str(error)))
    modules = sorted(path.name for path in STATIC.glob("*.js")
                     if path.name not in ("main.js", "sw.js"))
    module_page.evaluate(COUNT_WHAT_RUNS)
    module_page.evaluate("""(modules) => Promise.all(
        modules.map((name) => import(`/static/${name}`)))""", modules)
    assert errors == []
    assert module_page.evaluate("window.started") == []
    assert module_page.evaluate("[localStorage.length, document.body.childElementCount]") == [0, 0]
