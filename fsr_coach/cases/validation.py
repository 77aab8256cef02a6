"""Input rules for case numbers and case texts."""
import re

from flask import current_app

from ..errors import InvalidInput

# 1-100 characters of A-Z a-z 0-9 . _ -, starting with a letter or digit.
CASE_NUMBER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
TEXT_FIELDS = ("problemStatement", "fsrNotes")


def normalize_case_number(raw):
    """The trimmed case number, or None when it is malformed."""
    if not isinstance(raw, str):
        return None
    case_number = raw.strip()
    return case_number if CASE_NUMBER.fullmatch(case_number) else None


def malformed_message(raw):
    shown = repr(raw[:100] if isinstance(raw, str) else raw)
    return (f"Malformed case number {shown}: use 1-100 letters, digits, '.', '_' "
            "or '-', starting with a letter or digit.")


def case_number_or_400(raw):
    """The trimmed case number; a malformed one is a 400."""
    case_number = normalize_case_number(raw)
    if case_number is None:
        raise InvalidInput(malformed_message(raw), field="caseNumber")
    return case_number


def case_texts(body):
    """(problemStatement, fsrNotes) from a request object; a bad one is a 400.

    A missing text is "". Any valid Unicode is accepted, NUL included; a lone
    surrogate (which JSON's \\u escapes can smuggle in) cannot be stored.
    """
    limit = current_app.config["MAX_TEXT_CHARS"]
    texts = []
    for field in TEXT_FIELDS:
        text = body.get(field, "")
        if not isinstance(text, str):
            raise InvalidInput(f"{field} must be a string", field=field)
        if len(text) > limit:
            raise InvalidInput(f"{field} is longer than {limit} characters", field=field)
        if not _is_valid_unicode(text):
            raise InvalidInput(f"{field} is not valid Unicode text", field=field)
        texts.append(text)
    return tuple(texts)


def _is_valid_unicode(text):
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
