"""Rate limits (Flask-Limiter): sign-in attempts per client address
(RATELIMIT_LOGIN_ADDRESS) and API calls per signed-in user (RATELIMIT_API).
Sign-in attempts per account name are counted in the database instead
(auth/attempts.py), so that limit holds across workers without Redis.

Counts live in RATELIMIT_STORAGE_URI: memory (one count per process) by
default, Redis (``redis://host:port/db``) so that every worker and instance
shares them; while Redis is unreachable each process counts on its own. A
request over a limit is refused with a 429 (errors.py) whose Retry-After
says when the oldest counted request leaves the window, and whose
``reason`` names the limit.

The limits are declared with the decorators of ``limiter`` on their views
(auth/routes.py, and the API's in auth/session.py), each with
``on_breach=refusal(reason)``; ``init_app`` binds the limiter to an app, as
Flask-Limiter does for an app factory.

Flask-Limiter takes any error raised while counting for a failure of its
store, so the functions that key or exempt a limit never let the database's
DatabaseUnavailable out (auth/session.py): they skip their limit, and the
view's own query then answers the 503.
"""
import collections
import math
import threading
import time

from flask import current_app, g, request
from flask_limiter import Limiter
from limits.storage import MovingWindowSupport, Storage

from .errors import TooManyRequests

# Every key starts with this, so one Redis may serve other things too. Each
# key then names its kind (address:, user:), so a value of one kind never
# shares the count of another.
KEY_PREFIX = "fsr_coach"
# What RATELIMIT_STORAGE_URI calls a count in this process's memory.
MEMORY_URI = "memory://"


def client_address():
    # The proxy's client when PROXY_HOPS trusts its X-Forwarded-For.
    return f"address:{request.remote_addr}"


def refusal(reason):
    """A limit's on_breach: it notes for the 429 (errors.py) that the limit
    ``reason`` refused the request, and when it lets the client in again."""
    def breached(request_limit):
        # reset_at is rounded up to a whole second; the wait is never above the window.
        wait = math.ceil(request_limit.reset_at - time.time())
        g.rate_limited = TooManyRequests(
            reason, min(max(1, wait), request_limit.limit.get_expiry()))
    return breached


limiter = Limiter(
    key_func=client_address,
    # "10 per minute" means in any 60 seconds, not per clock minute.
    strategy="moving-window",
    key_prefix=KEY_PREFIX,
    # Redis unreachable: count in this process's memory until it answers
    # again (Flask-Limiter asks it with back-off), rather than refuse every
    # request. The timeouts keep an unreachable host from holding requests
    # up (the memory stores ignore them).
    in_memory_fallback_enabled=True,
    storage_options={"socket_connect_timeout": 1, "socket_timeout": 1},
)

login_address_limit = limiter.limit(
    lambda: current_app.config["RATELIMIT_LOGIN_ADDRESS"], scope="login_address",
    on_breach=refusal("login_address"))


def init_app(app):
    """Count requests for this app; call after logs.init_app, so that a 429
    has a request id."""
    # Flask-Limiter reads RATELIMIT_STORAGE_URI from the app's config. One
    # limiter serves every app of a process, with the store of the app bound
    # last: a process serves one app (tests make more, one at a time).
    if app.config["RATELIMIT_STORAGE_URI"] == MEMORY_URI:
        app.config["RATELIMIT_STORAGE_URI"] = MovingWindows.URI
    limiter.init_app(app)


class MovingWindows(Storage, MovingWindowSupport):
    """Moving-window counts in this process's memory, behind limits' storage
    interface, starting no thread.

    limits' own MemoryStorage starts a thread to sweep expired counts 10 ms
    after a count whenever none is running: at a few hundred requests a
    second each worker started a hundred threads a second, which took a
    third of the server's CPU per request (BENCHMARKS.md). Here each key
    keeps the times of its counted requests (at most its limit), dropped
    from the front once they leave the window, and the keys are kept in the
    order they last counted one: each hit first forgets the keys at the
    front whose last counted request has left their window. (Behind a key
    with a longer window, a quiet key waits for that one to go.)
    """

    STORAGE_SCHEME = ["fsr-coach-memory"]
    URI = "fsr-coach-memory://"
    base_exceptions = ()  # nothing here fails as a store can

    def __init__(self, uri=None, wrap_exceptions=False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        # key: (its window in seconds, the times counted, oldest first)
        self._windows = collections.OrderedDict()
        self._lock = threading.Lock()

    def acquire_entry(self, key, limit, expiry, amount=1):
        now = time.time()
        with self._lock:
            self._forget_quiet_keys(now)
            times = self._times_in_window(key, now, expiry)
            if len(times) + amount > limit:
                return False
            times.extend([now] * amount)
            self._windows.move_to_end(key)
            return True

    def get_moving_window(self, key, limit, expiry):
        now = time.time()
        with self._lock:
            times = self._times_in_window(key, now, expiry)
            return (times[0], len(times)) if times else (now, 0)

    def _times_in_window(self, key, now, expiry):
        if key not in self._windows:
            self._windows[key] = (expiry, collections.deque())
        _expiry, times = self._windows[key]
        while times and times[0] <= now - expiry:
            times.popleft()
        return times

    def _forget_quiet_keys(self, now):
        while self._windows:
            key, (expiry, times) = next(iter(self._windows.items()))
            if times and times[-1] > now - expiry:
                return
            del self._windows[key]

    def check(self):
        return True

    def clear(self, key):
        with self._lock:
            self._windows.pop(key, None)

    def reset(self):
        with self._lock:
            count = len(self._windows)
            self._windows.clear()
            return count

    # The counters of the other strategies; the limiter uses the moving window.
    def incr(self, key, expiry, amount=1):
        raise NotImplementedError("MovingWindows serves the moving-window strategy only")

    def get(self, key):
        raise NotImplementedError("MovingWindows serves the moving-window strategy only")

    def get_expiry(self, key):
        raise NotImplementedError("MovingWindows serves the moving-window strategy only")
