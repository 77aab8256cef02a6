"""The subset's pieces: what a pattern may escape, the reasons it gives for
what it refuses, the parsed node, and how a character stands in a source
both engines read alike."""

# Repetitions are bounded, so that a match tried at one position does a
# bounded amount of work; the whole text then costs time linear in its length.
MAX_REPEAT = 100
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
# Said when a pattern uses these characters outside a class.
REFUSED = {
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
UPPER_CASE = ("{char!r}: write letters in lower case (A-Z match either case;"
              " set case_sensitive: true to match case)")


class PatternError(ValueError):
    """A pattern outside the subset; ``field`` says where, relative to the
    pattern set (``patterns[2]``, ``words[0]``)."""

    def __init__(self, field, problem):
        super().__init__(problem)
        self.field = field
        self.problem = problem


class Node:
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


def literal_source(char):
    """A character as it stands outside [...] in both engines."""
    if char in SYNTAX:
        return "\\" + char
    if ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F:
        return f"\\u{ord(char):04x}"
    return char


def quantifier(low, high, lazy):
    if (low, high) == (1, 1):
        return ""
    text = "?" if (low, high) == (0, 1) else f"{{{low}}}" if low == high else f"{{{low},{high}}}"
    return text + ("?" if lazy else "")


def class_source(char):
    """A class member as both engines read it inside [...]."""
    if char in "\\]-^[":
        return "\\" + char
    if char in "&~|" or not char.isprintable() or (char.isspace() and char != " "):
        return f"\\u{ord(char):04x}"
    return char


def longest_prefix_chain(strings):
    return max(sum(1 for other in strings if string.startswith(other)) for string in strings)
