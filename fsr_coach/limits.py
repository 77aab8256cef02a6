"""Rate limits: sign-in attempts per client address (RATELIMIT_LOGIN_ADDRESS,
Flask-Limiter) and API calls per signed-in user (RATELIMIT_API, ``ApiLimit``).
Sign-in attempts per account name are counted in the database instead
(auth/attempts.py), so that limit holds across workers without Redis.

Counts live in RATELIMIT_STORAGE_URI: memory (one count per process) by
default, Redis (``redis://host:port/db``) so that every worker and instance
shares them; while Redis is unreachable each process counts on its own. A
request over a limit is refused with a 429 (errors.py) whose Retry-After
says when the oldest counted request leaves the window, and whose
``reason`` names the limit.

The address limit is declared with ``limiter``'s decorator on the login view
(auth/routes.py), with ``on_breach=refusal(reason)``. The API limit is on
every API request, and Flask-Limiter's per-request work (resolving the
blueprint's limits and exemptions, parsing the limit's text) cost more than
the count itself (docs/decisions/005-rate-limit-store.md): the API's guard
(auth/session.py) counts it with ``count_api_call``, limits' moving-window
strategy on the limiter's own store, with the rate parsed once per app.
``init_app`` binds both to an app.
"""
import collections
import logging
import math
import threading
import time

from flask import current_app, g, request
from flask_limiter import Limiter
from limits import parse_many
from limits.storage import MovingWindowSupport, Storage
from limits.strategies import MovingWindowRateLimiter

from .errors import TooManyRequests

# Every key starts with this, so one Redis may serve other things too. Each
# key then names its kind (address:, user:), so a value of one kind never
# shares the count of another.
KEY_PREFIX = "fsr_coach"
# What RATELIMIT_STORAGE_URI calls a count in this process's memory.
MEMORY_URI = "memory://"
# The app's ApiLimit in app.extensions.
API_LIMIT = "fsr_coach.api_limit"
# While the store is unreachable it is asked again after 1 s, then 2, 4...
# up to this many (as Flask-Limiter asks for the address limit).
MAX_RETRY_SECONDS = 32

log = logging.getLogger(__name__)


def client_address():
    # The proxy's client when PROXY_HOPS trusts its X-Forwarded-For.
    return f"address:{request.remote_addr}"


def refusal(reason):
    """A limit's on_breach: it notes for the 429 (errors.py) that the limit
    ``reason`` refused the request, and when it lets the client in again."""
    def breached(request_limit):
        g.rate_limited = TooManyRequests(
            reason, _seconds_to_wait(request_limit.reset_at, request_limit.limit))
    return breached


def _seconds_to_wait(reset_at, rate):
    # reset_at is rounded up to a whole second; the wait is never above the window.
    return min(max(1, math.ceil(reset_at - time.time())), rate.get_expiry())


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
    # RATELIMIT_ENABLED is Flask-Limiter's switch, for both limits. Unset,
    # Flask-Limiter would keep the value of the app bound before this one.
    app.config.setdefault("RATELIMIT_ENABLED", True)
    limiter.init_app(app)
    if app.config["RATELIMIT_ENABLED"]:
        app.extensions[API_LIMIT] = ApiLimit(parse_many(app.config["RATELIMIT_API"]),
                                             limiter.storage)


def count_api_call(user_id):
    """Count a call of the signed-in user ``user_id`` towards RATELIMIT_API;
    raise TooManyRequests (reason "api") if it is over."""
    api_limit = current_app.extensions.get(API_LIMIT)
    if api_limit is not None:
        api_limit.count(f"user:{user_id}")


class ApiLimit:
    """RATELIMIT_API's rates counted per key in a moving window, in ``storage``
    (the limiter's, keyed as Flask-Limiter keys a shared limit of scope "api"),
    or in this process's memory while ``storage`` is unreachable."""

    def __init__(self, rates, storage):
        # Shortest window first, each refusing alone, as Flask-Limiter checks them.
        self._rates = sorted(rates)
        self._storage = storage
        self._shared = MovingWindowRateLimiter(storage)
        self._local = MovingWindowRateLimiter(MovingWindows())
        self._failures = 0  # since the store last answered
        self._next_check = 0.0

    def count(self, key):
        try:
            self._count_in(self._strategy(), key)
        except self._storage.base_exceptions:
            log.warning("rate-limit storage unreachable: API calls counted in this process")
            self._back_off()
            self._count_in(self._local, key)

    def _count_in(self, strategy, key):
        identifiers = (KEY_PREFIX, key, "api")
        for rate in self._rates:
            if not strategy.hit(rate, *identifiers):
                reset_at, _remaining = strategy.get_window_stats(rate, *identifiers)
                raise TooManyRequests("api", _seconds_to_wait(reset_at, rate))

    def _strategy(self):
        if not self._failures:
            return self._shared
        if time.monotonic() < self._next_check:
            return self._local
        if self._storage.check():
            log.info("rate-limit storage answers again: API calls counted there")
            self._failures = 0
            return self._shared
        self._back_off()
        return self._local

    def _back_off(self):
        self._next_check = time.monotonic() + min(2 ** self._failures, MAX_RETRY_SECONDS)
        self._failures += 1


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
