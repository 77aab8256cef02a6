"""The service report (issue 15): GET /api/cases/data/<case>/report.pdf and
report.md carry every field of the user's notes and the latest sign-off;
the PDF read back with poppler-utils (text in every script, pages of a long
FSR); downloads named after the case; the same 404 as the case's data for
anyone else."""
import pytest

from fsr_coach.cases import notes
from fsr_coach.reports.markdown import render_markdown
from fsr_coach.reports.pdf import render_pdf
from fsr_coach.reports.report import Section, build_report
from support.api import error_json, signed_in_client
from support.app import CLOSED_CASES, OPEN_CASES
from support.report_files import (
    data_url,
    fonts_with_boxes,
    pdf_font_names,
    pdf_images,
    pdf_info,
    pdf_text,
    save,
    sign_off,
    signature_png,
)
from support.servers import free_port

CASE = OPEN_CASES[0]
FORMATS = ["pdf", "md"]
# Text that must come out as text: each script, and emoji beside digits.
SCRIPTS = {
    "Latin with accents": "Ça coûte: Zoë, Łódź, Ærøskøbing, Straße, São Tomé",
    "Greek": "Η αντλία σταμάτησε",
    "Cyrillic": "Насос остановился",
    "Arabic": "توقفت المضخة",
    "Hebrew": "המשאבה נעצרה",
    "Chinese": "水泵停止运转",
    "Emoji": "🔧✅👍 at 230 V",
}


def report(client, case_number=CASE, kind="pdf"):
    response = client.get(f"/api/cases/data/{case_number}/report.{kind}")
    assert response.status_code == 200, response.data[:500]
    return response


def pdf(client, case_number=CASE):
    return report(client, case_number, "pdf").data


def markdown(client, case_number=CASE):
    return report(client, case_number, "md").get_data(as_text=True)


def when(timestamp):
    """A time as the report shows it."""
    return timestamp.strftime("%Y-%m-%d %H:%M UTC")


def entry(sql, case_number=CASE):
    return sql.one("SELECT version, updated_at FROM user_cases WHERE case_number = %s",
                   (case_number,))


@pytest.fixture
def carol(app, make_user):
    """A user whose display name differs from her username."""
    return signed_in_client(app, make_user("carol", display_name="Carol Engineer"))


# --- what the report says -----------------------------------------------------------

@pytest.mark.parametrize("kind", FORMATS)
def test_the_report_holds_every_field_of_the_notes(carol, sql, kind):
    save(carol, CASE, "Pump P-7 trips on start", "Replaced relay K3; tested 10 starts.")
    stored = entry(sql)
    text = pdf_text(pdf(carol)) if kind == "pdf" else markdown(carol)
    for field in (f"Service report {CASE}", f"{CASE} (open)", "Carol Engineer",
                  f"{when(stored['updated_at'])}, version {stored['version']}",
                  "Pump P-7 trips on start", "Replaced relay K3; tested 10 starts",
                  "Made ", "by FSR Coach"):
        assert field in text, field


@pytest.mark.parametrize("kind", FORMATS)
def test_the_report_holds_the_latest_signoff(carol, sql, kind):
    version = save(carol, CASE, "problem", "notes")
    sign_off(carol, CASE, version, signer="Earlier Signer")
    assert sign_off(carol, CASE, version, signer="Dana Customer",
                    role="Plant manager").status_code == 201
    signed = sql.one("SELECT signed_at FROM case_signoffs ORDER BY id DESC LIMIT 1")
    text = pdf_text(pdf(carol)) if kind == "pdf" else markdown(carol)
    for field in ("Dana Customer", "Plant manager", when(signed["signed_at"]),
                  "Version signed"):
        assert field in text, field
    assert "Earlier Signer" not in text
    assert "Changed after sign-off" not in text


def test_the_pdf_shows_the_signature_image(alice):
    sign_off(alice, CASE, save(alice, CASE, "problem", "notes"),
             signature=data_url(signature_png(400, 150)))
    assert pdf_images(pdf(alice)) == [(400, 150)]


@pytest.mark.parametrize("kind", FORMATS)
def test_a_report_after_a_later_change_says_changed_after_signoff(alice, kind):
    sign_off(alice, CASE, save(alice, CASE, "problem", "notes"))
    save(alice, CASE, "problem", "notes, and a later visit")
    text = pdf_text(pdf(alice)) if kind == "pdf" else markdown(alice)
    assert "Changed after sign-off" in text
    assert "version 1 was signed" in text and "version 2" in text


@pytest.mark.parametrize("kind", FORMATS)
def test_a_report_before_any_signoff_says_not_signed_yet(alice, kind):
    save(alice, CASE, "problem", "notes")
    text = pdf_text(pdf(alice)) if kind == "pdf" else markdown(alice)
    assert "Not signed yet" in text


@pytest.mark.parametrize("kind", FORMATS)
def test_the_report_of_a_closed_case_says_closed_and_when(alice, sql, kind):
    save(alice, CASE, "problem", "notes")
    sql.run("UPDATE cases SET is_open = FALSE, closed_at = '2026-11-20 16:45:00'"
            " WHERE case_number = %s", (CASE,))
    text = pdf_text(pdf(alice)) if kind == "pdf" else markdown(alice)
    assert f"{CASE} (closed on 2026-11-20 16:45 UTC)" in text


# --- the PDF as a document ---------------------------------------------------------------

def test_the_pdf_writes_every_script_as_text_in_a_font_that_has_it(alice):
    save(alice, CASE, "\n".join(SCRIPTS.values()), "")
    document = pdf(alice)
    text = pdf_text(document)
    for script, sample in SCRIPTS.items():
        assert sample in text, script
    assert fonts_with_boxes(document) == []
    fonts = " ".join(pdf_font_names(document))
    assert "CJK" in fonts and "Emoji" in fonts


def test_a_character_no_font_has_is_caught_by_the_box_check(alice):
    # Kawi (Unicode 15) is in none of the fonts installed: the check above can fail.
    save(alice, CASE, "Kawi: \U00011f04\U00011f05", "")
    assert fonts_with_boxes(pdf(alice)) != []


def test_a_long_fsr_flows_over_a4_pages_each_with_the_case_number_and_page_n_of_m(alice):
    lines = [f"Step {n}: checked contactor K{n}, measured 230 V, tightened terminals."
             for n in range(1, 301)]
    save(alice, CASE, "Pump trips", "\n".join(lines))
    document = pdf(alice)
    pages = int(pdf_info(document)["Pages"])
    assert pages >= 4
    for page in range(1, pages + 1):
        text = pdf_text(document, page)
        assert f"Service report {CASE}" in text
        assert f"Page {page} of {pages}" in text
    assert all(line in pdf_text(document) for line in (lines[0], lines[149], lines[-1]))


def test_the_pdf_is_on_a4_pages_titled_after_the_case(alice):
    save(alice, CASE, "problem", "notes")
    info = pdf_info(pdf(alice))
    assert info["Page size"].endswith("(A4)")
    assert info["Title"] == f"Service report {CASE}"


# --- downloads -----------------------------------------------------------------------------

@pytest.mark.parametrize("kind,mimetype", [("pdf", "application/pdf"), ("md", "text/markdown")])
def test_the_report_is_a_download_named_after_the_case_and_kept_by_no_cache(alice, kind,
                                                                               mimetype):
    save(alice, CASE, "problem", "notes")
    response = report(alice, CASE.lower(), kind)
    assert response.mimetype == mimetype
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="{CASE}-service-report.{kind}"')
    assert response.headers["Cache-Control"] == "no-store"


def test_the_markdown_is_utf8(alice):
    save(alice, CASE, SCRIPTS["Hebrew"], SCRIPTS["Emoji"])
    response = report(alice, CASE, "md")
    assert response.mimetype_params == {"charset": "utf-8"}
    assert SCRIPTS["Hebrew"] in response.data.decode("utf-8")


# --- who may read it ------------------------------------------------------------------------

@pytest.mark.parametrize("kind", FORMATS)
def test_another_users_case_is_the_same_404_as_its_data(alice, bob, kind):
    save(alice, CASE, "alice's problem", "alice's notes")
    response = bob.get(f"/api/cases/data/{CASE}/report.{kind}")
    assert error_json(response, 404) == bob.get(f"/api/cases/data/{CASE}").json
    assert "alice" not in response.get_data(as_text=True)


@pytest.mark.parametrize("kind", FORMATS)
def test_a_case_without_notes_is_the_same_404_as_its_data(alice, kind):
    for case_number in (CASE, CLOSED_CASES[0], "NOT-A-CASE"):
        response = alice.get(f"/api/cases/data/{case_number}/report.{kind}")
        assert error_json(response, 404) == {"found": False,
                                             "message": "No saved data for this case"}


@pytest.mark.parametrize("kind", FORMATS)
def test_a_case_removed_from_the_list_has_no_report(alice, kind):
    save(alice, CASE, "problem", "notes")
    assert alice.delete(f"/api/cases/data/{CASE}").status_code == 200
    response = alice.get(f"/api/cases/data/{CASE}/report.{kind}")
    assert error_json(response, 404)["found"] is False


@pytest.mark.parametrize("kind", FORMATS)
def test_a_malformed_case_number_is_a_400(alice, kind):
    response = alice.get(f"/api/cases/data/bad!number/report.{kind}")
    assert error_json(response, 400)["field"] == "caseNumber"


@pytest.mark.parametrize("kind", FORMATS)
def test_a_report_needs_a_session(client, kind):
    response = client.get(f"/api/cases/data/{CASE}/report.{kind}")
    assert error_json(response, 401) == {"error": "Not authenticated"}


@pytest.mark.parametrize("kind", FORMATS)
def test_a_report_is_a_503_when_the_database_is_unreachable(alice, make_app, kind):
    cut_off = make_app(DB_PORT=free_port(), DB_CONNECT_TIMEOUT=2).test_client()
    cut_off.set_cookie("fsr_session", alice.get_cookie("fsr_session").value)
    response = cut_off.get(f"/api/cases/data/{CASE}/report.{kind}")
    assert set(error_json(response, 503)) == {"error"}


# --- sections by author (a team's notes, once teams exist) -----------------------------------

def test_each_further_section_comes_under_its_authors_name(app, alice, sql):
    """The user's own notes first, untitled; each further section (a team
    member's, once teams exist) under "Notes by NAME"."""
    save(alice, CASE, "alice's problem", "alice's notes")
    user = sql.one("SELECT id, display_name FROM users WHERE username = 'alice'")
    with app.test_request_context():
        row = notes.case_notes(str(user["id"]), CASE)
        report = build_report(user, row, None)
        report = report._replace(sections=[*report.sections,
                                           Section("Bo Team-Mate", "bo's problem", "bo's notes")])
        markdown, text = render_markdown(report), pdf_text(render_pdf(report))
    assert "## Notes by Bo Team-Mate" in markdown
    for shown in (markdown, text):
        assert shown.index("alice's notes") < shown.index("Notes by Bo Team-Mate") < shown.index(
            "bo's notes")
    assert "Notes by alice" not in text and "Notes by alice" not in markdown
