"""The coach's API: POST /api/coach (the save's input rules, stateless),
GET /api/coach/rubric (for the page's own engine) and GET
/api/coach/summary (the caller's trend), behind the sign-in, the CSRF
header and the API rate limit."""
import pytest

from fsr_coach.coach.engine import evaluate
from fsr_coach.coach.rubric import load_rubric
from support.api import error_json, signed_in_client
from support.app import OPEN_CASES

RUBRIC = load_rubric()
VAGUE = {"problemStatement": "Compressor not working", "fsrNotes": "fixed it"}
SPECIFIC = {"problemStatement": "Compressor model XJ-200 trips on overload every 10 minutes"
                                " since Monday; suction 210 psi. Line down.",
            "fsrNotes": "Replaced contactor K3 (P/N 3RT2026), caused by a loose terminal."
                        " Suction 68 psi. Ran 45 min under load, no alarms. Compressor back"
                        " in service."}
ENDPOINTS = [("POST", "/api/coach"), ("GET", "/api/coach/rubric"),
             ("GET", "/api/coach/summary")]


def save(client, case_number, texts):
    response = client.put(f"/api/cases/data/{case_number}", json=texts)
    assert response.status_code == 200, response.json


def weakest_first(summary):
    return [check["passed_share"] for check in summary["checks"]]


# --- POST /api/coach --------------------------------------------------------------------------

def test_coaching_answers_the_rubric_score_checks_and_findings(alice):
    response = alice.post("/api/coach", json=VAGUE)
    assert response.status_code == 200
    assert response.json == evaluate(RUBRIC, VAGUE["problemStatement"], VAGUE["fsrNotes"])
    assert [(f["check"], f["field"], f["start"], f["end"], f["match"])
            for f in response.json["findings"]] == [
        ("ps.symptom", "problemStatement", 11, 22, "not working"),
        ("fsr.actions", "fsrNotes", 0, 8, "fixed it")]


def test_coaching_saves_nothing(alice, sql):
    assert alice.post("/api/coach", json=SPECIFIC).json["score"] == 100
    assert sql.all("SELECT id FROM user_cases") == []
    assert sql.all("SELECT id FROM case_history") == []


def test_a_missing_text_is_coached_as_empty(alice):
    answer = alice.post("/api/coach", json={"fsrNotes": SPECIFIC["fsrNotes"]}).json
    assert answer == evaluate(RUBRIC, "", SPECIFIC["fsrNotes"])


@pytest.mark.parametrize("field", ["problemStatement", "fsrNotes"])
@pytest.mark.parametrize("value", [None, 7, True, ["text"], {"text": "x"}])
def test_a_text_that_is_not_a_string_is_a_400_naming_the_field(alice, field, value):
    assert error_json(alice.post("/api/coach", json={**VAGUE, field: value}), 400) == {
        "error": f"{field} must be a string", "field": field}


@pytest.mark.parametrize("field", ["problemStatement", "fsrNotes"])
def test_a_text_over_the_limit_is_a_400_naming_the_field(make_app, make_user, field):
    client = signed_in_client(make_app(MAX_TEXT_CHARS=10), make_user("alice"))
    assert error_json(client.post("/api/coach", json={field: "x" * 11}), 400) == {
        "error": f"{field} is longer than 10 characters", "field": field}


def test_a_text_at_the_limit_is_coached(make_app, make_user):
    client = signed_in_client(make_app(MAX_TEXT_CHARS=10), make_user("alice"))
    assert client.post("/api/coach", json={"fsrNotes": "😀" * 10}).status_code == 200


@pytest.mark.parametrize("body", ['["a list"]', '"text"', "{not json"])
def test_a_body_that_is_not_a_json_object_is_a_400(alice, body):
    response = alice.post("/api/coach", data=body, content_type="application/json")
    assert "error" in error_json(response, 400)


def test_a_body_in_another_type_than_json_is_a_415(alice):
    error_json(alice.post("/api/coach", data="problemStatement=x",
                          content_type="application/x-www-form-urlencoded"), 415)


def test_coaching_without_the_csrf_header_is_a_403(alice):
    response = alice.post("/api/coach", json=VAGUE, headers={"X-CSRF-Token": ""})
    assert error_json(response, 403) == {"error": "Missing or invalid CSRF token"}


@pytest.mark.parametrize("method, path", ENDPOINTS)
def test_the_coach_without_a_session_is_a_401(client, method, path):
    assert error_json(client.open(path, method=method, json=VAGUE), 401) == {
        "error": "Not authenticated"}


def test_the_coach_counts_towards_the_api_rate_limit(make_app, make_user):
    client = signed_in_client(make_app(RATELIMIT_API="2 per minute"), make_user("alice"))
    assert client.post("/api/coach", json=VAGUE).status_code == 200
    assert client.get("/api/coach/rubric").status_code == 200
    refused = error_json(client.get("/api/coach/summary"), 429)
    assert refused["reason"] == "api" and refused["retry_after"] > 0


# --- GET /api/coach/rubric ---------------------------------------------------------------------

def test_the_rubric_is_served_as_the_app_loaded_it(alice):
    response = alice.get("/api/coach/rubric")
    assert response.status_code == 200 and response.json == RUBRIC.json
    assert {"name", "version", "classes", "wordStart", "maxFindings", "checks"} <= set(
        response.json)


def test_the_rubric_is_not_stored_and_unchanged_is_a_304(alice):
    first = alice.get("/api/coach/rubric")
    assert first.headers["Cache-Control"] == "no-store" and first.headers["ETag"]
    again = alice.get("/api/coach/rubric", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""


# --- GET /api/coach/summary --------------------------------------------------------------------

def test_the_summary_sums_up_the_user_s_saved_notes(alice):
    save(alice, OPEN_CASES[0], VAGUE)
    save(alice, OPEN_CASES[1], SPECIFIC)
    summary = alice.get("/api/coach/summary").json
    assert summary["count"] == 2
    assert summary["average_score"] == (10 + 100) / 2
    assert {check["id"]: check["passed_share"] for check in summary["checks"]}[
        "ps.symptom"] == 0.5


def test_the_summary_lists_the_weakest_checks_first(alice):
    save(alice, OPEN_CASES[0], VAGUE)
    save(alice, OPEN_CASES[1], SPECIFIC)
    save(alice, OPEN_CASES[2], {**SPECIFIC, "fsrNotes": "Replaced contactor K3."})
    shares = weakest_first(alice.get("/api/coach/summary").json)
    assert shares == sorted(shares) and shares[0] < shares[-1]


def test_checks_as_weak_as_each_other_keep_the_rubric_s_order(alice):
    save(alice, OPEN_CASES[0], SPECIFIC)
    summary = alice.get("/api/coach/summary").json
    assert [check["id"] for check in summary["checks"]] == [c["id"] for c in RUBRIC.checks]


def test_the_summary_takes_the_last_n_saved_newest_first(alice):
    save(alice, OPEN_CASES[0], SPECIFIC)
    save(alice, OPEN_CASES[1], VAGUE)
    summary = alice.get("/api/coach/summary?last=1").json
    assert (summary["count"], summary["average_score"]) == (1, 10)


def test_the_summary_counts_only_the_caller_s_own_notes(alice, bob):
    save(alice, OPEN_CASES[0], SPECIFIC)
    save(bob, OPEN_CASES[0], VAGUE)
    save(bob, OPEN_CASES[1], VAGUE)
    assert alice.get("/api/coach/summary").json["average_score"] == 100
    assert bob.get("/api/coach/summary").json["count"] == 2


def test_the_summary_leaves_out_removed_and_empty_entries(alice):
    save(alice, OPEN_CASES[0], SPECIFIC)
    save(alice, OPEN_CASES[1], VAGUE)
    assert alice.delete(f"/api/cases/data/{OPEN_CASES[1]}").status_code == 200
    save(alice, OPEN_CASES[2], {"problemStatement": "", "fsrNotes": ""})
    assert alice.get("/api/coach/summary").json["count"] == 1


def test_a_summary_of_no_saved_notes_has_no_average(alice):
    summary = alice.get("/api/coach/summary").json
    assert (summary["count"], summary["average_score"]) == (0, None)
    assert [check["passed_share"] for check in summary["checks"]] == [None] * len(RUBRIC.checks)


@pytest.mark.parametrize("last", ["0", "501", "-1", "1.5", "x", ""])
def test_a_bad_last_is_a_400_naming_it(alice, last):
    assert error_json(alice.get(f"/api/coach/summary?last={last}"), 400) == {
        "error": "last must be a whole number from 1 to 500", "field": "last"}
