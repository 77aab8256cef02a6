"""The rubric: the checks the coach makes, read from YAML (data, not code).

The default ships beside this file. ``COACH_RUBRIC`` names a file that
replaces it, or, saying ``extends: default``, amends it: a check listed
with the id of a default check changes the keys it gives (``enabled:
false`` switches it off; ``add_words``, ``add_patterns`` and
``remove_words`` change a word list; null removes a test or one of its
keys), any other id adds a check. A rubric
that breaks a rule below is refused with a RubricError naming the file,
the check and the field.

A loaded Rubric holds what the page is served (``json``: every pattern set
compiled to one source, see patterns/) and those sources compiled for
Python; engine.py evaluates the one, the page's engine.js the other.
"""
import copy
import functools
import re
from pathlib import Path

import yaml

from ..config import ConfigError
from .patterns import (
    CLASSES,
    WORD_START,
    PatternError,
    anchors,
    compile_source,
    lower_ascii,
    pattern_set_source,
    starts_source,
)

DEFAULT_RUBRIC = Path(__file__).resolve().parent / "default_rubric.yaml"
TEXT_FIELDS = ("problemStatement", "fsrNotes")
FIELDS = (*TEXT_FIELDS, "both")
SEVERITIES = ("error", "warning", "suggestion")
# A check's tests, in the order it runs them (and lists their findings).
KINDS = ("existence", "absence", "conditional", "metric", "overlap")
CHECK_KEYS = {"id", "field", "title", "weight", "severity", "hint", "link", "enabled", *KINDS}
SET_KEYS = {"words", "patterns", "case_sensitive"}
AMEND_KEYS = {"add_words": "words", "add_patterns": "patterns", "remove_words": "words"}
TEST_KEYS = {
    "existence": SET_KEYS,
    "absence": SET_KEYS | {"message"},
    "conditional": {"if", "then", "within", "message"},
    "metric": {"min_words", "max_words"},
    "overlap": {"source", "terms", "ignore", "prefix"},
}
# The pattern sets inside a test (existence and absence are sets themselves).
NESTED_SETS = {"conditional": ("if", "then"), "overlap": ("terms",)}
# An overlap's terms unless it names its own: words of 4 to 40 characters.
DEFAULT_TERMS = {"patterns": ["[{word}]{4,40}"]}
CHECK_ID = re.compile(r"[a-z0-9][a-z0-9_.-]{0,63}")
# A check lists its first 100 findings: no more would help a reader, and the
# answer to any text stays small.
MAX_FINDINGS = 100
MAX_WEIGHT = 1000
MAX_WITHIN = 10_000


class RubricError(ConfigError):
    """The rubric cannot be used; the app does not start with it."""

    def __init__(self, path, problem, check=None, field=None):
        where = "".join([f", check {check!r}" if check else "",
                         f", field {field!r}" if field else ""])
        super().__init__(f"rubric {path}{where}: {problem}")
        self.path, self.check, self.field, self.problem = path, check, field, problem


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
    return Rubric(_compile(document, path))


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


# --- checking and compiling -----------------------------------------------------

def _compile(document, path):
    """The rubric as served to the page, after checking every rule."""
    name, version = document.get("name"), document.get("version")
    if not isinstance(name, str) or not name.strip():
        raise RubricError(path, "must be a non-empty string", field="name")
    if isinstance(version, bool) or not isinstance(version, (str, int, float)):
        raise RubricError(path, "must be a string", field="version")
    checks = document.get("checks")
    if not isinstance(checks, list) or not checks:
        raise RubricError(path, "must be a non-empty list of checks", field="checks")
    compiled, seen = [], set()
    for index, check in enumerate(checks):
        result = _CheckReader(path, check, index).read()
        if result["id"] in seen:
            raise RubricError(path, "the id is used twice", result["id"], "id")
        seen.add(result["id"])
        if result.pop("enabled"):
            compiled.append(result)
    if sum(check["weight"] for check in compiled) == 0:
        raise RubricError(path, "the enabled checks' weights add up to 0", field="checks")
    return {"name": name.strip(), "version": str(version), "classes": CLASSES,
            "wordStart": WORD_START, "maxFindings": MAX_FINDINGS, "checks": compiled}


class _CheckReader:
    """Reads one check: every key checked, every pattern set compiled."""

    def __init__(self, path, check, index):
        self.path, self.check, self.index = path, check, index
        self.id = check.get("id") if isinstance(check, dict) else None

    def fail(self, field, problem):
        raise RubricError(self.path, problem, self.id or f"checks[{self.index}]", field)

    def read(self):
        if not isinstance(self.check, dict):
            self.fail(None, "must be a mapping")
        if not isinstance(self.id, str) or not CHECK_ID.fullmatch(self.id):
            self.fail("id", "must be 1-64 of a-z 0-9 . _ -, starting with a letter or digit")
        for key in self.check:
            if key not in CHECK_KEYS:
                self.fail(key, "unknown key" + (" (add_* keys amend a default check's words"
                                                " and need extends: default)"
                                                if str(key).startswith("add_") else ""))
        field = self.choice("field", FIELDS)
        tests = [self.test(kind, field) for kind in KINDS if kind in self.check]
        if not tests:
            self.fail(None, f"give at least one test: {', '.join(KINDS)}")
        enabled = self.check.get("enabled", True)
        if not isinstance(enabled, bool):
            self.fail("enabled", "must be true or false")
        return {"id": self.id, "field": field, "title": self.line("title"),
                "weight": self.integer("weight", 0, MAX_WEIGHT, self.check),
                "severity": self.choice("severity", SEVERITIES), "hint": self.line("hint"),
                "link": self.link(), "enabled": enabled, "tests": tests}

    def choice(self, key, allowed, within=None, field=None):
        value = (self.check if within is None else within).get(key)
        if value not in allowed:
            self.fail(field or key, f"must be one of {', '.join(allowed)}")
        return value

    def line(self, key, within=None, field=None):
        value = (self.check if within is None else within).get(key)
        if not isinstance(value, str) or not value.strip() or "\n" in value.strip():
            self.fail(field or key, "must be one line of text")
        return value.strip()

    def integer(self, key, low, high, within, field=None, required=True):
        value = within.get(key)
        if value is None and not required:
            return None
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            self.fail(field or key, f"must be a whole number from {low} to {high}")
        return value

    def link(self):
        value = self.line("link")
        if not re.fullmatch(r"https?://[^\s]+", value):
            self.fail("link", "must be an http:// or https:// address")
        return value

    def test(self, kind, field):
        spec = self.check[kind]
        if not isinstance(spec, dict):
            self.fail(kind, "must be a mapping")
        for key in spec:
            if key not in TEST_KEYS[kind]:
                hint = " (it amends, with extends: default)" if key in AMEND_KEYS else ""
                self.fail(f"{kind}.{key}", f"unknown key{hint}")
        return getattr(self, f"_{kind}")(spec, kind, field)

    def pattern_set(self, spec, field):
        if not isinstance(spec, dict):
            self.fail(field, "must be a mapping with words and/or patterns")
        for key in spec:
            if key not in SET_KEYS:
                self.fail(f"{field}.{key}", "unknown key (words, patterns, case_sensitive)")
        case_sensitive = spec.get("case_sensitive", False)
        if not isinstance(case_sensitive, bool):
            self.fail(f"{field}.case_sensitive", "must be true or false")
        words, patterns = spec.get("words") or [], spec.get("patterns") or []
        for key, value in (("words", words), ("patterns", patterns)):
            if not isinstance(value, list):
                self.fail(f"{field}.{key}", "must be a list")
        try:
            source = pattern_set_source(words, patterns, case_sensitive)
        except PatternError as err:
            self.fail(f"{field}.{err.field}", err.problem)
        return {"source": source, "caseSensitive": case_sensitive}

    def message(self, spec, kind):
        if "message" not in spec:
            return self.line("hint")
        return self.line("message", spec, f"{kind}.message")

    def _existence(self, spec, kind, _field):
        return {"kind": kind, "pattern": self.pattern_set(spec, kind)}

    def _absence(self, spec, kind, _field):
        set_spec = {key: value for key, value in spec.items() if key != "message"}
        return {"kind": kind, "pattern": self.pattern_set(set_spec, kind),
                "message": self.message(spec, kind)}

    def _conditional(self, spec, kind, _field):
        return {"kind": kind, "if": self.pattern_set(spec.get("if"), f"{kind}.if"),
                "then": self.pattern_set(spec.get("then"), f"{kind}.then"),
                "within": self.integer("within", 1, MAX_WITHIN, spec, f"{kind}.within",
                                       required=False),
                "message": self.message(spec, kind)}

    def _metric(self, spec, kind, _field):
        low = self.integer("min_words", 0, 1_000_000, spec, f"{kind}.min_words", False)
        high = self.integer("max_words", 0, 1_000_000, spec, f"{kind}.max_words", False)
        if low is None and high is None:
            self.fail(kind, "give min_words, max_words or both")
        if low is not None and high is not None and low > high:
            self.fail(f"{kind}.max_words", "must not be below min_words")
        return {"kind": kind, "minWords": low, "maxWords": high}

    def _overlap(self, spec, kind, field):
        if field == "both":
            self.fail("field", "an overlap check looks at one field: problemStatement or"
                      " fsrNotes")
        source = self.choice("source", TEXT_FIELDS, spec, f"{kind}.source")
        if source == field:
            self.fail(f"{kind}.source", "must be the other field than the check's")
        terms = self.pattern_set(spec.get("terms", DEFAULT_TERMS), f"{kind}.terms")
        ignore = spec.get("ignore") or []
        if not isinstance(ignore, list) or not all(isinstance(w, str) for w in ignore):
            self.fail(f"{kind}.ignore", "must be a list of strings (quote yes, no, on and off)")
        if not terms["caseSensitive"]:
            ignore = [lower_ascii(word) for word in ignore]
        return {"kind": kind, "source": source, "terms": terms,
                "ignore": sorted(set(ignore)),
                "prefix": self.integer("prefix", 0, 40, spec, f"{kind}.prefix", False) or 0}
