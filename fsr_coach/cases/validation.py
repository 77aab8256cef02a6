"""Input rules for case numbers and for a user's notes on a case."""
import re

from flask import current_app, request

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
        if not is_valid_unicode(text):
            raise InvalidInput(f"{field} is not valid Unicode text", field=field)
        texts.append(text)
    return tuple(texts)


def is_valid_unicode(text):
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def base_version(body):
    """The version a save was edited from (``baseVersion``), or None; a bad one is a 400."""
    version = body.get("baseVersion")
    if version is None:
        return None
    # bool is an int to Python, never a version to a client.
    if not isinstance(version, int) or isinstance(version, bool) or version < 0:
        raise InvalidInput("baseVersion must be a whole number, 0 or more", field="baseVersion")
    return version


def batch_item(index, item):
    """(caseNumber as given, texts, base version) of item ``index`` of a
    batch; an item of the wrong shape is a 400 naming its index and field.

    The case number is only checked to be a string: a malformed one is the
    item's own error in the batch's answer, as the design document has it.
    """
    if not isinstance(item, dict):
        raise InvalidInput(f"cases[{index}] must be an object", field="cases", index=index)
    given = item.get("caseNumber")
    if not isinstance(given, str):
        raise InvalidInput(f"cases[{index}].caseNumber must be a string",
                           field="caseNumber", index=index)
    try:
        return given, case_texts(item), base_version(item)
    except InvalidInput as err:
        raise InvalidInput(f"cases[{index}].{err}", field=err.field, index=index) from None


def positive_int_arg(name, default, most=None):
    """A query-string argument that must be a whole number from 1 (to ``most``)."""
    text = request.args.get(name)
    if text is None:
        return default
    if not re.fullmatch(r"[0-9]{1,18}", text) or int(text) < 1 or (
            most is not None and int(text) > most):
        upper = f" to {most}" if most is not None else ""
        raise InvalidInput(f"{name} must be a whole number from 1{upper}", field=name)
    return int(text)
