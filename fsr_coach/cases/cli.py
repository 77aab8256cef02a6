"""flask --app fsr_coach cases import|sync|close|open|assign|unassign"""
import sys

import click
from flask import current_app
from flask.cli import AppGroup

from ..db import get_db
from ..teams import changes
from ..teams.errors import UnknownUser
from . import catalog, statuses, sync
from .errors import CaseClosed
from .validation import malformed_message, normalize_case_number

cases_cli = AppGroup("cases", help="Manage the case catalog (which cases exist and are open).")

IMPORT_CHUNK = 1000


@cases_cli.command("import")
@click.argument("csv_file", type=click.File("r", encoding="utf-8-sig"))
def import_cases(csv_file):
    """Add or update cases from a CSV file with the header case_number,is_open.

    All or nothing: a bad row is reported with its line number and nothing
    is imported. Running it twice changes nothing the second time.
    """
    try:
        cases = statuses.read_csv(csv_file)
    except statuses.BadSource as err:
        raise click.ClickException(f"nothing imported: {err}") from None
    added = changed = 0
    with get_db().transaction(), click.progressbar(
            length=len(cases), label="importing", file=sys.stderr) as bar:
        for start in range(0, len(cases), IMPORT_CHUNK):
            chunk = cases[start:start + IMPORT_CHUNK]
            existing = len(catalog.find_cases([number for number, _ in chunk]))
            # The server counts 1 per added row and 2 per changed row.
            affected = catalog.upsert_cases(chunk)
            added += len(chunk) - existing
            changed += (affected - (len(chunk) - existing)) // 2
            bar.update(len(chunk))
    click.echo(f"{len(cases)} cases: {added} added, {changed} changed, "
               f"{len(cases) - added - changed} unchanged")


@cases_cli.command("sync")
@click.option("--file", "file_path", type=click.Path(exists=True, dir_okay=False),
              help="Read the statuses from this file (JSON or the import CSV)"
                   " instead of CASE_SYNC_URL.")
@click.option("--every", type=click.FloatRange(min=1), metavar="SECONDS",
              help="Sync again SECONDS after each round, until stopped (SIGTERM,"
                   " Ctrl+C): the deployment's one scheduler process.")
@click.option("--lock-wait", type=click.FloatRange(min=0), default=60, show_default=True,
              metavar="SECONDS",
              help="Without --every: how long to wait while another sync runs.")
def sync_cases(file_path, every, lock_wait):
    """Apply the case management system's statuses to the catalog.

    New case numbers are added, cases it reports closed are closed, those
    it reports open again are reopened; the others are left alone. The
    whole source is checked first: one that cannot be read or holds
    anything wrong changes nothing and exits non-zero. Running it again
    changes nothing. A database lock keeps two syncs from running at once.
    """
    if every is not None:
        sync.run_every(every, file_path, echo=click.echo)
        return
    try:
        counts = sync.sync_round(current_app.config, file_path, lock_wait, echo=click.echo)
    except sync.LockBusy:
        raise click.ClickException(
            f"another case sync held the lock for {lock_wait:g} s; nothing done") from None
    except sync.SyncError as err:
        raise click.ClickException(f"nothing changed: {err}") from None
    except sync.DATABASE_ERRORS as err:
        raise click.ClickException(f"database: {err}") from None
    click.echo(f"case sync: {sync.describe(counts)}")


@cases_cli.command("close")
@click.argument("case_numbers", nargs=-1, required=True)
def close(case_numbers):
    """Close cases: they leave every user's list; their notes stay."""
    known = _known_cases(case_numbers)
    click.echo(f"closed {catalog.close_cases(known)} case(s)")


@cases_cli.command("open")
@click.argument("case_numbers", nargs=-1, required=True)
def reopen(case_numbers):
    """Reopen closed cases."""
    known = _known_cases(case_numbers)
    click.echo(f"opened {catalog.open_cases(known)} case(s)")


@cases_cli.command("assign")
@click.argument("case_number")
@click.argument("username")
def assign(case_number, username):
    """Assign a case to a user (for dispatch scripts); a previous assignee
    stays on its team with write."""
    number = _known_cases([case_number])[0]
    try:
        changes.assign(None, number, username, request_id=None)
    except UnknownUser:
        raise click.ClickException(f"no active user {username!r}") from None
    except CaseClosed:
        raise click.ClickException(f"case {number} is closed") from None
    click.echo(f"assigned {number} to {username}")


@cases_cli.command("unassign")
@click.argument("case_number")
def unassign(case_number):
    """Leave a case without an assignee."""
    number = _known_cases([case_number])[0]
    try:
        changes.unassign(None, number, request_id=None)
    except CaseClosed:
        raise click.ClickException(f"case {number} is closed") from None
    click.echo(f"unassigned {number}")


def _known_cases(given):
    """The given case numbers as stored; stop on a malformed or unknown one."""
    normalized = [normalize_case_number(number) for number in given]
    for number, case_number in zip(given, normalized, strict=True):
        if case_number is None:
            raise click.ClickException(malformed_message(number))
    found = catalog.find_cases(normalized)
    unknown = [n for n in normalized if catalog.case_key(n) not in found]
    if unknown:
        raise click.ClickException(f"unknown case(s): {', '.join(unknown)}")
    return [row["case_number"] for row in found.values()]
