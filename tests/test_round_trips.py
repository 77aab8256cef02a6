"""Database round trips per request, counted on the wire.

The app's only connection (a pool of one) goes through a relay
(tests/wire.py) that counts the commands the app sends, each one round trip:
pings, resets and SETs included. The bounds are the issue's: 2 for a read of
the user's list (the session check and the query), 4 for a save, 5 for a
batch of any size.
"""
import pytest

from conftest import signed_in_client

BATCH = 500


@pytest.fixture
def client(make_app, make_user, counter):
    """A client signed in to an app whose one connection goes through ``counter``,
    warmed up by a save (the connection is made and set up before counting)."""
    app = make_app(DB_POOL_SIZE=1, DB_HOST="127.0.0.1", DB_PORT=counter.port)
    signed_in = signed_in_client(app, make_user("alice"))
    save_batch(signed_in, ["CASE-2024-001"], text="warm-up")
    return signed_in


def round_trips(counter, send):
    """The commands the app sent while answering ``send()``, and the answer."""
    before = counter.commands
    response = send()
    assert response.status_code < 300, response.json
    return counter.commands - before


def batch_cases(sql, count=BATCH):
    """``count`` more open cases for the batch."""
    numbers = [f"BATCH-{n:04d}" for n in range(count)]
    sql.run("INSERT INTO cases (case_number) VALUES " + ", ".join(["(%s)"] * count),
            numbers)
    return numbers


def save_batch(client, case_numbers, text="batch"):
    body = {"cases": [{"caseNumber": n, "problemStatement": f"{text} {n}",
                       "fsrNotes": f"notes {n}"} for n in case_numbers]}
    response = client.post("/api/cases/data", json=body)
    assert response.status_code == 200, response.json
    assert response.json["saved_count"] == len(case_numbers), response.json
    return response


# --- the bounds -----------------------------------------------------------------

def test_reading_the_users_list_takes_2_round_trips(client, counter):
    assert round_trips(counter, lambda: client.get("/api/cases/data")) <= 2


def test_a_save_takes_4_round_trips(client, counter):
    def save(text):
        return client.put("/api/cases/data/CASE-2024-003", json={"fsrNotes": text})
    new_entry = round_trips(counter, lambda: save("first"))
    changed_entry = round_trips(counter, lambda: save("second"))
    assert (new_entry, changed_entry) == (4, 4)


def test_a_removal_takes_4_round_trips(client, counter):
    assert round_trips(counter, lambda: client.delete("/api/cases/data/CASE-2024-001")) <= 4


def test_the_status_of_20_cases_takes_2_round_trips(client, counter):
    body = {"case_numbers": [f"CASE-2024-{n:03d}" for n in range(20)]}
    assert round_trips(counter, lambda: client.post("/api/cases/status", json=body)) <= 2


def test_batch_of_500_takes_as_many_round_trips_as_a_batch_of_1(client, counter, sql):
    numbers = batch_cases(sql)
    one = round_trips(counter, lambda: save_batch(client, numbers[:1]))
    five_hundred = round_trips(counter, lambda: save_batch(client, numbers))
    assert one == five_hundred <= 5


def test_batch_of_500_writes_all_500_rows(client, sql):
    numbers = batch_cases(sql)
    save_batch(client, numbers)
    rows = sql.all("SELECT case_number, problem_statement, fsr_notes FROM user_cases"
                   " WHERE case_number LIKE %s ORDER BY case_number", ("BATCH-%",))
    assert rows == [{"case_number": n, "problem_statement": f"batch {n}",
                     "fsr_notes": f"notes {n}"} for n in numbers]
