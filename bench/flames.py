"""py-spy flame graphs of our workers under the mixed load
(``python -m bench.run --peers --profile DIR``), and the functions that took the
largest share of their samples.

Two workers are sampled at once during one wrk run: one into DIR/ours.svg
(the flame graph), the other into DIR/ours.txt (collapsed stacks, which
this module sums up). py-spy reads the workers' memory from outside
(--nonblocking: it never pauses them) and keeps only samples where the
worker held the interpreter lock (--gil): running Python, not waiting on a
socket (the database's answer, or the client's).
"""
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

from bench.load import wrk
from bench.processes import ROOT

# What is cut from the front of a frame's file: this checkout, packages, the standard library.
PATH_PREFIXES = (f"{ROOT}/", "site-packages/", f"python{sys.version_info[0]}.{sys.version_info[1]}/")
SECONDS = 20
TOP = 30
# Where a frame's file lives, for the share of each part of the stack
# (Flask-Limiter's in a tree before issue 16, profiled as a baseline).
AREAS = (("fsr_coach/", None), ("flask_limiter/", "Flask-Limiter"), ("limits/", "limits"),
         ("flask/", "Flask"), ("werkzeug/", "Werkzeug"), ("mysql/", "mysql-connector"),
         ("logging/", "logging"), ("json/", "json"), ("prometheus_client/", "prometheus-client"),
         ("gunicorn/", "gunicorn"))


def profile_workers(server, sessions_file, directory):
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    py_spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    first, second, *_ = server.worker_pids()
    common = [py_spy, "record", "--nonblocking", "--gil", "--duration", str(SECONDS)]
    samplers = [subprocess.Popen([*common, "--output", str(directory / "ours.svg"),
                                  "--pid", str(first)], stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL),
                subprocess.Popen([*common, "--format", "raw", "--output",
                                  str(directory / "ours.txt"), "--pid", str(second)],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    run = wrk(server.url, sessions_file, "mixed", SECONDS)
    for sampler in samplers:
        sampler.wait()
    return {"svg": str(directory / "ours.svg"), "rps": run["rps"],
            **shares((directory / "ours.txt").read_text())}


def shares(collapsed):
    """Each function's and each area's share of the samples (their stacks
    included), from py-spy's raw format: ``frame;frame;... count`` a line."""
    functions, areas, total = Counter(), Counter(), 0
    for line in collapsed.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack:
            continue
        frames = stack.split(";")
        total += int(count)
        for name in {function_name(frame) for frame in frames} - {None}:
            functions[name] += int(count)
        for name in {area_of(frame) for frame in frames} - {None}:
            areas[name] += int(count)
    return {"samples": total,
            "functions": [(name, n / total) for name, n in functions.most_common(TOP)],
            "areas": [(name, n / total) for name, n in areas.most_common()]}


def is_wrapper(name):
    """gunicorn's loop and Python's start-up: under every request, so on every stack."""
    return "(gunicorn/" in name or "(<frozen" in name


def function_name(frame):
    """``render (flask/json/provider.py)`` from py-spy's ``render (/…/flask/json/provider.py:214)``."""
    name, _, where = frame.partition(" (")
    path = where.rstrip(")").rsplit(":", 1)[0]
    for marker in PATH_PREFIXES:
        if marker in path:
            path = path.split(marker, 1)[1]
            break
    named = f"{name} ({path})"
    return None if is_wrapper(named) else named


def area_of(frame):
    path = frame.partition(" (")[2]
    for marker, area in AREAS:
        if path.startswith(marker) or f"/{marker}" in path:
            if area is None:  # our own code: by module
                return "fsr_coach/" + path.split("fsr_coach/", 1)[1].rsplit(":", 1)[0]
            return area
    return None
