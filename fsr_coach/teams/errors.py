"""What can go wrong with a case's team, as plain exceptions: the SQL and
change modules raise them, fsr_coach/errors.py turns each into its answer."""


class UnknownCase(Exception):
    """The case number is not in ``cases`` (404)."""


class NotOnTeam(Exception):
    """The user has no permission on the case (403, reason not_on_team)."""


class NotAllowed(Exception):
    """The user's permission on the case is below ``needed`` (403)."""

    def __init__(self, needed):
        super().__init__(needed)
        self.needed = needed


class UnknownUser(Exception):
    """No active user has this username (400 naming ``username``)."""


class TargetIsAssignee(Exception):
    """The change names the case's assignee, whose permission is admin and
    whose place changes through the assignee endpoints (400)."""


class NotAMember(Exception):
    """The user named is not on the case's team (404)."""
