"""The service report's benchmark: how long a report takes, and what
rendering reports does to everyone else's requests.

    .venv/bin/python -m bench.report [--runs 20] [--seconds 15] [--picture PNG]

Like bench/run.py it makes a throw-away database on the server the settings
name (its account must be allowed to create one) and starts gunicorn with
gunicorn.conf.py's shape (cores + 1 sync workers). One user saves a case
whose report is two A4 pages (checked with pdfinfo) and has it signed, then

1. the report, one request at a time, ``--runs`` times: the PDF of the
   two pages in Latin, the same in every script the report must show
   (Greek, Cyrillic, Arabic, Hebrew, Chinese, emoji), and the Markdown;
   median, 90th percentile and slowest, over HTTP on 127.0.0.1, and the
   workers' CPU per report; also, 5 times, the PDF of the longest notes
   the API takes (MAX_TEXT_CHARS);
2. what reports do to other requests: one client loads its cases
   (GET /api/cases/data) back to back for ``--seconds``, alone, then while
   1, 2, ... clients ask for two-page PDFs without pause, up to one per
   worker; the page load's median, 99th percentile and slowest, and
   reports/s.

It prints the figures and exits 0: a benchmark, not a test. ``--picture``
also writes the first page of an example report as a PNG (pdftoppm):
docs/report-first-page.png is that picture.
"""
import argparse
import io
import os
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from base64 import b64encode
from pathlib import Path

import requests
from PIL import Image, ImageDraw

from bench.run import (
    PASSWORD,
    BenchServer,
    bench_settings,
    drop_database,
    machine_busy_seconds,
    machine_line,
)
from fsr_coach import create_app
from fsr_coach.auth import users
from fsr_coach.cases import catalog
from fsr_coach.config import SETTINGS
from fsr_coach.migrations import upgrade

ROOT = Path(__file__).resolve().parent.parent

CASE = "CASE-2026-0142"
# FSR notes that, with the header and the sign-off, fill two A4 pages.
TWO_PAGE_NOTES = "\n".join(f"Step {n}: checked contactor K{n}, measured 230 V, tightened"
                           " terminals." for n in range(1, 61))
MAX_TEXT_CHARS = SETTINGS["MAX_TEXT_CHARS"].default
SCRIPTS = ("Ça coûte: Zoë, Łódź, Straße · Η αντλία σταμάτησε · Насос остановился · "
           "توقفت المضخة · המשאבה נעצרה · 水泵停止运转 · 🔧✅👍")
# The report pictured in the README.
EXAMPLE_PROBLEM = """Pump P-7 trips on start-up since 2026-11-20: error E-203 after 4 s; a soft start takes under 10 s.
Customer's words: « La pompe s'arrête au démarrage ».
Every script comes out as text: Ελληνικά · Русский · 中文 · 🔧✅
עברית: המשאבה נעצרת בהפעלה
العربية: تتوقف المضخة عند التشغيل"""
EXAMPLE_NOTES = """Arrived 09:10; the customer showed the fault (E-203 on start).
Measured the supply: 231 V L-N, 400 V L-L, balanced.
Soft starter SS-2 (serial 4471-882): thyristor T2 open circuit.
Replaced SS-2 with part 3RW4024-1BB14 (qty 1), to the manual's section 6.3.
Tested 10 starts under load: all ramped up in 6-7 s, no trips.
The old unit goes back for analysis (RMA 55120).
Next: check the motor's insulation at the planned stop in January."""


def main():
    args = parse_args()
    settings = bench_settings()
    print(machine_line(settings))
    print(f"machine busy before the run (other processes): {100 * idle_check():.0f}%")
    workdir = Path(tempfile.mkdtemp(prefix="fsr-bench-report-"))
    try:
        upgrade(settings, echo=lambda _line: None)
        seed(settings)
        with BenchServer(settings, {}, workdir) as server:
            workers = server.shape()["workers"]
            print(f"gunicorn: {workers} sync workers; load average {os.getloadavg()[0]:.2f}")
            measure(server, args, workers)
    finally:
        drop_database(settings)
        shutil.rmtree(workdir, ignore_errors=True)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="reports timed one at a time")
    parser.add_argument("--seconds", type=float, default=15,
                        help="of each load step in the second part")
    parser.add_argument("--picture", help="write the first page of a report to this PNG")
    return parser.parse_args()


def seed(settings):
    app = create_app(settings)
    with app.app_context():
        catalog.add_missing_cases([(CASE, True)])
        users.create("bench-report", PASSWORD, display_name="Sam Rivera")
    app.extensions["db"].close()


def measure(server, args, workers):
    url = server.url
    http = signed_in(url)
    if args.picture:
        save_and_sign(http, url, EXAMPLE_PROBLEM, EXAMPLE_NOTES)
        first_page_png(http.get(report_url(url)).content, args.picture)
    warm_up(url, http, workers)
    print("\n1. one report at a time (ms: median, p90, slowest; and the workers' CPU per"
          " report, which other processes on the machine slow down less)")
    longest = (TWO_PAGE_NOTES + "\n") * (MAX_TEXT_CHARS // (len(TWO_PAGE_NOTES) + 1))
    for label, kind, problem, notes, runs in (
            ("PDF, two pages, Latin", "pdf", "Pump P-7 trips on start-up.", TWO_PAGE_NOTES,
             args.runs),
            ("PDF, two pages, every script", "pdf", SCRIPTS, TWO_PAGE_NOTES, args.runs),
            ("PDF, the longest notes", "pdf", "Pump P-7 trips on start-up.", longest, 5),
            ("Markdown, two pages", "md", "Pump P-7 trips on start-up.", TWO_PAGE_NOTES,
             args.runs)):
        save_and_sign(http, url, problem, notes)
        pages = f", {pdf_pages(http.get(report_url(url)).content)} pages" if kind == "pdf" else ""
        cpu_before = server.cpu_seconds()
        times = [timed(http, report_url(url, kind)) for _ in range(runs)]
        cpu_ms = (server.cpu_seconds() - cpu_before) * 1000 / runs
        print(f"  {label + pages:40} {percentiles(times)}; CPU {cpu_ms:.0f} ms")

    save_and_sign(http, url, "Pump P-7 trips on start-up.")
    print(f"\nmachine busy before part 2 (other processes): {100 * idle_check():.0f}%")
    print(f"\n2. GET /api/cases/data back to back, {args.seconds:g} s a step, while other"
          " clients ask for PDFs without pause (ms: median, p99, slowest):")
    for reporters in range(workers + 1):
        page_loads, reports, busy = under_load(url, http, reporters, args.seconds)
        print(f"  {reporters} clients rendering: {percentiles(page_loads, 99)};"
              f" {len(page_loads) / args.seconds:.0f} page loads/s,"
              f" {reports / args.seconds:.1f} reports/s; machine {100 * busy:.0f}% busy")


def idle_check(seconds=3):
    """The machine's busy share over a few seconds of this benchmark doing nothing."""
    before = machine_busy_seconds()
    time.sleep(seconds)
    return (machine_busy_seconds() - before) / (os.cpu_count() * seconds)


def signed_in(url):
    http = requests.Session()
    answer = http.post(f"{url}/api/auth/login", timeout=30,
                       json={"username": "bench-report", "password": PASSWORD})
    answer.raise_for_status()
    http.headers["X-CSRF-Token"] = answer.json()["csrf_token"]
    return http


def warm_up(url, http, workers):
    """A few reports from each worker: the first one a worker makes loads WeasyPrint."""
    save_and_sign(http, url, "Warming up.")
    threads = [threading.Thread(target=lambda: [timed(http, report_url(url)) for _ in range(3)])
               for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def save_and_sign(http, url, problem, notes=TWO_PAGE_NOTES):
    """Save the case's texts and have them signed."""
    saved = http.put(f"{url}/api/cases/data/{CASE}", timeout=30,
                     json={"problemStatement": problem, "fsrNotes": notes})
    saved.raise_for_status()
    signed = http.post(f"{url}/api/cases/data/{CASE}/signoff", timeout=30, json={
        "signerName": "Dana Customer", "signerRole": "Plant manager",
        "version": saved.json()["version"],
        "signature": "data:image/png;base64," + b64encode(a_signature()).decode("ascii")})
    signed.raise_for_status()


def a_signature():
    """A PNG of a few strokes, as the page's pad sends one."""
    image = Image.new("RGBA", (600, 200), (255, 255, 255, 0))
    pen = ImageDraw.Draw(image)
    pen.line([(30, 150), (90, 40), (130, 160), (200, 60), (260, 140)], fill="#14203c", width=5)
    pen.arc([(250, 50), (420, 170)], start=180, end=20, fill="#14203c", width=5)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def report_url(url, kind="pdf"):
    return f"{url}/api/cases/data/{CASE}/report.{kind}"


def timed(http, address):
    started = time.perf_counter()
    answer = http.get(address, timeout=60)
    elapsed = time.perf_counter() - started
    answer.raise_for_status()
    return elapsed * 1000


def first_page_png(pdf, path):
    with tempfile.TemporaryDirectory() as directory:
        source = Path(directory) / "report.pdf"
        source.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile",
                        str(source), str(Path(directory) / "page")], check=True)
        shutil.copy(Path(directory) / "page.png", path)
    print(f"the first page of the example report is in {path}")


def pdf_pages(pdf):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        info = subprocess.run(["pdfinfo", file.name], capture_output=True, text=True,
                              check=True).stdout
    return next(line.split()[1] for line in info.splitlines() if line.startswith("Pages:"))


def under_load(url, http, reporters, seconds):
    """([page load ms], reports made, the machine's busy share) while
    ``reporters`` clients ask for PDFs back to back."""
    stop = threading.Event()
    reports = []

    def render():
        own = requests.Session()
        own.cookies.update(http.cookies)
        while not stop.is_set():
            reports.append(timed(own, report_url(url)))

    threads = [threading.Thread(target=render) for _ in range(reporters)]
    for thread in threads:
        thread.start()
    time.sleep(1 if reporters else 0)  # every reporter under way
    busy_before, started = machine_busy_seconds(), time.monotonic()
    counted_from = len(reports)
    page_loads = []
    while time.monotonic() - started < seconds:
        page_loads.append(timed(http, f"{url}/api/cases/data"))
    busy = (machine_busy_seconds() - busy_before) / (os.cpu_count() * seconds)
    made = len(reports) - counted_from
    stop.set()
    for thread in threads:
        thread.join()
    return page_loads, made, busy


def percentiles(times, high=90):
    ordered = sorted(times)
    upper = ordered[min(len(ordered) - 1, round(len(ordered) * high / 100) - 1)]
    return (f"{statistics.median(ordered):7.1f} {upper:7.1f} {ordered[-1]:7.1f}"
            f"  ({len(ordered)} requests)")


if __name__ == "__main__":
    main()
