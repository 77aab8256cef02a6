"""Issue 2's input rules: bad input gets a clear 4xx JSON error and changes
nothing; any valid Unicode text is stored and returned byte for byte."""
import json
from urllib.parse import quote

import pytest

from support.api import error_json, signed_in_client
from support.sql import notes_snapshot, saved_state

# Well-formed: 1-100 of A-Z a-z 0-9 . _ -, starting with a letter or digit.
GOOD_NUMBERS = ["A", "7", "z", "x.y_z-1", "9.9.9", "0-", "a__", "A" * 100, "B" * 99 + "9"]
# Each stands for a rule; those that fit are put in the catalog first, so a
# 400 can only come from the rule, not from the lookup.
BAD_NUMBERS = {
    "101_chars": "C" * 101,
    "leading_dash": "-CASE-1",
    "leading_dot": ".CASE-1",
    "leading_underscore": "_CASE-1",
    "only_dashes": "---",
    "accented_letter": "CAS\u00c9-1",
    "japanese": "\u30b1\u30fc\u30b91",
    "greek": "\u03a9MEGA-1",
    "arabic_indic_digits": "\u0661\u0662\u0663",
    "fullwidth_digits": "\uff11\uff12\uff13",
    "space_inside": "CASE 1",
    "tab_inside": "CASE\t1",
    "plus": "CASE+1",
    "quote": "CASE'1",
    "percent": "CASE%1",
    "only_spaces": "   ",
}
TEXT_FIELDS = ["problemStatement", "fsrNotes"]
WRONG_TYPES = [None, 0, 1.5, True, False, [], ["text"], {}, {"text": "x"}]
UNICODE_TEXTS = {
    "nul": "before\x00after\x00",
    "emoji": "\U0001F600 \U0001F389 \U0001F469\u200d\U0001F469\u200d\U0001F467 \U0001F1EF\U0001F1F5",
    "right_to_left": "\u05e9\u05dc\u05d5\u05dd \u200f\u0645\u0631\u062d\u0628\u0627\u200e ok",
    "combining_marks": "e\u0301 a\u0308 n\u0303 \u0915\u094d\u0937 Z\u0351\u0352\u0353",
    "mixed_scripts": "\u4e2d\u6587 \u0420\u0443\u0441 \u0395\u03bb \ud55c \u00df\u1e9e \U00010348",
    "controls_and_bom": "\ufeff\t\r\n\x1f\x7f\u2028\u2029\ufffd",
    "long_4_byte": "\U0001F600" * 100_000,
}


# --- helpers ------------------------------------------------------------------

def add_open_cases(sql, numbers):
    for number in numbers:
        sql.run("INSERT IGNORE INTO cases (case_number, is_open) VALUES (%s, TRUE)", (number,))


def plant(sql, username, number, text="planted"):
    """Put ``number`` in the catalog and a saved row of it for ``username``,
    straight with SQL (where it fits the column)."""
    if 0 < len(number.strip()) <= 100:
        add_open_cases(sql, [number])
        sql.run("INSERT INTO user_cases (user_id, case_number, problem_statement, fsr_notes)"
                " SELECT id, %s, %s, '' FROM users WHERE username = %s",
                (number, text, username))


def raw_json(client, method, path, text):
    """Send ``text`` as the JSON body exactly as written (UTF-8)."""
    return client.open(path, method=method, data=text.encode("utf-8", "surrogatepass"),
                       content_type="application/json")


@pytest.fixture
def existing(alice, sql):
    """alice's saved notes that no rejected write may touch; the snapshot."""
    for number in ("CASE-2024-001", "CASE-2024-003"):
        response = alice.put(f"/api/cases/data/{number}",
                             json={"problemStatement": "before", "fsrNotes": "before"})
        assert response.status_code == 200
    return notes_snapshot(sql)


@pytest.fixture
def small_app(make_app, make_user):
    """An app whose texts hold at most 50 characters, and alice signed in on it."""
    make_user("alice")
    app = make_app(MAX_TEXT_CHARS=50)
    return signed_in_client(app, "alice")


# --- case numbers ---------------------------------------------------------------

@pytest.mark.parametrize("number", GOOD_NUMBERS)
def test_well_formed_case_number_is_accepted_by_put_get_and_validate(alice, sql, number):
    add_open_cases(sql, [number])
    path = quote(number, safe="")
    assert alice.put(f"/api/cases/data/{path}", json={"fsrNotes": "n"}).status_code == 200
    assert alice.get(f"/api/cases/data/{path}").get_json()["data"]["fsrNotes"] == "n"
    assert alice.get(f"/api/cases/validate/{path}").get_json()["case_number"] == number
    assert [r["case_number"] for r in notes_snapshot(sql)] == [number]


def test_case_number_is_trimmed_before_the_rules_apply(alice, sql):
    number = "  " + "T" * 100 + "  "
    add_open_cases(sql, ["T" * 100])
    response = alice.put(f"/api/cases/data/{quote(number)}", json={"fsrNotes": "n"})
    assert response.status_code == 200, response.data
    assert [r["case_number"] for r in notes_snapshot(sql)] == ["T" * 100]


@pytest.mark.parametrize("number", BAD_NUMBERS.values(), ids=BAD_NUMBERS.keys())
def test_malformed_case_number_on_validate_is_400_valid_false_with_message(alice, sql, number):
    if len(number.strip()) <= 100 and number.strip():
        add_open_cases(sql, [number])
    body = error_json(alice.get(f"/api/cases/validate/{quote(number, safe='')}"), 400)
    assert set(body) == {"valid", "message"}
    assert body["valid"] is False and body["message"]


@pytest.mark.parametrize("number", BAD_NUMBERS.values(), ids=BAD_NUMBERS.keys())
def test_malformed_case_number_on_get_data_is_400(alice, sql, number):
    plant(sql, "alice", number)
    body = error_json(alice.get(f"/api/cases/data/{quote(number, safe='')}"), 400)
    assert "error" in body


@pytest.mark.parametrize("number", BAD_NUMBERS.values(), ids=BAD_NUMBERS.keys())
def test_malformed_case_number_on_put_is_400_and_writes_nothing(
        alice, sql, existing, number):
    plant(sql, "alice", number)
    before = notes_snapshot(sql)
    response = alice.put(f"/api/cases/data/{quote(number, safe='')}", json={"fsrNotes": "x"})
    body = error_json(response, 400)
    assert "error" in body
    assert body != {"error": "Invalid case number"}  # malformed, not merely unknown
    assert notes_snapshot(sql) == before


# --- problemStatement and fsrNotes ----------------------------------------------

def test_missing_texts_are_stored_as_empty_strings(alice, sql):
    assert alice.put("/api/cases/data/CASE-2024-001", json={}).status_code == 200
    row = sql.one("SELECT problem_statement, fsr_notes FROM user_cases")
    assert (row["problem_statement"], row["fsr_notes"]) == ("", "")


def test_a_missing_text_is_stored_as_empty_beside_a_given_one(alice, sql):
    assert alice.put("/api/cases/data/CASE-2024-001", json={"fsrNotes": "n"}).status_code == 200
    row = sql.one("SELECT problem_statement, fsr_notes FROM user_cases")
    assert (row["problem_statement"], row["fsr_notes"]) == ("", "n")


def test_a_missing_text_on_update_is_stored_as_empty(alice, sql):
    alice.put("/api/cases/data/CASE-2024-001", json={"problemStatement": "p", "fsrNotes": "n"})
    assert alice.put("/api/cases/data/CASE-2024-001", json={"fsrNotes": "m"}).status_code == 200
    row = sql.one("SELECT problem_statement, fsr_notes FROM user_cases")
    assert (row["problem_statement"], row["fsr_notes"]) == ("", "m")


@pytest.mark.parametrize("field", TEXT_FIELDS)
@pytest.mark.parametrize("value", WRONG_TYPES, ids=repr)
def test_text_of_the_wrong_type_is_400_naming_the_field_and_writes_nothing(
        alice, sql, existing, field, value):
    response = alice.put("/api/cases/data/CASE-2024-001", json={field: value})
    body = error_json(response, 400)
    assert body["field"] == field
    assert notes_snapshot(sql) == existing


@pytest.mark.parametrize("field", TEXT_FIELDS)
def test_text_of_exactly_max_text_chars_is_accepted(small_app, sql, field):
    response = small_app.put("/api/cases/data/CASE-2024-001", json={field: "\U0001F600" * 50})
    assert response.status_code == 200, response.data
    column = {"problemStatement": "problem_statement", "fsrNotes": "fsr_notes"}[field]
    assert sql.one(f"SELECT CHAR_LENGTH({column}) AS n FROM user_cases")["n"] == 50


@pytest.mark.parametrize("field", TEXT_FIELDS)
def test_text_one_over_max_text_chars_is_400_naming_the_field_and_writes_nothing(
        small_app, sql, field):
    assert small_app.put("/api/cases/data/CASE-2024-001",
                         json={field: "before"}).status_code == 200
    before = notes_snapshot(sql)
    response = small_app.put("/api/cases/data/CASE-2024-001", json={field: "a" * 51})
    assert error_json(response, 400)["field"] == field
    assert notes_snapshot(sql) == before


def test_default_limit_stores_exactly_100000_characters_in_each_text(alice, sql):
    text = ("0123456789" * 10_000)
    response = alice.put("/api/cases/data/CASE-2024-001",
                         json={"problemStatement": text, "fsrNotes": text[::-1]})
    assert response.status_code == 200, response.data
    row = sql.one("SELECT problem_statement, fsr_notes FROM user_cases")
    assert (row["problem_statement"], row["fsr_notes"]) == (text, text[::-1])


def test_default_limit_refuses_100001_characters(alice, sql, existing):
    response = alice.put("/api/cases/data/CASE-2024-001", json={"fsrNotes": "a" * 100_001})
    assert error_json(response, 400)["field"] == "fsrNotes"
    assert notes_snapshot(sql) == existing


@pytest.mark.parametrize("text", UNICODE_TEXTS.values(), ids=UNICODE_TEXTS.keys())
def test_valid_unicode_round_trips_byte_for_byte_through_put_get_and_sql(alice, sql, text):
    body = json.dumps({"problemStatement": text, "fsrNotes": text[::-1]}, ensure_ascii=False)
    response = raw_json(alice, "PUT", "/api/cases/data/CASE-2024-001", body)
    assert response.status_code == 200, response.data[:500]
    got = alice.get("/api/cases/data/CASE-2024-001").get_json()["data"]
    assert (got["problemStatement"], got["fsrNotes"]) == (text, text[::-1])
    listed = alice.get("/api/cases/data").get_json()["cases"]["CASE-2024-001"]
    assert listed["problemStatement"] == text
    row = notes_snapshot(sql)[0]
    assert row["p"] == text.encode("utf-8").hex().upper()
    assert row["f"] == text[::-1].encode("utf-8").hex().upper()


@pytest.mark.parametrize("field", TEXT_FIELDS)
@pytest.mark.parametrize("escape", ["\\ud800", "\\udfff", "a\\udc00b", "\\udc00\\ud800"])
def test_lone_surrogate_is_400_naming_the_field_and_writes_nothing(
        alice, sql, existing, field, escape):
    response = raw_json(alice, "PUT", "/api/cases/data/CASE-2024-001",
                        '{"%s": "%s"}' % (field, escape))
    assert error_json(response, 400)["field"] == field
    assert notes_snapshot(sql) == existing


def test_body_above_max_content_length_is_413_json_and_writes_nothing(
        make_app, make_user, sql):
    make_user("alice")
    plant(sql, "alice", "CASE-2024-001")
    before = notes_snapshot(sql)
    client = signed_in_client(make_app(MAX_CONTENT_LENGTH=1000), "alice")
    response = client.put("/api/cases/data/CASE-2024-001", json={"fsrNotes": "a" * 2000})
    assert "error" in error_json(response, 413)
    assert notes_snapshot(sql) == before


def test_batch_body_above_max_content_length_is_413_json_and_writes_nothing(
        make_app, make_user, sql):
    make_user("alice")
    plant(sql, "alice", "CASE-2024-001")
    before = notes_snapshot(sql)
    client = signed_in_client(make_app(MAX_CONTENT_LENGTH=1000), "alice")
    response = client.post("/api/cases/data", json={"cases": [
        {"caseNumber": "CASE-2024-001", "fsrNotes": "a" * 2000}]})
    assert "error" in error_json(response, 413)
    assert notes_snapshot(sql) == before


# --- POST /api/cases/status -------------------------------------------------------

@pytest.mark.parametrize("value", ["CASE-2024-001", 5, None, True, {"0": "CASE-2024-001"}],
                         ids=repr)
def test_status_case_numbers_not_a_list_is_400(alice, value):
    response = alice.post("/api/cases/status", json={"case_numbers": value})
    assert error_json(response, 400)["field"] == "case_numbers"


@pytest.mark.parametrize("item", [5, None, True, ["CASE-2024-001"], {"n": "CASE-2024-001"}],
                         ids=repr)
def test_status_case_numbers_with_a_non_string_is_400(alice, item):
    response = alice.post("/api/cases/status",
                          json={"case_numbers": ["CASE-2024-001", item]})
    assert error_json(response, 400)["field"] == "case_numbers"


def test_status_with_501_case_numbers_is_400(alice):
    response = alice.post("/api/cases/status", json={"case_numbers": ["12345"] * 501})
    assert error_json(response, 400)["field"] == "case_numbers"


def test_status_with_exactly_500_case_numbers_answers_each(alice):
    asked = ["12345", "67890", "NOPE-1", "case-2024-001"] * 125
    assert len(asked) == 500
    response = alice.post("/api/cases/status", json={"case_numbers": asked})
    assert response.status_code == 200, response.data
    statuses = [r["status"] for r in response.get_json()["results"]]
    assert statuses == ["open", "closed", "invalid", "open"] * 125


def test_status_malformed_string_in_the_list_is_answered_invalid(alice):
    asked = ["CASE-2024-001", "-bad", "\u30b1\u30fc\u30b9", "X" * 101, "", "CASE 1"]
    response = alice.post("/api/cases/status", json={"case_numbers": asked})
    assert response.status_code == 200, response.data
    results = response.get_json()["results"]
    assert results[0]["status"] == "open"
    assert [(r["valid"], r["is_closed"], r["status"]) for r in results[1:]] == [
        (False, False, "invalid")] * 5


# --- POST /api/cases/data -------------------------------------------------------------

@pytest.mark.parametrize("value", ["CASE-2024-001", 5, None, {"caseNumber": "CASE-2024-001"}],
                         ids=repr)
def test_batch_cases_not_a_list_is_400_and_writes_nothing(alice, sql, existing, value):
    response = alice.post("/api/cases/data", json={"cases": value})
    assert error_json(response, 400)["field"] == "cases"
    assert notes_snapshot(sql) == existing


def test_batch_of_501_items_is_400_and_writes_nothing(alice, sql, existing):
    items = [{"caseNumber": "CASE-2024-001", "problemStatement": "after"}] * 501
    response = alice.post("/api/cases/data", json={"cases": items})
    assert error_json(response, 400)["field"] == "cases"
    assert notes_snapshot(sql) == existing


def test_batch_of_exactly_500_items_saves_500(alice, sql):
    numbers = [f"BULK-{i:03d}" for i in range(500)]
    add_open_cases(sql, numbers)
    items = [{"caseNumber": n, "problemStatement": n} for n in numbers]
    body = alice.post("/api/cases/data", json={"cases": items}).get_json()
    assert (body["saved_count"], body["errors"]) == (500, [])
    assert sql.one("SELECT COUNT(*) AS n FROM user_cases"
                   " WHERE problem_statement = case_number")["n"] == 500


# Well-formed items that cannot be saved are each reported in errors, as the
# design document has it; the rest of the batch is saved.
MALFORMED_CASE_NUMBERS = {
    "malformed_case_number": "-CASE-2024-003",
    "too_long_case_number": "C" * 101,
    "unicode_case_number": "CAS\u00c9-2024-003",
    "empty_case_number": "",
}


@pytest.mark.parametrize("number", MALFORMED_CASE_NUMBERS.values(),
                         ids=MALFORMED_CASE_NUMBERS.keys())
def test_batch_item_with_a_malformed_case_number_is_reported_in_errors_and_the_rest_saved(
        alice, sql, number):
    good = [{"caseNumber": "CASE-2024-001", "problemStatement": "one"},
            {"caseNumber": "12345", "problemStatement": "two"}]
    bad = {"caseNumber": number, "problemStatement": "x"}
    response = alice.post("/api/cases/data", json={"cases": [good[0], bad, good[1]]})
    assert response.status_code == 200, response.data[:500]
    body = response.get_json()
    assert body["saved_count"] == 2
    assert len(body["errors"]) == 1 and isinstance(body["errors"][0], str)
    assert sorted((r["case_number"], r["problem_statement"])
                  for r in sql.all("SELECT * FROM user_cases")) == [
        ("12345", "two"), ("CASE-2024-001", "one")]


# An item of the wrong shape refuses the whole batch: (item, the field named).
REFUSED_ITEMS = {
    "string_item": ("CASE-2024-003", "cases"),
    "number_item": (7, "cases"),
    "null_item": (None, "cases"),
    "list_item": ([{"caseNumber": "CASE-2024-003"}], "cases"),
    "missing_case_number": ({"problemStatement": "x"}, "caseNumber"),
    "case_number_is_a_number": ({"caseNumber": 12345}, "caseNumber"),
    "case_number_is_null": ({"caseNumber": None}, "caseNumber"),
    "case_number_is_an_object": ({"caseNumber": {"n": "CASE-2024-003"}}, "caseNumber"),
    "text_is_a_number": ({"caseNumber": "CASE-2024-003", "fsrNotes": 7}, "fsrNotes"),
    "text_is_null": ({"caseNumber": "CASE-2024-003", "problemStatement": None},
                     "problemStatement"),
    "text_is_a_list": ({"caseNumber": "CASE-2024-003", "problemStatement": ["x"]},
                       "problemStatement"),
    "text_is_an_object": ({"caseNumber": "CASE-2024-003", "fsrNotes": {"x": 1}}, "fsrNotes"),
    "text_lone_surrogate": ({"caseNumber": "CASE-2024-003", "fsrNotes": "\ud800"}, "fsrNotes"),
    "text_too_long": ({"caseNumber": "CASE-2024-003", "fsrNotes": "a" * 100_001}, "fsrNotes"),
    "base_version_negative": ({"caseNumber": "CASE-2024-003", "baseVersion": -1},
                              "baseVersion"),
    "base_version_a_string": ({"caseNumber": "CASE-2024-003", "baseVersion": "1"},
                              "baseVersion"),
    "base_version_a_fraction": ({"caseNumber": "CASE-2024-003", "baseVersion": 1.5},
                                "baseVersion"),
    "base_version_true": ({"caseNumber": "CASE-2024-003", "baseVersion": True}, "baseVersion"),
}


@pytest.mark.parametrize("bad_item,field", REFUSED_ITEMS.values(), ids=REFUSED_ITEMS.keys())
def test_batch_item_of_the_wrong_shape_is_400_naming_its_index_and_field_and_saves_nothing(
        alice, sql, existing, bad_item, field):
    before = saved_state(sql)
    items = [{"caseNumber": "CASE-2024-001", "problemStatement": "after"}, bad_item,
             {"caseNumber": "12345", "problemStatement": "new"}]
    body = error_json(alice.post("/api/cases/data", json={"cases": items}), 400)
    assert (body["index"], body["field"]) == (1, field)
    assert body["error"].startswith("cases[1]")
    assert saved_state(sql) == before


def test_batch_is_checked_whole_so_a_bad_last_item_saves_nothing(alice, sql, existing):
    before = saved_state(sql)
    items = [{"caseNumber": n, "fsrNotes": "after"} for n in ("CASE-2024-001", "12345")]
    items.append({"caseNumber": "CASE-2024-003", "fsrNotes": 5})
    body = error_json(alice.post("/api/cases/data", json={"cases": items}), 400)
    assert (body["index"], body["field"]) == (2, "fsrNotes")
    assert saved_state(sql) == before


# --- bodies that are not the JSON object due ---------------------------------------

WRITES = [("PUT", "/api/cases/data/CASE-2024-001"), ("POST", "/api/cases/data"),
          ("POST", "/api/cases/status")]


@pytest.mark.parametrize("method,path", WRITES)
@pytest.mark.parametrize("text", ['{"problemStatement": "x"', "not json", "{'a': 1}",
                                  '{"cases": [}', "\xff\xfe"], ids=repr)
def test_body_that_is_not_json_is_400_json_and_writes_nothing(
        alice, sql, existing, method, path, text):
    response = alice.open(path, method=method, data=text.encode("latin-1"),
                          content_type="application/json")
    assert "error" in error_json(response, 400)
    assert notes_snapshot(sql) == existing


@pytest.mark.parametrize("method,path", WRITES)
@pytest.mark.parametrize("body", [[{"caseNumber": "CASE-2024-001"}], [], "text", 5, None],
                         ids=repr)
def test_json_that_is_not_an_object_is_400_json_and_writes_nothing(
        alice, sql, existing, method, path, body):
    response = raw_json(alice, method, path, json.dumps(body))
    assert "error" in error_json(response, 400)
    assert notes_snapshot(sql) == existing


@pytest.mark.parametrize("method,path", WRITES)
def test_empty_body_where_an_object_is_due_is_400_json_and_writes_nothing(
        alice, sql, existing, method, path):
    response = alice.open(path, method=method, content_type="application/json")
    assert "error" in error_json(response, 400)
    assert notes_snapshot(sql) == existing
