"""Rate limits (Flask-Limiter): sign-in attempts per client address and per
account named (RATELIMIT_LOGIN), API calls per signed-in user (RATELIMIT_API).

Counts live in RATELIMIT_STORAGE_URI: memory (one count per process) by
default, Redis (``redis://host:port/db``) so that every worker and instance
shares them; while Redis is unreachable each process counts on its own. A
request over a limit is refused with a 429 (errors.py) whose Retry-After
says when the oldest counted request leaves the window.

Flask-Limiter takes any error raised while counting for a failure of its
store, so the functions below that ask the database never let its
DatabaseUnavailable out: they skip their limit, and the view's own query
then answers the 503.
"""
import math
import threading
import time

from flask import g, request
from flask_limiter import Limiter
from limits.storage import MemoryStorage

from .auth import routes as auth_routes, users
from .auth.session import current_user
from .cases import bp as cases_bp
from .db import DatabaseUnavailable
from .reports import bp as reports_bp

# Every key starts with this, so one Redis may serve other things too. Each
# key then names its kind (address:, account:, username:, user:), so a
# username that looks like an address never shares the address's count.
KEY_PREFIX = "fsr_coach"


def init_app(app):
    """Count requests for this app; call after logs.init_app (a 429 then has a
    request id) and after the blueprints are registered (it wraps views)."""
    config = app.config
    storage_uri = config["RATELIMIT_STORAGE_URI"]
    limiter = Limiter(
        key_func=_client_address,
        app=app,
        storage_uri=_SweptMemoryStorage.URI if storage_uri == "memory://" else storage_uri,
        # "10 per minute" means in any 60 seconds, not per clock minute.
        strategy="moving-window",
        key_prefix=KEY_PREFIX,
        on_breach=_remember_retry_after,
        # Redis unreachable: count in this process's memory until it answers
        # again (Flask-Limiter asks it with back-off), rather than refuse
        # every request. The timeouts keep an unreachable host from holding
        # requests up (the memory storage ignores them).
        in_memory_fallback_enabled=True,
        storage_options={"socket_connect_timeout": 1, "socket_timeout": 1},
    )
    login_limit = config["RATELIMIT_LOGIN"]
    _limit_view(app, "auth.login",
                limiter.limit(login_limit, key_func=_client_address, scope="login-address"),
                limiter.limit(login_limit, key_func=_login_username, scope="login-username",
                              exempt_when=lambda: _login_username() is None))
    api_limit = limiter.shared_limit(config["RATELIMIT_API"], scope="api",
                                     key_func=_user_key, exempt_when=_signed_out)
    api_limit(cases_bp)
    api_limit(reports_bp)
    _limit_view(app, "auth.me", api_limit)
    _limit_view(app, "auth.logout", api_limit)
    return limiter


class _SweptMemoryStorage(MemoryStorage):
    """limits' memory storage, sweeping out expired counts once a second.

    The original starts a thread to sweep 10 ms after a count whenever none
    is running, so at a few hundred requests a second each worker starts a
    hundred threads a second: measured, that took a third of the server's
    CPU per request (BENCHMARKS.md). A count is still checked against its own
    window on every request; only the clean-up is less eager.
    """

    STORAGE_SCHEME = ["fsr-coach-memory"]
    URI = "fsr-coach-memory://"
    SWEEP_SECONDS = 1.0

    def _MemoryStorage__schedule_expiry(self):  # replaces the 10 ms timer
        if not self.timer.is_alive():
            self.timer = threading.Timer(self.SWEEP_SECONDS, self._MemoryStorage__expire_events)
            self.timer.daemon = True
            self.timer.start()


def _limit_view(app, endpoint, *limits):
    """Wrap this app's view in route limits: Flask-Limiter checks a view's own
    limits in the wrapper its decorator returns."""
    view = app.view_functions[endpoint]
    for limit in limits:
        view = limit(view)
    app.view_functions[endpoint] = view


def _client_address():
    # The proxy's client when PROXY_HOPS trusts its X-Forwarded-For.
    return f"address:{request.remote_addr}"


def _login_username():
    """The account a sign-in attempt names: its id when it exists (the database
    matches names without regard to case or accents), else the name as given."""
    if "login_limit_key" not in g:
        try:
            g.login_limit_key = _account_key()
        except DatabaseUnavailable:
            g.login_limit_key = None
    return g.login_limit_key


def _account_key():
    body = request.get_json(silent=True)
    username = body.get("username") if isinstance(body, dict) else None
    if not isinstance(username, str) or not username.strip():
        return None
    user = users.find_by_username(username.strip())
    if user is not None:
        return f"account:{user['id']}"
    return f"username:{username.strip().casefold()}"


def _user_key():
    return f"user:{current_user()['id']}"


def _signed_out():
    # Such a request gets its 401 (or 503) from the API's own guard.
    try:
        return current_user() is None
    except DatabaseUnavailable:
        return True


def _remember_retry_after(breached):
    # reset_at is rounded up to a whole second; the wait is never above the window.
    wait = math.ceil(breached.reset_at - time.time())
    g.retry_after = min(max(1, wait), breached.limit.get_expiry())
