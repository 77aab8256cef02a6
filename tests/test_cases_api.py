"""The seven case endpoints: every status code and the exact response shapes
of the design document's "Replace with" blocks, with issue 2's corrections."""
import json
from datetime import datetime

import pytest

from support.api import error_json
from support.app import CLOSED_CASES
from support.servers import free_port

ENDPOINTS = [
    ("GET", "/api/cases/validate/CASE-2024-001"),
    ("GET", "/api/cases/user-cases"),
    ("POST", "/api/cases/status"),
    ("GET", "/api/cases/data"),
    ("GET", "/api/cases/data/CASE-2024-001"),
    ("PUT", "/api/cases/data/CASE-2024-001"),
    ("POST", "/api/cases/data"),
]
WRITE_ENDPOINTS = [(m, p) for m, p in ENDPOINTS if m != "GET"]
# What a driver or SQL error message would leak into a client's answer.
SQL_MARKERS = ("sql", "errno", "1452", "foreign key", "constraint", "traceback",
               "integrityerror", "programmingerror", "duplicate entry")


# --- helpers ------------------------------------------------------------------

def ok_json(response):
    assert response.status_code == 200, response.data
    assert response.mimetype == "application/json"
    return response.get_json()


def user_id(sql, username):
    return str(sql.one("SELECT id FROM users WHERE username = %s", (username,))["id"])


def rows(sql):
    return sql.all("SELECT id, user_id, case_number, problem_statement, fsr_notes,"
                   " created_at, updated_at FROM user_cases ORDER BY id")


def stored_row(sql, username, case_number):
    return sql.one("SELECT * FROM user_cases WHERE user_id = %s AND case_number = %s",
                   (user_id(sql, username), case_number))


def iso_z(text):
    """The datetime an ISO-8601 ...Z text names (naive, UTC)."""
    assert isinstance(text, str) and text.endswith("Z"), text
    return datetime.fromisoformat(text[:-1])


def save(client, case_number, problem="", notes=""):
    response = client.put(f"/api/cases/data/{case_number}",
                          json={"problemStatement": problem, "fsrNotes": notes})
    assert response.status_code == 200, response.data
    return response.get_json()


def set_updated_at(sql, case_number, when):
    sql.run("UPDATE user_cases SET updated_at = %s WHERE case_number = %s",
            (when, case_number))


def close_case(sql, case_number):
    sql.run("UPDATE cases SET is_open = FALSE, closed_at = CURRENT_TIMESTAMP(6)"
            " WHERE case_number = %s", (case_number,))


# --- every endpoint: session, CSRF, content type, database ------------------------

@pytest.mark.parametrize("method,path", ENDPOINTS)
def test_every_case_endpoint_without_session_is_401_not_authenticated(client, method, path):
    response = client.open(path, method=method, json={} if method != "GET" else None)
    assert error_json(response, 401) == {"error": "Not authenticated"}


@pytest.mark.parametrize("method,path", WRITE_ENDPOINTS)
def test_every_write_endpoint_without_csrf_header_is_403_and_writes_nothing(
        alice, sql, method, path):
    alice.csrf_token = None
    response = alice.open(path, method=method,
                          json={"problemStatement": "x", "case_numbers": [], "cases": []})
    assert "error" in error_json(response, 403)
    assert rows(sql) == []


@pytest.mark.parametrize("method,path", WRITE_ENDPOINTS)
def test_every_write_endpoint_with_a_non_json_body_is_415_and_writes_nothing(
        alice, sql, method, path):
    response = alice.open(path, method=method, data="problemStatement=x",
                          content_type="application/x-www-form-urlencoded")
    assert "error" in error_json(response, 415)
    assert rows(sql) == []


@pytest.mark.parametrize("method,path", ENDPOINTS)
def test_every_case_endpoint_is_503_json_when_the_database_is_unreachable(
        alice, make_app, method, path):
    cut_off = make_app(DB_PORT=free_port(), DB_CONNECT_TIMEOUT=2)
    stranded = cut_off.test_client()
    stranded.csrf_token = alice.csrf_token
    stranded.set_cookie("fsr_session", alice.get_cookie("fsr_session").value)
    response = stranded.open(path, method=method,
                             json={"case_numbers": [], "cases": []} if method != "GET" else None)
    body = error_json(response, 503)
    assert set(body) == {"error"}


# --- unknown routes and wrong methods -----------------------------------------------

@pytest.mark.parametrize("path", ["/api/cases/nope", "/api/nothing", "/nowhere"])
def test_unknown_route_is_404_json(alice, path):
    assert "error" in error_json(alice.get(path), 404)


@pytest.mark.parametrize("method,path,allowed", [
    ("POST", "/api/cases/data/CASE-2024-001", {"GET", "PUT", "DELETE"}),
    ("GET", "/api/cases/status", {"POST"}),
    ("PUT", "/api/cases/data", {"GET", "POST"}),
    ("POST", "/api/cases/validate/CASE-2024-001", {"GET"}),
    ("DELETE", "/api/cases/user-cases", {"GET"}),
])
def test_wrong_method_is_405_json_with_an_allow_header(alice, sql, method, path, allowed):
    response = alice.open(path, method=method)
    assert "error" in error_json(response, 405)
    allow = {m.strip() for m in response.headers["Allow"].split(",")}
    assert allowed <= allow
    assert rows(sql) == []


# --- GET /api/cases/validate/<case_number> ----------------------------------------

def test_validate_open_case_is_200_valid_open(alice):
    assert ok_json(alice.get("/api/cases/validate/CASE-2024-001")) == {
        "valid": True, "case_number": "CASE-2024-001", "is_closed": False, "status": "open"}


def test_validate_closed_case_is_200_valid_closed(alice):
    assert ok_json(alice.get("/api/cases/validate/67890")) == {
        "valid": True, "case_number": "67890", "is_closed": True, "status": "closed"}


def test_validate_unknown_case_is_404_valid_false_with_message(alice):
    body = error_json(alice.get("/api/cases/validate/CASE-1999-999"), 404)
    assert set(body) == {"valid", "message"}
    assert body["valid"] is False
    assert "CASE-1999-999" in body["message"]


def test_validate_malformed_case_is_400_valid_false_with_message(alice):
    body = error_json(alice.get("/api/cases/validate/-CASE-2024-001"), 400)
    assert set(body) == {"valid", "message"}
    assert body["valid"] is False
    assert isinstance(body["message"], str) and body["message"]


def test_validate_ignores_letter_case_and_answers_the_number_as_stored(alice):
    body = ok_json(alice.get("/api/cases/validate/case-2024-001"))
    assert body["case_number"] == "CASE-2024-001"
    assert body["valid"] is True


def test_validate_trims_surrounding_spaces(alice):
    body = ok_json(alice.get("/api/cases/validate/%20%20CASE-2024-003%20"))
    assert body == {"valid": True, "case_number": "CASE-2024-003",
                    "is_closed": False, "status": "open"}


# --- GET /api/cases/user-cases ------------------------------------------------------

def test_user_cases_of_a_user_without_notes_is_empty_with_string_user_id(alice, sql):
    assert ok_json(alice.get("/api/cases/user-cases")) == {
        "user_id": user_id(sql, "alice"), "cases": [], "count": 0}


def test_user_cases_lists_saved_open_cases_newest_updated_at_first(alice, sql):
    for number in ("CASE-2024-001", "CASE-2024-003", "12345"):
        save(alice, number, problem=number)
    set_updated_at(sql, "CASE-2024-001", "2030-01-01 00:00:02")
    set_updated_at(sql, "CASE-2024-003", "2030-01-01 00:00:01")
    set_updated_at(sql, "12345", "2030-01-01 00:00:03")
    body = ok_json(alice.get("/api/cases/user-cases"))
    assert body == {"user_id": user_id(sql, "alice"),
                    "cases": ["12345", "CASE-2024-001", "CASE-2024-003"], "count": 3}


def test_user_cases_resaving_a_case_moves_it_first(alice, sql):
    save(alice, "CASE-2024-001", problem="old")
    save(alice, "CASE-2024-003", problem="old")
    sql.run("UPDATE user_cases SET updated_at = '2020-01-01 00:00:00'"
            " WHERE case_number = 'CASE-2024-001'")
    sql.run("UPDATE user_cases SET updated_at = '2020-01-02 00:00:00'"
            " WHERE case_number = 'CASE-2024-003'")
    save(alice, "CASE-2024-001", problem="new")
    assert ok_json(alice.get("/api/cases/user-cases"))["cases"] == [
        "CASE-2024-001", "CASE-2024-003"]


def test_user_cases_leaves_out_a_case_closed_after_saving(alice, sql):
    save(alice, "CASE-2024-001", problem="a")
    save(alice, "CASE-2024-003", problem="b")
    close_case(sql, "CASE-2024-001")
    body = ok_json(alice.get("/api/cases/user-cases"))
    assert body["cases"] == ["CASE-2024-003"]
    assert body["count"] == 1


# --- POST /api/cases/status -----------------------------------------------------------

def test_status_answers_in_the_order_asked_and_each_duplicate(alice):
    asked = ["12345", "CASE-2024-002", "NOPE-1", "CASE-2024-001", "12345"]
    body = ok_json(alice.post("/api/cases/status", json={"case_numbers": asked}))
    assert body == {"results": [
        {"case_number": "12345", "valid": True, "is_closed": False, "status": "open"},
        {"case_number": "CASE-2024-002", "valid": True, "is_closed": True, "status": "closed"},
        {"case_number": "NOPE-1", "valid": False, "is_closed": False, "status": "invalid"},
        {"case_number": "CASE-2024-001", "valid": True, "is_closed": False, "status": "open"},
        {"case_number": "12345", "valid": True, "is_closed": False, "status": "open"},
    ]}


def test_status_unknown_case_is_valid_false_status_invalid_not_closed(alice):
    body = ok_json(alice.post("/api/cases/status", json={"case_numbers": ["CASE-1999-1"]}))
    assert body == {"results": [{"case_number": "CASE-1999-1", "valid": False,
                                 "is_closed": False, "status": "invalid"}]}


def test_status_closed_case_is_valid_and_closed(alice):
    body = ok_json(alice.post("/api/cases/status", json={"case_numbers": ["67890"]}))
    assert body == {"results": [{"case_number": "67890", "valid": True,
                                 "is_closed": True, "status": "closed"}]}


def test_status_of_an_empty_list_is_empty_results(alice):
    assert ok_json(alice.post("/api/cases/status", json={"case_numbers": []})) == {
        "results": []}


def test_status_ignores_letter_case_and_trims_and_answers_numbers_as_stored(alice):
    asked = ["case-2024-001", " Case-2024-002 "]
    body = ok_json(alice.post("/api/cases/status", json={"case_numbers": asked}))
    assert [(r["case_number"], r["status"]) for r in body["results"]] == [
        ("CASE-2024-001", "open"), ("CASE-2024-002", "closed")]


# --- GET /api/cases/data ----------------------------------------------------------------

def test_data_of_a_user_without_notes_is_empty_with_string_user_id(alice, sql):
    assert ok_json(alice.get("/api/cases/data")) == {
        "user_id": user_id(sql, "alice"), "cases": {}, "count": 0}


def test_data_keys_are_ordered_newest_updated_at_first(alice, sql):
    for number in ("CASE-2024-001", "CASE-2024-003", "12345", "CASE-2024-004"):
        save(alice, number)
    set_updated_at(sql, "CASE-2024-001", "2030-01-01 00:00:03")
    set_updated_at(sql, "CASE-2024-003", "2030-01-01 00:00:01")
    set_updated_at(sql, "12345", "2030-01-01 00:00:04")
    set_updated_at(sql, "CASE-2024-004", "2030-01-01 00:00:02")
    response = alice.get("/api/cases/data")
    body = json.loads(response.data)  # keeps the order of the raw JSON text
    assert list(body["cases"]) == ["12345", "CASE-2024-001", "CASE-2024-004", "CASE-2024-003"]


def test_data_notes_have_the_documents_fields_and_the_stored_texts(alice, sql):
    save(alice, "CASE-2024-001", problem="The pump leaks", notes="Replaced seal")
    body = ok_json(alice.get("/api/cases/data"))
    stored = stored_row(sql, "alice", "CASE-2024-001")
    assert body["user_id"] == user_id(sql, "alice")
    assert body["count"] == 1
    notes = body["cases"]["CASE-2024-001"]
    assert set(notes) == {"caseNumber", "problemStatement", "fsrNotes", "updatedAt", "version"}
    assert (notes["caseNumber"], notes["problemStatement"], notes["fsrNotes"]) == (
        "CASE-2024-001", "The pump leaks", "Replaced seal")
    assert iso_z(notes["updatedAt"]) == stored["updated_at"]


def test_data_leaves_out_a_case_closed_after_saving(alice, sql):
    save(alice, "CASE-2024-001", problem="a")
    save(alice, "CASE-2024-003", problem="b")
    close_case(sql, "CASE-2024-003")
    body = ok_json(alice.get("/api/cases/data"))
    assert list(body["cases"]) == ["CASE-2024-001"]
    assert body["count"] == 1


def test_data_keys_carry_the_number_as_stored_when_saved_in_other_letter_case(alice, sql):
    save(alice, "case-2024-004", problem="lower")
    body = ok_json(alice.get("/api/cases/data"))
    assert list(body["cases"]) == ["CASE-2024-004"]
    assert body["cases"]["CASE-2024-004"]["caseNumber"] == "CASE-2024-004"
    assert [r["case_number"] for r in rows(sql)] == ["CASE-2024-004"]


# --- GET /api/cases/data/<case_number> ------------------------------------------------

def test_get_notes_of_a_case_is_200_found_with_data(alice, sql):
    save(alice, "CASE-2024-001", problem="p", notes="n")
    body = ok_json(alice.get("/api/cases/data/CASE-2024-001"))
    stored = stored_row(sql, "alice", "CASE-2024-001")
    assert set(body) == {"found", "data"}
    assert body["found"] is True
    data = body["data"]
    assert set(data) == {"caseNumber", "problemStatement", "fsrNotes", "updatedAt", "version"}
    assert (data["caseNumber"], data["problemStatement"], data["fsrNotes"]) == (
        "CASE-2024-001", "p", "n")
    assert iso_z(data["updatedAt"]) == stored["updated_at"]


@pytest.mark.parametrize("case_number", ["CASE-2024-003", "CASE-1999-999", "67890"])
def test_get_case_without_notes_is_404_found_false_with_message(alice, case_number):
    body = error_json(alice.get(f"/api/cases/data/{case_number}"), 404)
    assert set(body) == {"found", "message"}
    assert body["found"] is False
    assert body["message"]


def test_get_notes_of_a_case_since_closed_is_still_200_with_them(alice, sql):
    save(alice, "CASE-2024-001", problem="kept")
    close_case(sql, "CASE-2024-001")
    body = ok_json(alice.get("/api/cases/data/CASE-2024-001"))
    assert body["found"] is True
    assert body["data"]["problemStatement"] == "kept"


def test_get_case_ignores_letter_case_trims_and_answers_the_number_as_stored(alice):
    save(alice, "CASE-2024-001", problem="p")
    body = ok_json(alice.get("/api/cases/data/%20case-2024-001%20"))
    assert body["data"]["caseNumber"] == "CASE-2024-001"
    assert body["data"]["problemStatement"] == "p"


# --- PUT /api/cases/data/<case_number> ------------------------------------------------

def test_put_is_200_with_the_documents_fields(alice):
    body = save(alice, "CASE-2024-001", problem="p", notes="n")
    assert set(body) == {"success", "message", "case_number", "updated_at", "version"}
    assert body["success"] is True
    assert body["message"] == "Case data saved successfully"
    assert body["case_number"] == "CASE-2024-001"


def test_put_stores_the_texts_for_the_signed_in_user(alice, sql):
    save(alice, "CASE-2024-001", problem="The pump leaks", notes="Replaced seal")
    assert [(r["user_id"], r["case_number"], r["problem_statement"], r["fsr_notes"])
            for r in rows(sql)] == [
        (user_id(sql, "alice"), "CASE-2024-001", "The pump leaks", "Replaced seal")]


def test_put_answers_updated_at_of_the_stored_row(alice, sql):
    body = save(alice, "CASE-2024-001", problem="p")
    assert iso_z(body["updated_at"]) == stored_row(sql, "alice", "CASE-2024-001")["updated_at"]


def test_put_answers_updated_at_of_the_stored_row_not_the_app_clock(alice, sql):
    save(alice, "CASE-2024-001", problem="p")
    # The database's clock is not the app's: a row stamped in the future.
    sql.run("UPDATE user_cases SET updated_at = '2031-05-06 07:08:09.123456'")
    body = save(alice, "CASE-2024-001", problem="p")
    assert iso_z(body["updated_at"]) == stored_row(sql, "alice", "CASE-2024-001")["updated_at"]


def test_put_with_unchanged_texts_still_stamps_updated_at_now(alice, sql):
    # The document's upsert sets updated_at = CURRENT_TIMESTAMP on every save.
    save(alice, "CASE-2024-001", problem="same", notes="same")
    sql.run("UPDATE user_cases SET updated_at = '2020-01-01 00:00:00'")
    before = sql.one("SELECT CURRENT_TIMESTAMP(6) AS now")["now"]
    body = save(alice, "CASE-2024-001", problem="same", notes="same")
    stamped = stored_row(sql, "alice", "CASE-2024-001")["updated_at"]
    assert stamped >= before
    assert iso_z(body["updated_at"]) == stamped


def test_put_twice_updates_the_same_row(alice, sql):
    save(alice, "CASE-2024-001", problem="first", notes="first notes")
    first = rows(sql)
    save(alice, "CASE-2024-001", problem="second", notes="second notes")
    second = rows(sql)
    assert len(second) == 1
    assert second[0]["id"] == first[0]["id"]
    assert (second[0]["problem_statement"], second[0]["fsr_notes"]) == (
        "second", "second notes")


def test_put_ignores_letter_case_and_keeps_one_row_as_stored(alice, sql):
    body = save(alice, "case-2024-001", problem="lower")
    assert body["case_number"] == "CASE-2024-001"
    save(alice, "CASE-2024-001", problem="upper")
    assert [(r["case_number"], r["problem_statement"]) for r in rows(sql)] == [
        ("CASE-2024-001", "upper")]


def test_put_trims_surrounding_spaces(alice, sql):
    body = save(alice, "%20CASE-2024-003%20%20", problem="p")
    assert body["case_number"] == "CASE-2024-003"
    assert [r["case_number"] for r in rows(sql)] == ["CASE-2024-003"]


def test_put_unknown_case_is_400_invalid_case_number_and_writes_nothing(alice, sql):
    response = alice.put("/api/cases/data/CASE-1999-999", json={"problemStatement": "x"})
    assert error_json(response, 400) == {"error": "Invalid case number", "reason": "unknown_case"}
    assert rows(sql) == []


@pytest.mark.parametrize("case_number", CLOSED_CASES)
def test_put_closed_case_is_400_cannot_save_and_writes_nothing(alice, sql, case_number):
    response = alice.put(f"/api/cases/data/{case_number}", json={"problemStatement": "x"})
    assert error_json(response, 400) == {"error": "Cannot save data for closed case",
                                         "reason": "case_closed"}
    assert rows(sql) == []


def test_put_to_a_case_closed_after_saving_is_400_and_keeps_the_old_text(alice, sql):
    save(alice, "CASE-2024-001", problem="before")
    close_case(sql, "CASE-2024-001")
    before = rows(sql)
    response = alice.put("/api/cases/data/CASE-2024-001", json={"problemStatement": "after"})
    assert error_json(response, 400) == {"error": "Cannot save data for closed case",
                                         "reason": "case_closed"}
    assert rows(sql) == before


# --- POST /api/cases/data -------------------------------------------------------------

def test_batch_saves_open_cases_and_reports_unknown_and_closed(alice, sql):
    body = ok_json(alice.post("/api/cases/data", json={"cases": [
        {"caseNumber": "CASE-2024-001", "problemStatement": "p1", "fsrNotes": "n1"},
        {"caseNumber": "CASE-1999-999", "problemStatement": "lost"},
        {"caseNumber": "CASE-2024-002", "problemStatement": "closed"},
        {"caseNumber": "12345", "problemStatement": "p2", "fsrNotes": "n2"},
    ]}))
    assert set(body) == {"success", "saved_count", "saved", "errors"}
    assert body["success"] is True
    assert body["saved_count"] == 2
    assert len(body["errors"]) == 2
    assert all(isinstance(e, str) for e in body["errors"])
    assert any("CASE-1999-999" in e for e in body["errors"])
    assert any("CASE-2024-002" in e for e in body["errors"])
    assert sorted((r["case_number"], r["problem_statement"], r["fsr_notes"])
                  for r in rows(sql)) == [("12345", "p2", "n2"), ("CASE-2024-001", "p1", "n1")]


def test_batch_of_an_empty_list_saves_nothing(alice, sql):
    body = ok_json(alice.post("/api/cases/data", json={"cases": []}))
    assert (body["saved_count"], body["errors"]) == (0, [])
    assert rows(sql) == []


def test_batch_updates_existing_rows_in_place(alice, sql):
    save(alice, "CASE-2024-001", problem="old")
    first_id = rows(sql)[0]["id"]
    body = ok_json(alice.post("/api/cases/data", json={"cases": [
        {"caseNumber": "CASE-2024-001", "problemStatement": "new"}]}))
    assert body["saved_count"] == 1
    assert [(r["id"], r["problem_statement"]) for r in rows(sql)] == [(first_id, "new")]


def test_batch_with_unchanged_texts_still_stamps_updated_at_now(alice, sql):
    # The document's upsert sets updated_at = CURRENT_TIMESTAMP on every save.
    save(alice, "CASE-2024-001", problem="same")
    sql.run("UPDATE user_cases SET updated_at = '2020-01-01 00:00:00'")
    before = sql.one("SELECT CURRENT_TIMESTAMP(6) AS now")["now"]
    body = ok_json(alice.post("/api/cases/data", json={"cases": [
        {"caseNumber": "CASE-2024-001", "problemStatement": "same"}]}))
    assert body["saved_count"] == 1
    assert stored_row(sql, "alice", "CASE-2024-001")["updated_at"] >= before


def test_batch_case_given_twice_the_last_counts_and_counts_once(alice, sql):
    body = ok_json(alice.post("/api/cases/data", json={"cases": [
        {"caseNumber": "CASE-2024-001", "problemStatement": "first"},
        {"caseNumber": "CASE-2024-003", "problemStatement": "other"},
        {"caseNumber": "CASE-2024-001", "problemStatement": "last"},
    ]}))
    assert (body["saved_count"], body["errors"]) == (2, [])
    assert sorted((r["case_number"], r["problem_statement"]) for r in rows(sql)) == [
        ("CASE-2024-001", "last"), ("CASE-2024-003", "other")]


def test_batch_case_given_twice_in_other_letter_case_counts_once_as_stored(alice, sql):
    body = ok_json(alice.post("/api/cases/data", json={"cases": [
        {"caseNumber": "case-2024-001", "problemStatement": "first"},
        {"caseNumber": " CASE-2024-001 ", "problemStatement": "last"},
    ]}))
    assert (body["saved_count"], body["errors"]) == (1, [])
    assert [(r["case_number"], r["problem_statement"]) for r in rows(sql)] == [
        ("CASE-2024-001", "last")]


def test_batch_errors_carry_no_sql_or_driver_text(alice, sql):
    body = ok_json(alice.post("/api/cases/data", json={"cases": [
        {"caseNumber": "CASE-1999-999"},
        {"caseNumber": "X" * 101},
        {"caseNumber": "x'; DROP TABLE cases; --"},
        {"caseNumber": "CASE-2024-001\u0000"},
        {"caseNumber": "67890"},
    ]}))
    assert body["saved_count"] == 0
    assert len(body["errors"]) == 5
    for error in body["errors"]:
        assert isinstance(error, str)
        assert not any(marker in error.lower() for marker in SQL_MARKERS), error
    assert rows(sql) == []
