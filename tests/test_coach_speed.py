"""The coach's work grows linearly with its texts: no pattern of the default
rubric backtracks catastrophically on adversarial texts (long runs of
near-matches, tests/coach_corpus/adversarial.yaml). Growth, not time, is
asserted: bench/coach.py reports the times."""
import re
import time

import pytest

from coach_corpus import GROWTH_LIMIT, LONG, SHORT, adversarial
from fsr_coach.coach.engine import evaluate
from fsr_coach.coach.rubric import load_rubric
from fsr_coach.config import SETTINGS

RUBRIC = load_rubric()


def cost(work, text):
    """CPU seconds ``work(text)`` takes: the least of three rounds, each as
    many runs as fill 20 ms."""
    costs = []
    for _round in range(3):
        start, runs = time.thread_time(), 0
        while runs == 0 or time.thread_time() - start < 0.02:
            work(text)
            runs += 1
        costs.append((time.thread_time() - start) / runs)
    return min(costs)


def coach_both(text):
    return evaluate(RUBRIC, text, text)


def growth(work, short, long):
    return cost(work, long) / cost(work, short)


def test_the_long_adversarial_texts_are_as_long_as_a_text_may_be():
    assert LONG == SETTINGS["MAX_TEXT_CHARS"].default
    assert {len(text) for text in adversarial(LONG).values()} == {LONG}


def test_the_growth_measure_tells_quadratic_work_from_linear():
    # An unbounded repetition (outside the subset) retried at every position.
    quadratic = re.compile("[a ]+x")
    short, long = "a " * 250, "a " * 2000
    assert growth(quadratic.search, short, long) > GROWTH_LIMIT
    assert growth(re.compile("a x").search, short, long) < GROWTH_LIMIT


@pytest.mark.parametrize("name", sorted(adversarial(1)))
def test_the_coach_s_work_grows_linearly_with_an_adversarial_text(name):
    ratio = growth(coach_both, adversarial(SHORT)[name], adversarial(LONG)[name])
    assert ratio < GROWTH_LIMIT, f"{name}: {ratio:.1f} times the work for 8 times the text"
