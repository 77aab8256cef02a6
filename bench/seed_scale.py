"""Fill a database with production-sized data: by default 200,000 cases (one
in ten closed), 20,000 users and 50 saved cases each (1,000,000 user_cases).

    python -m bench.seed_scale --database fsr_coach_scale [--cases N] [--users N] [--per-user N]

The server and account come from the settings (.env or the environment); the
database is created with the schema when it is missing, and refused when it
holds saved cases already. Users are named scale00001, scale00002, ... and
share one password (--password). Rows go in by multi-row INSERTs, one
transaction per table: a million rows take about a minute.
"""
import argparse
import random
import time
from datetime import datetime, timedelta, timezone

import mysql.connector
from werkzeug.security import generate_password_hash

from fsr_coach.config import load_settings
from fsr_coach.db import connect_args
from fsr_coach.migrations import upgrade

ROWS_PER_STATEMENT = 5_000
CLOSED_EVERY = 10  # every tenth case is closed
PASSWORD = "scale-password"
# Saved texts of a realistic length (the benchmark's own saves are ~2 KB).
PROBLEM = "Pump trips on start after {hours} hours; customer reports noise at the bearing. "
NOTES = ("On site. Checked relay K3, contactor and overload; replaced the relay, "
         "ran the pump for {minutes} minutes under load, no trip. Follow-up booked. ")


def case_number(n):
    return f"SCALE-{n:06d}"


def seed(settings, cases, users, per_user, password=PASSWORD, echo=print):
    """Create (if needed) and fill the database ``settings`` names."""
    upgrade(settings, echo=lambda _line: None)
    connection = mysql.connector.connect(**connect_args(settings))
    try:
        cursor = connection.cursor()
        cursor.execute("SELECT COUNT(*) FROM user_cases")
        if cursor.fetchone()[0]:
            raise SystemExit(f"{settings['DB_NAME']} holds saved cases already")
        started = time.monotonic()
        _insert(connection, "INSERT INTO cases (case_number, is_open) VALUES (%s, %s)",
                ((case_number(n), n % CLOSED_EVERY != 0) for n in range(cases)))
        echo(f"{cases:,} cases")
        password_hash = generate_password_hash(password)
        _insert(connection, "INSERT INTO users (username, display_name, password_hash)"
                " VALUES (%s, %s, %s)",
                ((f"scale{n:05d}", f"Scale User {n}", password_hash)
                 for n in range(1, users + 1)))
        echo(f"{users:,} users (password {password!r})")
        cursor.execute("SELECT id FROM users WHERE username LIKE 'scale%' ORDER BY id")
        user_ids = [str(user_id) for (user_id,) in cursor.fetchall()]
        _insert(connection, "INSERT INTO user_cases (user_id, case_number, problem_statement,"
                " fsr_notes, version, updated_at) VALUES (%s, %s, %s, %s, %s, %s)",
                _saved_cases(user_ids, cases, per_user))
        echo(f"{len(user_ids) * per_user:,} saved cases")
        cursor.execute("ANALYZE TABLE cases, users, user_cases")
        cursor.fetchall()
        echo(f"done in {time.monotonic() - started:.0f} s")
    finally:
        connection.close()


def _saved_cases(user_ids, cases, per_user):
    """Each user's ``per_user`` distinct cases, saved over the last 90 days."""
    chance = random.Random(5)  # the same data on every run
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    for user_id in user_ids:
        for n in chance.sample(range(cases), per_user):
            minutes = chance.randrange(90 * 24 * 60)
            yield (user_id, case_number(n), PROBLEM.format(hours=n % 500),
                   NOTES.format(minutes=minutes % 60), 1 + minutes % 7,
                   now - timedelta(minutes=minutes, microseconds=chance.randrange(10**6)))


def _insert(connection, sql, rows):
    """INSERT ``rows`` (an iterable) in statements of ROWS_PER_STATEMENT rows,
    in one transaction. The connector turns each executemany into one
    multi-row INSERT, its values bound by the driver."""
    cursor = connection.cursor()
    connection.start_transaction()
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == ROWS_PER_STATEMENT:
            cursor.executemany(sql, chunk)
            chunk = []
    if chunk:
        cursor.executemany(sql, chunk)
    connection.commit()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True, help="the database to fill")
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--users", type=int, default=20_000)
    parser.add_argument("--per-user", type=int, default=50)
    parser.add_argument("--password", default=PASSWORD)
    args = parser.parse_args()
    if args.per_user > args.cases:
        parser.error("--per-user cannot exceed --cases")
    settings = {**load_settings(web=False), "DB_NAME": args.database}
    seed(settings, args.cases, args.users, args.per_user, args.password)


if __name__ == "__main__":
    main()
