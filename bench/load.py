"""The load: wrk (closed loop, bench/mixed.lua) and a constant-rate client
(open loop), both sending the workload of bench/mixed.lua as the signed-in
users of a sessions file, and what a run cost the server and the database.

The open loop sends at fixed times whatever the answers do: each request's
latency counts from when it was due, not from when a connection was free,
so a slow answer delays no later request and hides none of its own wait
(the closed loop's coordinated omission).
"""
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from urllib.parse import urlsplit

import mysql.connector

from bench.processes import ROOT, children_cpu_seconds, database_cpu_seconds, machine_busy_seconds
from bench.workload import SAVED_PER_USER, open_case_numbers
from fsr_coach.db import connect_args, in_list

COUNTERS = ("Questions", "Com_select", "Com_insert", "Com_update", "Com_begin",
            "Com_commit", "Com_rollback", "Com_admin_commands", "Com_set_option")
MIXES = ("mixed", "get", "put", "status")  # bench/mixed.lua's
# bench/mixed.lua's texts (~2 KB a save) and shares of the mixed workload.
PROBLEM = "Pump trips on start; bearing noise reported. " * 13
NOTES = "Replaced relay K3, ran under load, no trip. " * 32
KINDS = (("get", 70), ("put", 20), ("status", 10))


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


def measure(server, settings, run):
    """``run()`` (a load returning figures with "requests"), with the server's
    CPU, the database's and the server's counters around it."""
    counters_before, cpu_before = global_counters(settings), server.cpu_seconds()
    db_cpu_before, busy_before = database_cpu_seconds(), machine_busy_seconds()
    load_cpu_before, started = load_cpu_seconds(), time.monotonic()
    result = run()
    elapsed, busy = time.monotonic() - started, machine_busy_seconds() - busy_before
    cpu = server.cpu_seconds() - cpu_before
    # A server on another machine: its CPU is not seen (counted as 0).
    db_cpu = database_cpu_seconds() - db_cpu_before if db_cpu_before is not None else 0.0
    counters_after = global_counters(settings)
    count = result["requests"]
    result["server_cpu_ms_per_request"] = 1000 * cpu / count
    result["database_cpu_ms_per_request"] = 1000 * db_cpu / count if db_cpu_before is not None else None
    # What the rest of the machine did meanwhile: a busy neighbour slows the run.
    others = busy - cpu - db_cpu - (load_cpu_seconds() - load_cpu_before)
    result["others_cpu_share"] = max(others, 0.0) / (elapsed * os.cpu_count())
    result["statements_per_request"] = {
        name: (counters_after[name] - counters_before[name]) / count for name in COUNTERS}
    result["worker_rss_mb"] = server.worker_rss_mb()
    return result


def measure_mixed(server, settings, sessions_file, seconds, mix="mixed"):
    """A wrk run of ``mix``, measured."""
    return measure(server, settings, lambda: wrk(server.url, sessions_file, mix, seconds))


def load_cpu_seconds():
    """CPU of the load generators: wrk (a finished child) and this process's open loop."""
    usage = os.times()
    return children_cpu_seconds() + usage.user + usage.system


def global_counters(settings):
    with mysql.connector.connect(**connect_args(settings)) as cnx:
        cursor = cnx.cursor()
        cursor.execute(f"SHOW GLOBAL STATUS WHERE Variable_name IN ({in_list(COUNTERS)})",
                       COUNTERS)
        return {name: int(value) for name, value in cursor.fetchall()}


# --- the open loop -----------------------------------------------------------

def open_loop(url, sessions_file, rate, seconds, connections=32):
    """The mixed workload at ``rate`` requests/s for ``seconds``: requests,
    non-2xx, socket errors, the rate achieved, and p50/p95/p99 (ms) of each
    kind, timed from when each request was due."""
    users, open_cases = read_sessions(sessions_file)
    schedule = Schedule(rate, seconds)
    # The client's threads mostly wait on sockets; a short switch interval
    # keeps one that is ready from waiting 5 ms for the interpreter lock.
    switch_interval = sys.getswitchinterval()
    sys.setswitchinterval(0.0002)
    try:
        outcomes = [[] for _ in range(connections)]
        threads = [threading.Thread(target=_send_on_schedule,
                                    args=(url, schedule, users, open_cases, outcomes[i], i))
                   for i in range(connections)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(switch_interval)
    return open_loop_figures([o for thread in outcomes for o in thread], rate, seconds)


class Schedule:
    """Due times ``1 / rate`` apart over ``seconds``, handed out in order."""

    def __init__(self, rate, seconds):
        self.interval, self.count = 1 / rate, int(rate * seconds)
        self.start = time.monotonic() + 0.1
        self._next, self._lock = 0, threading.Lock()

    def take(self):
        """The next due time, or None when the run is over."""
        with self._lock:
            index, self._next = self._next, self._next + 1
        return self.start + index * self.interval if index < self.count else None


def _send_on_schedule(url, schedule, users, open_cases, outcomes, seed):
    """One connection's loop: (kind, status or None, seconds from due to answer)."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
    rng = random.Random(seed)
    while (due := schedule.take()) is not None:
        time.sleep(max(0.0, due - time.monotonic()))
        kind, method, path, headers, body = a_request(rng, users, open_cases)
        try:
            connection.request(method, path, body=body, headers=headers)
            answer = connection.getresponse()
            answer.read()
            status = answer.status
        except (OSError, http.client.HTTPException):
            connection.close()
            status = None
        outcomes.append((kind, status, time.monotonic() - due))
    connection.close()


def a_request(rng, users, open_cases):
    """(kind, method, path, headers, body) of one request, as bench/mixed.lua builds it."""
    user = rng.choice(users)
    kind = rng.choices([k for k, _ in KINDS], [share for _, share in KINDS])[0]
    headers = {"Cookie": user["cookie"]}
    if kind == "get":
        return kind, "GET", "/api/cases/data", headers, None
    headers.update({"X-CSRF-Token": user["token"], "Content-Type": "application/json"})
    if kind == "put":
        body = {"problemStatement": PROBLEM, "fsrNotes": f"{NOTES} {rng.random()}"}
        return kind, "PUT", f"/api/cases/data/{rng.choice(user['cases'])}", headers, json.dumps(body)
    body = {"case_numbers": [rng.choice(open_cases) for _ in range(20)]}
    return kind, "POST", "/api/cases/status", headers, json.dumps(body)


def read_sessions(sessions_file):
    users, open_cases = [], []
    for line in sessions_file.read_text().splitlines():
        fields = line.split("\t")
        if fields[0] == "cases":
            open_cases = fields[1].split(",")
        else:
            users.append({"cookie": fields[0], "token": fields[1], "cases": fields[2].split(",")})
    return users, open_cases


def open_loop_figures(outcomes, rate, seconds):
    figures = {"requests": len(outcomes), "offered_rps": rate, "rps": len(outcomes) / seconds,
               "non_2xx": sum(1 for _, status, _ in outcomes if status and not 200 <= status < 300),
               "socket_errors": sum(1 for _, status, _ in outcomes if status is None),
               "kinds": {}}
    for kind, _share in KINDS:
        times = sorted(1000 * seconds_taken for k, _, seconds_taken in outcomes if k == kind)
        if times:
            figures["kinds"][kind] = {"requests": len(times), **percentiles(times)}
    return figures


def percentiles(sorted_ms):
    cuts = statistics.quantiles(sorted_ms, n=100, method="inclusive") if len(sorted_ms) > 1 \
        else sorted_ms * 99
    return {"p50_ms": cuts[49], "p95_ms": cuts[94], "p99_ms": cuts[98], "max_ms": sorted_ms[-1]}
