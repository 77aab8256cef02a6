"""The coach's test texts: the conformance corpus (texts/*.yaml, each a
problemStatement and fsrNotes) and the adversarial texts (adversarial.yaml)."""
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent


def corpus():
    """[(name, problemStatement, fsrNotes)], in file order."""
    texts = []
    for path in sorted((HERE / "texts").glob("*.yaml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        texts.append((path.stem, document["problemStatement"], document["fsrNotes"]))
    return texts


def adversarial(length):
    """{name: text} of the adversarial texts, each ``length`` code points long."""
    units = yaml.safe_load((HERE / "adversarial.yaml").read_text(encoding="utf-8"))["units"]
    return {name: (unit * (length // len(unit) + 1))[:length] for name, unit in units.items()}


# The adversarial texts are timed at two lengths, the longest a text may be
# and an eighth of it: work linear in the length grows 8 times, quadratic
# work 64 times. The tests allow 3 times the linear growth, for the noise
# of a loaded machine.
LONG = 100_000
SHORT = LONG // 8
GROWTH_LIMIT = 24
