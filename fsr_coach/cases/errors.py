"""What can go wrong with a user's notes on a case, as plain exceptions.

The SQL modules raise them and know nothing of HTTP; fsr_coach/errors.py
turns each into its answer.
"""


class CaseNotFound(Exception):
    """The case number is not in ``cases``."""


class CaseClosed(Exception):
    """The case is closed: its notes can be read but no longer saved."""


class VersionConflict(Exception):
    """The save names a version that is no longer the stored one; ``current``
    is the user's stored notes (version 0 when there are none). Nothing was
    written."""

    def __init__(self, current):
        super().__init__(current["case_number"])
        self.current = current


class NoNotes(Exception):
    """The user has no notes on this case (or removed it from the list)."""
