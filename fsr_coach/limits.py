"""Rate limits: sign-in attempts per client address (RATELIMIT_LOGIN_ADDRESS)
and API calls per signed-in user (RATELIMIT_API), each a ``Limit``.
Sign-in attempts per account name are counted in the database instead
(auth/attempts.py), so that limit holds across workers without Redis.

Counts live in RATELIMIT_STORAGE_URI: memory (one count per process) by
default, Redis (``redis://host:port/db``) so that every worker and instance
shares them; while Redis is unreachable each process counts on its own. A
request over a limit is refused with a 429 (errors.py) whose Retry-After
says when the oldest counted request leaves the window, and whose
``reason`` names the limit.

The login view counts its client's address with ``count_sign_in_attempt``
before anything else; the API's guard (auth/session.py) counts the user with
``count_api_call`` once it has them. Both are limits' moving-window strategy
with the rates parsed once per app. Until issue 16 Flask-Limiter counted
them, and its per-request work (a hook resolving and filtering limits on
every request) cost more than the counts themselves
(docs/decisions/005-rate-limit-store.md). ``init_app`` makes both for an app;
RATELIMIT_ENABLED=False in its config (tests, benchmarks) makes neither.
"""
import collections
import logging
import math
import threading
import time

from flask import current_app, request
from limits import parse_many
from limits.storage import MovingWindowSupport, Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

from .errors import TooManyRequests

# Every key starts with this, so one Redis may serve other things too. Each
# key then names its kind (address:, user:), so a value of one kind never
# shares the count of another.
KEY_PREFIX = "fsr_coach"
# What RATELIMIT_STORAGE_URI calls a count in this process's memory.
MEMORY_URI = "memory://"
# Keep an unreachable Redis from holding requests up (MovingWindows ignores them).
STORE_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 1}
# The app's limits in app.extensions, by reason.
LIMITS = "fsr_coach.limits"
# reason: (its setting, the kind of value it counts per, the scope in its
# keys). The scopes are Flask-Limiter's before issue 16, so that counts in
# Redis carry across the change.
KINDS = {
    "login_address": ("RATELIMIT_LOGIN_ADDRESS", "address", "auth.login:login_address"),
    "api": ("RATELIMIT_API", "user", "api"),
}
# While the store is unreachable it is asked again after 1 s, then 2, 4...
# up to this many (as Flask-Limiter did).
MAX_RETRY_SECONDS = 32

log = logging.getLogger(__name__)


def init_app(app):
    """Count requests for this app; call after logs.init_app, so that a 429
    has a request id."""
    limits = {}
    if app.config.get("RATELIMIT_ENABLED", True):
        counts = Counts(_storage(app.config["RATELIMIT_STORAGE_URI"]))
        limits = {reason: Limit(reason, parse_many(app.config[setting]), kind, scope, counts)
                  for reason, (setting, kind, scope) in KINDS.items()}
    app.extensions[LIMITS] = limits


def _storage(uri):
    return storage_from_string(MovingWindows.URI if uri == MEMORY_URI else uri,
                               **STORE_OPTIONS)


def count_sign_in_attempt():
    """Count a sign-in attempt from this request's client address (the
    proxy's client when PROXY_HOPS trusts its X-Forwarded-For) towards
    RATELIMIT_LOGIN_ADDRESS; raise TooManyRequests (reason "login_address")
    if it is over."""
    _count("login_address", request.remote_addr)


def count_api_call(user_id):
    """Count a call of the signed-in user ``user_id`` towards RATELIMIT_API;
    raise TooManyRequests (reason "api") if it is over."""
    _count("api", user_id)


def _count(reason, value):
    limit = current_app.extensions[LIMITS].get(reason)
    if limit is not None:
        limit.count(value)


class Limit:
    """A limit's rates, counted per value of its kind in a moving window in
    ``counts``; a request over any rate is refused with ``reason``."""

    def __init__(self, reason, rates, kind, scope, counts):
        self._reason = reason
        # Shortest window first, each refusing alone, as Flask-Limiter checked them.
        self._rates = sorted(rates)
        self._kind = kind
        self._scope = scope
        self._counts = counts

    def count(self, value):
        # Keyed as Flask-Limiter keyed them: LIMITER/fsr_coach/user:7/api/600/1/minute.
        identifiers = (KEY_PREFIX, f"{self._kind}:{value}", self._scope)
        wait = self._counts.hit(self._rates, identifiers)
        if wait is not None:
            raise TooManyRequests(self._reason, wait)


class Counts:
    """Moving-window counts in ``storage``, or in this process's memory while
    ``storage`` is unreachable, asked again with back-off."""

    def __init__(self, storage):
        self._storage = storage
        self._shared = MovingWindowRateLimiter(storage)
        self._local = MovingWindowRateLimiter(MovingWindows())
        self._failures = 0  # since the store last answered
        self._next_check = 0.0

    def hit(self, rates, identifiers):
        """Count a request under ``identifiers`` for each of ``rates`` until
        one refuses it; the seconds to wait if one did, else None."""
        try:
            return _refusal(self._strategy(), rates, identifiers)
        except self._storage.base_exceptions:
            log.warning("rate-limit storage unreachable: requests counted in this process")
            self._back_off()
            return _refusal(self._local, rates, identifiers)

    def _strategy(self):
        if not self._failures:
            return self._shared
        if time.monotonic() < self._next_check:
            return self._local
        if self._storage.check():
            log.info("rate-limit storage answers again: requests counted there")
            self._failures = 0
            return self._shared
        self._back_off()
        return self._local

    def _back_off(self):
        self._next_check = time.monotonic() + min(2 ** self._failures, MAX_RETRY_SECONDS)
        self._failures += 1


def _refusal(strategy, rates, identifiers):
    for rate in rates:
        if not strategy.hit(rate, *identifiers):
            reset_at, _remaining = strategy.get_window_stats(rate, *identifiers)
            # reset_at is rounded up to a whole second; the wait is never above the window.
            return min(max(1, math.ceil(reset_at - time.time())), rate.get_expiry())
    return None


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

    # The counters of the other strategies; the limits use the moving window.
    def incr(self, key, expiry, amount=1):
        raise NotImplementedError("MovingWindows serves the moving-window strategy only")

    def get(self, key):
        raise NotImplementedError("MovingWindows serves the moving-window strategy only")

    def get_expiry(self, key):
        raise NotImplementedError("MovingWindows serves the moving-window strategy only")
