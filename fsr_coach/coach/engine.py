"""The coach: a rubric's checks on a problem statement and FSR notes.

Stateless and deterministic. fsr_coach/web/static/coach/engine.js does the
same in the page, step for step, on the rubric it is served; the two give
identical answers (tests/test_coach_browser.py). Offsets are in Unicode
code points, end exclusive.

A check passes when every test it holds passes; a check whose fields hold
no word at all fails without being looked at (a blank passes nothing).
"""
from itertools import islice

from .patterns import lower_ascii


def evaluate(rubric, problem_statement, fsr_notes):
    """The coach's answer, as POST /api/coach returns it."""
    texts = {"problemStatement": _Text(problem_statement, rubric),
             "fsrNotes": _Text(fsr_notes, rubric)}
    checks, findings = [], []
    for check in rubric.checks:
        passed, found = _run_check(rubric, check, texts)
        checks.append({"id": check["id"], "field": check["field"], "title": check["title"],
                       "weight": check["weight"], "passed": passed, "hint": check["hint"]})
        findings += [_finding(check, texts[field], field, start, end, message)
                     for field, start, end, message in found]
    return {"rubric": {"name": rubric.name, "version": rubric.version},
            "score": score(checks), "checks": checks, "findings": findings}


def score(checks):
    """The passed checks' weight over all weights, 0-100, halves rounded up."""
    total = sum(check["weight"] for check in checks)
    passed = sum(check["weight"] for check in checks if check["passed"])
    return (200 * passed + total) // (2 * total)


class _Text:
    """One field's text, as written and with A-Z lowered."""

    def __init__(self, text, rubric):
        self.original = text
        self.lowered = lower_ascii(text)
        self.has_words = rubric.word_start.search(text) is not None

    def matched_by(self, pattern):
        return self.original if pattern["caseSensitive"] else self.lowered


def _run_check(rubric, check, texts):
    """(passed, [(field, start, end, message)]) of one check: its first
    ``max_findings`` findings, in the order of its tests and fields."""
    names = [name for name in _fields(check) if texts[name].has_words]
    if not names:
        return False, []
    passed, found = True, []
    for test in check["tests"]:
        room = rubric.max_findings - len(found)
        test_passed, test_found = _TESTS[test["kind"]](rubric, test, names, texts, room)
        passed = passed and test_passed
        found += test_found
    return passed, found


def _fields(check):
    return ("problemStatement", "fsrNotes") if check["field"] == "both" else (check["field"],)


def _first(findings, room):
    """(passed, the first ``room`` findings): no more are looked for, but
    one, to tell whether the test passes."""
    found = list(islice(findings, max(room, 1)))
    return not found, found[:room]


def _existence(rubric, test, names, texts, _room):
    pattern = rubric.pattern(test["pattern"])
    return any(pattern.search(texts[name].matched_by(test["pattern"])) for name in names), []


def _absence(rubric, test, names, texts, room):
    pattern = rubric.pattern(test["pattern"])
    return _first(((name, match.start(), match.end(), test["message"]) for name in names
                   for match in pattern.finditer(texts[name].matched_by(test["pattern"]))),
                  room)


def _conditional(rubric, test, names, texts, room):
    """Each match of ``if`` needs a match of ``then`` in the same field:
    anywhere, or, with ``within``, one starting at most ``within`` code
    points after its end."""
    return _first(_unfollowed(rubric, test, names, texts), room)


def _unfollowed(rubric, test, names, texts):
    trigger, then = rubric.pattern(test["if"]), rubric.pattern(test["then"])
    for name in names:
        following = None
        for match in trigger.finditer(texts[name].matched_by(test["if"])):
            following = following or _Following(then, texts[name].matched_by(test["then"]))
            if not following.holds(match.end(), test["within"]):
                yield name, match.start(), match.end(), test["message"]


class _Following:
    """Whether ``then`` matches after a trigger: asked about triggers in
    order, it searches each stretch of the text once."""

    def __init__(self, then, text):
        self.then, self.text = then, text
        self.anywhere = then.search(text) is not None
        # The first start of a match at or after where it was last searched from.
        self.start = 0 if self.anywhere else None

    def holds(self, end, within):
        if within is None or self.start is None:
            return self.anywhere
        if self.start < end:
            self.start = self.then.first_start(self.text, end)
        return self.start is not None and self.start <= end + within


def _metric(rubric, test, names, texts, _room):
    low, high = test["minWords"], test["maxWords"]
    words = (word for name in names for word in rubric.word_start.finditer(texts[name].original))
    # Counting stops as soon as the answer is known.
    count = sum(1 for _ in islice(words, high + 1 if high is not None else low))
    return (low is None or count >= low) and (high is None or count <= high), []


def _overlap(rubric, test, names, texts, _room):
    """Passes when the field names a term of the ``source`` field: terms
    agree when their first ``prefix`` code points do (all of them with 0)."""
    terms, ignore = rubric.pattern(test["terms"]), set(test["ignore"])
    prefix = test["prefix"] or None
    wanted = {term[:prefix] for term in terms.findall(
        texts[test["source"]].matched_by(test["terms"])) if term not in ignore}
    named = (match.group() for name in names
             for match in terms.finditer(texts[name].matched_by(test["terms"])))
    return any(term not in ignore and term[:prefix] in wanted for term in named), []


_TESTS = {"existence": _existence, "absence": _absence, "conditional": _conditional,
          "metric": _metric, "overlap": _overlap}


def _finding(check, text, field, start, end, message):
    match = text.original[start:end]
    return {"check": check["id"], "field": field, "severity": check["severity"],
            "message": message.replace("{match}", match), "start": start, "end": end,
            "match": match}
