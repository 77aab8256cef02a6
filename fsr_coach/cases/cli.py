"""flask --app fsr_coach cases import|close|open"""
import csv
import sys

import click
from flask.cli import AppGroup

from ..db import get_db
from . import catalog
from .validation import malformed_message, normalize_case_number

cases_cli = AppGroup("cases", help="Manage the case catalog (which cases exist and are open).")

IMPORT_CHUNK = 1000
TRUE_WORDS, FALSE_WORDS = ("1", "true"), ("0", "false")


class BadRows(click.ClickException):
    def __init__(self, problems):
        shown = "\n".join(problems[:20])
        more = f"\n... and {len(problems) - 20} more" if len(problems) > 20 else ""
        super().__init__(f"nothing imported; fix these rows first:\n{shown}{more}")


@cases_cli.command("import")
@click.argument("csv_file", type=click.File("r", encoding="utf-8-sig"))
def import_cases(csv_file):
    """Add or update cases from a CSV file with the header case_number,is_open.

    All or nothing: a bad row is reported with its line number and nothing
    is imported. Running it twice changes nothing the second time.
    """
    cases = _read_cases_csv(csv_file)
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


def _read_cases_csv(csv_file):
    """[(case_number, is_open)] from the file, the last row of a case
    winning; BadRows if any row is wrong."""
    reader = csv.reader(csv_file)
    header = next(reader, None)
    if [cell.strip() for cell in header or []] != ["case_number", "is_open"]:
        raise click.ClickException("the first line must be the header: case_number,is_open")
    cases, problems = {}, []
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != 2:
            problems.append(f"line {line}: expected 2 columns, found {len(row)}")
            continue
        case_number, is_open = normalize_case_number(row[0]), row[1].strip().lower()
        if case_number is None:
            problems.append(f"line {line}: {malformed_message(row[0])}")
        elif is_open not in TRUE_WORDS + FALSE_WORDS:
            problems.append(f"line {line}: is_open must be 1, 0, true or false, not {row[1]!r}")
        else:
            cases[catalog.case_key(case_number)] = (case_number, is_open in TRUE_WORDS)
    if problems:
        raise BadRows(problems)
    return list(cases.values())


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


def _known_cases(given):
    """The given case numbers as stored; stop on a malformed or unknown one."""
    normalized = [normalize_case_number(number) for number in given]
    for number, case_number in zip(given, normalized):
        if case_number is None:
            raise click.ClickException(malformed_message(number))
    found = catalog.find_cases(normalized)
    unknown = [n for n in normalized if catalog.case_key(n) not in found]
    if unknown:
        raise click.ClickException(f"unknown case(s): {', '.join(unknown)}")
    return [row["case_number"] for row in found.values()]
