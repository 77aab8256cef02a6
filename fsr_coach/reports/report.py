"""What a service report says, whichever form it takes (pdf.py, markdown.py)."""
from collections import namedtuple
from datetime import datetime, timezone

# One engineer's notes on the case, under their name.
Section = namedtuple("Section", "author problem_statement fsr_notes")


class Report(namedtuple("Report", "case_number is_open closed_at engineer version updated_at"
                                  " sections signoff made_at")):
    """A user's notes on a case, handed over: ``engineer`` is the user's
    display name, ``version`` and ``updated_at`` those of their notes; ``sections``
    holds the user's own notes first; ``signoff`` is the latest customer
    sign-off (a case_signoffs row) or None; ``made_at`` when the report was
    made."""

    @property
    def status(self):
        """"open", "closed" or "closed on <when>"."""
        if self.is_open:
            return "open"
        return f"closed on {when(self.closed_at)}" if self.closed_at else "closed"

    @property
    def changed_after_signoff(self):
        """True when the notes have a newer version than the one signed."""
        return self.signoff is not None and self.signoff["version"] != self.version


def build_report(user, row, signoff):
    """The report of ``user``'s notes on a case (``row``, as cases.notes.case_notes
    reads them), with their latest ``signoff`` or None."""
    own = Section(user["display_name"], row["problem_statement"] or "", row["fsr_notes"] or "")
    return Report(row["case_number"], bool(row["is_open"]), row["closed_at"],
                  user["display_name"], row["version"], row["updated_at"], [own],
                  signoff, datetime.now(timezone.utc))


def when(timestamp):
    """A time as reports show it: to the minute, in UTC (the database's
    naive timestamps are UTC)."""
    return timestamp.strftime("%Y-%m-%d %H:%M UTC")
