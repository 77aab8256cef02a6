"""flask --app fsr_coach cases assign CASE USERNAME and cases unassign CASE."""
from support.team import CASE


def assignee(sql):
    row = sql.one("SELECT u.username FROM case_assignments a JOIN users u"
                  " ON u.id = a.assigned_to WHERE a.case_number = %s", (CASE,))
    return row["username"] if row else None


def test_assign_gives_the_case_to_the_user(cli, make_user, sql):
    make_user("alice")
    result = cli("cases", "assign", CASE.lower(), "alice")
    assert result.exit_code == 0, result.output
    assert assignee(sql) == "alice"


def test_assign_records_an_event_by_nobody(cli, make_user, sql):
    make_user("alice")
    cli("cases", "assign", CASE, "alice")
    event = sql.one("SELECT action, by_user_id FROM case_team_events")
    assert event == {"action": "assigned", "by_user_id": None}


def test_reassign_keeps_the_previous_assignee_with_write(cli, make_user, sql):
    make_user("alice")
    make_user("bob")
    cli("cases", "assign", CASE, "alice")
    cli("cases", "assign", CASE, "bob")
    assert assignee(sql) == "bob"
    assert sql.one("SELECT permission_level FROM case_collaborators")["permission_level"] \
        == "write"


def test_unassign_leaves_the_case_without_assignee(cli, make_user, sql):
    make_user("alice")
    cli("cases", "assign", CASE, "alice")
    result = cli("cases", "unassign", CASE)
    assert result.exit_code == 0, result.output
    assert assignee(sql) is None


def test_assign_to_an_unknown_user_fails_and_changes_nothing(cli, sql):
    result = cli("cases", "assign", CASE, "nobody")
    assert result.exit_code != 0 and "nobody" in result.output
    assert assignee(sql) is None


def test_assign_of_an_unknown_case_fails(cli, make_user):
    make_user("alice")
    result = cli("cases", "assign", "NO-SUCH", "alice")
    assert result.exit_code != 0 and "unknown case" in result.output


def test_assign_of_a_closed_case_fails(cli, make_user):
    make_user("alice")
    result = cli("cases", "assign", "CASE-2024-002", "alice")
    assert result.exit_code != 0 and "closed" in result.output
