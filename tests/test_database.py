"""The Database class (fsr_coach/db/): queries, transactions, connection
settings, a checkout that waits, dropped connections, laziness and fork."""
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import mysql.connector
import pytest

from fsr_coach.db import DatabaseUnavailable, get_db
from support.api import signed_in_client
from support.wait import wait_until

ROOT = Path(__file__).resolve().parent.parent
HOLD_LIMIT = 10  # seconds a holder thread keeps its connection at the most


# --- helpers ----------------------------------------------------------------

def connection_id(app):
    with app.app_context():
        return get_db().execute("SELECT CONNECTION_ID() AS id")["id"]


def saved_texts(sql):
    return sql.all("SELECT user_id, case_number, problem_statement FROM user_cases"
                   " ORDER BY case_number")


def insert_note(db, case_number, text, user_id="u1"):
    return db.execute_update(
        "INSERT INTO user_cases (user_id, case_number, problem_statement)"
        " VALUES (%s, %s, %s)", (user_id, case_number, text))


class Holder(threading.Thread):
    """Holds the app's connection (inside an app context) until ``release``
    is set or ``hold_for`` seconds passed."""

    def __init__(self, app, hold_for=HOLD_LIMIT):
        super().__init__(daemon=True)
        self.app, self.hold_for = app, hold_for
        self.holding = threading.Event()
        self.leaving = threading.Event()
        self.release = threading.Event()

    def run(self):
        with self.app.app_context():
            get_db().execute("SELECT 1")
            self.holding.set()
            self.release.wait(self.hold_for)
            self.leaving.set()

    def __enter__(self):
        self.start()
        assert self.holding.wait(HOLD_LIMIT), "the holder never got a connection"
        return self

    def __exit__(self, *_exc):
        self.release.set()
        self.join(HOLD_LIMIT)


def ids_in_processlist(sql, db_settings):
    rows = sql.all("SELECT ID FROM information_schema.PROCESSLIST WHERE DB = %s",
                   (db_settings["DB_NAME"],))
    return {row["ID"] for row in rows}


def kill_pooled_connection(app, sql):
    """Have the server kill the connection idle in ``app``'s pool of one; its id."""
    return kill(sql, connection_id(app))


def kill(sql, ident):
    """Have the server kill connection ``ident`` and wait until it is gone; its id."""
    sql.run(f"KILL {int(ident)}")
    wait_until(lambda: not sql.one(
        "SELECT ID FROM information_schema.PROCESSLIST WHERE ID = %s", (ident,)), timeout=5)
    return ident


# --- queries --------------------------------------------------------------------

def test_execute_returns_the_first_row_as_a_dict(app):
    with app.app_context():
        row = get_db().execute(
            "SELECT case_number, is_open FROM cases WHERE case_number IN (%s, %s)"
            " ORDER BY case_number", ("CASE-2024-003", "CASE-2024-002"))
    assert row == {"case_number": "CASE-2024-002", "is_open": 0}


def test_execute_returns_none_when_there_is_no_row(app):
    with app.app_context():
        assert get_db().execute("SELECT * FROM cases WHERE case_number = %s",
                                ("NOPE-1",)) is None


def test_execute_all_returns_every_row_as_a_dict(app):
    with app.app_context():
        rows = get_db().execute_all(
            "SELECT case_number FROM cases WHERE is_open ORDER BY case_number")
    assert rows == [{"case_number": n} for n in
                    ["12345", "CASE-2024-001", "CASE-2024-003", "CASE-2024-004"]]


def test_execute_all_returns_an_empty_list_when_there_is_no_row(app):
    with app.app_context():
        assert get_db().execute_all("SELECT * FROM user_cases") == []


def test_lone_execute_update_is_committed_at_once(app, sql):
    with app.app_context():
        assert insert_note(get_db(), "CASE-2024-001", "lone write") == 1
        # Seen from another connection before this request even ends.
        assert saved_texts(sql) == [{"user_id": "u1", "case_number": "CASE-2024-001",
                                     "problem_statement": "lone write"}]
    assert len(saved_texts(sql)) == 1


# --- transactions ---------------------------------------------------------

def test_transaction_runs_every_statement_on_one_connection(app):
    with app.app_context():
        db = get_db()
        with db.transaction():
            ids = {db.execute("SELECT CONNECTION_ID() AS id")["id"] for _ in range(3)}
            insert_note(db, "CASE-2024-001", "a")
            ids.add(db.execute("SELECT CONNECTION_ID() AS id")["id"])
    assert len(ids) == 1


def test_transaction_commits_when_the_block_ends(app, sql):
    with app.app_context():
        db = get_db()
        with db.transaction():
            insert_note(db, "CASE-2024-001", "one")
            insert_note(db, "CASE-2024-003", "two")
            assert saved_texts(sql) == [], "visible before the commit"
        assert [r["problem_statement"] for r in saved_texts(sql)] == ["one", "two"]


def test_transaction_rolls_back_and_reraises_on_an_exception(app, sql):
    class Boom(Exception):
        pass

    with app.app_context():
        db = get_db()
        with pytest.raises(Boom), db.transaction():
            insert_note(db, "CASE-2024-001", "one")
            insert_note(db, "CASE-2024-003", "two")
            raise Boom()
        assert saved_texts(sql) == []
    assert saved_texts(sql) == []


def test_transaction_rolls_back_when_a_statement_fails(app, sql):
    with app.app_context():
        db = get_db()
        with pytest.raises(mysql.connector.Error), db.transaction():
            insert_note(db, "CASE-2024-001", "one")
            insert_note(db, "NOT-IN-CATALOG", "breaks the foreign key")
    assert saved_texts(sql) == []


def test_batch_sends_its_statements_and_counts_each_ones_rows(app, sql):
    with app.app_context():
        db = get_db()
        with db.transaction():
            counts = db.execute_batch([
                ("INSERT INTO user_cases (user_id, case_number) VALUES (%s, %s), (%s, %s)",
                 ("u1", "CASE-2024-001", "u1", "CASE-2024-003")),
                ("UPDATE user_cases SET problem_statement = %s WHERE user_id = %s",
                 ("both", "u1"))])
    assert counts == [2, 2]
    assert [r["problem_statement"] for r in saved_texts(sql)] == ["both", "both"]


def test_batch_whose_second_statement_fails_raises_and_rolls_back(app, sql):
    with app.app_context():
        db = get_db()
        with pytest.raises(mysql.connector.IntegrityError), db.transaction():
            db.execute_batch([
                ("INSERT INTO user_cases (user_id, case_number) VALUES (%s, %s)",
                 ("u1", "CASE-2024-001")),
                ("INSERT INTO user_cases (user_id, case_number) VALUES (%s, %s)",
                 ("u1", "NOT-IN-CATALOG"))])
        # The connection is usable after the failed packet.
        assert db.execute("SELECT 1 AS one") == {"one": 1}
    assert saved_texts(sql) == []


def test_transaction_whose_first_statement_fails_rolls_back(app, sql):
    with app.app_context():
        db = get_db()
        insert_note(db, "CASE-2024-001", "before")
        with pytest.raises(mysql.connector.Error), db.transaction():
            db.execute_update("UPDATE user_cases SET problem_statement = %s", ("changed",))
            db.execute("SELECT * FROM no_such_table")
    assert [r["problem_statement"] for r in saved_texts(sql)] == ["before"]


def test_connection_goes_back_to_the_pool_without_an_open_transaction(make_app, sql):
    app = make_app(DB_POOL_SIZE=1)
    with app.app_context():
        db = get_db()
        db.execute_update("START TRANSACTION")  # a transaction nobody ends
        insert_note(db, "CASE-2024-001", "never committed")
    with app.app_context():
        assert get_db().execute("SELECT @@in_transaction AS t") == {"t": 0}
    assert saved_texts(sql) == []


def test_transaction_that_sends_nothing_sends_no_commit(app):
    with app.app_context():
        db = get_db()
        before = db.execute("SHOW SESSION STATUS LIKE 'Com_commit'")["Value"]
        with db.transaction():
            pass
        assert db.execute("SHOW SESSION STATUS LIKE 'Com_commit'")["Value"] == before


@pytest.mark.parametrize("text", [
    "delimiter ; it's done",
    "Changed the CSV delimiter setting; customer's request\nDELIMITER $$\nit's $$",
    "100% sure: %s and %(name)s stay as typed",
])
def test_text_that_looks_like_sql_is_stored_exactly(alice, sql, text):
    # The connector's own cursor rewrote text containing "delimiter " when an
    # apostrophe followed.
    response = alice.put("/api/cases/data/CASE-2024-001",
                         json={"problemStatement": text, "fsrNotes": text})
    assert response.status_code == 200, response.json
    assert sql.one("SELECT problem_statement, fsr_notes FROM user_cases") == {
        "problem_statement": text, "fsr_notes": text}
    stored = alice.get("/api/cases/data/CASE-2024-001").json["data"]
    assert (stored["problemStatement"], stored["fsrNotes"]) == (text, text)


def test_sql_text_with_a_literal_placeholder_is_refused_before_it_is_sent(app):
    # The rule of fsr_coach/db/packets.py: %s in SQL text is a placeholder.
    with app.app_context():
        with pytest.raises(mysql.connector.ProgrammingError, match="1 placeholders for 0"):
            get_db().execute("SELECT case_number FROM cases WHERE case_number LIKE 'C%s'")


def test_the_drivers_own_cursor_still_rewrites_text_after_delimiter(sql):
    # Why fsr_coach/db/packets.py binds parameters itself. When this fails,
    # the driver has mended it and its cursor could carry the statements
    # (docs/decisions/002-statement-packets.md).
    text = "delimiter ; it's done"
    assert sql.one("SELECT %s AS text", (text,))["text"] != text


def test_app_without_the_drivers_c_extension_stops_with_a_clear_error():
    started = subprocess.run(
        [sys.executable, "-c", "import sys; sys.modules['_mysql_connector'] = None;"
         " import fsr_coach"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert started.returncode != 0
    last_line = started.stderr.strip().splitlines()[-1]
    assert last_line.startswith("fsr_coach.config.ConfigError: mysql-connector-python's"
                                " C extension (_mysql_connector) did not load"), last_line


# --- connection settings ----------------------------------------------------

def test_connection_speaks_utf8mb4(app):
    with app.app_context():
        row = get_db().execute("SELECT @@character_set_connection AS c,"
                               " @@character_set_client AS cl,"
                               " @@character_set_results AS r")
    assert row == {"c": "utf8mb4", "cl": "utf8mb4", "r": "utf8mb4"}


def test_connection_keeps_time_in_utc(app):
    with app.app_context():
        assert get_db().execute("SELECT @@session.time_zone AS tz")["tz"] == "+00:00"


def test_connection_uses_a_strict_sql_mode(app):
    with app.app_context():
        mode = get_db().execute("SELECT @@session.sql_mode AS m")["m"].split(",")
    assert "STRICT_ALL_TABLES" in mode or "STRICT_TRANS_TABLES" in mode


def test_too_long_data_raises_instead_of_being_cut(app, sql):
    with app.app_context(), pytest.raises(mysql.connector.Error):
        get_db().execute_update("INSERT INTO cases (case_number) VALUES (%s)",
                                ("X" * 101,))
    assert sql.one("SELECT COUNT(*) AS n FROM cases WHERE case_number LIKE 'XXX%'")["n"] == 0


def test_emoji_and_right_to_left_text_round_trip_exactly(app, sql):
    text = "\U0001F600 \u05e9\u05dc\u05d5\u05dd \U0001F9EA\u200d"
    with app.app_context():
        db = get_db()
        insert_note(db, "CASE-2024-001", text)
        read_back = db.execute("SELECT problem_statement FROM user_cases")["problem_statement"]
    assert read_back == text
    stored = sql.one("SELECT HEX(problem_statement) AS h FROM user_cases")["h"]
    assert bytes.fromhex(stored).decode("utf-8") == text


# --- checkout waits -----------------------------------------------------------

def test_checkout_waits_for_a_connection_to_be_given_back(make_app):
    app = make_app(DB_POOL_SIZE=1, DB_POOL_TIMEOUT=5)
    result = {}
    with Holder(app, hold_for=0.5) as holder:
        def second():
            try:
                with app.app_context():
                    get_db().execute("SELECT 1")
                    result["after_holder_left"] = holder.leaving.is_set()
            except Exception as err:  # reported below
                result["error"] = err

        waiter = threading.Thread(target=second)
        waiter.start()
        waiter.join(HOLD_LIMIT)
    assert result == {"after_holder_left": True}


def test_checkout_gives_up_after_the_pool_timeout(make_app):
    app = make_app(DB_POOL_SIZE=1, DB_POOL_TIMEOUT=0.3)
    with Holder(app), app.app_context():
        started = time.monotonic()
        with pytest.raises(DatabaseUnavailable):
            get_db().execute("SELECT 1")
        waited = time.monotonic() - started
    # It waited for the holder (the driver's own pool gives up at once), and
    # not for ever.
    assert 0.3 <= waited < HOLD_LIMIT


def test_request_that_finds_no_free_connection_gets_503_json(make_app, make_user):
    app = make_app(DB_POOL_SIZE=1, DB_POOL_TIMEOUT=0.3)
    client = signed_in_client(app, make_user("alice"))
    with Holder(app):
        response = client.get("/api/cases/data")
    assert response.status_code == 503
    assert response.is_json and "error" in response.json
    assert client.get("/api/cases/data").status_code == 200


# --- dropped connections ------------------------------------------------------

def test_connection_killed_by_the_server_is_replaced(make_app, sql):
    app = make_app(DB_POOL_SIZE=1)
    killed = kill_pooled_connection(app, sql)
    with app.app_context():
        assert get_db().execute("SELECT 1 AS one") == {"one": 1}
    assert connection_id(app) != killed


def test_request_after_the_server_killed_the_connection_works(make_app, make_user, sql):
    app = make_app(DB_POOL_SIZE=1)
    client = signed_in_client(app, make_user("alice"))
    kill_pooled_connection(app, sql)
    response = client.put("/api/cases/data/CASE-2024-001", json={"fsrNotes": "after kill"})
    assert response.status_code == 200, response.json
    assert sql.one("SELECT fsr_notes FROM user_cases")["fsr_notes"] == "after kill"


def test_write_after_the_server_killed_the_idle_connection_is_saved_once(make_app, sql):
    # The pool's ping at checkout finds the connection dead and reconnects
    # before the write goes out: it is sent once, on the new connection.
    app = make_app(DB_POOL_SIZE=1)
    killed = kill_pooled_connection(app, sql)
    with app.app_context():
        assert insert_note(get_db(), "CASE-2024-001", "once") == 1
    assert [r["problem_statement"] for r in saved_texts(sql)] == ["once"]
    assert connection_id(app) != killed


def test_connection_killed_during_a_request_gives_503_json(make_app, sql):
    app = make_app(DB_POOL_SIZE=1)

    @app.get("/test/killed-mid-request")
    def killed_mid_request():
        kill(sql, get_db().execute("SELECT CONNECTION_ID() AS id")["id"])
        return {"rows": get_db().execute_all("SELECT case_number FROM cases")}

    response = app.test_client().get("/test/killed-mid-request")
    assert response.status_code == 503, response.data[:500]
    assert response.is_json and "error" in response.json


def test_connection_that_broke_in_a_request_is_replaced_for_the_next(make_app, sql):
    app = make_app(DB_POOL_SIZE=1)
    with app.app_context():
        db = get_db()
        killed = kill(sql, db.execute("SELECT CONNECTION_ID() AS id")["id"])
        with pytest.raises(DatabaseUnavailable):
            db.execute("SELECT 1")
    assert connection_id(app) != killed


def test_pool_pings_once_when_lending_and_sends_nothing_when_taking_back(make_app):
    app = make_app(DB_POOL_SIZE=1)
    connection_id(app)  # the connection is made

    def pings_and_questions():
        with app.app_context():
            rows = get_db().execute_all(
                "SHOW SESSION STATUS WHERE Variable_name IN ('Questions', 'Com_admin_commands')")
        return {row["Variable_name"]: int(row["Value"]) for row in rows}

    first, second = pings_and_questions(), pings_and_questions()
    # Between the two SHOWs: the second checkout's ping, no reset or SET.
    assert second["Com_admin_commands"] - first["Com_admin_commands"] == 1
    assert second["Questions"] - first["Questions"] == 1


def test_pool_makes_connections_only_as_requests_need_them(make_app, sql, db_settings):
    before = ids_in_processlist(sql, db_settings)
    app = make_app(DB_POOL_SIZE=4)
    for _ in range(3):  # one after the other: one connection serves them all
        connection_id(app)
    assert len(ids_in_processlist(sql, db_settings) - before) == 1


def test_close_ends_the_pools_connections_on_the_server(make_app, sql, db_settings):
    before = ids_in_processlist(sql, db_settings)
    app = make_app(DB_POOL_SIZE=2)
    with Holder(app):
        opened = connection_id(app)  # a second connection, while the holder has the first
    assert opened in ids_in_processlist(sql, db_settings)
    app.extensions["db"].close()
    wait_until(lambda: not ids_in_processlist(sql, db_settings) - before, timeout=5)


# --- lazy pool, fork --------------------------------------------------------------

def test_pool_is_created_on_the_first_query_not_by_create_app(make_app, sql, db_settings):
    before = ids_in_processlist(sql, db_settings)
    app = make_app()
    assert ids_in_processlist(sql, db_settings) - before == set()
    response = app.test_client().post("/api/auth/login",
                                      json={"username": "nobody", "password": "x"})
    assert response.status_code == 401
    assert ids_in_processlist(sql, db_settings) - before != set()


def connection_id_in_a_forked_child(app):
    """Fork; the child queries through ``app`` and reports its connection id."""
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns to pytest
        status = 1
        try:
            os.close(reader)
            os.write(writer, str(connection_id(app)).encode())
            status = 0
        finally:
            os._exit(status)
    os.close(writer)
    with os.fdopen(reader) as pipe:
        child_id = pipe.read()
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, "the child's query failed"
    return int(child_id)


def test_forked_child_builds_its_own_pool(make_app):
    app = make_app(DB_POOL_SIZE=1)
    parent_id = connection_id(app)
    assert connection_id_in_a_forked_child(app) != parent_id


def test_forked_child_leaves_the_parents_connection_open(make_app):
    app = make_app(DB_POOL_SIZE=1)  # one connection: the parent's is always the same
    parent_id = connection_id(app)
    connection_id_in_a_forked_child(app)
    assert connection_id(app) == parent_id, "the parent's connection was closed"
