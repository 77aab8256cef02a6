"""SQL for the case catalog (the ``cases`` table): which case numbers exist
and whether they are open.

Case numbers compare without regard to letter case (the column's collation
does it); lookups are keyed by ``case_key`` and answer the number as stored.
"""
from ..db import get_db, in_list, values_list


def case_key(case_number):
    """The key under which two spellings of one case number meet."""
    return case_number.lower()


def find_case(case_number):
    """The case's row (case_number, is_open), or None."""
    return get_db().execute(
        "SELECT case_number, is_open FROM cases WHERE case_number = %s",
        (case_number,))


def find_cases(case_numbers, for_update=False):
    """{case_key: row} for those of ``case_numbers`` that exist, in one query;
    ``for_update`` locks them until the transaction ends."""
    if not case_numbers:
        return {}
    rows = get_db().execute_all(
        f"SELECT case_number, is_open FROM cases"
        f" WHERE case_number IN ({in_list(case_numbers)})"
        f"{' FOR UPDATE' if for_update else ''}",
        tuple(case_numbers))
    return {case_key(row["case_number"]): row for row in rows}


def add_missing_cases(cases):
    """Insert the (case_number, is_open) pairs that do not exist yet."""
    _insert_cases(cases, on_duplicate="case_number = case_number")


def upsert_cases(cases):
    """Insert or update (case_number, is_open) pairs; a case that closes gets
    ``closed_at`` now, one that opens loses it. Returns the server's count of
    affected rows: 1 per added case, 2 per changed one."""
    # MySQL applies these left to right: closed_at still sees the old is_open.
    return _insert_cases(cases, on_duplicate=(
        "closed_at = IF(VALUES(is_open), NULL, IF(is_open, CURRENT_TIMESTAMP(6), closed_at)),"
        " is_open = VALUES(is_open)"))


def _insert_cases(cases, on_duplicate):
    if not cases:
        return 0
    rows, params = values_list([(number, is_open, is_open) for number, is_open in cases],
                               row="(%s, %s, IF(%s, NULL, CURRENT_TIMESTAMP(6)))")
    return get_db().execute_update(
        f"INSERT INTO cases (case_number, is_open, closed_at) VALUES {rows}"
        f" ON DUPLICATE KEY UPDATE {on_duplicate}", params)


def close_cases(case_numbers):
    """Close the open ones among ``case_numbers``; return how many closed."""
    if not case_numbers:
        return 0
    return get_db().execute_update(
        f"UPDATE cases SET is_open = FALSE, closed_at = CURRENT_TIMESTAMP(6)"
        f" WHERE is_open AND case_number IN ({in_list(case_numbers)})",
        tuple(case_numbers))


def open_cases(case_numbers):
    """Reopen the closed ones among ``case_numbers``; return how many opened."""
    if not case_numbers:
        return 0
    return get_db().execute_update(
        f"UPDATE cases SET is_open = TRUE, closed_at = NULL"
        f" WHERE NOT is_open AND case_number IN ({in_list(case_numbers)})",
        tuple(case_numbers))
