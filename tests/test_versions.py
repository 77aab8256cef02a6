"""Versions and conflicts: no save overwrites text it did not see, unless it
names no version (the design document's last-write-wins, for old clients)."""
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from requests.adapters import HTTPAdapter

from support.api import error_json
from support.sql import saved_state

CASE = "CASE-2024-001"
URL = f"/api/cases/data/{CASE}"


def put(client, problem="", notes="", **extra):
    return client.put(URL, json={"problemStatement": problem, "fsrNotes": notes, **extra})


def saved(client, problem="", notes="", **extra):
    response = put(client, problem, notes, **extra)
    assert response.status_code == 200, response.json
    return response.json


def stored_notes(sql):
    return sql.one("SELECT problem_statement, fsr_notes, version, updated_at FROM user_cases"
                   " WHERE case_number = %s", (CASE,))


def history_count(sql):
    return sql.one("SELECT COUNT(*) AS n FROM case_history")["n"]


# --- the version counter ----------------------------------------------------------

def test_new_notes_are_version_1(alice, sql):
    assert saved(alice, "p", "n")["version"] == 1
    assert stored_notes(sql)["version"] == 1


def test_each_save_that_changes_a_text_adds_one(alice, sql):
    saved(alice, "p1")
    saved(alice, "p2")
    assert saved(alice, "p2", "n3")["version"] == 3
    assert stored_notes(sql)["version"] == 3


def test_a_save_of_the_same_texts_keeps_the_version_and_writes_no_history(alice, sql):
    saved(alice, "same", "texts")
    before = history_count(sql)
    assert saved(alice, "same", "texts")["version"] == 1
    assert stored_notes(sql)["version"] == 1
    assert history_count(sql) == before


def test_every_answer_with_notes_carries_the_version(alice):
    saved(alice, "p1")
    saved(alice, "p2")
    assert alice.get("/api/cases/data").json["cases"][CASE]["version"] == 2
    assert alice.get(URL).json["data"]["version"] == 2
    batch = alice.post("/api/cases/data", json={"cases": [
        {"caseNumber": CASE, "problemStatement": "p3"}]}).json
    assert batch["saved"] == [{"caseNumber": CASE, "version": 3,
                               "updatedAt": alice.get(URL).json["data"]["updatedAt"]}]


# --- conflicts ----------------------------------------------------------------------

def test_a_save_from_the_current_version_is_saved(alice, sql):
    saved(alice, "v1")
    assert saved(alice, "v2", baseVersion=1)["version"] == 2
    assert stored_notes(sql)["problem_statement"] == "v2"


def test_a_save_from_a_stale_version_is_409_with_the_current_text(alice, sql):
    saved(alice, "v1")
    saved(alice, "v2 from the other tab", "notes", baseVersion=1)
    stored = stored_notes(sql)
    body = error_json(put(alice, "v2 from this tab", baseVersion=1), 409)
    assert body == {"error": "conflict", "current": {
        "caseNumber": CASE, "problemStatement": "v2 from the other tab", "fsrNotes": "notes",
        "updatedAt": stored["updated_at"].isoformat(timespec="microseconds") + "Z",
        "version": 2}}


def test_a_refused_save_writes_nothing(alice, sql):
    saved(alice, "v1")
    saved(alice, "v2", baseVersion=1)
    before, history = stored_notes(sql), history_count(sql)
    put(alice, "stale", baseVersion=1)
    assert stored_notes(sql) == before
    assert history_count(sql) == history


def test_a_save_without_a_base_version_overwrites_as_before(alice, sql):
    saved(alice, "v1")
    saved(alice, "v2", baseVersion=1)
    assert saved(alice, "last write wins")["version"] == 3
    assert stored_notes(sql)["problem_statement"] == "last write wins"


def test_a_save_from_version_0_creates_the_notes(alice, sql):
    assert saved(alice, "first", baseVersion=0)["version"] == 1
    assert error_json(put(alice, "again from 0", baseVersion=0), 409)["current"]["version"] == 1


NEVER_SAVED = {"caseNumber": CASE, "problemStatement": "", "fsrNotes": "",
               "updatedAt": None, "version": 0}


def test_a_stale_save_of_notes_never_saved_is_409_with_current_at_version_0(alice, sql):
    before = saved_state(sql)
    body = error_json(put(alice, "edited from version 1", baseVersion=1), 409)
    assert body == {"error": "conflict", "current": NEVER_SAVED}
    assert saved_state(sql) == before


def test_a_batch_reports_a_stale_item_never_saved_as_a_conflict_and_saves_the_rest(alice, sql):
    body = alice.post("/api/cases/data", json={"cases": [
        {"caseNumber": "CASE-2024-003", "problemStatement": "saved"},
        {"caseNumber": CASE, "problemStatement": "stale", "baseVersion": 1},
    ]}).json
    assert (body["saved_count"], body["errors"]) == (
        1, [{"caseNumber": CASE, "error": "conflict", "current": NEVER_SAVED}])
    assert sql.all("SELECT case_number, problem_statement FROM user_cases") == [
        {"case_number": "CASE-2024-003", "problem_statement": "saved"}]


@pytest.mark.parametrize("bad", ["1", -1, 1.5, True, [1], {"v": 1}])
def test_a_malformed_base_version_is_400_and_writes_nothing(alice, sql, bad):
    saved(alice, "v1")
    before = stored_notes(sql)
    body = error_json(put(alice, "changed", baseVersion=bad), 400)
    assert body["field"] == "baseVersion"
    assert stored_notes(sql) == before


def test_a_batch_saves_the_current_items_and_reports_the_stale_ones(alice, sql):
    saved(alice, "one v1")
    alice.put("/api/cases/data/CASE-2024-003", json={"problemStatement": "three v1"})
    saved(alice, "one v2", baseVersion=1)
    body = alice.post("/api/cases/data", json={"cases": [
        {"caseNumber": CASE, "problemStatement": "stale", "baseVersion": 1},
        {"caseNumber": "CASE-2024-003", "problemStatement": "three v2", "baseVersion": 1},
        {"caseNumber": "12345", "problemStatement": "new", "baseVersion": 0},
    ]}).json
    assert body["saved_count"] == 2
    assert [item["caseNumber"] for item in body["saved"]] == ["CASE-2024-003", "12345"]
    (conflict,) = body["errors"]
    assert conflict["caseNumber"] == CASE and conflict["error"] == "conflict"
    assert (conflict["current"]["problemStatement"], conflict["current"]["version"]) == (
        "one v2", 2)
    texts = {row["case_number"]: row["problem_statement"] for row in
             sql.all("SELECT case_number, problem_statement FROM user_cases")}
    assert texts == {CASE: "one v2", "CASE-2024-003": "three v2", "12345": "new"}


# --- the race --------------------------------------------------------------------------

def put_all_at_once(server, http, bodies):
    barrier = threading.Barrier(len(bodies))

    def send(body):
        barrier.wait(timeout=30)
        return http.put(f"{server.url}{URL}", json=body, timeout=60).status_code

    with ThreadPoolExecutor(max_workers=len(bodies)) as pool:
        return sorted(pool.map(send, bodies))


@pytest.mark.parametrize("run", range(5))
def test_20_concurrent_saves_from_one_version_give_one_200_and_19_409s(
        gunicorn, make_user, sql, run):
    server = gunicorn(DB_POOL_SIZE=8, WEB_CONCURRENCY=2, GUNICORN_THREADS=10)
    make_user("alice")
    http = server.session("alice")
    http.mount("http://", HTTPAdapter(pool_connections=1, pool_maxsize=32))
    assert http.put(f"{server.url}{URL}", json={"problemStatement": "v1"}).status_code == 200
    bodies = [{"problemStatement": f"tab {n}", "baseVersion": 1} for n in range(20)]

    assert put_all_at_once(server, http, bodies) == [200] + [409] * 19
    stored = stored_notes(sql)
    assert stored["version"] == 2
    assert stored["problem_statement"] in {body["problemStatement"] for body in bodies}
