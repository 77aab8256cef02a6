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
from .char_classes import CLASSES, WORD_START, compile_source, lower_ascii, starts_source
from .sets import anchors, pattern_set_source
from .syntax import MAX_REPEAT, PatternError

__all__ = [
    "CLASSES", "MAX_REPEAT", "WORD_START", "PatternError", "anchors", "compile_source",
    "lower_ascii", "pattern_set_source", "starts_source",
]
