"""The rubric's patterns (fsr_coach/coach/patterns/): whole words, the
subset both engines run alike, and what it refuses, with the reason."""
import pytest

from coach_corpus import corpus
from fsr_coach.coach.patterns import (
    MAX_REPEAT,
    PatternError,
    anchors,
    compile_source,
    lower_ascii,
    pattern_set_source,
)
from fsr_coach.coach.rubric import Pattern, load_rubric


def matches(text, words=(), patterns=(), case_sensitive=False):
    """What a pattern set finds in ``text``, matched as the coach does."""
    source = pattern_set_source(words, patterns, case_sensitive)
    seen = text if case_sensitive else lower_ascii(text)
    return [match.group() for match in compile_source(source).finditer(seen)]


def refusal(pattern, case_sensitive=False):
    with pytest.raises(PatternError) as refused:
        pattern_set_source(patterns=[pattern], case_sensitive=case_sensitive)
    return refused.value


# --- word lists ---------------------------------------------------------------------

def test_a_word_matches_only_a_whole_word():
    assert matches("broken, unbroken, brokenness, broken_", words=["broken"]) == ["broken"]


def test_a_word_next_to_an_emoji_or_punctuation_is_a_whole_word():
    assert matches("😀broken😀 (broken) «broken»", words=["broken"]) == ["broken"] * 3


def test_accented_letters_and_combining_marks_belong_to_their_word():
    assert matches("cafébroken brokené broken\u0301 broken", words=["broken"]) == ["broken"]


def test_a_phrase_matches_one_to_three_spaces_tabs_or_no_break_spaces():
    text = "not working, not\t\u00a0working, not    working, not\nworking"
    assert matches(text, words=["not working"]) == ["not working", "not\t\u00a0working",
                                                     "not\nworking"]


def test_an_apostrophe_in_a_word_matches_a_straight_or_a_curly_one():
    assert matches("doesn't work, doesn’t work", words=["doesn't work"]) == [
        "doesn't work", "doesn’t work"]


def test_words_match_a_to_z_in_either_case():
    assert matches("Broken BROKEN bRoKeN", words=["BROKEN"]) == ["broken"] * 3


def test_words_match_other_letters_in_either_case_too():
    assert matches("Überhitzt ÜBERHITZT überhitzt", words=["überhitzt"]) == [
        "Überhitzt", "Überhitzt", "überhitzt"]


def test_a_case_sensitive_word_matches_only_as_written():
    assert matches("PM pm Pm", words=["PM"], case_sensitive=True) == ["PM"]


def test_a_longer_phrase_is_found_before_its_first_word():
    assert matches("it is not working", words=["not", "not working"]) == ["not working"]


def test_a_word_that_yaml_read_as_true_or_false_is_refused():
    with pytest.raises(PatternError, match="quote yes, no, on and off") as refused:
        pattern_set_source(words=["ok", True])
    assert refused.value.field == "words[1]"


# --- patterns --------------------------------------------------------------------------

def test_a_pattern_matches_whole_words_too():
    assert matches("xj-200 axj-200 xj-2000", patterns=["[a-z]{2}-[0-9]{3}"]) == ["xj-200"]


def test_word_and_space_macros_stand_for_the_same_classes_as_the_boundaries():
    assert matches("é\u00a0x ab x", patterns=["[{word}]{1,2}[{space}]x"]) == ["é\u00a0x",
                                                                              "ab x"]


def test_a_pattern_in_lower_case_matches_capitals():
    assert matches("Alarm 17", patterns=["alarm [0-9]{1,3}"]) == ["alarm 17"]


@pytest.mark.parametrize("pattern, reason", [
    (".", ". is not allowed"),
    ("^x", "^ is not allowed"),
    ("x$", "$ is not allowed"),
    ("x*", "* is not allowed (unbounded)"),
    ("x+", "+ is not allowed (unbounded)"),
    ("x{2,}", "{n,} is not allowed (unbounded)"),
    ("x{,2}", "{,n} is not allowed"),
    ("\\d", "\\d is not allowed (its meaning differs"),
    ("\\w", "\\w is not allowed (its meaning differs"),
    ("\\s", "\\s is not allowed (its meaning differs"),
    ("\\bx", "\\b is not allowed (its meaning differs"),
    ("(x)\\1", "back-references are not allowed"),
    ("\\x41", "\\x is not allowed"),
    ("\\p{L}", "\\p is not allowed"),
    ("\\-", "\\- is not allowed"),
    ("(?P<n>x)", "only (...), (?:...)"),
    ("(?i)x", "only (...), (?:...)"),
    ("(?>x)", "only (...), (?:...)"),
    ("x{1,2}+", "a repetition cannot repeat"),
    ("x??+", "a repetition cannot repeat"),
    ("[]", "an empty class matches nothing"),
    ("[a", "missing ]"),
    ("[1é -", "missing ]"),
    ("[a-c-e]", "a literal - in a class goes first or last"),
    ("[z-a]", "runs backwards"),
    ("[[]", "write \\[ for a literal ["),
    ("x]", "write \\] for a literal ]"),
    ("x}", "write \\} for a literal }"),
    ("{x", "a { that is not a repetition or macro"),
    ("\\ud83d", "\\u of a surrogate"),
    ("X", "write letters in lower case"),
    ("[A-Z]", "write letters in lower case"),
    ("(?:x{1,2}){2}", "a repeated group may not hold a repetition"),
    ("(?=x){2}", "a look-around cannot repeat"),
    ("(?<=x{1,2})y", "a look-behind must match a fixed number of characters"),
    ("x|", "can match empty text"),
    ("(?=x)", "can match empty text"),
    ("(x", "missing )"),
    ("x)", "unbalanced )"),
])
def test_a_construct_outside_the_subset_is_refused_with_its_reason(pattern, reason):
    assert reason in refusal(pattern).problem


def test_a_refusal_says_where_in_the_pattern():
    assert "(at 5 in 'ab c*')" in refusal("ab c*").problem


def test_repetitions_are_bounded_at_100():
    assert matches("x" * MAX_REPEAT, patterns=[f"x{{{MAX_REPEAT}}}"]) == ["x" * MAX_REPEAT]
    assert f"repetitions go up to {MAX_REPEAT}" in refusal(f"x{{{MAX_REPEAT + 1}}}").problem


def test_a_set_that_may_match_in_too_many_ways_from_one_position_is_refused():
    # Alternatives that begin one another, repeated: 4 + 4**2 + ... + 4**9 ways.
    with pytest.raises(PatternError, match="may match in 349524 ways"):
        pattern_set_source(patterns=["(?:a|ab|abc|abcd){1,9}"])


def test_alternatives_that_exclude_one_another_may_repeat():
    assert matches("abcd", patterns=["(?:a|b|c|d){1,9}"]) == ["abcd"]


def test_the_refusal_names_the_pattern_s_place_in_the_set():
    with pytest.raises(PatternError) as refused:
        pattern_set_source(words=["fine"], patterns=["ok", "x+"])
    assert refused.value.field == "patterns[1]"


def test_a_case_sensitive_pattern_may_hold_capitals():
    assert matches("PM pm", patterns=["P[A-Z]"], case_sensitive=True) == ["PM"]


# --- what the engines rely on -------------------------------------------------------------

def test_lowering_a_to_z_changes_no_other_character_and_no_offset():
    text = "ÀB İ Ω Straße ǅ 😀 Z"
    assert lower_ascii(text) == "Àb İ Ω straße ǅ 😀 z"
    assert len(lower_ascii(text)) == len(text)


def test_anchors_are_strings_each_match_holds_one_of():
    # Of "e" or "f", and "-", the one string is the more telling.
    source = pattern_set_source(words=["not working", "broken"], patterns=["(?:e|f)-[0-9]"])
    assert anchors(source) == {"working", "broken", "-"}


def test_a_class_of_a_few_characters_gives_each_as_an_anchor():
    assert anchors(pattern_set_source(patterns=["[0-9]{1,3}"])) == set("0123456789")


def test_a_set_with_a_pattern_that_may_hold_any_letter_has_no_anchors():
    assert anchors(pattern_set_source(words=["broken"], patterns=["[a-z]{1,3}"])) is None


def test_a_text_without_the_anchors_is_skipped_and_one_with_them_searched():
    pattern = Pattern(pattern_set_source(words=["not working"]))
    assert pattern.anchors == {"working"}
    assert list(pattern.finditer("it does not run")) == []
    assert [m.group() for m in pattern.finditer("it is not  working")] == ["not  working"]


def test_the_anchors_never_skip_a_text_a_pattern_of_the_default_rubric_matches():
    rubric = load_rubric()
    served = [test[key] for check in rubric.checks for test in check["tests"]
              for key in ("pattern", "if", "then", "terms") if key in test]
    for _name, problem, notes in corpus():
        for text in (lower_ascii(problem), lower_ascii(notes)):
            for pattern in map(rubric.pattern, served):
                assert [m.span() for m in pattern.finditer(text)] == [
                    m.span() for m in pattern.regex.finditer(text)], (pattern.anchors, text)
