"""A pattern set (``words`` and ``patterns``) as one whole-words source, and
the anchors that let a text without them go unscanned."""
import re

from .char_classes import class_char, compile_source
from .parser import Parser
from .syntax import PatternError, literal_source, longest_prefix_chain

# An upper bound on the ways one pattern set may match from one position.
MAX_PATHS = 100_000


def pattern_set_source(words=(), patterns=(), case_sensitive=False):
    """One whole-words regular expression source for a set, or a PatternError."""
    parsed = [(f"words[{index}]", _parse_word(word, case_sensitive, f"words[{index}]"))
              for index, word in enumerate(words)]
    # Longest first: "not working" is found, not only "not".
    parsed.sort(key=lambda pair: -len(pair[1].source))
    paths = _word_paths(words) if words else 0
    for index, pattern in enumerate(patterns):
        node = Parser(pattern, case_sensitive, f"patterns[{index}]").parse()
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
    found = _anchors(Parser(source, True, "source").parse())
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


def _word_paths(words):
    """How many of the words may match from one position: those that begin
    one another, times the ways their spaces may match."""
    phrases = [" ".join(word.split()).lower() for word in words]
    spaces = max(phrase.count(" ") for phrase in phrases)
    return longest_prefix_chain(phrases) * 3 ** spaces


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
            parts.append(literal_source(run))
        else:
            parts.append(_either_case(run))
    # Its letters are already in the cases it matches.
    return Parser("".join(parts), True, field).parse()


def _either_case(char):
    if "A" <= char <= "Z" or "a" <= char <= "z":
        return char.lower()
    lower, upper = char.lower(), char.upper()
    if char.isascii() or lower == upper or len(lower) != 1 or len(upper) != 1:
        return literal_source(char)
    return f"[{class_char(lower)}{class_char(upper)}]"
