"""The audit log: one JSON line per change of a user's notes on a case,
with who, which case, which fields, the new version, the request id (on
every log line) and the client's address; never the texts themselves.
A teammate's save of a member's notes names both: the notes' owner
(``user_id``) and who wrote them (``changed_by``)."""
import logging

from flask import request

log = logging.getLogger("fsr_coach.audit")


def log_changes(action, user_id, written, changed_by=None):
    for change in written:
        if change.fields:
            log.info("case %s", action, extra={"log_fields": {
                "action": action,
                "user_id": user_id,
                **({"changed_by": changed_by} if changed_by else {}),
                "case_number": change.row["case_number"],
                "fields": list(change.fields),
                "version": change.row["version"],
                "client": request.remote_addr,
            }})
