"""The case history (audit trail): every change of a text, by whom, when, in
the same transaction as the change; removal from the list; the audit log."""
import logging

import pytest

from support.api import error_json, logged

CASE = "CASE-2024-001"
URL = f"/api/cases/data/{CASE}"


def save(client, problem="", notes="", case=CASE, **headers):
    response = client.put(f"/api/cases/data/{case}",
                          json={"problemStatement": problem, "fsrNotes": notes},
                          headers=headers)
    assert response.status_code == 200, response.json
    return response.json


def history_rows(sql):
    return sql.all("SELECT u.username, h.case_number, h.field_name, h.old_value,"
                   " h.new_value, h.version, h.request_id FROM case_history h"
                   " JOIN users u ON h.user_id = u.id ORDER BY h.id")


def history(client, case=CASE, **args):
    response = client.get(f"/api/cases/data/{case}/history", query_string=args)
    assert response.status_code == 200, response.json
    return response.json


def listed(client):
    return client.get("/api/cases/user-cases").json["cases"]


# --- what is written -------------------------------------------------------------------

def test_new_notes_record_both_fields_from_nothing(alice, sql):
    save(alice, "problem", "notes")
    assert [(r["field_name"], r["old_value"], r["new_value"], r["version"])
            for r in history_rows(sql)] == [
        ("problem_statement", None, "problem", 1), ("fsr_notes", None, "notes", 1)]


def test_a_change_records_only_the_fields_that_changed(alice, sql):
    save(alice, "problem", "notes")
    save(alice, "problem", "more notes")
    last = history_rows(sql)[-1]
    assert len(history_rows(sql)) == 3
    assert (last["field_name"], last["old_value"], last["new_value"], last["version"]) == (
        "fsr_notes", "notes", "more notes", 2)


def test_history_rows_carry_the_user_and_the_request_id(alice, sql):
    save(alice, "p", "n", **{"X-Request-ID": "req-42"})
    assert {(r["username"], r["case_number"], r["request_id"]) for r in history_rows(sql)} == {
        ("alice", CASE, "req-42")}


@pytest.mark.parametrize("given", ["a" * 65, "req:42", "<script>", "r\u00e9q", "req 42"])
def test_history_rows_carry_a_generated_request_id_in_place_of_a_malformed_one(
        alice, sql, given):
    response = alice.put(URL, json={"problemStatement": "p"}, headers={"X-Request-ID": given})
    assert response.status_code == 200, response.json
    stored = {r["request_id"] for r in history_rows(sql)}
    assert stored == {response.headers["X-Request-ID"]} != {given}


def test_a_batch_records_history_for_each_changed_case(alice, sql):
    alice.post("/api/cases/data", json={"cases": [
        {"caseNumber": CASE, "problemStatement": "a"},
        {"caseNumber": "CASE-2024-003", "fsrNotes": "b"}]})
    assert sorted((r["case_number"], r["field_name"], r["new_value"])
                  for r in history_rows(sql)) == [
        ("CASE-2024-001", "fsr_notes", ""), ("CASE-2024-001", "problem_statement", "a"),
        ("CASE-2024-003", "fsr_notes", "b"), ("CASE-2024-003", "problem_statement", "")]


def test_a_change_whose_history_cannot_be_written_is_not_saved(alice, sql):
    save(alice, "kept", "kept")
    sql.run("RENAME TABLE case_history TO case_history_away")
    try:
        response = alice.put(URL, json={"problemStatement": "lost?", "fsrNotes": "lost?"})
    finally:
        sql.run("RENAME TABLE case_history_away TO case_history")
    assert response.status_code == 500
    assert sql.one("SELECT problem_statement, version FROM user_cases") == {
        "problem_statement": "kept", "version": 1}


# --- reading it --------------------------------------------------------------------------

def test_history_lists_the_changes_newest_first(alice):
    save(alice, "p1")
    save(alice, "p2")
    body = history(alice)
    assert [(h["field"], h["oldValue"], h["newValue"], h["version"]) for h in body["history"]] == [
        ("problemStatement", "p1", "p2", 2),
        ("fsrNotes", None, "", 1),
        ("problemStatement", None, "p1", 1)]
    assert set(body["history"][0]) == {"id", "field", "oldValue", "newValue", "version",
                                       "changedAt", "requestId", "changedBy"}
    assert body["next_before"] is None


def test_history_comes_in_pages(alice):
    for n in range(5):
        save(alice, f"p{n}")
    first = history(alice, limit=2)
    second = history(alice, limit=2, before=first["next_before"])
    rest = history(alice, limit=10, before=second["next_before"])
    versions = [h["version"] for page in (first, second, rest) for h in page["history"]]
    assert versions == [5, 4, 3, 2, 1, 1]
    assert rest["next_before"] is None


def test_another_users_history_is_404_as_if_absent(alice, bob):
    save(alice, "alice's text")
    assert error_json(bob.get(f"{URL}/history"), 404) == {
        "found": False, "message": "No history for this case"}


def test_two_users_of_one_case_see_only_their_own_history(alice, bob):
    save(alice, "alice's text")
    save(bob, "bob's text")
    assert {h["newValue"] for h in history(bob)["history"]} == {"bob's text", ""}


@pytest.mark.parametrize("args", [{"limit": "0"}, {"limit": "201"}, {"limit": "x"},
                                  {"before": "-1"}, {"before": "1e3"}])
def test_bad_paging_arguments_are_400(alice, args):
    save(alice, "p")
    assert "must be a whole number" in error_json(
        alice.get(f"{URL}/history", query_string=args), 400)["error"]


# --- removal from the list ------------------------------------------------------------------

def test_removing_a_case_takes_it_off_the_list(alice):
    save(alice, "mistake")
    response = alice.delete(URL)
    assert response.status_code == 200
    assert response.json == {"success": True, "case_number": CASE, "version": 2}
    assert listed(alice) == []
    assert CASE not in alice.get("/api/cases/data").json["cases"]


def test_removal_is_recorded_with_the_last_texts(alice, sql):
    save(alice, "last problem", "last notes")
    alice.delete(URL)
    assert [(r["field_name"], r["old_value"], r["new_value"], r["version"])
            for r in history_rows(sql)[-2:]] == [
        ("problem_statement", "last problem", None, 2), ("fsr_notes", "last notes", None, 2)]


def test_a_removed_case_offers_its_text_back(alice):
    save(alice, "offered back", "notes")
    alice.delete(URL)
    body = error_json(alice.get(URL), 404)
    assert body["found"] is False
    assert (body["removed"]["problemStatement"], body["removed"]["fsrNotes"]) == (
        "offered back", "notes")
    assert body["removed"]["removedAt"].endswith("Z")


def test_adding_a_removed_case_again_lists_it_with_the_next_version(alice):
    save(alice, "first life")
    alice.delete(URL)
    assert save(alice, "")["version"] == 3
    assert listed(alice) == [CASE]


def test_removing_twice_or_a_case_never_saved_is_404(alice):
    assert error_json(alice.delete(URL), 404)["found"] is False
    save(alice, "p")
    alice.delete(URL)
    assert error_json(alice.delete(URL), 404)["found"] is False


def test_removing_an_unknown_case_is_400(alice):
    assert error_json(alice.delete("/api/cases/data/NO-SUCH-CASE"), 400)["reason"] == "unknown_case"


def test_removing_needs_the_csrf_header(alice):
    save(alice, "p")
    assert alice.delete(URL, headers={"X-CSRF-Token": "wrong"}).status_code == 403
    assert listed(alice) == [CASE]


def test_removing_another_users_case_removes_nothing_of_theirs(alice, bob):
    save(alice, "alice keeps this")
    assert bob.delete(URL).status_code == 404
    assert listed(alice) == [CASE]


# --- the audit log -------------------------------------------------------------------------

def test_each_change_writes_one_audit_line_without_the_texts(alice, sql, caplog):
    caplog.set_level(logging.INFO, logger="fsr_coach.audit")
    save(alice, "secret problem", "secret notes", **{"X-Request-ID": "req-7"})
    (line,) = logged(caplog, "fsr_coach.audit")
    user_id = sql.one("SELECT id FROM users WHERE username = 'alice'")["id"]
    assert line == {**line, "message": "case save", "action": "save", "user_id": str(user_id),
                    "case_number": CASE, "fields": ["problem_statement", "fsr_notes"],
                    "version": 1, "client": "127.0.0.1", "request_id": "req-7"}
    assert "secret" not in str(line)


def test_a_save_that_changes_nothing_writes_no_audit_line(alice, caplog):
    caplog.set_level(logging.INFO, logger="fsr_coach.audit")
    save(alice, "same")
    caplog.clear()
    save(alice, "same")
    assert logged(caplog, "fsr_coach.audit") == []


def test_a_removal_writes_an_audit_line(alice, caplog):
    caplog.set_level(logging.INFO, logger="fsr_coach.audit")
    save(alice, "p")
    caplog.clear()
    alice.delete(URL)
    (line,) = logged(caplog, "fsr_coach.audit")
    assert (line["action"], line["case_number"], line["version"]) == ("remove", CASE, 2)
