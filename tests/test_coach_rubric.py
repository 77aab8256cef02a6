"""The coach's rubric: the default one, an organisation's file
(COACH_RUBRIC) replacing or amending it, and a rubric that does not load:
refused at start-up and by `flask coach check-rubric`, naming the file, the
check and the field."""
import re
import subprocess
import sys

import pytest

from fsr_coach.coach.engine import evaluate
from fsr_coach.coach.rubric import DEFAULT_RUBRIC, RubricError, load_rubric
from fsr_coach.config import ConfigError
from support.app import ROOT, app_environment
from support.servers import free_port

ISSUE_CHECKS = ["ps.equipment", "ps.symptom", "ps.evidence", "ps.when", "ps.impact",
                "ps.no_solution", "fsr.actions", "fsr.parts", "fsr.measurements",
                "fsr.verification", "fsr.cause", "fsr.outcome", "fsr.addresses_problem"]
NEW_CHECK = """
  - id: org.ticket
    field: both
    title: The ticket number
    weight: 5
    severity: error
    hint: Quote the ticket number (TK-1234).
    link: https://intranet.example.org/fsr-rules
    existence:
      case_sensitive: true
      patterns: ['TK-[0-9]{4}']
"""


@pytest.fixture
def rubric_file(tmp_path):
    """rubric_file(text): a rubric file holding ``text``; returns its path."""
    def write(text, name="rubric.yaml"):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path
    return write


def check(rubric, check_id):
    return next((c for c in rubric.checks if c["id"] == check_id), None)


def refusal(path):
    with pytest.raises(RubricError) as refused:
        load_rubric(path)
    return refused.value


# --- the default -------------------------------------------------------------------------

def test_the_default_rubric_holds_the_issue_s_checks_in_order():
    assert [c["id"] for c in load_rubric().checks] == ISSUE_CHECKS


def test_each_default_check_links_to_a_guide_that_docs_coach_md_cites():
    cited = (ROOT / "docs" / "coach.md").read_text(encoding="utf-8")
    for default in load_rubric().checks:
        assert default["link"].startswith("https://") and default["link"] in cited, default


def test_the_default_rubric_ships_inside_the_package():
    assert DEFAULT_RUBRIC.parent == ROOT / "fsr_coach" / "coach"
    assert load_rubric(DEFAULT_RUBRIC).json == load_rubric().json


# --- an organisation's rubric --------------------------------------------------------------

def test_an_amendment_switches_a_check_off(rubric_file):
    rubric = load_rubric(rubric_file("extends: default\nchecks:\n"
                                     "  - {id: ps.impact, enabled: false}\n"))
    assert check(rubric, "ps.impact") is None and len(rubric.checks) == 12


def test_an_amendment_changes_a_weight_a_severity_and_a_hint(rubric_file):
    rubric = load_rubric(rubric_file(
        "extends: default\nchecks:\n  - id: ps.symptom\n    weight: 30\n"
        "    severity: error\n    hint: Say what you saw.\n"))
    assert {key: check(rubric, "ps.symptom")[key] for key in ("weight", "severity", "hint")} == {
        "weight": 30, "severity": "error", "hint": "Say what you saw."}
    assert check(rubric, "ps.symptom")["tests"] == check(load_rubric(), "ps.symptom")["tests"]


def test_an_amendment_adds_accepted_jargon_to_a_word_list(rubric_file):
    rubric = load_rubric(rubric_file("extends: default\nchecks:\n  - id: ps.impact\n"
                                     "    existence: {add_words: [AOG, MICAP]}\n"))
    answer = evaluate(rubric, "Aircraft AOG at gate 4", "")
    assert next(c for c in answer["checks"] if c["id"] == "ps.impact")["passed"]


def test_an_amendment_takes_a_word_off_a_list(rubric_file):
    rubric = load_rubric(rubric_file("extends: default\nchecks:\n  - id: ps.symptom\n"
                                     "    absence: {remove_words: [Issue]}\n"))
    assert evaluate(rubric, "Ticket issue 7: fan noise at start-up", "")["findings"] == []


def test_an_amendment_adds_a_pattern_to_a_nested_set(rubric_file):
    rubric = load_rubric(rubric_file(
        "extends: default\nchecks:\n  - id: fsr.parts\n    conditional:\n"
        "      then: {add_patterns: ['from stock']}\n"))
    answer = evaluate(rubric, "", "Replaced the belt from stock.")
    assert next(c for c in answer["checks"] if c["id"] == "fsr.parts")["passed"]


def test_an_amendment_adds_a_check_after_the_default_ones(rubric_file):
    rubric = load_rubric(rubric_file("extends: default\nchecks:" + NEW_CHECK))
    assert [c["id"] for c in rubric.checks] == ISSUE_CHECKS + ["org.ticket"]
    answer = evaluate(rubric, "", "Closed TK-1234")
    assert answer["checks"][-1] == {"id": "org.ticket", "field": "both",
                                    "title": "The ticket number", "weight": 5,
                                    "passed": True, "hint": "Quote the ticket number (TK-1234)."}


def test_an_amendment_names_its_own_rubric_and_version(rubric_file):
    rubric = load_rubric(rubric_file("extends: default\nname: ACME field service\n"
                                     "version: 2024.2\n"))
    assert (rubric.name, rubric.version, len(rubric.checks)) == ("ACME field service",
                                                                  "2024.2", 13)


def test_a_rubric_without_extends_replaces_the_default(rubric_file):
    rubric = load_rubric(rubric_file("name: ACME\nversion: '1'\nchecks:" + NEW_CHECK))
    assert [c["id"] for c in rubric.checks] == ["org.ticket"]
    assert evaluate(rubric, "", "TK-1234")["score"] == 100


def test_the_app_coaches_with_the_rubric_coach_rubric_names(make_app, make_user, rubric_file):
    app = make_app(COACH_RUBRIC=str(rubric_file("name: ACME\nversion: '1'\nchecks:"
                                                + NEW_CHECK)))
    client = app.test_client()
    client.login(make_user("alice"))
    answer = client.post("/api/coach", json={"fsrNotes": "TK-1234"}).json
    assert answer["rubric"] == {"name": "ACME", "version": "1"} and answer["score"] == 100


# --- a rubric that does not load ------------------------------------------------------------

BAD_RUBRICS = {
    "a pattern outside the subset": (
        "extends: default\nchecks:\n  - id: ps.evidence\n"
        "    existence: {patterns: ['\\d{1,3} psi']}\n",
        "ps.evidence", "existence.patterns[0]", "\\d is not allowed"),
    "an unknown severity": (
        "extends: default\nchecks:\n  - {id: ps.when, severity: fatal}\n",
        "ps.when", "severity", "must be one of error, warning, suggestion"),
    "a weight that is not a number": (
        "extends: default\nchecks:\n  - {id: ps.when, weight: heavy}\n",
        "ps.when", "weight", "must be a whole number from 0 to 1000"),
    "a misspelt key": (
        "extends: default\nchecks:\n  - {id: ps.when, wieght: 3}\n",
        "ps.when", "wieght", "unknown key"),
    "a new check without a hint": (
        "extends: default\nchecks:" + NEW_CHECK.replace("    hint: Quote the ticket number"
                                                       " (TK-1234).\n", ""),
        "org.ticket", "hint", "must be one line of text"),
    "a word YAML reads as false": (
        "extends: default\nchecks:\n  - id: ps.symptom\n    absence: {add_words: [no]}\n",
        "ps.symptom", "absence.words[19]", "quote yes, no, on and off"),
    "an id used twice": (
        "name: x\nversion: 1\nchecks:" + NEW_CHECK + NEW_CHECK,
        "org.ticket", "id", "the id is used twice"),
    "add_words without extends": (
        "name: x\nversion: 1\nchecks:" + NEW_CHECK.replace("patterns:", "add_patterns:"),
        "org.ticket", "existence.add_patterns", "unknown key (it amends, with extends: default)"),
    "an overlap on both fields": (
        "extends: default\nchecks:\n  - {id: fsr.addresses_problem, field: both}\n",
        "fsr.addresses_problem", "field", "an overlap check looks at one field"),
    "a link that is no address": (
        "extends: default\nchecks:\n  - {id: ps.when, link: see the wiki}\n",
        "ps.when", "link", "must be an http:// or https:// address"),
}


@pytest.mark.parametrize("text, check_id, field, problem", BAD_RUBRICS.values(),
                         ids=BAD_RUBRICS.keys())
def test_a_bad_rubric_is_refused_naming_the_file_the_check_and_the_field(rubric_file, text,
                                                                        check_id, field,
                                                                        problem):
    path = rubric_file(text)
    refused = refusal(path)
    assert (refused.path, refused.check, refused.field) == (path, check_id, field)
    assert str(refused).startswith(f"rubric {path}, check {check_id!r}, field {field!r}: ")
    assert problem in str(refused)


def test_a_file_that_is_not_yaml_is_refused_with_the_place_of_the_error(rubric_file):
    message = str(refusal(rubric_file("name: x\nchecks: [\n")))
    assert "is not valid YAML" in message and "line 3" in message


def test_a_missing_file_is_refused_naming_it(tmp_path):
    assert f"rubric {tmp_path / 'none.yaml'}: cannot be read" in str(
        refusal(tmp_path / "none.yaml"))


def test_the_app_does_not_start_with_a_bad_rubric(make_app, rubric_file):
    path = rubric_file("extends: default\nchecks:\n  - {id: ps.when, severity: fatal}\n")
    with pytest.raises(ConfigError, match=re.escape(f"rubric {path}, check 'ps.when', field"
                                                    " 'severity'")):
        make_app(COACH_RUBRIC=str(path))


def test_gunicorn_does_not_start_with_a_bad_rubric_and_says_why(db_settings, rubric_file):
    path = rubric_file("extends: default\nchecks:\n  - {id: ps.when, severity: fatal}\n")
    environment = app_environment(db_settings, COACH_RUBRIC=str(path),
                                  BIND=f"127.0.0.1:{free_port()}")
    # Its workers fail to boot, and so it stops.
    exited = subprocess.run([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py",
                             "wsgi:app"], cwd=ROOT, env=environment, capture_output=True,
                            text=True, timeout=300)
    assert exited.returncode != 0
    assert f"rubric {path}, check 'ps.when', field 'severity'" in exited.stderr


# --- flask coach check-rubric ------------------------------------------------------------------

def test_check_rubric_says_a_good_file_loads(cli, rubric_file):
    result = cli("coach", "check-rubric", str(rubric_file("extends: default\nchecks:\n"
                                                          "  - {id: ps.impact, weight: 0}\n")))
    assert result.exit_code == 0, result.output
    assert result.output == ("FSR Coach default (version 1): 13 checks,"
                             " weights adding up to 94\n")


def test_check_rubric_names_the_file_the_check_and_the_field_of_a_bad_one(cli, rubric_file):
    path = rubric_file("extends: default\nchecks:\n  - {id: ps.when, severity: fatal}\n")
    result = cli("coach", "check-rubric", str(path))
    assert result.exit_code == 1
    assert result.output == (f"Error: rubric {path}, check 'ps.when', field 'severity':"
                             " must be one of error, warning, suggestion\n")


def test_check_rubric_without_a_file_checks_the_one_the_app_uses(make_app, rubric_file):
    path = rubric_file("name: ACME\nversion: '3'\nchecks:" + NEW_CHECK)
    runner = make_app(COACH_RUBRIC=str(path)).test_cli_runner()
    result = runner.invoke(args=["coach", "check-rubric"])
    assert result.output == "ACME (version 3): 1 check, weights adding up to 5\n"


def test_check_rubric_without_a_file_or_setting_checks_the_default(cli):
    result = cli("coach", "check-rubric")
    assert result.output == "FSR Coach default (version 1): 13 checks, weights adding up to 100\n"


def test_the_example_amendment_in_docs_coach_md_loads_as_it_says(rubric_file):
    docs = (ROOT / "docs" / "coach.md").read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(extends: default\n.*?)```", docs, re.DOTALL).group(1)
    rubric = load_rubric(rubric_file(example))
    assert check(rubric, "ps.impact") is None and rubric.checks[-1]["id"] == "acme.ticket"
    answer = evaluate(rubric, "Ticket issue: DTC P0300 on van V-12 since Monday", "RTS")
    assert [c["id"] for c in answer["checks"] if c["passed"]] == [
        "ps.equipment", "ps.symptom", "ps.evidence", "ps.when", "ps.no_solution",
        "fsr.parts", "fsr.outcome"]


def test_the_refusal_docs_coach_md_shows_is_the_one_given(rubric_file):
    docs = (ROOT / "docs" / "coach.md").read_text(encoding="utf-8")
    shown = re.search(r"\n    (rubric /etc/fsr-coach/rubric.yaml, .*)\n", docs).group(1)
    path = rubric_file("extends: default\nchecks:\n  - id: ps.evidence\n"
                       "    existence: {patterns: ['\\d{1,3} psi']}\n")
    assert str(refusal(path)) == shown.replace("/etc/fsr-coach/rubric.yaml", str(path))
