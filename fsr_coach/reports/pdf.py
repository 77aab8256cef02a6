"""The report as a PDF: report.html rendered with the app's Jinja templates,
laid out by WeasyPrint (CSS paged media, real text, fonts embedded).

WeasyPrint fetches nothing but ``data:`` URLs: the signature is one, and a
note can never name a file or a server (its text is escaped anyway). It is
imported with the first report a process makes: loading Pango and the fonts
takes a second of CPU, which every gunicorn worker would otherwise pay as
it starts (docs/decisions/007-report-rendering.md).
"""
import unicodedata
from pathlib import Path

from flask import render_template

from .report import when
from .validation import signature_url

STYLESHEET = Path(__file__).resolve().parent / "templates" / "reports" / "report.css"
RIGHT_TO_LEFT = frozenset({"R", "AL"})
LEFT_TO_RIGHT = frozenset({"L"})


def render_pdf(report):
    """The PDF of ``report`` (a report.Report), as bytes."""
    import weasyprint  # noqa: PLC0415  (on first use: see above)
    html = render_template("reports/report.html", report=report, when=when, runs=runs,
                           direction=direction, signature_url=signature_url)
    fetcher = weasyprint.URLFetcher(allowed_protocols={"data"})
    document = weasyprint.HTML(string=html, url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[str(STYLESHEET)])


def runs(text):
    """``text`` as [(direction, lines)]: its lines in runs of one direction,
    each line taking that of its first letter (one without letters goes with
    the run before it); none for an empty text."""
    found = []
    for line in text.replace("\r\n", "\n").split("\n") if text else []:
        line_direction = direction(line, None)
        if found and line_direction in (None, found[-1][0]):
            found[-1] = (found[-1][0], f"{found[-1][1]}\n{line}")
        else:
            found.append((line_direction or "ltr", line))
    return found


def direction(text, otherwise="ltr"):
    """"rtl" when the first letter of ``text`` is written right to left
    (Hebrew, Arabic), "ltr" when it is written left to right, ``otherwise``
    when it has none: HTML's dir="auto", which WeasyPrint lacks."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in RIGHT_TO_LEFT:
            return "rtl"
        if kind in LEFT_TO_RIGHT:
            return "ltr"
    return otherwise

