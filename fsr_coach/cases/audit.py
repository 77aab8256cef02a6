"""The audit log: one JSON line per change of a user's notes on a case,
with who, which case, which fields, the new version, the request id (on
every log line) and the client's address; never the texts themselves."""
import logging

from flask import request

log = logging.getLogger("fsr_coach.audit")


def log_changes(action, user_id, written):
    for change in written:
        if change.fields:
            log.info("case %s", action, extra={"log_fields": {
                "action": action,
                "user_id": user_id,
                "case_number": change.row["case_number"],
                "fields": list(change.fields),
                "version": change.row["version"],
                "client": request.remote_addr,
            }})
