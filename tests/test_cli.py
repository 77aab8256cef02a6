"""The Flask CLI (issue 2, "Command line"): users, cases import/close/open, db upgrade."""
import pytest
from werkzeug.security import check_password_hash

from support.app import CLOSED_CASES, OPEN_CASES

NEW_PASSWORD = "a fine new password"


def user_row(sql, username):
    return sql.one("SELECT username, display_name, password_hash, is_admin, is_active,"
                   " session_epoch FROM users WHERE username = %s", (username,))


def catalog(sql):
    """The whole case catalog, for "changes nothing" checks."""
    return sql.all("SELECT case_number, is_open, closed_at, created_at, updated_at"
                   " FROM cases ORDER BY case_number")


def case_row(sql, case_number):
    return sql.one("SELECT case_number, is_open, closed_at FROM cases"
                   " WHERE case_number = %s", (case_number,))


@pytest.fixture
def write_csv(tmp_path):
    """write_csv(*lines): a CSV file holding those lines; returns its path."""
    def write(*lines, name="cases.csv"):
        path = tmp_path / name
        path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
        return str(path)
    return write


# --- users ---------------------------------------------------------------------------

def test_users_create_with_password_stdin_stores_a_working_hash(cli, sql):
    result = cli("users", "create", "carol", "--password-stdin", input=NEW_PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    row = user_row(sql, "carol")
    assert check_password_hash(row["password_hash"], NEW_PASSWORD)
    assert row["is_active"] and not row["is_admin"]


def test_users_create_prompts_twice_without_password_stdin(cli, sql):
    result = cli("users", "create", "carol", input=f"{NEW_PASSWORD}\n{NEW_PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert NEW_PASSWORD not in result.output  # typed without echo
    assert check_password_hash(user_row(sql, "carol")["password_hash"], NEW_PASSWORD)


def test_users_create_refuses_two_different_prompted_passwords(cli, sql):
    result = cli("users", "create", "carol", input=f"{NEW_PASSWORD}\nsomething else\n")
    assert result.exit_code != 0
    assert user_row(sql, "carol") is None


def test_users_create_stores_admin_flag_and_display_name(cli, sql):
    result = cli("users", "create", "carol", "--admin", "--display-name", "Carol C.",
                 "--password-stdin", input=NEW_PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    row = user_row(sql, "carol")
    assert row["is_admin"] == 1
    assert row["display_name"] == "Carol C."


def test_users_create_of_an_existing_name_fails_and_keeps_the_first(cli, sql):
    cli("users", "create", "carol", "--password-stdin", input=NEW_PASSWORD + "\n")
    result = cli("users", "create", "carol", "--password-stdin", input="another password\n")
    assert result.exit_code != 0
    rows = sql.all("SELECT password_hash FROM users WHERE username = 'carol'")
    assert len(rows) == 1
    assert check_password_hash(rows[0]["password_hash"], NEW_PASSWORD)


def test_users_create_refuses_a_too_short_password(cli, sql):
    result = cli("users", "create", "carol", "--password-stdin", input="short\n")
    assert result.exit_code != 0
    assert user_row(sql, "carol") is None


def test_users_set_password_replaces_the_hash(cli, sql, make_user):
    make_user("alice")
    result = cli("users", "set-password", "alice", "--password-stdin", input=NEW_PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    stored = user_row(sql, "alice")["password_hash"]
    assert check_password_hash(stored, NEW_PASSWORD)


def test_users_set_password_refuses_a_too_short_password(cli, sql, make_user):
    make_user("alice")
    before = user_row(sql, "alice")
    result = cli("users", "set-password", "alice", "--password-stdin", input="short\n")
    assert result.exit_code != 0
    assert user_row(sql, "alice") == before


def test_users_disable_marks_the_account_inactive(cli, sql, make_user):
    make_user("alice")
    result = cli("users", "disable", "alice")
    assert result.exit_code == 0, result.output
    assert user_row(sql, "alice")["is_active"] == 0


@pytest.mark.parametrize("args,stdin", [
    (("users", "set-password", "nobody", "--password-stdin"), NEW_PASSWORD + "\n"),
    (("users", "disable", "nobody"), None),
])
def test_users_command_on_an_unknown_user_fails_and_changes_nothing(
        cli, sql, make_user, args, stdin):
    make_user("alice")
    before = sql.all("SELECT * FROM users")
    result = cli(*args, input=stdin)
    assert result.exit_code != 0
    assert "nobody" in result.output
    assert sql.all("SELECT * FROM users") == before


# --- cases import ---------------------------------------------------------------------

@pytest.mark.parametrize("word,is_open", [
    ("1", 1), ("0", 0), ("true", 1), ("false", 0), ("TRUE", 1), ("False", 0),
])
def test_cases_import_reads_is_open_as_1_0_true_false(cli, sql, write_csv, word, is_open):
    result = cli("cases", "import", write_csv("case_number,is_open", f"NEW-1,{word}"))
    assert result.exit_code == 0, result.output
    row = case_row(sql, "NEW-1")
    assert row["is_open"] == is_open
    assert (row["closed_at"] is None) == bool(is_open)


def test_cases_import_adds_and_updates_and_prints_the_counts(cli, sql, write_csv):
    path = write_csv("case_number,is_open",
                     "NEW-1,1", "NEW-2,0",             # added
                     "CASE-2024-001,0", "67890,1",     # changed
                     "CASE-2024-003,1")                # unchanged
    result = cli("cases", "import", path)
    assert result.exit_code == 0, result.output
    assert "5 cases: 2 added, 2 changed, 1 unchanged" in result.output
    assert case_row(sql, "NEW-1")["is_open"] == 1
    assert case_row(sql, "NEW-2")["is_open"] == 0
    assert case_row(sql, "CASE-2024-001")["is_open"] == 0
    assert case_row(sql, "67890")["is_open"] == 1


def test_cases_import_of_the_same_file_twice_changes_nothing_the_second_time(
        cli, sql, write_csv):
    path = write_csv("case_number,is_open", "NEW-1,1", "NEW-2,0", "CASE-2024-001,0",
                     "CASE-2024-002,1")
    assert cli("cases", "import", path).exit_code == 0
    after_first = catalog(sql)
    result = cli("cases", "import", path)
    assert result.exit_code == 0, result.output
    assert "4 cases: 0 added, 0 changed, 4 unchanged" in result.output
    assert catalog(sql) == after_first


def test_cases_import_sets_closed_at_when_it_closes_a_case(cli, sql, write_csv):
    assert cli("cases", "import", write_csv("case_number,is_open", "CASE-2024-001,0")
               ).exit_code == 0
    row = case_row(sql, "CASE-2024-001")
    assert row["is_open"] == 0 and row["closed_at"] is not None


def test_cases_import_clears_closed_at_when_it_reopens_a_case(cli, sql, write_csv):
    assert cli("cases", "import", write_csv("case_number,is_open", "CASE-2024-002,true")
               ).exit_code == 0
    row = case_row(sql, "CASE-2024-002")
    assert row["is_open"] == 1 and row["closed_at"] is None


def test_cases_import_keeps_closed_at_of_a_case_that_stays_closed(cli, sql, write_csv):
    before = case_row(sql, "CASE-2024-002")
    assert cli("cases", "import", write_csv("case_number,is_open", "CASE-2024-002,0")
               ).exit_code == 0
    assert case_row(sql, "CASE-2024-002") == before


def test_cases_import_matches_existing_cases_without_regard_to_letter_case(
        cli, sql, write_csv):
    result = cli("cases", "import", write_csv("case_number,is_open", "case-2024-001,0"))
    assert result.exit_code == 0, result.output
    assert sql.all("SELECT case_number, is_open FROM cases WHERE case_number LIKE"
                   " 'case-2024-001'") == [{"case_number": "CASE-2024-001", "is_open": 0}]


BAD_ROWS = {
    "malformed case number": "bad number!,1",
    "bad is_open": "NEW-9,maybe",
    "empty is_open": "NEW-9,",
    "too many columns": "NEW-9,1,extra",
    "too few columns": "NEW-9",
}


@pytest.mark.parametrize("bad_row", BAD_ROWS.values(), ids=BAD_ROWS.keys())
def test_cases_import_with_a_bad_row_names_its_line_and_imports_nothing(
        cli, sql, write_csv, bad_row):
    before = catalog(sql)
    path = write_csv("case_number,is_open", "NEW-1,1", "CASE-2024-001,0", bad_row, "NEW-2,1")
    result = cli("cases", "import", path)
    assert result.exit_code != 0
    assert "line 4" in result.output
    assert catalog(sql) == before


@pytest.mark.parametrize("bad_row", BAD_ROWS.values(), ids=BAD_ROWS.keys())
def test_cases_import_with_a_bad_last_row_of_a_large_file_imports_nothing(
        cli, sql, write_csv, bad_row):
    before = catalog(sql)
    good = [f"BULK-{n:05d},{n % 2}" for n in range(3000)]
    path = write_csv("case_number,is_open", "CASE-2024-001,0", *good, bad_row)
    result = cli("cases", "import", path)
    assert result.exit_code != 0
    assert f"line {len(good) + 3}" in result.output
    assert catalog(sql) == before


def test_cases_import_of_a_large_file_adds_every_row(cli, sql, write_csv):
    good = [f"BULK-{n:05d},{n % 2}" for n in range(3000)]
    result = cli("cases", "import", write_csv("case_number,is_open", *good))
    assert result.exit_code == 0, result.output
    assert "3000 cases: 3000 added, 0 changed, 0 unchanged" in result.output
    counts = sql.one("SELECT COUNT(*) AS n, SUM(is_open) AS open FROM cases"
                     " WHERE case_number LIKE 'BULK-%'")
    assert (counts["n"], int(counts["open"])) == (3000, 1500)


@pytest.mark.parametrize("header", ["number,is_open", "case_number,open", "case_number",
                                    "CASE-2024-001,0"])
def test_cases_import_refuses_a_wrong_header(cli, sql, write_csv, header):
    before = catalog(sql)
    result = cli("cases", "import", write_csv(header, "NEW-1,1", "CASE-2024-001,0"))
    assert result.exit_code != 0
    assert "case_number,is_open" in result.output
    assert catalog(sql) == before


# --- cases close / open ------------------------------------------------------------------

def test_cases_close_closes_each_case_and_sets_closed_at(cli, sql):
    result = cli("cases", "close", "CASE-2024-001", "12345")
    assert result.exit_code == 0, result.output
    for number in ("CASE-2024-001", "12345"):
        row = case_row(sql, number)
        assert row["is_open"] == 0 and row["closed_at"] is not None


def test_cases_close_leaves_the_other_cases_alone(cli, sql):
    before = {row["case_number"]: row for row in catalog(sql)}
    cli("cases", "close", "CASE-2024-001")
    after = {row["case_number"]: row for row in catalog(sql)}
    del before["CASE-2024-001"], after["CASE-2024-001"]
    assert after == before


def test_cases_open_reopens_each_case_and_clears_closed_at(cli, sql):
    result = cli("cases", "open", *CLOSED_CASES)
    assert result.exit_code == 0, result.output
    for number in CLOSED_CASES:
        row = case_row(sql, number)
        assert row["is_open"] == 1 and row["closed_at"] is None


@pytest.mark.parametrize("command", ["close", "open"])
@pytest.mark.parametrize("bad", ["NOPE-404", "bad number!", "_leading-underscore"])
def test_cases_close_or_open_with_an_unknown_or_malformed_case_fails_and_changes_nothing(
        cli, sql, command, bad):
    before = catalog(sql)
    result = cli("cases", command, OPEN_CASES[0], CLOSED_CASES[0], bad)
    assert result.exit_code != 0
    assert catalog(sql) == before


# --- db upgrade ----------------------------------------------------------------------------

def test_db_upgrade_on_the_test_database_says_it_is_up_to_date(cli, sql):
    before = sql.all("SELECT * FROM schema_migrations ORDER BY version")
    result = cli("db", "upgrade")
    assert result.exit_code == 0, result.output
    assert "up to date" in result.output
    assert sql.all("SELECT * FROM schema_migrations ORDER BY version") == before


def test_db_upgrade_dry_run_changes_nothing(cli, sql):
    before = sql.all("SELECT * FROM schema_migrations ORDER BY version")
    result = cli("db", "upgrade", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "would apply" not in result.output
    assert sql.all("SELECT * FROM schema_migrations ORDER BY version") == before
