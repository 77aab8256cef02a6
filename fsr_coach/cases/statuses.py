"""Case statuses read from a source and checked whole before anything is
written: the import CSV (header ``case_number,is_open``) or the case
management system's JSON (``[{"case_number": ..., "is_open": ...}, ...]``).

Either way the result is ``[(case_number, is_open)]``, one pair per case
(the last mention of a case wins); a source with any problem raises
``BadSource`` naming them.
"""
import csv
import io
import json

from . import catalog
from .validation import malformed_message, normalize_case_number

TRUE_WORDS, FALSE_WORDS = ("1", "true"), ("0", "false")
SHOWN_PROBLEMS = 20


class BadSource(Exception):
    """The source is unusable: ``summary``, then the first of ``problems``."""

    def __init__(self, summary, problems=()):
        shown = "".join(f"\n{problem}" for problem in problems[:SHOWN_PROBLEMS])
        more = len(problems) - SHOWN_PROBLEMS
        super().__init__(summary + shown + (f"\n... and {more} more" if more > 0 else ""))


def read_csv(lines):
    """Pairs from CSV lines (a file or any iterable of lines)."""
    reader = csv.reader(lines)
    header = next(reader, None)
    if [cell.strip() for cell in header or []] != ["case_number", "is_open"]:
        raise BadSource("the first line must be the header: case_number,is_open")
    cases, problems = {}, []
    for row in reader:
        where = f"line {reader.line_num}"
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != 2:
            problems.append(f"{where}: expected 2 columns, found {len(row)}")
            continue
        is_open = row[1].strip().lower()
        if is_open not in TRUE_WORDS + FALSE_WORDS:
            problems.append(f"{where}: is_open must be 1, 0, true or false, not {row[1]!r}")
            continue
        _add(cases, problems, where, row[0], is_open in TRUE_WORDS)
    return _result(cases, problems, "rows")


def read_json(text):
    """Pairs from the JSON list; ``is_open`` is true/false (or 1/0)."""
    try:
        items = json.loads(text)
    except (ValueError, UnicodeDecodeError) as err:
        raise BadSource(f"not JSON ({err})") from None
    if not isinstance(items, list):
        raise BadSource(f"expected a JSON list of {{case_number, is_open}} objects,"
                        f" got a {type(items).__name__}")
    cases, problems = {}, []
    for position, item in enumerate(items, start=1):
        where = f"item {position}"
        if not isinstance(item, dict) or not {"case_number", "is_open"} <= item.keys():
            problems.append(f"{where}: expected an object with case_number and is_open")
        elif item["is_open"] not in (True, False) or isinstance(item["is_open"], float):
            # 1 == True in Python: 1 and 0 pass, 1.0 and "true" do not.
            problems.append(f"{where}: is_open must be true or false, not {item['is_open']!r}")
        else:
            _add(cases, problems, where, item["case_number"], bool(item["is_open"]))
    return _result(cases, problems, "items")


def read_any(text):
    """Pairs from JSON (text starting with ``[`` or ``{``) or else CSV."""
    if text.lstrip().startswith(("[", "{")):
        return read_json(text)
    return read_csv(io.StringIO(text))


def _add(cases, problems, where, raw_number, is_open):
    case_number = normalize_case_number(raw_number)
    if case_number is None:
        problems.append(f"{where}: {malformed_message(raw_number)}")
    else:
        cases[catalog.case_key(case_number)] = (case_number, is_open)


def _result(cases, problems, kind):
    if problems:
        raise BadSource(f"fix these {kind} first ({len(problems)} in all):", problems)
    return list(cases.values())
