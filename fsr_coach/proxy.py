"""Behind a reverse proxy: which of its headers the app believes.

``PROXY_HOPS`` (default 0: none) is how many proxies stand in front of the
app: ProxyFix then takes the client's address and scheme from that many
entries of X-Forwarded-For and X-Forwarded-Proto, so ``request.remote_addr``
(rate limits, the audit line) and ``request.is_secure`` (HSTS) are the
client's. Without it those headers are ignored: any client could send them.

With ``AUTH_MODE=proxy`` the user comes from ``AUTH_PROXY_HEADER``, believed
only when the connection itself comes from an address in ``TRUSTED_PROXIES``.
"""
import ipaddress
import logging

from flask import current_app, request
from werkzeug.middleware.proxy_fix import ProxyFix

from .config import networks

log = logging.getLogger(__name__)

MAX_USERNAME_CHARS = 100  # users.username


def init_app(app):
    hops = app.config["PROXY_HOPS"]
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    app.extensions["trusted_proxies"] = networks("TRUSTED_PROXIES", app.config["TRUSTED_PROXIES"])


def peer_address():
    """The address that opened the connection: the nearest proxy, whatever
    X-Forwarded-For says."""
    original = request.environ.get("werkzeug.proxy_fix.orig")
    return original["REMOTE_ADDR"] if original else request.remote_addr


def forwarded_username():
    """The user the authenticating proxy names, or None: when the header is
    missing or malformed, or comes from a peer not in TRUSTED_PROXIES."""
    header = current_app.config["AUTH_PROXY_HEADER"]
    username = request.headers.get(header)
    if username is None:
        return None
    if not _from_trusted_proxy():
        log.warning("ignored %s from %s, which is not in TRUSTED_PROXIES",
                    header, peer_address())
        return None
    username = username.strip()
    if not 0 < len(username) <= MAX_USERNAME_CHARS or not username.isprintable():
        log.warning("ignored a malformed %s", header)
        return None
    return username


def _from_trusted_proxy():
    try:
        peer = ipaddress.ip_address(peer_address() or "")
    except ValueError:  # a Unix socket has no address
        return False
    return any(peer in network for network in current_app.extensions["trusted_proxies"])
