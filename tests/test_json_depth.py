"""The JSON depth check that runs before any body is parsed
(fsr_coach/request_body.py): exact on valid JSON, never below the depth the
parser would reach on malformed JSON, and never recursive."""
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fsr_coach.request_body import MAX_JSON_DEPTH, nested_deeper_than


def depth(value):
    """How deeply arrays and objects nest in a parsed value, counted without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, (list, dict)):
            deepest = max(deepest, level)
            stack.extend((child, level + 1) for child in
                         (item.values() if isinstance(item, dict) else item))
    return deepest


# Strings full of the characters the check must see through.
TRICKY_TEXT = st.text(alphabet='[]{}"\\,: ab\u00e9\U0001F600', max_size=8)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | TRICKY_TEXT,
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(TRICKY_TEXT, children, max_size=3),
    max_leaves=40)


@settings(max_examples=400, deadline=None)
@given(JSON_VALUES, st.integers(min_value=0, max_value=12))
def test_the_check_is_exact_on_valid_json(value, most):
    text = json.dumps(value, ensure_ascii=False).encode("utf-8")
    assert nested_deeper_than(text, most) == (depth(value) > most)


@pytest.mark.parametrize("text", [
    b'{"a": "' + b"[" * 100 + b'"}',
    b'["\\"' + b"[" * 100 + b'"]',
    b'{"' + b"{" * 100 + b'": 1}',
], ids=["brackets_in_a_string", "after_an_escaped_quote", "in_a_key"])
def test_brackets_inside_strings_do_not_count(text):
    assert not nested_deeper_than(text, MAX_JSON_DEPTH)


def test_an_escaped_backslash_ends_no_string_early():
    deep = b"[" * 65 + b"]" * 65
    assert nested_deeper_than(b'["\\\\", ' + deep + b"]", MAX_JSON_DEPTH)


def depth_reached(text):
    """The deepest level a left-to-right scan of ``text`` reaches before it
    meets what stops any JSON parser: a backslash outside a string or a
    closing bracket with nothing open. A parser stops at other errors too,
    so it never gets deeper than this."""
    level = deepest = 0
    in_string = escaped = False
    for char in text.decode("latin-1"):
        if in_string:
            in_string = escaped or char != '"'
            escaped = not escaped and char == "\\"
        elif char == '"':
            in_string = True
        elif char == "\\":
            break
        elif char in "[{":
            level += 1
            deepest = max(deepest, level)
        elif char in "]}":
            level -= 1
            if level < 0:
                break
    return deepest


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(list('[]{}"\\a,')), max_size=40).map("".join),
       st.integers(min_value=0, max_value=6))
def test_the_check_never_falls_below_the_depth_malformed_json_reaches(text, most):
    if depth_reached(text.encode()) > most:
        assert nested_deeper_than(text.encode(), most)


@pytest.mark.parametrize("text", [
    b"[" * 65,
    b'{"a": ' * 65,
    b"[" * 40 + b"{}" * 1000 + b"[" * 30,
    b"[" * 65 + b"}" * 65,
    # 30 unclosed, each before a closed block 39 deep, then one 40 deep: 70 in all.
    (b"[" + b"[" * 39 + b"]" * 39) * 30 + b"[" * 40 + b"]" * 40,
], ids=["unclosed", "unclosed_objects", "split_by_pairs", "mismatched", "unclosed_between_blocks"])
def test_malformed_json_nested_deeper_than_the_limit_is_caught(text):
    assert nested_deeper_than(text, MAX_JSON_DEPTH)


def test_an_unterminated_string_hides_its_brackets_as_from_the_parser():
    assert not nested_deeper_than(b'["unterminated' + b"[" * 100, MAX_JSON_DEPTH)


@pytest.mark.parametrize("text", [b"[" * 64 + b"]" * 64, b'{"a": ' * 63 + b"[1]" + b"}" * 63])
def test_64_deep_is_within_the_limit(text):
    assert not nested_deeper_than(text, MAX_JSON_DEPTH)


def test_a_million_levels_are_checked_without_recursion():
    assert nested_deeper_than(b"[" * 1_000_000 + b"]" * 1_000_000, MAX_JSON_DEPTH)
