"""What the rate limiter's store in each process's memory costs per request.

    .venv/bin/python -m bench.limit_store [--requests 3000] [--rate 300]

One Flask app whose one view counts a limit as the API's is counted
(limits' moving window, keyed per user), asked through the test client at a steady
``--rate`` requests a second, as a busy gunicorn worker is: with limits'
MemoryStorage (memory://), with fsr_coach.limits.MovingWindows, and without
the limiter. For each it prints the CPU per request of the whole process
(every thread, sweeps included), the threads started, and the wall time;
then the time of the MovingWindows hit that forgets 10,000 keys which went
quiet at once (the worst case: keys usually go quiet one by one). No
database is needed. (Decision 005's table was measured with Flask-Limiter
around the count, before issue 16 removed it.)
"""
import argparse
import statistics
import threading
import time

from flask import Flask
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from fsr_coach.limits import MovingWindows

USERS = 200  # distinct keys, as signed-in users are
ROUNDS = 3  # each store measured this many times, interleaved; the median is shown


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--rate", type=float, default=300.0, help="requests a second")
    return parser.parse_args()


def make_client(storage_uri):
    """A test client of an app whose one view is limited by a store at
    ``storage_uri``, or not limited at all (None)."""
    app = Flask(__name__)

    if storage_uri:
        limiter = MovingWindowRateLimiter(storage_from_string(storage_uri))
        rate, counter = parse("100000 per minute"), iter(range(10**9))

        def view():
            assert limiter.hit(rate, f"user:{next(counter) % USERS}")
            return "ok"
    else:
        def view():
            return "ok"
    app.add_url_rule("/", "view", view)
    return app.test_client()


def measure(client, requests, rate):
    """(CPU ms per request, threads started, wall seconds) for ``requests``
    requests at ``rate`` a second."""
    started = set()
    threading.setprofile(lambda *_event: started.add(threading.current_thread()))
    interval = 1.0 / rate
    cpu, wall = time.process_time(), time.perf_counter()
    next_at = wall
    try:
        for _ in range(requests):
            assert client.get("/").status_code == 200
            next_at += interval
            time.sleep(max(0.0, next_at - time.perf_counter()))
    finally:
        threading.setprofile(None)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return cpu * 1000 / requests, len(started), wall


def forget_milliseconds(keys=10_000):
    """The time of the hit that forgets ``keys`` keys gone quiet at once."""
    store = MovingWindows()
    for number in range(keys):
        store.acquire_entry(f"key:{number}", 10, 1)  # a window of 1 s
    time.sleep(1.01)
    before = time.perf_counter()
    store.acquire_entry("key:new", 10, 1)
    return (time.perf_counter() - before) * 1000


def main():
    args = parse_args()
    stores = {"limits MemoryStorage (memory://)": "memory://",
              "MovingWindows (fsr-coach-memory://)": MovingWindows.URI,
              "no limiter": None}
    clients = {name: make_client(uri) for name, uri in stores.items()}
    figures = {name: [] for name in stores}
    for _ in range(ROUNDS):
        for name, client in clients.items():
            figures[name].append(measure(client, args.requests, args.rate))
    print(f"{args.requests} requests at {args.rate:g}/s, {USERS} keys, median of {ROUNDS}"
          " interleaved rounds")
    print(f"{'store':40} {'CPU ms/request':>15} {'threads started':>16} {'wall s':>7}")
    for name, runs in figures.items():
        cpu, threads, wall = (statistics.median(run[i] for run in runs) for i in range(3))
        print(f"{name:40} {cpu:15.3f} {threads:16.0f} {wall:7.1f}")
    print(f"the MovingWindows hit that forgets 10,000 keys gone quiet at once:"
          f" {forget_milliseconds():.1f} ms")


if __name__ == "__main__":
    main()
