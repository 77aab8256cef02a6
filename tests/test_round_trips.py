"""Database round trips per request, counted on the wire.

The app's only connection (a pool of one) goes through a relay
(tests/wire.py) that counts the commands the app sends, each one round trip:
pings, resets and SETs included. The bounds are issue 11's, the pool's ping
at checkout counted: 3 for a read of the user's list (the ping, the session
check, the query), 5 for a save (the ping; the session check; START
TRANSACTION with SELECT ... FOR UPDATE; the upsert with the history rows;
COMMIT), 5 for a batch of any size.
"""
import pytest

from fsr_coach.db import values_list
from support.api import signed_in_client

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
    """The commands the app sent while answering ``send()``."""
    return sent(counter, send)[0]


def sent(counter, send):
    """(commands, pings) the app sent while answering ``send()``."""
    before = (counter.commands, counter.pings)
    response = send()
    assert response.status_code < 300, response.json
    return counter.commands - before[0], counter.pings - before[1]


def batch_cases(sql, count=BATCH):
    """``count`` more open cases for the batch."""
    numbers = [f"BATCH-{n:04d}" for n in range(count)]
    rows, params = values_list([(number,) for number in numbers])
    sql.run(f"INSERT INTO cases (case_number) VALUES {rows}", params)
    return numbers


def save_batch(client, case_numbers, text="batch"):
    body = {"cases": [{"caseNumber": n, "problemStatement": f"{text} {n}",
                       "fsrNotes": f"notes {n}"} for n in case_numbers]}
    response = client.post("/api/cases/data", json=body)
    assert response.status_code == 200, response.json
    assert response.json["saved_count"] == len(case_numbers), response.json
    return response


# --- the bounds -----------------------------------------------------------------

def test_reading_the_users_list_takes_3_round_trips(client, counter):
    assert round_trips(counter, lambda: client.get("/api/cases/data")) <= 3


def test_a_save_takes_5_round_trips(client, counter):
    def save(text):
        return client.put("/api/cases/data/CASE-2024-003", json={"fsrNotes": text})
    new_entry = round_trips(counter, lambda: save("first"))
    changed_entry = round_trips(counter, lambda: save("second"))
    assert (new_entry, changed_entry) == (5, 5)


def test_a_removal_takes_5_round_trips(client, counter):
    assert round_trips(counter, lambda: client.delete("/api/cases/data/CASE-2024-001")) <= 5


def test_the_status_of_20_cases_takes_3_round_trips(client, counter):
    body = {"case_numbers": [f"CASE-2024-{n:03d}" for n in range(20)]}
    assert round_trips(counter, lambda: client.post("/api/cases/status", json=body)) <= 3


def test_batch_of_500_takes_as_many_round_trips_as_a_batch_of_1(client, counter, sql):
    numbers = batch_cases(sql)
    one = round_trips(counter, lambda: save_batch(client, numbers[:1]))
    five_hundred = round_trips(counter, lambda: save_batch(client, numbers))
    assert one == five_hundred <= 5


def test_each_request_pings_once_the_pools_check_at_checkout(client, counter):
    body = {"case_numbers": ["CASE-2024-001"]}
    assert sent(counter, lambda: client.get("/api/cases/data"))[1] == 1
    assert sent(counter, lambda: client.post("/api/cases/status", json=body))[1] == 1


def test_batch_of_500_writes_all_500_rows(client, sql):
    numbers = batch_cases(sql)
    save_batch(client, numbers)
    rows = sql.all("SELECT case_number, problem_statement, fsr_notes FROM user_cases"
                   " WHERE case_number LIKE %s ORDER BY case_number", ("BATCH-%",))
    assert rows == [{"case_number": n, "problem_statement": f"batch {n}",
                     "fsr_notes": f"notes {n}"} for n in numbers]
