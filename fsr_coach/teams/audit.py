"""The audit log of team changes: one JSON line per person whose place on
a case's team changed, with who changed it (null: the command line), the
case, the action, whom, the permission given and the request id (on every
log line)."""
import logging

log = logging.getLogger("fsr_coach.audit")


def log_team_changes(changes):
    for change in changes:
        log.info("team %s", change.action, extra={"log_fields": {
            "action": f"team_{change.action}",
            "by_user_id": _text(change.by_user_id),
            "case_number": change.case_number,
            "user_id": _text(change.user_id),
            "permission": change.permission,
        }})


def _text(user_id):
    # User ids are strings in the API and in the notes' audit lines.
    return str(user_id) if user_id is not None else None
