"""Backups (issue 6, "Database operations"): scripts/ops/backup.sh dumps the
database, scripts/ops/restore.sh loads the dump into a fresh one, and every row
comes back equal."""
import gzip
import os
import secrets
import subprocess
import threading

import pytest

from support.app import ROOT, app_environment
from support.report_files import sign_off

TEXTS = {"problemStatement": "Pump trips — 🔧 ‏עברית‎ 'quoted' \"double\" back\\slash\n\ttab",
         "fsrNotes": "NUL\x00inside; " + "long " * 10_000}


def script(db_settings, name, *args, **env):
    return subprocess.run(["bash", f"scripts/ops/{name}", *args], cwd=ROOT,
                          env=app_environment(db_settings, **env),
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def fresh(db_settings, sql):
    """Settings naming a database that does not exist yet; dropped after the test."""
    settings = {**db_settings, "DB_NAME": f"{db_settings['DB_NAME']}_r{secrets.token_hex(3)}"}
    yield settings
    sql.run(f"DROP DATABASE IF EXISTS `{settings['DB_NAME']}`")


@pytest.fixture
def filled(alice, bob, sql):
    """The test database with rows in every table: texts of every kind,
    history, a removed entry, a sign-off, a team, closed cases, many cases."""
    assert alice.put("/api/cases/data/CASE-2024-001", json=TEXTS).status_code == 200
    assert alice.put("/api/cases/data/CASE-2024-001",
                     json={**TEXTS, "fsrNotes": "second"}).status_code == 200
    assert bob.put("/api/cases/data/CASE-2024-003", json={"fsrNotes": "x"}).status_code == 200
    assert bob.delete("/api/cases/data/CASE-2024-003").status_code == 200
    # A sign-off: a PNG's bytes in a BLOB.
    assert sign_off(alice, "CASE-2024-001", 2).status_code == 201
    # A team: an assignment, a collaborator, their events.
    assert alice.put("/api/cases/CASE-2024-001/assignee",
                     json={"username": "alice"}).status_code == 200
    assert alice.put("/api/cases/CASE-2024-001/team/bob",
                     json={"permission": "read"}).status_code == 200
    sql.run("UPDATE cases SET is_open = FALSE, closed_at = '2026-01-02 03:04:05.123456'"
            " WHERE case_number = 'CASE-2024-004'")
    sql.run("INSERT INTO cases (case_number, is_open) VALUES "
            + ", ".join(f"('BULK-{n:05d}', {n % 2})" for n in range(3000)))


def tables(sql, database):
    return [row["name"] for row in sql.all(
        "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = %s"
        " ORDER BY table_name", (database,))]


def contents(sql, database):
    """{table: (its CREATE TABLE, all its rows in key order)}"""
    found = {}
    for table in tables(sql, database):
        create = sql.one(f"SHOW CREATE TABLE `{database}`.`{table}`")["Create Table"]
        # Every table's first column is its primary key.
        found[table] = (create, sql.all(f"SELECT * FROM `{database}`.`{table}` ORDER BY 1"))
    return found


@pytest.mark.parametrize("name", ["backup.sql.gz", "backup.sql"])
def test_backup_then_restore_into_a_fresh_database_gives_every_row_back(
        db_settings, fresh, filled, sql, tmp_path, name):
    path = tmp_path / name
    done = script(db_settings, "backup.sh", str(path))
    assert done.returncode == 0, done.stderr
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    done = script(fresh, "restore.sh", str(path))
    assert done.returncode == 0, done.stderr
    original, restored = contents(sql, db_settings["DB_NAME"]), contents(sql, fresh["DB_NAME"])
    assert sorted(restored) == ["case_assignments", "case_collaborators", "case_history",
                                "case_signoffs", "case_team_events", "cases", "login_attempts",
                                "schema_migrations", "user_cases", "users"]
    assert all(rows for _create, rows in restored.values())
    assert restored == original


def test_backup_writes_gzip_when_the_name_ends_in_gz(db_settings, tmp_path):
    path = tmp_path / "backup.sql.gz"
    assert script(db_settings, "backup.sh", str(path)).returncode == 0
    with gzip.open(path, "rt", encoding="utf-8") as dump:
        text = dump.read()
    assert "CREATE TABLE `user_cases`" in text
    assert "CREATE DATABASE" not in text
    assert text.rstrip().splitlines()[-1].startswith("-- Dump completed")


def test_a_backup_taken_during_saves_is_one_consistent_moment(
        db_settings, fresh, filled, alice, sql, tmp_path):
    """Each save writes its entry's new version and its history rows in one
    transaction; tables dumped at different moments would disagree."""
    stop, versions = threading.Event(), []

    def keep_saving():
        while not stop.is_set():
            saved = alice.put("/api/cases/data/CASE-2024-001",
                              json={"fsrNotes": f"save {len(versions)}"})
            versions.append(saved.json["version"])

    saver = threading.Thread(target=keep_saving)
    saver.start()
    try:
        done = script(db_settings, "backup.sh", str(tmp_path / "during.sql"))
    finally:
        stop.set()
        saver.join()
    assert done.returncode == 0, done.stderr
    assert len(versions) > 1
    assert script(fresh, "restore.sh", str(tmp_path / "during.sql")).returncode == 0
    entries = sql.all(f"SELECT uc.user_id, uc.case_number, uc.version,"
                      f" (SELECT MAX(h.version) FROM `{fresh['DB_NAME']}`.case_history h"
                      f"  WHERE h.user_id = uc.user_id AND h.case_number = uc.case_number)"
                      f" AS history_version FROM `{fresh['DB_NAME']}`.user_cases uc")
    assert entries and all(e["version"] == e["history_version"] for e in entries)


def test_restore_refuses_a_database_that_has_tables(db_settings, filled, sql, tmp_path):
    path = tmp_path / "backup.sql"
    assert script(db_settings, "backup.sh", str(path)).returncode == 0
    sql.run("INSERT INTO cases (case_number) VALUES ('AFTER-BACKUP')")
    before = contents(sql, db_settings["DB_NAME"])
    done = script(db_settings, "restore.sh", str(path))
    assert done.returncode != 0
    assert "--replace" in done.stderr and "nothing restored" in done.stderr
    assert contents(sql, db_settings["DB_NAME"]) == before


def test_restore_replace_makes_the_database_exactly_the_backup(
        db_settings, fresh, filled, sql, tmp_path):
    path = tmp_path / "backup.sql.gz"
    assert script(db_settings, "backup.sh", str(path)).returncode == 0
    assert script(fresh, "restore.sh", str(path)).returncode == 0
    sql.run(f"INSERT INTO `{fresh['DB_NAME']}`.cases (case_number) VALUES ('AFTER-BACKUP')")
    sql.run(f"CREATE TABLE `{fresh['DB_NAME']}`.newer_table (id INT PRIMARY KEY)")
    done = script(fresh, "restore.sh", "--replace", str(path))
    assert done.returncode == 0, done.stderr
    assert contents(sql, fresh["DB_NAME"]) == contents(sql, db_settings["DB_NAME"])


@pytest.mark.parametrize("name", ["backup.sql", "backup.sql.gz"])
def test_restore_refuses_a_cut_off_backup_and_creates_nothing(
        db_settings, fresh, filled, sql, tmp_path, name):
    path = tmp_path / name
    assert script(db_settings, "backup.sh", str(path)).returncode == 0
    data = path.read_bytes()
    path.write_bytes(data[:len(data) // 2])
    done = script(fresh, "restore.sh", str(path))
    assert done.returncode != 0
    assert "nothing restored" in done.stderr
    assert tables(sql, fresh["DB_NAME"]) == []


def test_a_backup_that_cannot_log_in_fails_and_leaves_no_file(db_settings, tmp_path):
    path = tmp_path / "backup.sql.gz"
    done = script(db_settings, "backup.sh", str(path), DB_USER="no_such_account_here")
    assert done.returncode != 0
    assert "no_such_account_here" in done.stderr
    assert os.listdir(tmp_path) == []
