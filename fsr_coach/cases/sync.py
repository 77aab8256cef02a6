"""Case-status sync: the case management system's statuses applied to the
case catalog (``flask --app fsr_coach cases sync``).

A round takes the deployment's named lock (``GET_LOCK``) on its database
connection, reads the whole source and checks it, then applies it in
batches: each batch is one transaction that locks its cases and writes only
what differs (a new case is added, an open one that the source says is
closed is closed, a closed one it says is open is reopened), followed by
one audit line per change. The source is read while the lock is held, so a
round that waited for another never applies an older answer over a newer.
"""
import hashlib
import logging
import signal
import threading
import time
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import click
import mysql.connector
import requests
from flask import current_app

from ..db import DatabaseUnavailable, get_db
from . import catalog, statuses

log = logging.getLogger(__name__)
audit = logging.getLogger("fsr_coach.audit")

BATCH_SIZE = 1000
COUNTED = ("added", "closed", "reopened", "unchanged")
# GET_LOCK names are server-wide and at most 64 characters.
LOCK_PREFIX = "fsr_coach.case_sync."


# What a database that is down or refuses raises.
DATABASE_ERRORS = (mysql.connector.Error, DatabaseUnavailable)


class SyncError(Exception):
    """The source could not be read or is unusable; nothing was changed."""


class LockBusy(Exception):
    """Another sync holds the lock."""


# --- the lock ------------------------------------------------------------------

def lock_name(db_name):
    """The named lock of the sync of database ``db_name``."""
    name = LOCK_PREFIX + db_name
    if len(name) > 64:
        name = LOCK_PREFIX + hashlib.sha256(db_name.encode()).hexdigest()[:40]
    return name


@contextmanager
def sync_lock(wait_seconds):
    """Hold the named lock, on this app context's connection, for the block;
    LockBusy when another connection holds it for ``wait_seconds``."""
    db = get_db()
    name = lock_name(current_app.config["DB_NAME"])
    row = db.execute("SELECT GET_LOCK(%s, %s) AS got", (name, wait_seconds))
    if row["got"] != 1:
        raise LockBusy(name)
    try:
        yield
    finally:
        try:
            db.execute("SELECT RELEASE_LOCK(%s) AS released", (name,))
        except DATABASE_ERRORS as err:
            # The server releases it anyway when the connection ends.
            log.warning("case sync: releasing the lock failed: %s", err)


# --- the source ------------------------------------------------------------------

def shown_url(url):
    """The URL without credentials or query string, fit for messages."""
    parts = urlsplit(url)
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{parts.hostname}{port}{parts.path}"


def read_source(config, file_path=None, wait=time.sleep):
    """[(case_number, is_open)] from ``file_path`` (JSON or the import CSV)
    or else CASE_SYNC_URL (JSON), checked whole; SyncError if unusable."""
    if file_path:
        where = str(file_path)
        try:
            text = Path(file_path).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as err:
            raise SyncError(f"{where}: cannot read it ({err})") from None
        parse = statuses.read_any
    elif config["CASE_SYNC_URL"]:
        where = shown_url(config["CASE_SYNC_URL"])
        text = fetch(config, wait)
        parse = statuses.read_json
    else:
        raise SyncError("no source: set CASE_SYNC_URL or give --file")
    try:
        return parse(text)
    except statuses.BadSource as err:
        raise SyncError(f"{where}: {err}") from None


def fetch(config, wait=time.sleep):
    """The body of CASE_SYNC_URL's answer. A failed connection, a timeout, a
    broken-off answer, a 5xx or a 429 is tried again (CASE_SYNC_RETRIES
    times, waiting CASE_SYNC_RETRY_SECONDS, doubling); any other status is
    final. SyncError when no try succeeds."""
    url, timeout = config["CASE_SYNC_URL"], config["CASE_SYNC_TIMEOUT"]
    headers = {"Accept": "application/json"}
    if config["CASE_SYNC_TOKEN"]:
        headers["Authorization"] = f"Bearer {config['CASE_SYNC_TOKEN']}"
    tries = config["CASE_SYNC_RETRIES"] + 1
    for attempt in range(tries):
        if attempt:
            wait(config["CASE_SYNC_RETRY_SECONDS"] * 2 ** (attempt - 1))
        try:
            response = requests.get(url, headers=headers, timeout=timeout)
        except requests.RequestException as err:
            # Never str(err): it may hold the URL's query string.
            problem = _failure(err, timeout)
        else:
            if response.status_code == 200:
                return response.content
            problem = f"HTTP {response.status_code} {response.reason}"
            if response.status_code < 500 and response.status_code != 429:
                hint = "; check CASE_SYNC_TOKEN" if response.status_code in (401, 403) else ""
                raise SyncError(f"{shown_url(url)} answered {problem}{hint}")
        log.warning("case sync: %s: %s (try %d of %d)", shown_url(url), problem,
                    attempt + 1, tries)
    raise SyncError(f"{shown_url(url)}: {problem} (tried {tries} times)")


def _failure(err, timeout):
    if isinstance(err, requests.Timeout):
        return f"no answer within {timeout:g} s"
    if isinstance(err, requests.ConnectionError):
        return "cannot connect"
    if isinstance(err, requests.exceptions.ChunkedEncodingError):
        return "the answer broke off"
    return f"request failed ({type(err).__name__})"


# --- applying --------------------------------------------------------------------

def apply(cases, progress=None, stop=None):
    """Apply the (case_number, is_open) pairs in batches of BATCH_SIZE, each
    its own transaction; return the counts (``cases`` and COUNTED).

    ``stop`` (an Event) set between batches ends it early: the batches done
    stay done, and the next round applies the rest.
    """
    counts = Counter({"cases": len(cases), **{name: 0 for name in COUNTED}})
    for start in range(0, len(cases), BATCH_SIZE):
        if stop is not None and stop.is_set():
            break
        batch = cases[start:start + BATCH_SIZE]
        changes = _apply_batch(batch)
        for change, case_number, is_open in changes:
            audit.info("case %s: by=sync case=%s is_open=%s",
                       change, case_number, str(is_open).lower())
        counts.update(change for change, _, _ in changes)
        counts["unchanged"] += len(batch) - len(changes)
        if progress is not None:
            progress(start + len(batch), len(cases))
    return counts


def _apply_batch(batch):
    """Lock the batch's cases, write what differs, commit; return the
    changes as [(change, case_number, is_open)]."""
    with get_db().transaction():
        stored = catalog.find_cases([number for number, _ in batch], for_update=True)
        changes = []
        for number, is_open in batch:
            row = stored.get(catalog.case_key(number))
            if row is None:
                changes.append(("added", number, is_open))
            elif bool(row["is_open"]) != is_open:
                changes.append(("reopened" if is_open else "closed", row["case_number"], is_open))
        catalog.add_missing_cases([(n, is_open) for c, n, is_open in changes if c == "added"])
        catalog.close_cases([n for c, n, _ in changes if c == "closed"])
        catalog.open_cases([n for c, n, _ in changes if c == "reopened"])
    return changes


def describe(counts):
    """One line of counts, e.g. ``3 cases: 1 added, 1 closed, 0 reopened, 1 unchanged``."""
    done = sum(counts[name] for name in COUNTED)
    stopped = f" (stopped after {done})" if done < counts["cases"] else ""
    return (f"{counts['cases']} cases{stopped}: "
            + ", ".join(f"{counts[name]} {name}" for name in COUNTED))


# --- rounds ----------------------------------------------------------------------

def sync_round(config, file_path=None, lock_wait=0, echo=click.echo, stop=None,
               wait=time.sleep):
    """One sync under the lock; return its counts. LockBusy, SyncError (nothing
    changed) or a database error end it."""
    def progress(done, total):
        if total > BATCH_SIZE:
            echo(f"applied {done}/{total}")

    with sync_lock(lock_wait):
        cases = read_source(config, file_path, wait)
        return apply(cases, progress, stop)


def run_every(seconds, file_path=None, echo=click.echo):
    """Rounds every ``seconds`` (after the last ended) until SIGTERM or SIGINT.

    A round that finds the lock taken is skipped; one that fails is reported
    and the next round tries again. Each round has its own app context, so
    its own connection, which holds the lock and is given back after.
    """
    app = current_app._get_current_object()
    stop = threading.Event()
    previous = {signum: signal.signal(signum, lambda *_: stop.set())
                for signum in (signal.SIGTERM, signal.SIGINT)}
    echo(f"case sync: a round every {seconds:g} s; SIGTERM or Ctrl+C stops")
    try:
        while not stop.is_set():
            with app.app_context():
                _loop_round(app.config, file_path, echo, stop)
            stop.wait(seconds)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    echo("case sync: stopped")


def _loop_round(config, file_path, echo, stop):
    try:
        counts = sync_round(config, file_path, echo=echo, stop=stop, wait=stop.wait)
    except LockBusy:
        echo("case sync: another sync holds the lock; skipped this round")
    except SyncError as err:
        echo(f"case sync failed, nothing changed: {err}", err=True)
    except DATABASE_ERRORS as err:
        echo(f"case sync failed: database: {err}", err=True)
    else:
        echo(f"case sync: {describe(counts)}")
