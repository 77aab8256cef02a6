"""The parser of the subset: a pattern in, a Node (with what it matches
and how many ways) out, or a PatternError with the reason and position."""
import re

from .syntax import (
    CONTROL_ESCAPES,
    MACROS,
    MAX_REPEAT,
    REFUSED,
    SHORTHANDS,
    SYNTAX,
    UPPER_CASE,
    Node,
    PatternError,
    class_source,
    literal_source,
    longest_prefix_chain,
    quantifier,
)


class Parser:
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
        paths = (longest_prefix_chain(literals) if literals else 0) + sum(
            b.paths for b in branches if b.literal is None)
        return Node("alt", "|".join(b.source for b in branches),
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
        return Node("seq", "".join(i.source for i in items), sum(i.low for i in items),
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
            return Node("class", f"[{self._macro()}]", 1, 1)
        if char in REFUSED:
            self._fail(REFUSED[char])
        self.at += 1
        return self._char(char)

    def _char(self, char):
        if not self.case_sensitive and "A" <= char <= "Z":
            self._fail(UPPER_CASE.format(char=char))
        return Node("char", literal_source(char), 1, 1, literal=char)

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
            group = Node("group", source, inner.low, inner.high, [inner], inner.repeats,
                          inner.paths, inner.literal)
            group.opener = opener
            return group
        if opener.startswith("?<") and inner.low != inner.high:
            self._fail("a look-behind must match a fixed number of characters")
        return Node("look", source, 0, 0, [inner], inner.repeats, inner.paths)

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
        node = Node("class", f"[{'^' if negated else ''}{''.join(s for s, _m in items)}]", 1, 1)
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
            return f"{class_source(low)}-{class_source(high)}", members
        if self.text[start] == "-" and not first and self._peek() != "]":
            self._fail("a literal - in a class goes first or last, or as \\-")
        return class_source(low), low

    def _class_char(self):
        self.token = self.at
        char = self._peek()
        if not char:
            self._fail("missing ]")
        if char == "\\":
            char = self._escape(in_class=True)
        elif char == "[":
            self._fail("write \\[ for a literal [ in a class")
        elif char == "{" and self._macro_ahead():
            self._fail("a macro cannot end a range")
        else:
            self.at += 1
        if not self.case_sensitive and "A" <= char <= "Z":
            self._fail(UPPER_CASE.format(char=char))
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
        repeat = Node("repeat", node.source + quantifier(low, high, lazy), node.low * low,
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


def _joined(parts):
    """The parts joined, or None when one of them is None."""
    parts = list(parts)
    return None if None in parts else "".join(parts)
