"""The report's Markdown is safe to paste (issue 15): whatever a note, a name
or a role holds, rendered as GitHub-flavoured Markdown (markdown-it-py with
HTML, tables, strikethrough and bare links on) the document keeps its own
structure, the text reads as written and no HTML or link becomes live."""
import re

import pytest
from markdown_it import MarkdownIt

from support.api import signed_in_client
from support.app import OPEN_CASES
from support.report_files import save, sign_off

CASE = OPEN_CASES[0]
MARKDOWN = MarkdownIt("gfm-like")
# Every construct the notes must not turn into structure.
CONSTRUCTS = {
    "heading": "# Not a heading\n## Nor this",
    "setext heading": "Not a heading\n===\nNor this\n---",
    "emphasis": "*a* _b_ **c** __d__ ***e***",
    "strikethrough": "~~kept~~ ~also~",
    "table": "| a | b |\n|---|---|\n| 1 | 2 |",
    "inline code": "`code` and ``more code``",
    "fenced code": "```\nnot code\n```\n~~~\nnor this\n~~~",
    "indented code": "text\n\n    not code",
    "HTML tags": "<b>bold</b> <script>alert(1)</script> <img src=x onerror=alert(1)>",
    "HTML block": "<div>\nblock\n</div>\n<!-- comment -->",
    "entities": "&lt;b&gt; &amp; &copy; &#60;",
    "inline link": "[click](http://evil.example/) and ![image](http://evil.example/x.png)",
    "reference link": "[click][1]\n\n[1]: http://evil.example/",
    "autolink": "<http://evil.example/> <someone@evil.example>",
    "bare links": "https://evil.example/x www.evil.example evil.example someone@evil.example",
    "lists": "- one\n+ two\n* three\n1. four\n2) five",
    "quote": "> quoted\n>> deeper",
    "rules": "---\n***\n___",
    "backslashes": "\\*not emphasis\\* and a trailing backslash\\",
    "footnote, mention, maths": "[^1] @alice #123 $x^2$ :smile:",
    "a note that is all punctuation": "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~",
}
PLAIN_TAGS = {"<p>", "</p>", "<br />"}
NO_BREAK_SPACE = "\u00a0"


def markdown_of(client, problem="problem", notes="notes"):
    save(client, CASE, problem, notes)
    response = client.get(f"/api/cases/data/{CASE}/report.md")
    assert response.status_code == 200, response.data
    return response.get_data(as_text=True)


def section(tokens, title):
    """The tokens under the heading ``title``, up to the next heading."""
    start = next(i for i, token in enumerate(tokens)
                 if token.type == "inline" and token.content == title) + 2
    end = next((i for i in range(start, len(tokens)) if tokens[i].type == "heading_open"),
               len(tokens))
    return tokens[start:end]


def read_as(tokens):
    """The text a reader sees in paragraphs: a line break for each break."""
    paragraphs = []
    for token in tokens:
        if token.type == "inline":
            paragraphs.append("".join(
                "\n" if child.type in ("hardbreak", "softbreak") else child.content
                for child in token.children))
    return "\n\n".join(paragraphs)


def as_read(text):
    """``text`` as a reader sees it: leading spaces kept as no-break spaces.

    markdown-it-py strips them from a paragraph's first line too (Python's
    strip() takes any white space; CommonMark and GitHub strip only spaces
    and tabs, so there the no-break spaces stay).
    """
    lines = [NO_BREAK_SPACE * (len(line) - len(line.lstrip(" "))) + line.lstrip(" ")
             for line in text.split("\n")]
    return "\n\n".join(paragraph.lstrip(NO_BREAK_SPACE)
                         for paragraph in "\n".join(lines).split("\n\n"))


def html_tags(tokens):
    return set(re.findall(r"<[^>]+>", MARKDOWN.renderer.render(tokens, MARKDOWN.options, {})))


def headings(tokens):
    return [tokens[i + 1].content for i, token in enumerate(tokens)
            if token.type == "heading_open"]


# --- notes ------------------------------------------------------------------------------

@pytest.mark.parametrize("text", CONSTRUCTS.values(), ids=CONSTRUCTS)
def test_a_construct_in_the_notes_stays_text(alice, text):
    notes = section(MARKDOWN.parse(markdown_of(alice, notes=text)), "FSR notes")
    assert {token.type for token in notes} <= {"paragraph_open", "inline", "paragraph_close"}
    assert {child.type for token in notes if token.type == "inline"
            for child in token.children} <= {"text", "hardbreak"}
    assert html_tags(notes) <= PLAIN_TAGS
    assert read_as(notes) == as_read(text)


@pytest.mark.parametrize("text", CONSTRUCTS.values(), ids=CONSTRUCTS)
def test_a_construct_in_the_problem_statement_stays_text(alice, text):
    problem = section(MARKDOWN.parse(markdown_of(alice, problem=text)), "Problem statement")
    assert html_tags(problem) <= PLAIN_TAGS
    assert read_as(problem) == as_read(text)


def test_the_document_keeps_its_own_headings_whatever_the_notes_hold(alice):
    plain = MARKDOWN.parse(markdown_of(alice, problem="one\ntwo", notes="three\n\nfour"))
    hostile = "\n".join(CONSTRUCTS.values())
    tokens = MARKDOWN.parse(markdown_of(alice, problem=hostile, notes=hostile))
    assert headings(tokens) == headings(plain) == [
        f"Service report {CASE}", "Problem statement", "FSR notes", "Customer sign-off"]
    assert html_tags(tokens) == html_tags(plain)


def test_lines_and_their_indentation_are_kept_without_becoming_code(alice):
    text = "Steps:\n  1. opened the panel\n    2. replaced K3\n\nAfter a blank line"
    notes = section(MARKDOWN.parse(markdown_of(alice, notes=text)), "FSR notes")
    assert html_tags(notes) <= PLAIN_TAGS
    assert read_as(notes) == as_read(text)
    assert "\u00a0\u00a0\u00a0\u00a02. replaced K3" in read_as(notes)


def test_windows_line_breaks_are_line_breaks(alice):
    notes = section(MARKDOWN.parse(markdown_of(alice, notes="one\r\ntwo")), "FSR notes")
    assert read_as(notes) == "one\ntwo"


def test_empty_notes_say_so(alice):
    notes = section(MARKDOWN.parse(markdown_of(alice, notes="")), "FSR notes")
    assert read_as(notes) == "(empty)"


# --- names and roles -------------------------------------------------------------------

def fact(tokens, label):
    """The text after ``label`` in the list item that starts with it in bold."""
    for token in tokens:
        children = [child for child in token.children or [] if child.content or
                    child.type != "text"]
        if children[:3] and children[0].type == "strong_open" and children[1].content == label:
            rest = children[3:]
            assert {child.type for child in rest} == {"text"}, rest
            return "".join(child.content for child in rest).strip()
    raise AssertionError(f"no {label} in the document")


HOSTILE_NAME = "[Dana](http://evil.example/) _Customer_ <img src=x onerror=alert(1)>"
HOSTILE_ROLE = "# Manager | `boss` ~~x~~"


def test_a_signers_name_and_role_stay_text(alice):
    version = save(alice, CASE, "problem", "notes")
    assert sign_off(alice, CASE, version, signer=HOSTILE_NAME,
                    role=HOSTILE_ROLE).status_code == 201
    tokens = MARKDOWN.parse(alice.get(f"/api/cases/data/{CASE}/report.md").get_data(
        as_text=True))
    assert fact(tokens, "Signed by:") == HOSTILE_NAME
    assert fact(tokens, "Role:") == HOSTILE_ROLE


def test_the_engineers_display_name_stays_text(app, make_user):
    engineer = signed_in_client(app, make_user("eve", display_name=HOSTILE_NAME))
    tokens = MARKDOWN.parse(markdown_of(engineer))
    assert fact(tokens, "Engineer:") == HOSTILE_NAME
