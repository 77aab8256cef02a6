"""The design document's "Testing Checklist", the items that need no browser.
One test per item, named after it."""
import pytest
import requests

from support.app import PASSWORD


def stored(sql, username=None):
    """(username, case_number, problem_statement, fsr_notes) rows, sorted."""
    rows = sql.all("SELECT u.username, uc.case_number, uc.problem_statement, uc.fsr_notes"
                   " FROM user_cases uc JOIN users u ON uc.user_id = u.id"
                   " ORDER BY u.username, uc.case_number")
    return [(r["username"], r["case_number"], r["problem_statement"], r["fsr_notes"])
            for r in rows if username in (None, r["username"])]


def save(client, case_number, problem, notes=""):
    response = client.put(f"/api/cases/data/{case_number}",
                          json={"problemStatement": problem, "fsrNotes": notes})
    assert response.status_code == 200, response.data
    return response


def texts(client, case_number):
    response = client.get(f"/api/cases/data/{case_number}")
    assert response.status_code == 200, response.data
    data = response.get_json()["data"]
    return data["problemStatement"], data["fsrNotes"]


def test_users_case_data_saves_to_database(alice, sql):
    save(alice, "CASE-2024-001", "Conveyor stops at random", "Swapped the encoder")
    assert stored(sql) == [
        ("alice", "CASE-2024-001", "Conveyor stops at random", "Swapped the encoder")]


def test_user_can_reload_and_see_their_cases(app, alice):
    save(alice, "CASE-2024-001", "first", "notes 1")
    save(alice, "12345", "second", "notes 2")
    reloaded = app.test_client()
    assert reloaded.login("alice").status_code == 200
    assert sorted(reloaded.get("/api/cases/user-cases").get_json()["cases"]) == [
        "12345", "CASE-2024-001"]
    cases = reloaded.get("/api/cases/data").get_json()["cases"]
    assert {n: (c["problemStatement"], c["fsrNotes"]) for n, c in cases.items()} == {
        "CASE-2024-001": ("first", "notes 1"), "12345": ("second", "notes 2")}


def test_closed_cases_are_filtered_out(alice, sql):
    save(alice, "CASE-2024-001", "stays")
    save(alice, "CASE-2024-003", "goes")
    sql.run("UPDATE cases SET is_open = FALSE, closed_at = CURRENT_TIMESTAMP(6)"
            " WHERE case_number = 'CASE-2024-003'")
    assert alice.get("/api/cases/user-cases").get_json()["cases"] == ["CASE-2024-001"]
    assert list(alice.get("/api/cases/data").get_json()["cases"]) == ["CASE-2024-001"]


@pytest.mark.parametrize("case_number", ["CASE-1999-999", "-CASE-2024-001", "CASE%202024%20001"])
def test_invalid_case_numbers_are_rejected(alice, sql, case_number):
    assert alice.get(f"/api/cases/validate/{case_number}").get_json()["valid"] is False
    response = alice.put(f"/api/cases/data/{case_number}", json={"problemStatement": "x"})
    assert response.status_code == 400
    assert response.mimetype == "application/json"
    assert stored(sql) == []


def test_multiple_users_can_have_the_same_case_number(alice, bob, sql):
    save(alice, "CASE-2024-001", "alice's statement", "alice's notes")
    save(bob, "CASE-2024-001", "bob's statement", "bob's notes")
    assert stored(sql) == [
        ("alice", "CASE-2024-001", "alice's statement", "alice's notes"),
        ("bob", "CASE-2024-001", "bob's statement", "bob's notes")]
    assert texts(alice, "CASE-2024-001") == ("alice's statement", "alice's notes")
    assert texts(bob, "CASE-2024-001") == ("bob's statement", "bob's notes")


def test_users_only_see_their_own_case_data(alice, bob, sql):
    save(alice, "CASE-2024-001", "alice one")
    save(alice, "12345", "alice two")
    assert bob.get("/api/cases/user-cases").get_json()["cases"] == []
    assert bob.get("/api/cases/data").get_json()["cases"] == {}
    for number in ("CASE-2024-001", "12345"):
        assert bob.get(f"/api/cases/data/{number}").status_code == 404
    alices_rows = sql.all("SELECT * FROM user_cases ORDER BY id")

    save(bob, "CASE-2024-001", "bob's own")

    assert sql.all("SELECT * FROM user_cases WHERE id IN (%s, %s) ORDER BY id",
                   tuple(r["id"] for r in alices_rows)) == alices_rows
    assert stored(sql, "bob") == [("bob", "CASE-2024-001", "bob's own", "")]
    assert texts(alice, "CASE-2024-001") == ("alice one", "")
    assert bob.get("/api/cases/user-cases").get_json()["cases"] == ["CASE-2024-001"]


def test_server_restart_does_not_lose_data_app_process(make_app, make_user, sql):
    make_user("alice")
    first = make_app()
    writer = first.test_client()
    assert writer.login("alice").status_code == 200
    save(writer, "CASE-2024-001", "survives", "the restart")
    first.extensions["db"].close()
    del first, writer

    second = make_app()
    reader = second.test_client()
    assert reader.login("alice", PASSWORD).status_code == 200
    assert texts(reader, "CASE-2024-001") == ("survives", "the restart")


def test_server_restart_does_not_lose_data_gunicorn(gunicorn, make_user):
    make_user("carol")
    server = gunicorn()
    http = server.session("carol")
    response = http.put(f"{server.url}/api/cases/data/CASE-2024-001",
                        json={"problemStatement": "over real HTTP", "fsrNotes": "\U0001F527"},
                        timeout=10)
    assert response.status_code == 200, response.text
    http.close()  # no kept-alive connection for gunicorn to wait on

    server.stop()
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{server.url}/api/auth/me", timeout=2)
    server.start()

    again = server.session("carol")
    response = again.get(f"{server.url}/api/cases/data/CASE-2024-001", timeout=10)
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert (data["problemStatement"], data["fsrNotes"]) == ("over real HTTP", "\U0001F527")
    assert again.get(f"{server.url}/api/cases/user-cases", timeout=10).json()["cases"] == [
        "CASE-2024-001"]
    again.close()
