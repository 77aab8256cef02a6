"""The batch save (POST /api/cases/data) makes a constant number of database
round trips, whatever the batch size.

With a pool of one connection every request uses the same server session,
whose own counters tell how many round trips it made: statements count in
``Questions``, pings (the pool's check on checkout) in ``Com_admin_commands``.
Reading them costs round trips too: that cost, measured with no request in
between, is taken off.
"""
import pytest

from conftest import signed_in_client
from fsr_coach.db import get_db

BATCH = 500


def batch_cases(sql, count=BATCH):
    """``count`` more open cases for the batch."""
    numbers = [f"BATCH-{n:04d}" for n in range(count)]
    sql.run("INSERT INTO cases (case_number) VALUES " + ", ".join(["(%s)"] * count),
            numbers)
    return numbers


def round_trips_so_far(app):
    with app.app_context():
        rows = get_db().execute_all(
            "SHOW SESSION STATUS"
            " WHERE Variable_name IN ('Questions', 'Com_admin_commands')")
    assert len(rows) == 2, rows
    return sum(int(row["Value"]) for row in rows)


def save_batch(client, case_numbers, text="batch"):
    body = {"cases": [{"caseNumber": n, "problemStatement": f"{text} {n}",
                       "fsrNotes": f"notes {n}"} for n in case_numbers]}
    response = client.post("/api/cases/data", json=body)
    assert response.status_code == 200, response.json
    assert response.json["saved_count"] == len(case_numbers), response.json
    return response


def round_trips_of(app, action):
    """Round trips that ``action()`` makes on the app's only connection."""
    def measured(run):
        before = round_trips_so_far(app)
        run()
        return round_trips_so_far(app) - before
    return measured(action) - measured(lambda: None)


@pytest.fixture
def one_connection_app(make_app):
    return make_app(DB_POOL_SIZE=1)


@pytest.fixture
def client(one_connection_app, make_user):
    """A client signed in to the one-connection app, warmed up by one save."""
    signed_in = signed_in_client(one_connection_app, make_user("alice"))
    save_batch(signed_in, ["CASE-2024-001"], text="warm-up")
    return signed_in


def test_batch_of_500_makes_as_many_round_trips_as_a_batch_of_1(one_connection_app, client, sql):
    numbers = batch_cases(sql)
    one = round_trips_of(one_connection_app, lambda: save_batch(client, numbers[:1]))
    five_hundred = round_trips_of(one_connection_app, lambda: save_batch(client, numbers))
    print(f"\nround trips of POST /api/cases/data (Questions + Com_admin_commands):"
          f" batch of 1: {one}, batch of {BATCH}: {five_hundred}")
    assert one == five_hundred
    # At least the SELECT ... IN and the INSERT: the counters are this app's.
    assert 2 <= five_hundred <= 10


def test_batch_of_500_writes_all_500_rows(client, sql):
    numbers = batch_cases(sql)
    save_batch(client, numbers)
    rows = sql.all("SELECT case_number, problem_statement, fsr_notes FROM user_cases"
                   " WHERE case_number LIKE %s ORDER BY case_number", ("BATCH-%",))
    assert rows == [{"case_number": n, "problem_statement": f"batch {n}",
                     "fsr_notes": f"notes {n}"} for n in numbers]
