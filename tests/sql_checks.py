"""SQL checks that a refused request changed nothing and cost no connection."""


def notes_snapshot(sql):
    """Every user's notes on every case, byte for byte."""
    return sql.all("SELECT id, user_id, case_number, HEX(problem_statement) AS p,"
                   " HEX(fsr_notes) AS f, version, created_at, updated_at, removed_at"
                   " FROM user_cases ORDER BY id")


def history_snapshot(sql):
    """Every row of the notes' history."""
    return sql.all("SELECT * FROM case_history ORDER BY id")


def saved_state(sql):
    """The notes and their history together."""
    return notes_snapshot(sql), history_snapshot(sql)


def app_connections(sql, db_name):
    """The ids of the server's connections to ``db_name`` but ``sql``'s own:
    the app's pooled ones. The same ids before and after a request mean it
    neither dropped nor replaced a connection."""
    return {row["ID"] for row in sql.all(
        "SELECT ID FROM information_schema.PROCESSLIST WHERE DB = %s AND ID <> CONNECTION_ID()",
        (db_name,))}
