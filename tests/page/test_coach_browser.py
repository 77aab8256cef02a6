"""The page's coach (fsr_coach/web/static/coach/engine.js) against the
server's (fsr_coach/coach/engine.py). Imported in a page of the app's origin
in Chromium, with the rubric the app serves, it gives every text of the
conformance corpus (tests/coach_corpus/texts/) the same checks, score and
findings, compiles every construct of the pattern subset to the same
matches, and its work grows linearly with an adversarial text."""
import pytest

from coach_corpus import GROWTH_LIMIT, LONG, SHORT, adversarial, corpus
from fsr_coach.coach.engine import evaluate
from fsr_coach.coach.rubric import load_rubric

RUBRIC = load_rubric()
CORPUS = corpus()
ASTRAL, RIGHT_TO_LEFT = (0x10000, 0x10FFFF), (0x0590, 0x08FF)
ACCENTED = (0x00C0, 0x024F)

# One of each construct of the subset (docs/coach.md), and texts to try them on.
SUBSET = [
    "abc", "a\\.b", "\\(p\\)", "[0-9]{1,3}", "[^ ]{2}x", "[a-]{1,4}", "[\\-a]{2}", "x{3}",
    "ab?c", "a{0,2}b", "(?:ab|cd)e", "(ab|a)c", "x(?= y)", "x(?!y)", "(?<=-)b", "(?<!a)b",
    "[{word}]{2,4}", "[{space}]{1,2}x", "[^{word}{space}]x", "\\u00e9t\\u00e9", "é{1,2}",
    "[à-ÿ]{1,3}", "😀{1,2}[a-z]", "[😀-😂]", "a{1,3}?b", "\\u2028", "\\n", "\\t",
    "a\\/b", "\\[x\\]", "\\{x\\}", "[\\[\\]]", "[&~|]{1,3}", "\\^x\\$", "\\\\", "a\\*\\+\\?",
]
SUBSET_TEXTS = [
    "abc a.b (p) 123 45x 12 xy a--b -a xxx ac abc b ac abe cde abc ac xy xz ab cb",
    "été ééé àÿ 😀😀a 😁 😂b aab a/b [x] {x} [] &~| ^x$ \\ a*+? \u2028 line\nnext\ttab",
    "😀abc 😀 é 😀\u0301x ab\u00a0 x -b x y \n \t ",
]


@pytest.fixture(scope="module")
def coach_page(browser, page_server):
    """A page of the app's origin with engine.js imported as ``engine``, the
    default rubric compiled as ``coach``: one for the module's hundred-odd
    tests (conftest's module_page is one a test), since engine.js keeps
    nothing between calls."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{page_server.url}/healthz")
    page.evaluate("""async (rubric) => {
        window.engine = await import("/static/coach/engine.js");
        window.coach = window.engine.compileRubric(rubric);
    }""", RUBRIC.json)
    yield page
    context.close()


def coached_in_browser(page, problem, notes, coach="coach"):
    return page.evaluate(f"([p, n]) => engine.evaluate({coach}, p, n)", [problem, notes])


def has_any(ranges, texts):
    low, high = ranges
    return any(low <= ord(char) <= high for text in texts for char in text)


def test_the_corpus_holds_vague_and_specific_texts_emoji_accents_and_right_to_left():
    texts = [text for _name, problem, notes in CORPUS for text in (problem, notes)]
    scores = [evaluate(RUBRIC, problem, notes)["score"] for _name, problem, notes in CORPUS]
    assert len(CORPUS) >= 40
    assert min(scores) <= 10 and max(scores) == 100
    assert has_any(ASTRAL, texts) and has_any(RIGHT_TO_LEFT, texts)
    assert has_any(ACCENTED, texts)


@pytest.mark.parametrize("name, problem, notes", CORPUS, ids=[name for name, *_ in CORPUS])
def test_the_browser_coaches_each_corpus_text_as_the_server_does(coach_page, name, problem,
                                                                notes):
    expected = evaluate(RUBRIC, problem, notes)
    got = coached_in_browser(coach_page, problem, notes)
    assert got["checks"] == expected["checks"]
    assert got["findings"] == expected["findings"]
    assert got["score"] == expected["score"]
    assert got == expected


@pytest.mark.parametrize("pattern", SUBSET)
def test_each_construct_of_the_subset_matches_the_same_in_both_engines(coach_page, tmp_path,
                                                                      pattern):
    path = tmp_path / "rubric.yaml"
    path.write_text(RUBRIC_OF_ONE.format(pattern=pattern.replace("'", "''")), encoding="utf-8")
    rubric = load_rubric(path)
    coach_page.evaluate("(rubric) => { window.custom = engine.compileRubric(rubric); }",
                        rubric.json)
    answers = [evaluate(rubric, text, "") for text in SUBSET_TEXTS]
    assert any(answer["findings"] for answer in answers), "the texts hold a match"
    for text, expected in zip(SUBSET_TEXTS, answers, strict=True):
        assert coached_in_browser(coach_page, text, "", coach="custom") == expected, text


RUBRIC_OF_ONE = """
name: one pattern
version: 1
checks:
  - id: the.pattern
    field: problemStatement
    title: The pattern
    weight: 1
    severity: suggestion
    hint: Each match is a finding.
    link: https://example.org/
    absence:
      case_sensitive: true
      patterns: ['{pattern}']
"""


def browser_growth(page, short, long):
    """How many times longer engine.js takes on ``long`` than on ``short`` (in
    both fields): the least time of five rounds each, each round as many runs
    as fill 50 ms, the two texts' rounds taken in turn so that a burst of
    other work on the machine slows both alike."""
    return page.evaluate("""([short, long]) => {
        const cost = (text) => {
            const start = performance.now();
            let runs = 0;
            do {
                engine.evaluate(coach, text, text);
                runs += 1;
            } while (performance.now() - start < 50);
            return (performance.now() - start) / runs;
        };
        const least = { short: Infinity, long: Infinity };
        for (let round = 0; round < 5; round += 1) {
            least.short = Math.min(least.short, cost(short));
            least.long = Math.min(least.long, cost(long));
        }
        return least.long / least.short;
    }""", [short, long])


@pytest.mark.parametrize("name", sorted(adversarial(1)))
def test_the_browser_coachs_work_grows_linearly_with_an_adversarial_text(coach_page, name):
    growth = browser_growth(coach_page, adversarial(SHORT)[name], adversarial(LONG)[name])
    assert growth < GROWTH_LIMIT, f"{name}: {growth:.1f} times the work for 8 times the text"
