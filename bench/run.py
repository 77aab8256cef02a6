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

It prints the figures and always exits 0: it is a benchmark, not a test.
"""
import argparse
import json
import multiprocessing
import os
import resource
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

import mysql.connector
import requests

from fsr_coach import create_app
from fsr_coach.auth import users
from fsr_coach.cases import catalog
from fsr_coach.cases.notes import LISTED_NOTES_SQL
from fsr_coach.config import defaults, load_settings
from fsr_coach.db import connect_args, driver_name, get_db, in_list
from fsr_coach.migrations import upgrade
from tests.support.servers import Gunicorn

ROOT = Path(__file__).resolve().parent.parent

CASES, CLOSED_EVERY = 10_000, 10
USERS, SAVED_PER_USER = 50, 20
PASSWORD = "bench-password"
SERVER_SETTINGS = ("DB_HOST", "DB_PORT", "DB_USER", "DB_PASSWORD")
COUNTERS = ("Questions", "Com_select", "Com_insert", "Com_update", "Com_begin",
            "Com_commit", "Com_rollback", "Com_admin_commands", "Com_set_option")
TICKS = os.sysconf("SC_CLK_TCK")
# gunicorn gets the environment as it was before load_settings() added .env
# to it, less these: the server's shape is gunicorn.conf.py's defaults unless
# --workers or --threads say otherwise.
GIVEN_ENVIRONMENT = dict(os.environ)
SHAPE_SETTINGS = ("WEB_CONCURRENCY", "GUNICORN_THREADS", "GUNICORN_CMD_ARGS")
RAW_PROCESSES, RAW_THREADS = 2, 8
BENCH_RATE_LIMIT = "1000000 per minute"
MIXES = ("mixed", "get", "put", "status")  # bench/mixed.lua's


def main():
    args = parse_args()
    if not shutil.which("wrk"):
        print("wrk is missing: apt-get install -y wrk")
        return
    settings = bench_settings()
    workdir = Path(tempfile.mkdtemp(prefix="fsr-bench-"))
    print(machine_line(settings))
    try:
        if args.baseline:
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
    return parser.parse_args()


def bench_settings():
    """Every app setting at its default but the server's, on a new database."""
    found = load_settings(web=False)
    settings = defaults()
    settings.update({name: found[name] for name in SERVER_SETTINGS})
    settings.update(DB_NAME=f"fsr_coach_bench_{secrets.token_hex(4)}", APP_ENV="production",
                    SECRET_KEY=secrets.token_urlsafe(32), SESSION_COOKIE_SECURE=False)
    # Rate limits count every request as in production, but the benchmark's
    # 50 users from one address would run into the defaults.
    settings.update(RATELIMIT_LOGIN=BENCH_RATE_LIMIT, RATELIMIT_API=BENCH_RATE_LIMIT)
    return settings


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


def seed_catalog_and_users(settings):
    """The cases and the users, through the app's own functions."""
    app = create_app(settings)
    with app.app_context():
        catalog.add_missing_cases([(case_number(n), n % CLOSED_EVERY != 0)
                                   for n in range(CASES)])
        for n in range(USERS):
            users.create(f"bench{n:02d}", PASSWORD)
    app.extensions["db"].close()


def case_number(n):
    return f"BENCH-{n:05d}"


def open_case_numbers():
    return [case_number(n) for n in range(CASES) if n % CLOSED_EVERY != 0]


def sign_in(url):
    """[{user_id, cookie, token, http}] for every bench user."""
    sessions = []
    for n in range(USERS):
        http = requests.Session()
        answer = http.post(f"{url}/api/auth/login", timeout=30,
                           json={"username": f"bench{n:02d}", "password": PASSWORD}).json()
        http.headers["X-CSRF-Token"] = answer["csrf_token"]
        sessions.append({"user_id": answer["user_id"], "http": http,
                         "cookie": f"fsr_session={http.cookies['fsr_session']}",
                         "token": answer["csrf_token"]})
    return sessions


def sign_in_and_save(url):
    """Sign every user in and save SAVED_PER_USER cases of ~2 KB for each."""
    sessions = sign_in(url)
    numbers = open_case_numbers()
    for n, session in enumerate(sessions):
        mine = numbers[n * SAVED_PER_USER:(n + 1) * SAVED_PER_USER]
        answer = session["http"].post(f"{url}/api/cases/data", timeout=30, json={"cases": [
            {"caseNumber": number, "problemStatement": "Pump trips on start. " * 30,
             "fsrNotes": "Replaced relay K3, ran under load. " * 40} for number in mine]})
        assert answer.status_code == 200 and answer.json()["saved_count"] == len(mine), answer.text
        session["cases"] = mine
    return sessions


def write_sessions(path, sessions):
    """The file bench/mixed.lua reads: one user a line, then open case numbers."""
    numbers = open_case_numbers()
    lines = [f"{s['cookie']}\t{s['token']}\t{','.join(s.get('cases') or numbers[:SAVED_PER_USER])}"
             for s in sessions]
    lines.append("cases\t" + ",".join(numbers))
    path.write_text("\n".join(lines) + "\n")
    return path


def wrk(url, sessions_file, mix, seconds, connections=16):
    """One wrk run; its figures as a dict (latencies in ms)."""
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s",
         "-s", str(ROOT / "bench" / "mixed.lua"), url, "--", str(sessions_file), mix],
        capture_output=True, text=True, check=True).stdout
    figures = json.loads(out.strip().splitlines()[-1])
    seconds_run = figures.pop("duration_us") / 1e6
    result = {"requests": figures["requests"], "rps": figures["requests"] / seconds_run,
              "non_2xx": figures["non_2xx"], "socket_errors": figures["socket_errors"]}
    result.update({key.replace("_us", "_ms"): figures[key] / 1000
                   for key in ("p50_us", "p95_us", "p99_us", "max_us")})
    return result


def measure_mixed(server, settings, sessions_file, seconds, mix="mixed"):
    """A run of ``mix``, with the server's CPU and the database's counters around it."""
    counters_before, cpu_before = global_counters(settings), server.cpu_seconds()
    db_cpu_before, busy_before = database_cpu_seconds(), machine_busy_seconds()
    wrk_cpu_before, started = children_cpu_seconds(), time.monotonic()
    result = wrk(server.url, sessions_file, mix, seconds)
    elapsed, busy = time.monotonic() - started, machine_busy_seconds() - busy_before
    cpu = server.cpu_seconds() - cpu_before
    # A server on another machine: its CPU is not seen (counted as 0).
    db_cpu = database_cpu_seconds() - db_cpu_before if db_cpu_before is not None else 0.0
    counters_after = global_counters(settings)
    count = result["requests"]
    result["server_cpu_ms_per_request"] = 1000 * cpu / count
    result["database_cpu_ms_per_request"] = 1000 * db_cpu / count if db_cpu_before is not None else None
    # What the rest of the machine did meanwhile: a busy neighbour slows the run.
    others = busy - cpu - db_cpu - (children_cpu_seconds() - wrk_cpu_before)
    result["others_cpu_share"] = max(others, 0.0) / (elapsed * os.cpu_count())
    result["statements_per_request"] = {
        name: (counters_after[name] - counters_before[name]) / count for name in COUNTERS}
    result["worker_rss_mb"] = server.worker_rss_mb()
    return result


def global_counters(settings):
    with mysql.connector.connect(**connect_args(settings)) as cnx:
        cursor = cnx.cursor()
        cursor.execute(f"SHOW GLOBAL STATUS WHERE Variable_name IN ({in_list(COUNTERS)})",
                       COUNTERS)
        return {name: int(value) for name, value in cursor.fetchall()}


def time_batches(url, session, runs=7, size=500):
    """Median, fastest and slowest wall time (ms) of a batch save of ``size`` cases."""
    numbers = open_case_numbers()[-size:]
    times = []
    for run_number in range(runs):
        body = {"cases": [{"caseNumber": number, "problemStatement": f"run {run_number} {number}",
                           "fsrNotes": f"batch notes {run_number} " * 5} for number in numbers]}
        started = time.perf_counter()
        answer = session["http"].post(f"{url}/api/cases/data", json=body, timeout=30)
        times.append(1000 * (time.perf_counter() - started))
        assert answer.json()["saved_count"] == size, answer.text
    return {"median_ms": statistics.median(times), "min_ms": min(times), "max_ms": max(times),
            "runs": runs}


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


# --- processes ---------------------------------------------------------------

class BenchServer(Gunicorn):
    """The tests' gunicorn (tests/support/servers.py) given the bench's
    settings, with what the bench measures of its processes; ``env``
    overrides settings."""

    def __init__(self, settings, env, log_dir, root=ROOT):
        app_env = {name: str(value) for name, value in settings.items()}
        # No .env: the app and gunicorn.conf.py get only what is given here.
        given = {name: value for name, value in GIVEN_ENVIRONMENT.items()
                 if name not in SHAPE_SETTINGS}
        super().__init__({**given, **app_env, "PYTHON_DOTENV_DISABLED": "1", **env},
                         log_dir, root)

    def start(self, timeout=30):
        super().start(timeout)
        time.sleep(1)  # every worker booted, not only the first to answer
        return self

    def worker_pids(self):
        return [pid for pid in _pids() if _stat(pid)[1] == self.process.pid]

    def shape(self):
        out = subprocess.run(
            [sys.executable, "-c", "import runpy; c = runpy.run_path('gunicorn.conf.py');"
             " print(c['workers'], c['threads'], c['worker_class'])"],
            cwd=self.root, env=self.env, capture_output=True, text=True, check=True).stdout.split()
        return {"workers": int(out[0]), "threads": int(out[1]), "worker_class": out[2],
                "db_pool_size": int(self.env["DB_POOL_SIZE"])}

    def cpu_seconds(self):
        return sum(_cpu_seconds(pid) for pid in [self.process.pid, *self.worker_pids()])

    def worker_rss_mb(self):
        return [_rss_mb(pid) for pid in self.worker_pids()]


def database_cpu_seconds():
    """CPU used so far by a database server on this machine, or None (elsewhere)."""
    for pid in _pids():
        if _stat(pid)[0] in ("mariadbd", "mysqld"):
            return _cpu_seconds(pid)
    return None


def machine_busy_seconds():
    """CPU seconds all cores spent busy since boot (/proc/stat)."""
    ticks = [int(value) for value in Path("/proc/stat").read_text().split("\n")[0].split()[1:9]]
    return (sum(ticks) - ticks[3] - ticks[4]) / TICKS  # less idle and iowait


def children_cpu_seconds():
    """CPU of this process's finished children (wrk)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _pids():
    return [int(name) for name in os.listdir("/proc") if name.isdigit()]


def _stat(pid):
    """(command name, parent pid, user+system CPU ticks) of a process."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ("", 0, 0)
    name = text[text.index("(") + 1:text.rindex(")")]
    fields = text[text.rindex(")") + 2:].split()
    return (name, int(fields[1]), int(fields[11]) + int(fields[12]))


def _cpu_seconds(pid):
    return _stat(pid)[2] / TICKS


def _rss_mb(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def drop_database(settings):
    with mysql.connector.connect(**connect_args(settings, database=False)) as cnx:
        cnx.cursor().execute(f"DROP DATABASE IF EXISTS `{settings['DB_NAME']}`")


# --- the report --------------------------------------------------------------

def report(results):
    mixed, raw = results["mixed"], results["raw"]
    server = results["server"]
    print(f"\nscale {results['scale']}; gunicorn: {server['workers']} x {server['worker_class']}"
          f" ({server['threads']} threads), DB_POOL_SIZE {server['db_pool_size']};"
          f" load average {results['load_before']:.2f} before, {results['load_after']:.2f} after")
    print(f"\nmixed workload, 16 connections: {mixed['rps']:.0f} requests/s,"
          f" p50 {mixed['p50_ms']:.1f} ms, p95 {mixed['p95_ms']:.1f} ms,"
          f" p99 {mixed['p99_ms']:.1f} ms, non-2xx {mixed['non_2xx']},"
          f" socket errors {mixed['socket_errors']}")
    print(f"raw-driver ceiling ({raw['processes']} processes x {raw['threads']} threads):"
          f" {raw['qps']:.0f} queries/s; HTTP/raw {100 * mixed['rps'] / raw['qps']:.0f}%")
    database = mixed["database_cpu_ms_per_request"]
    print(f"CPU per request: server {mixed['server_cpu_ms_per_request']:.2f} ms,"
          f" database {f'{database:.2f} ms' if database is not None else 'not on this machine'};"
          f" worker RSS {', '.join(f'{mb:.0f}' for mb in mixed['worker_rss_mb'])} MB;"
          f" other processes used {100 * mixed['others_cpu_share']:.0f}% of the machine")
    print("statements per request (server counters): " + ", ".join(
        f"{name} {value:.2f}" for name, value in mixed["statements_per_request"].items()))
    if "endpoints" in results:
        report_details(results)


def report_details(results):
    print("\neach endpoint alone, 16 connections:")
    for mix, label in (("get", "GET /api/cases/data"), ("put", "PUT /api/cases/data/<case>"),
                       ("status", "POST /api/cases/status")):
        figures = results["endpoints"][mix]
        print(f"  {label:28} {figures['rps']:6.0f} requests/s  p50 {figures['p50_ms']:5.1f}"
              f"  p95 {figures['p95_ms']:5.1f}  p99 {figures['p99_ms']:5.1f} ms"
              f"  non-2xx {figures['non_2xx']}")
    pool = results["pool_of_5"]
    print(f"\n64 connections, 1 process x 64 threads, DB_POOL_SIZE 5: {pool['rps']:.0f}"
          f" requests/s, non-2xx {pool['non_2xx']}, socket errors {pool['socket_errors']},"
          f" p99 {pool['p99_ms']:.1f} ms")
    batch = results["batch_500"]
    print(f"batch save of 500 cases: median {batch['median_ms']:.1f} ms"
          f" ({batch['min_ms']:.1f}-{batch['max_ms']:.1f}, {batch['runs']} runs)")
    costs = results["pool"]
    ping, checkout, database = costs["ping"], costs["checkout"], costs["ping"]["database_cpu_us"]
    print(f"the pool's ping alone: {ping['wall_us']:.0f} us, CPU {ping['cpu_us']:.0f} us here and"
          f" {f'{database:.0f} us' if database is not None else 'unseen'} in the database;"
          f" a request's checkout and give-back: {checkout['wall_us']:.0f} us,"
          f" CPU {checkout['cpu_us']:.0f} us ({costs['count']} of each)")

def report_comparison(results):
    server = results["server"]
    print(f"\n{results['mix']} workload, 16 connections, {results['seconds']} s a round,"
          f" rounds alternating; gunicorn: {server['workers']} x {server['worker_class']}"
          f" ({server['threads']} threads), DB_POOL_SIZE {server['db_pool_size']};"
          f" load average {results['load_before']:.2f} before, {results['load_after']:.2f} after")
    medians = {}
    for name, rounds in results["trees"].items():
        medians[name] = {key: statistics.median(r[key] for r in rounds) for key in
                         ("rps", "p99_ms", "server_cpu_ms_per_request")}
        # Other clients of the server count too: the quietest round is the closest.
        per_request = {counter: min(r["statements_per_request"][counter] for r in rounds)
                       for counter in COUNTERS}
        print(f"\n{name}:\n  rounds: " + ", ".join(
            f"{r['rps']:.0f} requests/s (p99 {r['p99_ms']:.1f} ms)" for r in rounds))
        print(f"  median {medians[name]['rps']:.0f} requests/s, p99 {medians[name]['p99_ms']:.1f} ms,"
              f" server CPU {medians[name]['server_cpu_ms_per_request']:.2f} ms a request;"
              f" non-2xx {sum(r['non_2xx'] for r in rounds)},"
              f" socket errors {sum(r['socket_errors'] for r in rounds)}")
        print("  per request (server counters, lowest round): " + ", ".join(
            f"{counter} {value:.2f}" for counter, value in per_request.items()))
        print(f"  other processes used {100 * max(r['others_cpu_share'] for r in rounds):.0f}%"
              " of the machine at the most")
    baseline, this = medians.values()
    print("\nthis tree / baseline, medians: " + ", ".join(
        f"{label} {this[key] / baseline[key]:.2f}" for key, label in
        (("rps", "requests/s"), ("p99_ms", "p99"), ("server_cpu_ms_per_request", "server CPU a request"))))


if __name__ == "__main__":
    main()
