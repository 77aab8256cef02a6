"""The report as Markdown that is safe to paste anywhere (a ticket, a wiki,
a chat): the document's structure is its own, and nothing in a note, a
name or a role can add to it.

Every character that means something to CommonMark or GitHub's dialect is
backslash-escaped (CommonMark takes any ASCII punctuation so). A few that
are common in notes are escaped only where they could mean something: "."
and ":" inside a word (links: "example.com", "http://"), and "-", "+" and
"1." where a line starts (lists, rules, headings). Leading spaces become
no-break spaces (four spaces would start a code block), and each line
break stays one.
"""
import re

from .report import when

NO_BREAK_SPACE = "\u00a0"
# Anywhere: emphasis, code, links, images, HTML, entities, headings, tables,
# strikethrough, mentions, maths and the escape itself.
_ALWAYS = re.compile(r"([\\`*_{}\[\]<>#|~&$@^=])")
# Inside a word: "example.com", "http://" (autolinks).
_INSIDE_WORD = re.compile(r"([.:])(?=\S)")
# Where a line starts: "- ", "+ ", "1. ", "1) ", "---".
_LINE_START = re.compile(r"^([-+]|\d+(?=[.)]))")


def render_markdown(report):
    """The Markdown of ``report`` (a report.Report), as text."""
    parts = [f"# Service report {escape_line(report.case_number)}", "", *_facts(report)]
    for index, section in enumerate(report.sections):
        if index:
            parts += ["", f"## Notes by {escape_line(section.author)}"]
        parts += ["", "### Problem statement", "", escape_text(section.problem_statement),
                  "", "### FSR notes", "", escape_text(section.fsr_notes)]
    parts += ["", "## Customer sign-off", "", *_signoff(report),
              "", "---", "", f"Made {when(report.made_at)} by FSR Coach.", ""]
    return "\n".join(parts)


def _facts(report):
    return [f"- **Case:** {escape_line(report.case_number)} ({report.status})",
            f"- **Engineer:** {escape_line(report.engineer)}",
            f"- **Last saved:** {when(report.updated_at)}, version {report.version}"]


def _signoff(report):
    signoff = report.signoff
    if signoff is None:
        return ["_Not signed yet._"]
    facts = [f"- **Signed by:** {escape_line(signoff['signer_name'])}"]
    if signoff["signer_role"]:
        facts.append(f"- **Role:** {escape_line(signoff['signer_role'])}")
    facts += [f"- **Signed at:** {when(signoff['signed_at'])}",
              f"- **Version signed:** {signoff['version']}",
              "- **Signature:** in the PDF report"]
    if report.changed_after_signoff:
        facts += ["", f"**Changed after sign-off:** version {signoff['version']} was signed,"
                      f" these notes are version {report.version}."]
    return facts


def escape_text(text):
    """A note as Markdown paragraphs with the same lines and the same text."""
    if not text.strip():
        return "_(empty)_"
    lines = [escape_line(line) for line in text.replace("\r\n", "\n").split("\n")]
    # A backslash at a line's end is a hard break, unless a paragraph ends there.
    return "\n".join(line + "\\" if line and following else line
                     for line, following in zip(lines, lines[1:] + [""], strict=True))


def escape_line(line):
    """One line of text, escaped so that it reads as itself."""
    line = line.rstrip()
    indent = len(line) - len(line.lstrip())
    body = _ALWAYS.sub(r"\\\1", line[indent:])
    body = _INSIDE_WORD.sub(r"\\\1", body)
    body = _LINE_START.sub(_escape_line_start, body)
    return NO_BREAK_SPACE * indent + body


def _escape_line_start(match):
    marker = match.group(1)
    # A number is a list marker only with the "." or ")" after it.
    return f"\\{marker}" if marker in "-+" else f"{marker}\\"
