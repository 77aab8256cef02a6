"""SQL structure built from counts: placeholder lists, never values."""


def in_list(values):
    """``%s, %s, ...``: one placeholder per value, for ``IN (...)``."""
    return ", ".join(["%s"] * len(values))


def values_list(rows, row=None):
    """``(text, params)`` of a multi-row ``VALUES`` list: ``row`` once per
    tuple of ``rows`` and every tuple's values in order. ``row`` is by default
    one placeholder per value, ``(%s, %s, ...)``."""
    row = row or f"({in_list(rows[0])})"
    return ", ".join([row] * len(rows)), [value for values in rows for value in values]
