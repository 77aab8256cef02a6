"""The rubric: the checks the coach makes, read from YAML (data, not code).

The default ships beside this file. ``COACH_RUBRIC`` names a file that
replaces it, or, saying ``extends: default``, amends it: a check listed
with the id of a default check changes the keys it gives (``enabled:
false`` switches it off; ``add_words``, ``add_patterns`` and
``remove_words`` change a word list; null removes a test or one of its
keys), any other id adds a check. A rubric that breaks a rule of
rubric_checks.py is refused with a RubricError naming the file, the check
and the field.

A loaded Rubric holds what the page is served (``json``: every pattern set
compiled to one source, see patterns/) and those sources compiled for
Python; engine.py evaluates the one, the page's engine.js the other.
"""
import copy
import functools
from pathlib import Path

import yaml

from .patterns import anchors, compile_source, lower_ascii, starts_source
from .rubric_checks import AMEND_KEYS, KINDS, NESTED_SETS, RubricError, compile_rubric

DEFAULT_RUBRIC = Path(__file__).resolve().parent / "default_rubric.yaml"


class Rubric:
    """A rubric ready to evaluate: ``json`` as the page is served it, and its
    patterns compiled for Python's re."""

    def __init__(self, document):
        self.json = document
        self.name, self.version = document["name"], document["version"]
        self.checks, self.max_findings = document["checks"], document["maxFindings"]
        self.word_start = compile_source(document["wordStart"])
        self._patterns = {pattern["source"]: Pattern(pattern["source"])
                          for check in self.checks for test in check["tests"]
                          for pattern in _patterns_of(test)}

    def pattern(self, served):
        """The compiled Pattern of a served pattern."""
        return self._patterns[served["source"]]


def _patterns_of(test):
    return [test[key] for key in ("pattern", "if", "then", "terms") if key in test]


class Pattern:
    """A served pattern compiled for re. It first looks for its anchors (with
    ``in``, much faster than a scan of re's) and skips a text that holds none."""

    def __init__(self, source):
        self.regex = compile_source(source)
        self.anchors = anchors(source)
        # Compiled when first asked for: only a conditional's then needs it.
        self._source = source
        self._starts = None

    def may_match(self, text):
        return self.anchors is None or any(anchor in text for anchor in self.anchors)

    def search(self, text):
        return self.regex.search(text) if self.may_match(text) else None

    def finditer(self, text):
        return self.regex.finditer(text) if self.may_match(text) else iter(())

    def findall(self, text):
        return self.regex.findall(text) if self.may_match(text) else []

    def first_start(self, text, position):
        """The first position, from ``position`` on, that a match can start
        at (the search's leftmost match may start before a later one)."""
        if self._starts is None:
            self._starts = compile_source(starts_source(self._source))
        match = self._starts.search(text, position)
        return match.start() if match else None


def load_rubric(path=None):
    """The rubric of ``path`` (a COACH_RUBRIC file), or the default one."""
    path = Path(path) if path else DEFAULT_RUBRIC
    return _load(path, _text(path), _text(DEFAULT_RUBRIC))


# Compiling a rubric takes a good part of a second (each {word} class costs
# re a while), and every create_app loads one: the same texts are compiled once.
@functools.lru_cache(maxsize=16)
def _load(path, text, default_text):
    document = _parse(path, text)
    if document.get("extends") is not None:
        if document["extends"] != "default":
            raise RubricError(path, "extends may only name default", field="extends")
        document = _amend(_parse(DEFAULT_RUBRIC, default_text), document, path)
    return Rubric(compile_rubric(document, path))


def _text(path):
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise RubricError(path, f"cannot be read: {err}") from None


def _parse(path, text):
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as err:
        raise RubricError(path, f"is not valid YAML: {err}") from None
    if not isinstance(document, dict):
        raise RubricError(path, "must be a mapping with name, version and checks")
    unknown = set(document) - {"name", "version", "extends", "checks"}
    if unknown:
        raise RubricError(path, "unknown key (name, version, extends, checks are known)",
                          field=sorted(unknown, key=str)[0])
    return document


# --- amending the default -----------------------------------------------------

def _amend(base, amendment, path):
    """The default rubric with an ``extends: default`` file's changes."""
    merged = copy.deepcopy(base)
    for key in ("name", "version"):
        if key in amendment:
            merged[key] = amendment[key]
    checks = amendment.get("checks") or []
    if not isinstance(checks, list):
        raise RubricError(path, "must be a list of checks", field="checks")
    by_id = {check["id"]: check for check in merged["checks"]}
    for index, change in enumerate(checks):
        check_id = change.get("id") if isinstance(change, dict) else None
        if not isinstance(check_id, str):
            raise RubricError(path, "each check needs an id", field=f"checks[{index}].id")
        if check_id in by_id:
            _amend_check(by_id[check_id], change, path)
        else:
            merged["checks"].append(change)
    return merged


def _amend_check(check, change, path):
    for key, value in change.items():
        if key in NESTED_SETS and isinstance(value, dict) and isinstance(check.get(key), dict):
            check[key] = _amend_test(check[key], value, NESTED_SETS[key], path,
                                     check["id"], key)
        elif key in ("existence", "absence") and isinstance(value, dict) and isinstance(
                check.get(key), dict):
            check[key] = _amend_set(check[key], value, path, check["id"], key)
        elif key in KINDS and value is None:
            check.pop(key, None)
        else:
            check[key] = value


def _amend_test(test, change, nested, path, check_id, field):
    test = dict(test)
    for key, value in change.items():
        if key in nested and isinstance(value, dict) and isinstance(test.get(key), dict):
            test[key] = _amend_set(test[key], value, path, check_id, f"{field}.{key}")
        elif value is None:
            test.pop(key, None)
        else:
            test[key] = value
    return test


def _amend_set(pattern_set, change, path, check_id, field):
    pattern_set = dict(pattern_set)
    for key, value in change.items():
        if value is None:
            pattern_set.pop(key, None)
            continue
        if key not in AMEND_KEYS:
            pattern_set[key] = value
            continue
        if not isinstance(value, list):
            raise RubricError(path, "must be a list", check_id, f"{field}.{key}")
        listed = list(pattern_set.get(AMEND_KEYS[key]) or [])
        if key == "remove_words":
            gone = {_word_key(word) for word in value}
            listed = [word for word in listed if _word_key(word) not in gone]
        else:
            listed += value
        pattern_set[AMEND_KEYS[key]] = listed
    return pattern_set


def _word_key(word):
    return lower_ascii(" ".join(word.split())) if isinstance(word, str) else word
