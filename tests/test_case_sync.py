"""Case-status sync (issue 6, "Case-status sync"): `flask cases sync` against
a real HTTP case system on 127.0.0.1, files, the named lock, and `--every`
loops run as real processes, checked with SQL."""
import json
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter

import pytest

from fsr_coach.cases.sync import lock_name
from fsr_coach.config import ConfigError
from support.app import CLOSED_CASES, OPEN_CASES, ROOT, app_environment
from support.case_system import CaseSystem, broken_off, garbage, held, slow, status
from support.servers import free_port
from support.sql import case_states, catalog
from support.wait import wait_until

# Short waits, so that failing sources fail in a second.
FAST = {"CASE_SYNC_RETRY_SECONDS": 0.01, "CASE_SYNC_TIMEOUT": 2}
TOKEN = "s3cret-case-system-token"
# CASE-2024-001 closes, 67890 reopens, two cases are new, two stay as they are.
STATUSES = {"CASE-2024-001": False, "67890": True, "NEW-1": True, "NEW-2": False,
            "CASE-2024-003": True, "CASE-2024-002": False}
AUDIT_LINE = re.compile(r"case (added|closed|reopened): by=sync case=(\S+) is_open=(true|false)")


@pytest.fixture
def case_system():
    system = CaseSystem().start()
    system.set_statuses(STATUSES)
    yield system
    system.stop()


@pytest.fixture
def sync(make_app, case_system):
    """sync(*args, **settings): run `flask cases sync ARGS` on an app whose
    CASE_SYNC_URL is the case system; returns the click result."""
    def run(*args, **settings):
        app = make_app(**{"CASE_SYNC_URL": case_system.url, **FAST, **settings})
        return app.test_cli_runner().invoke(args=["cases", "sync", *args])
    return run


def case_row(sql, case_number):
    return sql.one("SELECT case_number, is_open, closed_at FROM cases WHERE case_number = %s",
                   (case_number,))


def failed_and_changed_nothing(result, sql, before, *words):
    assert result.exit_code != 0, result.output
    assert "nothing changed" in result.output
    for word in words:
        assert word in result.output
    assert catalog(sql) == before


# --- what a sync does -----------------------------------------------------------------

def test_sync_adds_closes_reopens_and_prints_the_counts(sync, sql):
    result = sync()
    assert result.exit_code == 0, result.output
    assert "6 cases: 2 added, 1 closed, 1 reopened, 2 unchanged" in result.output
    assert case_states(sql) == {**{n: True for n in OPEN_CASES},
                                **{n: False for n in CLOSED_CASES}, **STATUSES}


def test_sync_sets_closed_at_on_close_and_clears_it_on_reopen(sync, sql):
    assert sync().exit_code == 0
    assert case_row(sql, "CASE-2024-001")["closed_at"] is not None
    assert case_row(sql, "67890")["closed_at"] is None
    assert case_row(sql, "NEW-2")["closed_at"] is not None
    assert case_row(sql, "NEW-1")["closed_at"] is None


def test_sync_leaves_the_cases_the_source_does_not_mention_alone(sync, sql):
    before = {row["case_number"]: row for row in catalog(sql)}
    assert sync().exit_code == 0
    after = {row["case_number"]: row for row in catalog(sql)}
    for number in ("CASE-2024-004", "12345", "CASE-2024-003", "CASE-2024-002"):
        assert after[number] == before[number]


def test_sync_run_twice_changes_nothing_the_second_time(sync, sql):
    assert sync().exit_code == 0
    after_first = catalog(sql)
    result = sync()
    assert result.exit_code == 0, result.output
    assert "6 cases: 0 added, 0 closed, 0 reopened, 6 unchanged" in result.output
    assert catalog(sql) == after_first


def test_sync_matches_case_numbers_without_regard_to_letter_case(sync, sql, case_system):
    case_system.set_statuses({"case-2024-001": False})
    assert sync().exit_code == 0
    assert sql.all("SELECT case_number, is_open FROM cases WHERE case_number LIKE"
                   " 'case-2024-001'") == [{"case_number": "CASE-2024-001", "is_open": 0}]


def test_sync_accepts_1_and_0_for_is_open(sync, sql, case_system):
    case_system.statuses = [{"case_number": "CASE-2024-001", "is_open": 0},
                            {"case_number": "67890", "is_open": 1}]
    assert sync().exit_code == 0
    assert (case_states(sql)["CASE-2024-001"], case_states(sql)["67890"]) == (False, True)


def test_sync_writes_one_audit_line_per_change_and_none_for_the_rest(sync, caplog):
    with caplog.at_level("INFO", logger="fsr_coach.audit"):
        assert sync().exit_code == 0
    changes = sorted(AUDIT_LINE.search(r.getMessage()).groups() for r in caplog.records
                     if r.name == "fsr_coach.audit")
    assert changes == [("added", "NEW-1", "true"), ("added", "NEW-2", "false"),
                       ("closed", "CASE-2024-001", "false"), ("reopened", "67890", "true")]


def test_a_large_source_is_applied_in_batches_with_progress_lines(sync, sql, case_system):
    case_system.set_statuses({f"BULK-{n:05d}": n % 3 != 0 for n in range(2500)})
    result = sync()
    assert result.exit_code == 0, result.output
    for done in (1000, 2000, 2500):
        assert f"applied {done}/2500" in result.output
    counts = sql.one("SELECT COUNT(*) AS n, SUM(is_open) AS open FROM cases"
                     " WHERE case_number LIKE 'BULK-%'")
    assert (counts["n"], int(counts["open"])) == (2500, 1666)


# --- the HTTP source --------------------------------------------------------------------

def test_sync_sends_the_bearer_token(sync, case_system):
    case_system.token = TOKEN
    result = sync(CASE_SYNC_TOKEN=TOKEN)
    assert result.exit_code == 0, result.output
    path, headers = case_system.requests[0]
    assert headers["Authorization"] == f"Bearer {TOKEN}"
    assert headers["Accept"] == "application/json"


@pytest.mark.parametrize("token", ["", "wrong-token"])
def test_a_refused_token_fails_at_once_and_changes_nothing(sync, sql, case_system, token):
    case_system.token = TOKEN
    before = catalog(sql)
    result = sync(CASE_SYNC_TOKEN=token)
    failed_and_changed_nothing(result, sql, before, "HTTP 401", "CASE_SYNC_TOKEN")
    assert len(case_system.requests) == 1  # a refusal is not tried again
    assert TOKEN not in result.output


def test_a_500_is_tried_again_and_the_answer_after_it_applied(sync, sql, case_system):
    case_system.answers = [status(500), status(503)]
    result = sync(CASE_SYNC_RETRIES=2)
    assert result.exit_code == 0, result.output
    assert len(case_system.requests) == 3
    assert case_states(sql)["NEW-1"] is True


def test_a_source_that_keeps_answering_500_fails_after_its_tries(sync, sql, case_system):
    case_system.answers = [status(500)] * 10
    before = catalog(sql)
    result = sync(CASE_SYNC_RETRIES=2)
    failed_and_changed_nothing(result, sql, before, "HTTP 500", "tried 3 times")
    assert len(case_system.requests) == 3


def test_a_source_that_does_not_answer_in_time_fails(sync, sql, case_system):
    case_system.answers = [slow(3), slow(3)]
    before = catalog(sql)
    started = time.monotonic()
    result = sync(CASE_SYNC_TIMEOUT=0.5, CASE_SYNC_RETRIES=1)
    failed_and_changed_nothing(result, sql, before, "no answer within 0.5 s", "tried 2 times")
    assert time.monotonic() - started < 2.5


def test_an_answer_that_breaks_off_midway_changes_nothing(sync, sql, case_system):
    case_system.set_statuses({f"BULK-{n:05d}": False for n in range(3000)})
    case_system.answers = [broken_off] * 3
    before = catalog(sql)
    result = sync(CASE_SYNC_RETRIES=2)
    failed_and_changed_nothing(result, sql, before, "broke off")


def test_a_source_that_breaks_off_once_is_tried_again(sync, sql, case_system):
    case_system.answers = [broken_off]
    result = sync(CASE_SYNC_RETRIES=1)
    assert result.exit_code == 0, result.output
    assert case_states(sql)["NEW-2"] is False


def test_a_source_where_nothing_listens_fails(sync, sql):
    before = catalog(sql)
    result = sync(CASE_SYNC_URL=f"http://127.0.0.1:{free_port()}/statuses",
                  CASE_SYNC_RETRIES=1)
    failed_and_changed_nothing(result, sql, before, "cannot connect")


def test_messages_never_show_the_urls_query_string(sync, case_system):
    case_system.answers = [status(500)] * 2
    result = sync(CASE_SYNC_URL=case_system.url + "?api_key=hush-hush", CASE_SYNC_RETRIES=1)
    assert result.exit_code != 0
    assert case_system.url in result.output
    assert "hush-hush" not in result.output


GARBAGE = {
    "html": garbage(b"<html><body>Service Unavailable</body></html>", "text/html"),
    "empty body": garbage(b""),
    "an object": garbage(b'{"cases": []}'),
    "not utf-8": garbage(b'[{"case_number": "\xff\xfe", "is_open": true}]'),
    "a string for is_open": garbage(b'[{"case_number": "NEW-9", "is_open": "yes"}]'),
    "no is_open": garbage(b'[{"case_number": "NEW-9"}]'),
    "a malformed case number": garbage(b'[{"case_number": "bad number!", "is_open": true}]'),
    "a list item": garbage(b'[["NEW-9", true]]'),
}


@pytest.mark.parametrize("answer", GARBAGE.values(), ids=GARBAGE.keys())
def test_an_answer_that_is_garbage_changes_nothing(sync, sql, case_system, answer):
    case_system.answers = [answer]
    before = catalog(sql)
    failed_and_changed_nothing(sync(), sql, before, case_system.url)
    assert len(case_system.requests) == 1


def test_a_large_answer_with_one_bad_item_at_the_end_changes_nothing(sync, sql, case_system):
    case_system.set_statuses({f"BULK-{n:05d}": False for n in range(2500)})
    case_system.statuses += [{"case_number": "CASE-2024-001", "is_open": False},
                             {"case_number": "NEW-9", "is_open": None}]
    before = catalog(sql)
    failed_and_changed_nothing(sync(), sql, before, "item 2502")


def test_without_a_url_or_a_file_it_says_how_to_give_one(sync, sql):
    before = catalog(sql)
    result = sync(CASE_SYNC_URL="")
    failed_and_changed_nothing(result, sql, before, "CASE_SYNC_URL", "--file")


def test_a_sync_with_the_database_down_says_so(sync, case_system):
    result = sync(DB_PORT=free_port())
    assert result.exit_code != 0
    assert "database:" in result.output and "Traceback" not in result.output
    assert case_system.requests == []  # the lock comes first


@pytest.mark.parametrize("url", ["ftp://cases.example/statuses", "cases.example/statuses"])
def test_a_case_sync_url_that_is_not_http_is_refused(make_app, url):
    with pytest.raises(ConfigError, match="CASE_SYNC_URL"):
        make_app(CASE_SYNC_URL=url)


# --- --file ---------------------------------------------------------------------------------

def test_sync_from_a_json_file(sync, sql, tmp_path):
    path = tmp_path / "statuses.json"
    path.write_text(json.dumps([{"case_number": n, "is_open": o} for n, o in STATUSES.items()]))
    result = sync("--file", str(path), CASE_SYNC_URL="")
    assert result.exit_code == 0, result.output
    assert "2 added, 1 closed, 1 reopened, 2 unchanged" in result.output


def test_sync_from_the_import_csv(sync, sql, tmp_path, case_system):
    path = tmp_path / "cases.csv"
    path.write_text("case_number,is_open\nCASE-2024-001,0\n67890,true\nNEW-1,1\n")
    result = sync("--file", str(path))
    assert result.exit_code == 0, result.output
    assert "3 cases: 1 added, 1 closed, 1 reopened, 0 unchanged" in result.output
    assert case_system.requests == []  # --file wins over CASE_SYNC_URL


def test_a_bad_csv_file_names_its_line_and_changes_nothing(sync, sql, tmp_path):
    path = tmp_path / "cases.csv"
    path.write_text("case_number,is_open\nCASE-2024-001,0\nNEW-1,maybe\n")
    before = catalog(sql)
    failed_and_changed_nothing(sync("--file", str(path)), sql, before, "line 3")


# --- the lock -----------------------------------------------------------------------------

@pytest.fixture
def held_lock(db_settings, sql):
    """The sync's named lock, held by the test's own connection."""
    name = lock_name(db_settings["DB_NAME"])
    assert sql.one("SELECT GET_LOCK(%s, 0) AS got", (name,))["got"] == 1
    yield name
    sql.one("SELECT RELEASE_LOCK(%s) AS released", (name,))


def test_a_sync_waits_for_the_lock_then_gives_up_changing_nothing(sync, sql, held_lock):
    before = catalog(sql)
    started = time.monotonic()
    result = sync("--lock-wait", "1")
    assert result.exit_code != 0
    assert "another case sync held the lock for 1 s" in result.output
    assert time.monotonic() - started >= 1
    assert catalog(sql) == before


def test_a_sync_that_gets_the_lock_in_time_applies(sync, sql, held_lock):
    threading.Timer(0.5, sql.one, ("SELECT RELEASE_LOCK(%s) AS r", (held_lock,))).start()
    result = sync("--lock-wait", "10")
    assert result.exit_code == 0, result.output
    assert case_states(sql)["NEW-1"] is True


def test_the_lock_is_released_after_a_sync_even_a_failed_one(sync, sql, db_settings,
                                                            case_system):
    case_system.answers = [garbage(b"nonsense")]
    assert sync().exit_code != 0
    assert sync().exit_code == 0
    name = lock_name(db_settings["DB_NAME"])
    assert sql.one("SELECT IS_FREE_LOCK(%s) AS free", (name,))["free"] == 1


def test_lock_names_fit_mysqls_64_characters():
    assert lock_name("fsr_coach") == "fsr_coach.case_sync.fsr_coach"
    long_names = {lock_name("d" * 64), lock_name("d" * 63 + "e")}
    assert len(long_names) == 2 and all(len(name) <= 64 for name in long_names)


# --- --every: the scheduler process ------------------------------------------------------

class SyncLoop:
    """`flask --app fsr_coach cases sync --every 1` as a real process."""

    def __init__(self, db_settings, tmp_path, **settings):
        self.log_path = tmp_path / f"sync-loop-{free_port()}.log"
        environment = app_environment(db_settings, LOG_LEVEL="INFO", **{**FAST, **settings})
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "flask", "--app", "fsr_coach", "cases", "sync",
                 "--every", "1"], cwd=ROOT, env=environment, stdout=log,
                stderr=subprocess.STDOUT)

    def output(self):
        return self.log_path.read_text()

    def rounds(self):
        """Lines of finished rounds (applied, failed or skipped)."""
        return [line for line in self.output().splitlines()
                if re.match(r"case sync(: \d+ cases|: another sync| failed)", line)]

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=30)


@pytest.fixture
def sync_loop(db_settings, tmp_path, case_system):
    """sync_loop(**settings): a started `cases sync --every 1` on the case system."""
    loops = []

    def start(**settings):
        loop = SyncLoop(db_settings, tmp_path, CASE_SYNC_URL=case_system.url, **settings)
        loops.append(loop)
        return loop

    yield start
    for loop in loops:
        loop.stop()


def applied_changes(*loops):
    """Counter of (change, case_number) over the audit lines of ``loops``."""
    return Counter(match.group(1, 2) for loop in loops
                   for match in AUDIT_LINE.finditer(loop.output()))


def test_sync_every_applies_each_new_answer_and_stops_on_sigterm(sync_loop, sql, case_system):
    loop = sync_loop()
    wait_until(lambda: case_states(sql).get("NEW-1") is True, timeout=30)
    case_system.set_statuses({**STATUSES, "NEW-1": False, "NEW-3": True})
    wait_until(lambda: case_states(sql).get("NEW-3") is True and not case_states(sql)["NEW-1"])
    assert loop.stop() == 0
    assert "case sync: stopped" in loop.output()
    assert applied_changes(loop) == Counter({
        ("added", "NEW-1"): 1, ("added", "NEW-2"): 1, ("closed", "CASE-2024-001"): 1,
        ("reopened", "67890"): 1, ("closed", "NEW-1"): 1, ("added", "NEW-3"): 1})


def test_sync_every_skips_rounds_while_another_holds_the_lock(sync_loop, sql, held_lock):
    before = catalog(sql)
    loop = sync_loop()
    wait_until(lambda: len(loop.rounds()) >= 2, timeout=30)
    assert all("skipped this round" in line for line in loop.rounds())
    assert catalog(sql) == before
    sql.one("SELECT RELEASE_LOCK(%s) AS released", (held_lock,))
    wait_until(lambda: case_states(sql).get("NEW-1") is True)


def test_sync_every_goes_on_after_a_failed_round(sync_loop, sql, case_system):
    case_system.answers = [status(500), garbage(b"<html>")]
    loop = sync_loop(CASE_SYNC_RETRIES=0)
    wait_until(lambda: case_states(sql).get("NEW-1") is True, timeout=30)
    failures = [line for line in loop.rounds() if "failed" in line]
    assert len(failures) == 2 and "HTTP 500" in failures[0] and "not JSON" in failures[1]
    assert loop.process.poll() is None


def test_two_concurrent_sync_loops_apply_each_change_exactly_once(
        sync_loop, sql, case_system):
    new_cases = {f"LOOP-{n:05d}": True for n in range(1200)}
    case_system.set_statuses({**STATUSES, **new_cases})
    release = threading.Event()
    # The first round to get the lock waits on its answer: the other must skip.
    case_system.answers = [held(release)]
    loops = [sync_loop(CASE_SYNC_TIMEOUT=30), sync_loop(CASE_SYNC_TIMEOUT=30)]
    wait_until(lambda: any("skipped this round" in loop.output() for loop in loops),
               timeout=30)
    release.set()
    wait_until(lambda: case_states(sql).get("LOOP-01199") is True)

    case_system.set_statuses({**STATUSES, **new_cases, "CASE-2024-001": True,
                              "LOOP-00000": False, "NEW-3": False})
    wait_until(lambda: case_states(sql).get("NEW-3") is False)
    # Every process gets rounds in after the last change: each had its chance to apply it.
    seen = [len(loop.rounds()) for loop in loops]
    wait_until(lambda: all(len(loop.rounds()) >= n + 2 for loop, n in zip(loops, seen, strict=True)),
               timeout=30)
    assert [loop.stop() for loop in loops] == [0, 0]

    expected = Counter({("added", n): 1 for n in [*new_cases, "NEW-1", "NEW-2", "NEW-3"]})
    expected.update([("closed", "CASE-2024-001"), ("reopened", "67890"),
                     ("reopened", "CASE-2024-001"), ("closed", "LOOP-00000")])
    assert applied_changes(*loops) == expected
    assert all(any("cases:" in line for line in loop.rounds()) for loop in loops)
