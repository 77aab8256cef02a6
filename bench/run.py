"""The benchmark: FSR Coach under the issue's mixed workload, on this machine.

    .venv/bin/python -m bench.run [--scale 10k|1m] [--workers N] [--threads N] [--json FILE]

It makes a throw-away database on the server the settings name (.env or the
environment; the account must be allowed to create databases) and drops it
at the end. ``--scale 1m`` first fills it with bench/seed_scale.py's
million saved cases. It starts gunicorn with gunicorn.conf.py (every app
setting at its default) on a free port, adds 10,000 cases (one in ten
closed) and 50 users, who save 20 cases each through the API, then measures

1. the mixed workload with Debian's wrk (bench/mixed.lua), 16 connections,
   15 s: 70% GET /api/cases/data, 20% PUT of ~2 KB, 10% POST
   /api/cases/status of 20 numbers. Requests/s, latency, non-2xx answers,
   server CPU per request, worker memory, and statements per request from
   the server's counters (SHOW GLOBAL STATUS, so other clients of the server
   count too);
2. each endpoint alone, 16 connections, 5 s: its own latency (wrk cannot
   time the requests of a mix apart);
3. the raw-driver ceiling: the page load's SELECT straight through the
   driver from 2 processes x 8 threads, with gunicorn idle;
4. 64 connections against one process of 64 threads with a pool of 5;
5. a batch save of 500 cases, median of 7;
6. what the connection pool costs a request, in process: its ping alone,
   and a whole checkout and give-back (3,000 of each).

``--baseline GIT_REF`` compares instead: it checks GIT_REF out beside this
tree (``git worktree add``), serves both trees from one database with a
gunicorn each, and alternates rounds of one workload between them (``--mix``,
``--rounds``, ``--duration``), so that both see the same moments of a noisy
machine. The baseline's code must run on this tree's schema.

``--peers`` runs issue 16's comparison instead: ours against the design
document's own code, its ORM models and a bare Flask app, in one run, with
the issue's targets met or missed (bench/versus.py). ``--profile DIR``
adds py-spy flame graphs of our workers under the mixed load
(bench/flames.py).

The parts: bench/workload.py (the seed), bench/ours.py (our settings, seed
and users), bench/load.py (wrk and the open loop), bench/processes.py
(gunicorn and the CPU it uses), bench/printout.py (what this prints).

It prints the figures and always exits 0: it is a benchmark, not a test.
"""
import argparse
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

import mysql.connector

from bench.flames import profile_workers
from bench.load import MIXES, measure_mixed, write_sessions, wrk
from bench.ours import (
    bench_settings,
    drop_database,
    seed_catalog_and_users,
    sign_in,
    sign_in_and_save,
    time_batches,
)
from bench.printout import report, report_comparison
from bench.processes import ROOT, BenchServer, database_cpu_seconds
from bench.versus import versus
from bench.versus_report import report_versus
from fsr_coach import create_app
from fsr_coach.cases.notes import LISTED_NOTES_SQL
from fsr_coach.db import connect_args, driver_name, get_db
from fsr_coach.migrations import upgrade

RAW_PROCESSES, RAW_THREADS = 2, 8


def main():
    args = parse_args()
    if not shutil.which("wrk"):
        print("wrk is missing: run bench/setup.sh")
        return
    settings = bench_settings()
    workdir = Path(tempfile.mkdtemp(prefix="fsr-bench-"))
    print(machine_line(settings))
    try:
        if args.peers:
            with ExitStack() as stack:
                results = versus(args, settings, workdir, stack)
            report_versus(results, args.ten_k)
        elif args.baseline:
            results = compare(args, settings, workdir)
            report_comparison(results)
        else:
            results = run(args, settings, workdir)
            report(results)
        if args.json:
            Path(args.json).write_text(json.dumps(results, indent=2) + "\n")
    finally:
        drop_database(settings)
        shutil.rmtree(workdir, ignore_errors=True)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=("10k", "1m"), default="10k",
                        help="1m: a million saved cases under the benchmark's own")
    parser.add_argument("--workers", help="WEB_CONCURRENCY (default: gunicorn.conf.py's)")
    parser.add_argument("--threads", help="GUNICORN_THREADS (default: gunicorn.conf.py's)")
    parser.add_argument("--duration", type=int, default=15, help="seconds of the mixed run")
    parser.add_argument("--mixed-only", action="store_true",
                        help="only the mixed run and the ceiling (to compare server shapes)")
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--baseline", metavar="GIT_REF",
                        help="compare this tree with GIT_REF's, in alternating rounds")
    parser.add_argument("--rounds", type=int, default=4, help="with --baseline: rounds per tree")
    parser.add_argument("--mix", choices=MIXES, default="mixed",
                        help="with --baseline: the workload of each round")
    parser.add_argument("--peers", action="store_true",
                        help="against the design document's code, its ORM models and a bare"
                             " Flask app, in one run (bench/versus.py)")
    parser.add_argument("--profile", metavar="DIR",
                        help="flame graphs of our workers under the mixed load into DIR")
    parser.add_argument("--ten-k", metavar="FILE",
                        help="with --peers --scale 1m: a 10 k run's --json, for the p99 ratios")
    return parser.parse_args()


def machine_line(settings):
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                if line.startswith("model name")), "unknown CPU")
    with mysql.connector.connect(**connect_args(settings, database=False)) as cnx:
        cursor = cnx.cursor()
        cursor.execute("SELECT VERSION()")
        version = cursor.fetchone()[0]
    return (f"machine: {os.cpu_count()} cores ({cpu}), Python {sys.version.split()[0]},"
            f" MySQL driver {driver_name()}, server {version}")


# --- the run -----------------------------------------------------------------

def run(args, settings, workdir):
    upgrade(settings, echo=lambda _line: None)
    if args.scale == "1m":
        from bench.seed_scale import seed
        print("seeding a million saved cases ...")
        seed(settings, cases=200_000, users=20_000, per_user=50)
    seed_catalog_and_users(settings)
    results = {"scale": args.scale, "load_before": os.getloadavg()[0]}
    gunicorn_env = {name: value for name, value in
                    (("WEB_CONCURRENCY", args.workers), ("GUNICORN_THREADS", args.threads)) if value}
    with BenchServer(settings, gunicorn_env, workdir) as server:
        results["server"] = server.shape()
        sessions = sign_in_and_save(server.url)
        sessions_file = write_sessions(workdir / "sessions.tsv", sessions)
        wrk(server.url, sessions_file, "mixed", seconds=3)  # warm-up
        results["mixed"] = measure_mixed(server, settings, sessions_file, args.duration)
        if not args.mixed_only:
            results["endpoints"] = {mix: wrk(server.url, sessions_file, mix, seconds=5)
                                    for mix in ("get", "put", "status")}
            results["batch_500"] = time_batches(server.url, sessions[0])
            results["pool"] = time_pool(settings)
        if args.profile:
            results["profile"] = profile_workers(server, sessions_file, args.profile)
        results["raw"] = raw_ceiling(settings, [s["user_id"] for s in sessions])
    if not args.mixed_only:
        results["pool_of_5"] = measure_small_pool(settings, workdir)
    results["load_after"] = os.getloadavg()[0]
    return results


def compare(args, settings, workdir):
    """Rounds of ``args.mix`` alternating between GIT_REF's tree and this one."""
    upgrade(settings, echo=lambda _line: None)
    seed_catalog_and_users(settings)
    gunicorn_env = {name: value for name, value in
                    (("WEB_CONCURRENCY", args.workers), ("GUNICORN_THREADS", args.threads)) if value}
    results = {"mix": args.mix, "seconds": args.duration, "load_before": os.getloadavg()[0]}
    with ExitStack() as stack:
        trees = {f"{args.baseline} ({commit_of(args.baseline)})":
                 stack.enter_context(worktree(args.baseline, workdir / "baseline")),
                 "this tree": ROOT}
        servers, sessions_files, cases = {}, {}, None
        for index, (name, root) in enumerate(trees.items()):
            server = stack.enter_context(
                BenchServer(settings, gunicorn_env, workdir, root))
            # The first tree saves each user's cases; the second signs in to the same.
            sessions = sign_in_and_save(server.url) if cases is None else sign_in(server.url)
            cases = cases or [session["cases"] for session in sessions]
            for session, mine in zip(sessions, cases, strict=True):
                session["cases"] = mine
            sessions_files[name] = write_sessions(workdir / f"sessions-{index}.tsv", sessions)
            wrk(server.url, sessions_files[name], args.mix, seconds=3)  # warm-up
            servers[name] = server
        results["server"] = servers["this tree"].shape()
        results["trees"] = {name: [] for name in trees}
        names = list(trees)
        for round_number in range(args.rounds):
            for name in names if round_number % 2 == 0 else names[::-1]:
                results["trees"][name].append(measure_mixed(
                    servers[name], settings, sessions_files[name], args.duration, args.mix))
    results["load_after"] = os.getloadavg()[0]
    return results


def commit_of(ref):
    return subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", ref],
                          capture_output=True, text=True, check=True).stdout.strip()


@contextmanager
def worktree(ref, path):
    """GIT_REF checked out at ``path``, removed again afterwards."""
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(path), ref],
                   capture_output=True, check=True)
    try:
        yield path
    finally:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(path)],
                       capture_output=True, check=False)


def measure_small_pool(settings, workdir):
    """The mixed workload at 64 connections on one process of 64 threads sharing 5 connections."""
    small_pool = {"WEB_CONCURRENCY": "1", "GUNICORN_THREADS": "64", "DB_POOL_SIZE": "5"}
    with BenchServer(settings, small_pool, workdir) as server:
        sessions_file = write_sessions(workdir / "sessions-64.tsv", sign_in(server.url))
        return wrk(server.url, sessions_file, "mixed", seconds=10, connections=64)


def time_pool(settings, count=3000):
    """What the pool costs a request: the driver pool's ping alone, and a
    whole checkout and give-back through the app's Database (an app context
    with one SELECT 1, less the same SELECT on a connection already held)."""
    app = create_app(settings)
    with mysql.connector.connect(**connect_args(settings)) as cnx:
        ping = timed(count, cnx.is_connected)

    def request_with_one_select():
        with app.app_context():
            get_db().execute("SELECT 1")

    request = timed(count, request_with_one_select)
    with app.app_context():
        select = timed(count, lambda: get_db().execute("SELECT 1"))
    app.extensions["db"].close()
    checkout = {key: request[key] - select[key] for key in ("wall_us", "cpu_us")}
    return {"count": count, "ping": ping, "checkout": checkout}


def timed(count, call):
    """Microseconds per ``call()`` over ``count`` calls (after a few to warm
    up): wall time, this process's CPU and the database's (None elsewhere)."""
    for _ in range(20):
        call()
    db_cpu, wall, cpu = database_cpu_seconds(), time.perf_counter(), time.process_time()
    for _ in range(count):
        call()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    db_cpu = database_cpu_seconds() - db_cpu if db_cpu is not None else None
    return {"wall_us": 1e6 * wall / count, "cpu_us": 1e6 * cpu / count,
            "database_cpu_us": 1e6 * db_cpu / count if db_cpu is not None else None}


# --- the raw-driver ceiling ------------------------------------------------------

def raw_ceiling(settings, user_ids, seconds=10):
    """Queries/s of the page load's SELECT through the driver alone."""
    context = multiprocessing.get_context("spawn")  # no inherited connections
    with context.Pool(RAW_PROCESSES) as pool:
        counts = pool.starmap(raw_process, [(settings, user_ids, seconds)] * RAW_PROCESSES)
    return {"qps": sum(counts) / seconds, "processes": RAW_PROCESSES, "threads": RAW_THREADS}


def raw_process(settings, user_ids, seconds):
    counts = [0] * RAW_THREADS
    deadline = time.monotonic() + seconds

    def loop(index):
        cnx = mysql.connector.connect(**connect_args(settings))
        cursor = cnx.cursor(buffered=True, dictionary=True)
        while time.monotonic() < deadline:
            cursor.execute(LISTED_NOTES_SQL, (user_ids[counts[index] % len(user_ids)],))
            cursor.fetchall()
            counts[index] += 1
        cnx.close()

    workers = [threading.Thread(target=loop, args=(i,)) for i in range(RAW_THREADS)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return sum(counts)


if __name__ == "__main__":
    main()
