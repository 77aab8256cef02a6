"""The classes ``{word}`` and ``{space}`` as explicit ranges, and the text
both engines compile and match: the macros expanded, A-Z mapped to a-z."""
import re
import unicodedata


def _word_ranges():
    """A-Z, a-z, 0-9, _ and every code point of the Basic Multilingual Plane
    that Unicode calls a letter, a mark or a decimal digit, as class ranges;
    unassigned code points between two such are let in, to keep the list
    short. Characters beyond the BMP (emoji) are never word characters."""
    # One letter per code point: w(ord), u(nassigned), n(either).
    kinds = "".join(_kind(code) for code in range(0x10000))
    return "".join(class_char(chr(run.start())) + (
        "" if run.end() - run.start() == 1 else "-" + class_char(chr(run.end() - 1)))
        for run in re.finditer("w(?:u*w)*", kinds))


def _kind(code):
    if 0xD800 <= code <= 0xDFFF:
        return "n"
    category = unicodedata.category(chr(code))
    if code == 0x5F or category[0] in "LM" or category == "Nd":
        return "w"
    return "u" if category == "Cn" else "n"


def class_char(char):
    """A character as it stands inside [...] in both engines."""
    if char.isascii() and char.isalnum() or char == "_":
        return char
    return f"\\u{ord(char):04x}"


# Unicode's White_Space characters.
_SPACE = "\t\n\u000b\u000c\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
CLASSES = {
    "word": _word_ranges(),
    "space": "".join("-" if char == "-" else class_char(char) for char in _SPACE),
}
WORD_START = "(?<![{word}])[{word}]"


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
