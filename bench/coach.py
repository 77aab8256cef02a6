"""The coach's speed, in process and in the page's engine.

    .venv/bin/python -m bench.coach [--runs N]

For the Python engine (fsr_coach/coach/engine.py, as POST /api/coach runs
it) and for the page's (fsr_coach/web/static/coach/engine.js, in Debian's
Chromium driven by Playwright), with the default rubric:

1. two texts of 10,000 characters, a specific problem statement and FSR
   notes (tests/coach_corpus/texts/50-long-specific.yaml repeated to that
   length): p50 and p99 of N runs; the issue's budget is 5 ms at p99. The
   same for two vague texts (01-vague-issue-example, hundreds of findings);
2. each adversarial text of tests/coach_corpus/adversarial.yaml at
   MAX_TEXT_CHARS in both fields, the least of three runs: the slowest;
   the budget is 200 ms.

Python is timed by the wall clock (perf_counter) and, apart, by the CPU time
of its thread, which other processes on a loaded machine do not inflate.
No database is needed: a local http.server serves the page's files.
It prints the figures and always exits 0: it is a benchmark, not a test.
"""
import argparse
import functools
import http.server
import os
import statistics
import threading
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from fsr_coach.coach.engine import evaluate
from fsr_coach.coach.rubric import load_rubric
from fsr_coach.config import SETTINGS
from tests.coach_corpus import adversarial, corpus

ROOT = Path(__file__).resolve().parent.parent

LENGTH = 10_000
MAX_TEXT_CHARS = SETTINGS["MAX_TEXT_CHARS"].default
STATIC = ROOT / "fsr_coach" / "web" / "static"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
PAIRS = {"specific": "50-long-specific", "vague": "01-vague-issue-example"}


def repeated(text, length=LENGTH):
    return ((text + "\n") * (length // (len(text) + 1) + 1))[:length]


def pairs():
    texts = {name: (problem, notes) for name, problem, notes in corpus()}
    return {label: tuple(repeated(text) for text in texts[name])
            for label, name in PAIRS.items()}


def percentile(samples, share):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def python_pair(rubric, problem, notes, runs):
    """(wall p50, wall p99, CPU p99, CPU least) in ms of ``runs`` evaluations."""
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.thread_time()
        evaluate(rubric, problem, notes)
        cpus.append(time.thread_time() - cpu)
        walls.append(time.perf_counter() - wall)
    return (1000 * statistics.median(walls), 1000 * percentile(walls, 0.99),
            1000 * percentile(cpus, 0.99), 1000 * min(cpus))


def python_worst(rubric, texts):
    """(name, wall ms, CPU ms) of the slowest adversarial text by the wall
    clock, each time the least of three runs."""
    def least(text):
        runs = [_timed(lambda: evaluate(rubric, text, text)) for _ in range(3)]
        return min(wall for wall, _cpu in runs), min(cpu for _wall, cpu in runs)
    return max(((name, *(1000 * ms for ms in least(text))) for name, text in texts.items()),
               key=lambda item: item[1])


def _timed(work):
    wall, cpu = time.perf_counter(), time.thread_time()
    work()
    return time.perf_counter() - wall, time.thread_time() - cpu


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *_args):
        pass


def serve_static():
    handler = functools.partial(_QuietHandler, directory=str(STATIC))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


BROWSER_PAIR = """async ([rubric, problem, notes, runs]) => {
    const engine = await import("/coach/engine.js");
    const coach = engine.compileRubric(rubric);
    const times = [];
    for (let run = 0; run < runs; run += 1) {
        const start = performance.now();
        engine.evaluate(coach, problem, notes);
        times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    const at = (share) => times[Math.min(times.length - 1, Math.floor(share * times.length))];
    return [at(0.5), at(0.99)];
}"""
BROWSER_WORST = """async ([rubric, texts]) => {
    const engine = await import("/coach/engine.js");
    const coach = engine.compileRubric(rubric);
    let worst = ["", 0];
    for (const [name, text] of Object.entries(texts)) {
        const times = [0, 1, 2].map(() => {
            const start = performance.now();
            engine.evaluate(coach, text, text);
            return performance.now() - start;
        });
        const least = Math.min(...times);
        if (least > worst[1]) worst = [name, least];
    }
    return worst;
}"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=1000, help="runs per pair (default 1000)")
    args = parser.parse_args()
    rubric = load_rubric()
    texts, worst_texts = pairs(), adversarial(MAX_TEXT_CHARS)
    print(f"coach: default rubric, {len(rubric.checks)} checks; {args.runs} runs per pair;"
          f" adversarial texts at {MAX_TEXT_CHARS} characters in both fields;"
          f" load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print("\nPython (in process)")
    for label, (problem, notes) in texts.items():
        p50, p99, cpu99, cpu_least = python_pair(rubric, problem, notes, args.runs)
        print(f"  two {LENGTH}-character texts, {label}: p50 {p50:.2f} ms, p99 {p99:.2f} ms"
              f" (CPU p99 {cpu99:.2f} ms, least {cpu_least:.2f} ms); budget 5 ms at p99")
    name, worst, cpu = python_worst(rubric, worst_texts)
    print(f"  slowest adversarial text: {name}, {worst:.1f} ms (CPU {cpu:.1f} ms);"
          " budget 200 ms")
    server = serve_static()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM,
                                                 args=["--no-sandbox"])
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/")
            print("\nJavaScript (engine.js in Chromium)")
            for label, (problem, notes) in texts.items():
                p50, p99 = page.evaluate(BROWSER_PAIR, [rubric.json, problem, notes, args.runs])
                print(f"  two {LENGTH}-character texts, {label}: p50 {p50:.2f} ms,"
                      f" p99 {p99:.2f} ms; budget 5 ms at p99")
            name, worst = page.evaluate(BROWSER_WORST, [rubric.json, worst_texts])
            print(f"  slowest adversarial text: {name}, {worst:.1f} ms; budget 200 ms")
            browser.close()
    finally:
        server.shutdown()


if __name__ == "__main__":
    main()
