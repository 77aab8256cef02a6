"""Checkouts on one machine (issue 11, "Set-up"): a fresh checkout's .env names
a database and an account of its own, so that setting one up never resets
another's account; both then run their tests and serve at the same time.

The checkouts are copies of this one's files under a temporary folder, set up
by scripts/lib.sh's own steps on the machine's database server. They share
this checkout's .venv (a symlink) and never run ensure_venv, which would
install into it."""
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import mysql.connector
import pytest
import requests
from dotenv import dotenv_values

from ensure_database import admin_login
from ensure_database import load_settings as server_settings
from ensure_env_file import MAX_ACCOUNT_NAME, checkout_account
from fsr_coach.config import SETTINGS, TOOL_SETTINGS

ROOT = Path(__file__).resolve().parent.parent
SET_UP = ("source scripts/lib.sh && ensure_env_file && ensure_database"
          " && .venv/bin/python scripts/load_schema.py && .venv/bin/python scripts/seed.py")


def test_a_checkout_account_is_named_from_its_folder_and_path():
    assert re.fullmatch(r"fsr_house_[0-9a-f]{6}", checkout_account(Path("/work/wt/house")))


def test_two_paths_give_two_accounts():
    assert checkout_account(Path("/a/fsr-coach")) != checkout_account(Path("/b/fsr-coach"))


def test_a_checkout_account_fits_mysql_and_a_database_name():
    name = checkout_account(Path("/tmp/A very long folder name, with spaces: ÉTÉ 2026"))
    assert len(name) <= MAX_ACCOUNT_NAME
    assert re.fullmatch(r"fsr_[a-z0-9_]+", name)


@pytest.fixture(scope="module")
def admin():
    connection = admin_login(server_settings())
    if connection is None:
        pytest.skip("no administrator login (DB_ADMIN_USER/DB_ADMIN_PASSWORD) to make accounts")
    yield connection
    connection.close()


def clean_environment():
    """os.environ without this run's settings (its .env is loaded into them)
    but for the server and its administrator, which a clone's .env cannot know."""
    server = server_settings()
    env = {name: value for name, value in os.environ.items()
           if name not in SETTINGS and name not in TOOL_SETTINGS}
    return {**env, "DB_HOST": server.host, "DB_PORT": str(server.port),
            "DB_ADMIN_USER": server.admin_user, "DB_ADMIN_PASSWORD": server.admin_password}


class Checkout:
    """A copy of this checkout's files (tracked, or new and not ignored) in ``path``."""

    def __init__(self, path):
        self.path = path
        listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others",
                                 "--exclude-standard"], cwd=ROOT, capture_output=True,
                                check=True).stdout.decode()
        for name in filter(None, listed.split("\0")):
            source, target = ROOT / name, path / name
            if source.is_file():  # not a file deleted but not yet committed
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target)
        (path / ".venv").symlink_to(ROOT / ".venv")
        # Its own files come first on the import path, before this checkout's
        # (which an editable install of the package would point at).
        self.env = {**clean_environment(), "PYTHONPATH": str(path)}

    def run(self, command):
        return subprocess.run(["bash", "-c", command], cwd=self.path, env=self.env,
                              capture_output=True, text=True, timeout=600)

    @property
    def settings(self):
        return dotenv_values(self.path / ".env")

    def serve(self, log):
        """scripts/lib.sh's serve, as run.sh ends; returns the process and its URL."""
        process = subprocess.Popen(["bash", "-c", "source scripts/lib.sh && serve"],
                                   cwd=self.path, env=self.env, stdout=subprocess.PIPE,
                                   stderr=log, text=True)
        for line in process.stdout:
            if line.startswith("FSR Coach: "):
                return process, line.split()[-1].rstrip("/")
        raise AssertionError(f"serve printed no URL; see {log.name}")


def wait_until_ready(process, url, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "gunicorn exited"
        try:
            if requests.get(f"{url}/readyz", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{url} was not ready within {timeout} s")


def drop_checkout_account(admin, name):
    cursor = admin.cursor()
    cursor.execute("SELECT Host FROM mysql.user WHERE User = %s", (name,))
    for (host,) in cursor.fetchall():
        cursor.execute("DROP USER %s@%s", (name, host))
    cursor.execute(f"DROP DATABASE IF EXISTS `{name}`")


@pytest.fixture
def make_checkout(admin, tmp_path):
    made = []

    def make(name):
        checkout = Checkout(tmp_path / name)
        made.append(checkout)
        return checkout

    yield make
    for checkout in made:
        drop_checkout_account(admin, checkout_account(checkout.path))


def set_up(checkout):
    done = checkout.run(SET_UP)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


# Reaches the server through its own administrator, not the suite's fixtures.
@pytest.mark.server
def test_a_fresh_checkout_gets_a_database_and_account_of_its_own(make_checkout):
    checkout = make_checkout("fsr-coach")
    set_up(checkout)
    own = checkout_account(checkout.path)
    assert (checkout.settings["DB_NAME"], checkout.settings["DB_USER"]) == (own, own)
    with mysql.connector.connect(host=checkout.env["DB_HOST"], port=int(checkout.env["DB_PORT"]),
                                 user=own, password=checkout.settings["DB_PASSWORD"],
                                 database=own) as connection:
        cursor = connection.cursor()
        cursor.execute("SELECT COUNT(*) FROM cases")
        assert cursor.fetchone()[0] > 0  # the seed's demo cases


# Reaches the server through its own administrator, not the suite's fixtures.
@pytest.mark.server
def test_setting_up_never_resets_another_checkouts_account(make_checkout):
    first, second = make_checkout("first"), make_checkout("second")
    set_up(first)
    # The second checkout's .env names the first's account with a password of its own.
    (second.path / ".env").write_text(
        f"DB_USER={first.settings['DB_USER']}\nDB_NAME={first.settings['DB_NAME']}\n"
        "DB_PASSWORD=another-password\n")
    done = second.run("source scripts/lib.sh && ensure_database")
    assert done.returncode == 1
    assert "keeps its password unless it is this checkout's own" in done.stderr
    assert first.run("source scripts/lib.sh && ensure_database").returncode == 0


# Reaches the server through its own administrator, not the suite's fixtures.
@pytest.mark.server
def test_two_checkouts_set_up_one_after_the_other_both_test_and_serve(make_checkout, tmp_path):
    checkouts = [make_checkout("one"), make_checkout("two")]
    for checkout in checkouts:
        set_up(checkout)
    for checkout in checkouts:
        done = checkout.run(".venv/bin/python -m pytest -q -p no:cacheprovider tests/test_health.py")
        assert done.returncode == 0, done.stdout + done.stderr
    servers = []
    try:
        # One after the other: the second finds the first's port taken.
        for checkout in checkouts:
            with open(tmp_path / f"serve-{checkout.path.name}.log", "w") as log:
                process, url = checkout.serve(log)
            servers.append((process, url))
            wait_until_ready(process, url)
        assert servers[0][1] != servers[1][1]
        for checkout, (_process, url) in zip(checkouts, servers, strict=True):
            sign_in = requests.post(f"{url}/api/auth/login", timeout=10, json={
                "username": "demo", "password": checkout.settings["DEMO_PASSWORD"]})
            assert sign_in.status_code == 200, sign_in.text
    finally:
        for process, _url in servers:
            process.terminate()
            process.wait(timeout=30)
