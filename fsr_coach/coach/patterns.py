"""The rubric's patterns: a subset of regular expressions that Python's ``re``
and JavaScript's ``RegExp`` (with the ``u`` flag) run identically, and that
cannot backtrack catastrophically (docs/decisions/006-coach-patterns.md).

A pattern set (``words`` and ``patterns``) becomes one regular expression's
source, whole words only: ``(?<![{word}])(?:...)(?![{word}])``. The sources
keep the macros ``{word}`` and ``{space}``, which both engines replace with
the same explicit character ranges (``CLASSES``) before compiling; the
rubric the page gets carries those ranges, so the two never differ.

Matching ignores the case of A-Z only: the text is matched with A-Z mapped
to a-z (``lower_ascii``), so a pattern must be written in lower case, unless
its set says ``case_sensitive: true``. Word lists match other letters in
either case.
"""
import re
import unicodedata

# Repetitions are bounded, so that a match tried at one position does a
# bounded amount of work; the whole text then costs time linear in its length.
MAX_REPEAT = 100
# An upper bound on the ways one pattern set may match from one position.
MAX_PATHS = 100_000
# Escapes a pattern may use besides \uXXXX: each is a literal in both engines.
SYNTAX = "^$\\.*+?()[]{}|/"
CONTROL_ESCAPES = {"n": "\n", "t": "\t", "r": "\r"}
MACROS = ("word", "space")
# Said instead of "not allowed" when a pattern uses these.
SHORTHANDS = {
    "d": "[0-9]", "w": "{word}", "s": "{space}", "D": "[^0-9]", "W": "[^{word}]",
    "S": "[^{space}]", "b": "(?<![{word}]) or (?![{word}])",
    "B": "a lookaround", "A": "nothing (patterns match anywhere)", "Z": "(?![{word}])",
}


def _word_ranges():
    """A-Z, a-z, 0-9, _ and every code point of the Basic Multilingual Plane
    that Unicode calls a letter, a mark or a decimal digit, as class ranges;
    unassigned code points between two such are let in, to keep the list
    short. Characters beyond the BMP (emoji) are never word characters."""
    # One letter per code point: w(ord), u(nassigned), n(either).
    kinds = "".join(_kind(code) for code in range(0x10000))
    return "".join(_class_char(chr(run.start())) + (
        "" if run.end() - run.start() == 1 else "-" + _class_char(chr(run.end() - 1)))
        for run in re.finditer("w(?:u*w)*", kinds))


def _kind(code):
    if 0xD800 <= code <= 0xDFFF:
        return "n"
    category = unicodedata.category(chr(code))
    if code == 0x5F or category[0] in "LM" or category == "Nd":
        return "w"
    return "u" if category == "Cn" else "n"


def _class_char(char):
    """A character as it stands inside [...] in both engines."""
    if char.isascii() and char.isalnum() or char == "_":
        return char
    return f"\\u{ord(char):04x}"


# Unicode's White_Space characters.
_SPACE = "\t\n\u000b\u000c\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
CLASSES = {
    "word": _word_ranges(),
    "space": "".join("-" if char == "-" else _class_char(char) for char in _SPACE),
}
WORD_START = "(?<![{word}])[{word}]"


class PatternError(ValueError):
    """A pattern outside the subset; ``field`` says where, relative to the
    pattern set (``patterns[2]``, ``words[0]``)."""

    def __init__(self, field, problem):
        super().__init__(problem)
        self.field = field
        self.problem = problem


def expand(source):
    """The source as both engines compile it: the macros replaced."""
    for name, ranges in CLASSES.items():
        source = source.replace("{" + name + "}", ranges)
    return source


def compile_source(source):
    return re.compile(expand(source))


def starts_source(source):
    """A source that matches, empty, wherever ``source`` can start a match:
    every such position, where a search would give only the leftmost."""
    return f"(?=(?:{source}))"


def lower_ascii(text):
    """The text with A-Z mapped to a-z and nothing else changed (its length
    and every offset stay)."""
    return text.translate(_ASCII_LOWER)


_ASCII_LOWER = "".join(chr(code + 32) if 65 <= code <= 90 else chr(code) for code in range(128))


def pattern_set_source(words=(), patterns=(), case_sensitive=False):
    """One whole-words regular expression source for a set, or a PatternError."""
    parsed = [(f"words[{index}]", _parse_word(word, case_sensitive, f"words[{index}]"))
              for index, word in enumerate(words)]
    # Longest first: "not working" is found, not only "not".
    parsed.sort(key=lambda pair: -len(pair[1].source))
    paths = _word_paths(words) if words else 0
    for index, pattern in enumerate(patterns):
        node = _Parser(pattern, case_sensitive, f"patterns[{index}]").parse()
        parsed.append((f"patterns[{index}]", node))
        paths += node.paths
    if not parsed:
        raise PatternError("words", "give at least one word or pattern")
    if paths > MAX_PATHS:
        raise PatternError("patterns", f"the set may match in {paths} ways from one"
                           f" position (at most {MAX_PATHS}): split or bound it")
    body = "|".join(node.source for _field, node in parsed)
    source = f"(?<![{{word}}])(?:{body})(?![{{word}}])"
    try:
        compile_source(source)
    except re.error as err:
        # Compiled one by one only now: each compile of {word} takes a while.
        field = next((field for field, node in parsed if not _compiles(node.source)), "words")
        raise PatternError(field, f"Python cannot compile it: {err}") from None
    return source


def _compiles(source):
    try:
        compile_source(source)
    except re.error:
        return False
    return True


def anchors(source, most=64):
    """Strings of which every match of the source holds one, or None when no
    set of at most ``most`` is known: where none of them is in a text, the
    source cannot match it."""
    found = _anchors(_Parser(source, True, "source").parse())
    return frozenset(found) if found and len(found) <= most else None


def _anchors(node):
    if node.literal:
        return {node.literal}
    if node.kind == "class":
        return node.members
    if node.kind == "alt":
        branches = [_anchors(branch) for branch in node.parts]
        return None if None in branches else set().union(*branches)
    if node.kind == "group" or (node.kind == "repeat" and node.low_count):
        return _anchors(node.parts[0])
    if node.kind != "seq":
        return None
    # Each run of fixed characters, and each part's own anchors, must all be
    # in a match: the most telling of them serves (longest, then fewest).
    candidates, run = [], ""
    for part in node.parts:
        if part.literal:
            run += part.literal
            continue
        candidates += [{run}] if run else []
        run = ""
        found = _anchors(part)
        candidates += [found] if found else []
    candidates += [{run}] if run else []
    return max(candidates, key=lambda c: (min(map(len, c)), -len(c)), default=None)


def _quantifier(low, high, lazy):
    if (low, high) == (1, 1):
        return ""
    text = "?" if (low, high) == (0, 1) else f"{{{low}}}" if low == high else f"{{{low},{high}}}"
    return text + ("?" if lazy else "")


def _word_paths(words):
    """How many of the words may match from one position: those that begin
    one another, times the ways their spaces may match."""
    phrases = [" ".join(word.split()).lower() for word in words]
    spaces = max(phrase.count(" ") for phrase in phrases)
    return _longest_prefix_chain(phrases) * 3 ** spaces


def _longest_prefix_chain(strings):
    return max(sum(1 for other in strings if string.startswith(other)) for string in strings)


def _parse_word(word, case_sensitive, field):
    """A literal phrase as a parsed pattern: each run of spaces matches 1-3
    whitespace characters and an apostrophe either ' or ’."""
    if not isinstance(word, str) or not word.strip():
        raise PatternError(field, "must be a non-empty string (quote yes, no, on and off:"
                           " YAML reads them as true or false)")
    parts = []
    for run in re.findall(r" +|[^ ]", word.strip()):
        if run.startswith(" "):
            parts.append("[{space}]{1,3}")
        elif run in "'’":
            parts.append("['’]")
        elif case_sensitive:
            parts.append(_literal(run))
        else:
            parts.append(_either_case(run))
    # Its letters are already in the cases it matches.
    return _Parser("".join(parts), True, field).parse()


def _either_case(char):
    if "A" <= char <= "Z" or "a" <= char <= "z":
        return char.lower()
    lower, upper = char.lower(), char.upper()
    if char.isascii() or lower == upper or len(lower) != 1 or len(upper) != 1:
        return _literal(char)
    return f"[{_class_char(lower)}{_class_char(upper)}]"


def _literal(char):
    """A character as it stands outside [...] in both engines."""
    if char in SYNTAX:
        return "\\" + char
    if ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F:
        return f"\\u{ord(char):04x}"
    return char


class _Node:
    """A parsed piece of a pattern: its kind (char, class, group, look, alt,
    seq, repeat), normalized source and parts; how many characters it
    matches (low, high); whether it holds a repetition; how many ways it may
    match from one position; and, when fixed, the text it matches."""

    def __init__(self, kind, source, low, high, parts=(), repeats=False, paths=1,
                 literal=None):
        self.kind, self.source, self.parts = kind, source, list(parts)
        self.low, self.high, self.repeats, self.paths = low, high, repeats, paths
        self.literal = literal
        # A class's characters when they are few, else None.
        self.members = None


class _Parser:
    """A recursive-descent parser of the subset; it refuses, with a reason,
    everything outside it."""

    def __init__(self, pattern, case_sensitive, field):
        if not isinstance(pattern, str) or not pattern:
            raise PatternError(field, "must be a non-empty string")
        # Where the character or token being read starts, for error messages.
        self.text, self.at, self.token = pattern, 0, 0
        self.case_sensitive, self.field = case_sensitive, field

    def parse(self):
        node = self._alternation()
        if self.at < len(self.text):
            self.token = self.at
            self._fail("unbalanced )")
        if node.low == 0:
            self._fail("can match empty text: every match must hold at least one character",
                       whole=True)
        return node

    def _fail(self, problem, whole=False):
        where = "" if whole else f"at {self.token + 1} in "
        raise PatternError(self.field, f"{problem} ({where}{self.text!r})")

    def _peek(self, length=1):
        return self.text[self.at:self.at + length]

    def _alternation(self):
        branches = [self._sequence()]
        while self._peek() == "|":
            self.at += 1
            branches.append(self._sequence())
        if len(branches) == 1:
            return branches[0]
        literals = [b.literal for b in branches if b.literal is not None]
        # Of fixed alternatives, only those that begin one another match together.
        paths = (_longest_prefix_chain(literals) if literals else 0) + sum(
            b.paths for b in branches if b.literal is None)
        return _Node("alt", "|".join(b.source for b in branches),
                     min(b.low for b in branches), max(b.high for b in branches), branches,
                     any(b.repeats for b in branches), paths)

    def _sequence(self):
        items = []
        while self.at < len(self.text) and self._peek() not in "|)":
            items.append(self._quantified(self._atom()))
        paths = 1
        for item in items:
            paths *= item.paths
        literals = [i.literal for i in items]
        return _Node("seq", "".join(i.source for i in items), sum(i.low for i in items),
                     sum(i.high for i in items), items, any(i.repeats for i in items), paths,
                     None if None in literals else "".join(literals))

    def _atom(self):
        self.token = self.at
        char = self._peek()
        if char == "(":
            return self._group()
        if char == "[":
            return self._class()
        if char == "\\":
            return self._char(self._escape(in_class=False))
        if char == "{" and self._macro_ahead():
            return _Node("class", f"[{self._macro()}]", 1, 1)
        problems = {
            ".": ". is not allowed (its line endings differ): use a class such as [^\\n]",
            "^": "^ is not allowed (^ and $ differ at line ends): patterns match anywhere",
            "$": "$ is not allowed (^ and $ differ at line ends): use (?![{word}])",
            "?": "nothing to repeat",
            "*": "nothing to repeat",
            "+": "nothing to repeat",
            "{": "a { that is not a repetition or macro: write \\{",
            "}": "write \\} for a literal }",
            "]": "write \\] for a literal ]",
        }
        if char in problems:
            self._fail(problems[char])
        self.at += 1
        return self._char(char)

    def _char(self, char):
        if not self.case_sensitive and "A" <= char <= "Z":
            self._fail(_UPPER_CASE.format(char=char))
        return _Node("char", _literal(char), 1, 1, literal=char)

    def _macro_ahead(self):
        return any(self.text.startswith("{" + name + "}", self.at) for name in MACROS)

    def _macro(self):
        name = next(n for n in MACROS if self.text.startswith("{" + n + "}", self.at))
        self.at += len(name) + 2
        return "{" + name + "}"

    def _escape(self, in_class):
        self.at += 1
        char = self._peek()
        if not char:
            self._fail("a pattern may not end in \\")
        self.at += 1
        if char in SYNTAX or (in_class and char == "-"):
            return char
        if char in CONTROL_ESCAPES:
            return CONTROL_ESCAPES[char]
        if char == "u":
            digits = self._peek(4)
            if not re.fullmatch(r"[0-9a-fA-F]{4}", digits):
                self._fail("\\u takes four hex digits")
            self.at += 4
            code = int(digits, 16)
            if 0xD800 <= code <= 0xDFFF:
                self._fail("\\u of a surrogate: write the character itself")
            return chr(code)
        if char in SHORTHANDS:
            self._fail(f"\\{char} is not allowed (its meaning differs between Python and"
                       f" JavaScript): use {SHORTHANDS[char]}")
        if char.isdigit():
            self._fail("back-references are not allowed")
        self._fail(f"\\{char} is not allowed: escape only {SYNTAX} (and - in a class),"
                   " or use \\n, \\t, \\r, \\uXXXX")
    def _group(self):
        self.at += 1
        opener = next((o for o in ("?:", "?=", "?!", "?<=", "?<!")
                       if self.text.startswith(o, self.at)), "")
        if not opener and self._peek() == "?":
            self._fail("only (...), (?:...), (?=...), (?!...), (?<=...) and (?<!...) groups"
                       " are allowed")
        self.at += len(opener)
        inner = self._alternation()
        if self._peek() != ")":
            self._fail("missing )")
        self.at += 1
        source = f"({opener}{inner.source})"
        if opener in ("?:", ""):
            group = _Node("group", source, inner.low, inner.high, [inner], inner.repeats,
                          inner.paths, inner.literal)
            group.opener = opener
            return group
        if opener.startswith("?<") and inner.low != inner.high:
            self._fail("a look-behind must match a fixed number of characters")
        return _Node("look", source, 0, 0, [inner], inner.repeats, inner.paths)

    def _class(self):
        self.at += 1
        negated = self._peek() == "^"
        self.at += negated
        items = []
        while self._peek() != "]":
            if not self._peek():
                self._fail("missing ]")
            items.append(self._class_item(first=not items))
        if not items:
            self._fail("an empty class matches nothing")
        self.at += 1
        node = _Node("class", f"[{'^' if negated else ''}{''.join(s for s, _m in items)}]", 1, 1)
        members = None if negated else _joined(m for _s, m in items)
        # A class of a few characters: a match holds one of them.
        node.members = set(members) if members and len(set(members)) <= 16 else None
        return node

    def _class_item(self, first):
        """(source, the characters it stands for, or None for a macro or a
        long range)."""
        if self._peek() == "{" and self._macro_ahead():
            return self._macro(), None
        start = self.at
        low = self._class_char()
        if self._peek() == "-" and not self.text.startswith("-]", self.at):
            self.at += 1
            high = self._class_char()
            if ord(high) < ord(low):
                self._fail(f"the range {low}-{high} runs backwards")
            members = ("".join(map(chr, range(ord(low), ord(high) + 1)))
                       if ord(high) - ord(low) < 16 else None)
            return f"{_class_source(low)}-{_class_source(high)}", members
        if self.text[start] == "-" and not first and self._peek() != "]":
            self._fail("a literal - in a class goes first or last, or as \\-")
        return _class_source(low), low

    def _class_char(self):
        self.token = self.at
        char = self._peek()
        if char == "\\":
            char = self._escape(in_class=True)
        elif char == "[":
            self._fail("write \\[ for a literal [ in a class")
        elif char == "{" and self._macro_ahead():
            self._fail("a macro cannot end a range")
        else:
            self.at += 1
        if not self.case_sensitive and "A" <= char <= "Z":
            self._fail(_UPPER_CASE.format(char=char))
        return char

    def _quantified(self, node):
        bounds = self._bounds()
        if bounds is None:
            return node
        low, high = bounds
        if node.kind == "look":
            self._fail("a look-around cannot repeat")
        if high > 1 and node.repeats:
            self._fail("a repeated group may not hold a repetition (it could backtrack"
                       " exponentially): repeat its parts instead")
        lazy = self._peek() == "?"
        self.at += lazy
        self.token = self.at
        if self._peek() in ("*", "+", "?") or re.match(r"\{[0-9,]", self._peek(2)):
            self._fail("a repetition cannot repeat (possessive and doubled repetitions"
                       " are not allowed)")
        paths = sum(node.paths ** count for count in range(low, high + 1))
        repeat = _Node("repeat", node.source + _quantifier(low, high, lazy), node.low * low,
                       node.high * high, [node], True, paths)
        repeat.low_count, repeat.high_count, repeat.lazy = low, high, lazy
        return repeat

    def _bounds(self):
        """(low, high) of the repetition that follows, if any; moves past it."""
        self.token = self.at
        char = self._peek()
        if char in ("*", "+"):
            self._fail(f"{char} is not allowed (unbounded): give a range such as {{1,20}}")
        if char == "?":
            self.at += 1
            return (0, 1)
        match = _REPETITION.match(self.text, self.at)
        if match is None:
            return None
        low, comma, high = match.groups()
        if not low:
            self._fail("{,n} is not allowed (JavaScript refuses it): write {0,n}")
        if comma and not high:
            self._fail("{n,} is not allowed (unbounded): give an upper bound")
        low, high = int(low), int(high) if comma else int(low)
        if high > MAX_REPEAT:
            self._fail(f"repetitions go up to {MAX_REPEAT}")
        if high < low or high == 0:
            self._fail(f"the repetition {match.group()} is empty or backwards")
        self.at = match.end()
        return (low, high)


_REPETITION = re.compile(r"\{([0-9]{0,4})(,?)([0-9]{0,4})\}")
_UPPER_CASE = ("{char!r}: write letters in lower case (A-Z match either case;"
               " set case_sensitive: true to match case)")


def _joined(parts):
    """The parts joined, or None when one of them is None."""
    parts = list(parts)
    return None if None in parts else "".join(parts)


def _class_source(char):
    """A class member as both engines read it inside [...]."""
    if char in "\\]-^[":
        return "\\" + char
    if char in "&~|" or not char.isprintable() or (char.isspace() and char != " "):
        return f"\\u{ord(char):04x}"
    return char
