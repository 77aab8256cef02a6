"""The audit log: one line per change of a user's texts, with who, which
case, which fields, the new version, the request id (added to every log
line) and the client's address; never the texts themselves."""
import logging

from flask import request

log = logging.getLogger("fsr_coach.audit")


def log_changes(action, user_id, written):
    for entry in written:
        if entry.fields:
            log.info("case %s: user=%s case=%s fields=%s version=%s client=%s",
                     action, user_id, entry.row["case_number"], ",".join(entry.fields),
                     entry.row["version"], request.remote_addr)
