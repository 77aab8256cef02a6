"""The rules a rubric's checks keep: every key and value checked, every
pattern set compiled to its source, and a RubricError naming the file, the
check and the field of the first that breaks one."""
import re

from ..config import ConfigError
from .patterns import CLASSES, WORD_START, PatternError, lower_ascii, pattern_set_source

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


def compile_rubric(document, path):
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
