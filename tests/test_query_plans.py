"""EXPLAIN every statement the app sends, on data of a realistic shape.

A database of its own is filled by bench/seed_scale.py (20,000 cases, 500
users with 40 saved cases each: enough rows that the optimizer prefers an
index wherever one serves). The app talks to it through a relay
(tests/wire.py) that records every query while the test works every
endpoint and management command once; each statement recorded is then
EXPLAINed on the same data. A full scan of an app table or a filesort fails.
A scan of the source makes sure the opening of every statement written in
fsr_coach/ was among them, so a new query cannot slip past unchecked.
"""
import re

import mysql.connector
import pytest

from fsr_coach import create_app
from fsr_coach.db import connect_args
from fsr_coach.migrations import upgrade
from seed_scale import PASSWORD, case_number, seed
from support.app import ROOT, app_settings
from support.sql import Sql
from support.wire import CommandRelay

CASES, USERS, PER_USER = 20_000, 500, 40
# The app's tables as its statements name them, aliases included.
APP_TABLES = {"cases", "c", "user_cases", "uc", "users", "u", "b", "t", "case_history", "h",
              "case_signoffs", "case_assignments", "a", "case_collaborators", "cc",
              "case_team_events", "e"}
DATA_STATEMENT = re.compile(rb"\s*(SELECT|INSERT|UPDATE|DELETE)\b", re.IGNORECASE)
# An INSERT ... VALUES reads no table (its EXPLAIN shows the table it writes
# with type ALL all the same); an INSERT ... SELECT reads what it selects.
READS = re.compile(r"\s*(SELECT|UPDATE|DELETE|INSERT INTO \w+ \([^)]*\) SELECT)\b",
                   re.IGNORECASE)
# The app's statements in the source: string literals that open with a verb.
SOURCE_SQL = re.compile(r'f?"((?:SELECT|INSERT INTO|UPDATE|DELETE FROM) [^"{]*)')


@pytest.fixture(scope="module")
def plans_settings(db_settings):
    settings = {**db_settings, "DB_NAME": db_settings["DB_NAME"] + "_plans"}
    seed(settings, cases=CASES, users=USERS, per_user=PER_USER, echo=lambda _line: None)
    yield settings
    with mysql.connector.connect(**connect_args(settings, database=False)) as cnx:
        cnx.cursor().execute(f"DROP DATABASE `{settings['DB_NAME']}`")


@pytest.fixture(scope="module")
def sent_statements(plans_settings, tmp_path_factory):
    """Every statement the app sent while working each endpoint and command."""
    relay = CommandRelay(plans_settings["DB_HOST"], plans_settings["DB_PORT"])
    try:
        app = create_app(app_settings(plans_settings, DB_PORT=relay.port))
        work_every_endpoint(app)
        work_every_command(app, tmp_path_factory.mktemp("plans"))
        upgrade({**plans_settings, "DB_PORT": relay.port}, dry_run=True, echo=lambda _l: None)
        app.extensions["db"].close()
    finally:
        relay.close()
    # The app joins a packet's statements with ";\n"; inside a value the
    # driver escapes a newline, so this splits only between statements. A
    # signature's PNG bytes are no UTF-8: they do not change a plan.
    return [statement.decode("utf-8", "replace") for query in relay.queries
            for statement in query.split(b";\n") if DATA_STATEMENT.match(statement)]


def work_every_endpoint(app):
    from support.api import ApiClient
    from support.report_files import data_url, signature_png
    app.test_client_class = ApiClient
    client = app.test_client()
    assert client.login("scale00001", PASSWORD).status_code == 200
    saved = client.get("/api/cases/data").json["cases"]
    assert len(saved) > 10, "the seeded user has saved cases"
    mine, other = next(iter(saved)), case_number(CASES - 1)
    for method, path, body in [
        ("GET", "/api/auth/me", None),
        ("GET", f"/api/cases/validate/{mine}", None),
        ("GET", "/api/cases/user-cases", None),
        ("POST", "/api/cases/status", {"case_numbers": [case_number(n) for n in range(20)]}),
        ("GET", f"/api/cases/data/{mine}", None),
        ("POST", f"/api/cases/data/{mine}/signoff", {
            "signerName": "Dana", "signature": data_url(signature_png()),
            "version": saved[mine]["version"]}),
        ("GET", f"/api/cases/data/{mine}/signoffs", None),
        ("GET", f"/api/cases/data/{mine}/report.md", None),
        *team_requests(mine),
        ("PUT", f"/api/cases/data/{mine}", {"fsrNotes": "changed"}),
        ("PUT", f"/api/cases/data/{other}", {"fsrNotes": "new"}),
        ("POST", "/api/cases/data", {"cases": [{"caseNumber": case_number(n), "fsrNotes": "b"}
                                               for n in range(1, 21)]}),
        ("GET", f"/api/cases/data/{mine}/history?limit=1", None),
        ("GET", f"/api/cases/data/{mine}/history?limit=1&before=1000000", None),
        ("POST", "/api/coach", {"problemStatement": "p", "fsrNotes": "n"}),
        ("GET", "/api/coach/summary?last=500", None),
        ("DELETE", f"/api/cases/data/{mine}", None),
        ("POST", "/api/auth/logout", None),
    ]:
        response = client.open(path, method=method, json=body)
        assert response.status_code < 300, (method, path, response.json)


def team_requests(case):
    """Every team endpoint once, on the seeded user's case: taking it, a
    member added and changed, the team's reads, a handover and leaving."""
    team, me, mate = f"/api/cases/{case}", "scale00001", "scale00002"
    return [
        ("PUT", f"{team}/assignee", {"username": me}),
        ("PUT", f"{team}/team/{mate}", {"permission": "read"}),
        ("PUT", f"{team}/team/{mate}", {"permission": "write"}),
        ("GET", f"{team}/team", None),
        ("GET", f"{team}/team/notes", None),
        ("PUT", f"{team}/team/notes/{me}", {"fsrNotes": "by the team"}),
        ("GET", f"{team}/team/events", None),
        ("GET", "/api/cases/assigned", None),
        ("GET", "/api/cases/shared", None),
        ("GET", "/api/users?q=scale0001", None),
        ("GET", f"/api/cases/data/{case}/report.md?team=1", None),
        ("DELETE", f"{team}/team/{mate}", None),
        ("DELETE", f"{team}/assignee", None),
        ("PUT", f"{team}/assignee", {"username": me}),
        ("PUT", f"{team}/assignee", {"username": mate}),
        ("DELETE", f"{team}/team/{me}", None),
    ]


def work_every_command(app, tmp_path):
    runner = app.test_cli_runner()

    def cli(*args, input=None):
        result = runner.invoke(args=list(args), input=input)
        assert result.exit_code == 0, result.output

    cli("users", "create", "plans", "--password-stdin", input="a long password\n")
    cli("users", "set-password", "plans", "--password-stdin", input="another password\n")
    cli("users", "disable", "plans")
    csv_file = tmp_path / "cases.csv"
    csv_file.write_text("case_number,is_open\nPLANS-1,1\nSCALE-000002,0\n")
    cli("cases", "import", str(csv_file))
    cli("cases", "close", "PLANS-1")
    cli("cases", "open", "PLANS-1")
    cli("cases", "assign", "PLANS-1", "scale00003")
    cli("cases", "unassign", "PLANS-1")
    statuses = tmp_path / "statuses.json"
    statuses.write_text('[{"case_number": "PLANS-1", "is_open": false},'
                        ' {"case_number": "PLANS-2", "is_open": true}]')
    cli("cases", "sync", "--file", str(statuses))
    with app.app_context():
        import seed as demo_seed
        demo_seed.seed_cases()


def plan_problems(sql, statement):
    """What is wrong with the statement's plan, as lines; none when it is fine."""
    problems = []
    for row in sql.all("EXPLAIN " + statement):
        if row["table"] in APP_TABLES and row["type"] == "ALL":
            problems.append(f"full scan of {row['table']}")
        if "filesort" in (row["Extra"] or ""):
            problems.append(f"filesort on {row['table']}")
    return [f"{problem}: {statement[:300]}" for problem in problems]


def test_no_statement_scans_a_whole_table_or_sorts_a_list(plans_settings, sent_statements):
    sql = Sql(plans_settings)
    try:
        problems = [line for statement in sent_statements if READS.match(statement)
                    for line in plan_problems(sql, statement)]
    finally:
        sql.connection.close()
    assert not problems, "\n".join(problems)


def source_statements():
    """The opening of each SQL statement written in fsr_coach/."""
    found = set()
    for path in (ROOT / "fsr_coach").rglob("*.py"):
        found.update(match.group(1) for match in SOURCE_SQL.finditer(path.read_text()))
    return found


def test_every_statement_in_the_source_was_sent_and_explained(sent_statements):
    openings = source_statements()
    assert len(openings) > 15, openings  # the scan finds them
    unsent = []
    for opening in openings:
        # A %s in the source is a value in what was sent.
        pattern = ".+?".join(re.escape(part) for part in opening.split("%s"))
        if not any(re.search(pattern, statement) for statement in sent_statements):
            unsent.append(opening)
    assert not unsent, "sent by no endpoint or command:\n" + "\n".join(unsent)
