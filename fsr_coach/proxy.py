"""Behind a reverse proxy: which of its headers the app believes.

``PROXY_HOPS`` (default 0: none) is how many proxies stand in front of the
app: ProxyFix then takes the client's address and scheme from that many
entries of X-Forwarded-For and X-Forwarded-Proto, so ``request.remote_addr``
(rate limits, the audit line) and ``request.is_secure`` (HSTS) are the
client's. Without it those headers are ignored: any client could send them.

With ``AUTH_MODE=proxy`` the user comes from ``AUTH_PROXY_HEADER``, believed
only when the connection itself comes from an address in ``TRUSTED_PROXIES``.
The proxy sends the name in UTF-8 (oauth2-proxy does); WSGI hands every
header over decoded as latin-1, so the bytes are decoded again here, and a
header that is not UTF-8 names nobody.

A header sent twice names nobody either. gunicorn, Werkzeug's server and
its test client all join the repeats into one value with commas ("bob,alice"),
so the app cannot tell them from a name with a comma in it: a comma in the
header refuses it, and no name with a comma signs in through the proxy.
(gunicorn also drops a header spelled with underscores, X_Forwarded_User,
rather than take it for this one.)

An address matches a network as itself or, when it is an IPv4-mapped IPv6
address (``::ffff:127.0.0.1``: an IPv4 client of a dual-stack socket, as
gunicorn bound to ``[::]`` sees it), as the IPv4 address it maps.
"""
import ipaddress
import logging

from flask import current_app, request
from werkzeug.middleware.proxy_fix import ProxyFix

from .config import networks

log = logging.getLogger(__name__)


def init_app(app):
    hops = app.config["PROXY_HOPS"]
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    app.extensions["trusted_proxies"] = networks("TRUSTED_PROXIES", app.config["TRUSTED_PROXIES"])


def is_in_networks(address, allowed):
    """Whether ``address`` (a string, as REMOTE_ADDR holds it) is in one of
    the ``allowed`` networks, an IPv4-mapped address also as its IPv4 one."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:  # a Unix socket has no address
        return False
    candidates = [ip]
    if ip.version == 6 and ip.ipv4_mapped:
        candidates.append(ip.ipv4_mapped)
    return any(candidate in network for candidate in candidates for network in allowed)


def peer_address():
    """The address that opened the connection: the nearest proxy, whatever
    X-Forwarded-For says."""
    original = request.environ.get("werkzeug.proxy_fix.orig")
    return original["REMOTE_ADDR"] if original else request.remote_addr


def forwarded_username():
    """The name the authenticating proxy sent, untrimmed, or None: when the
    header is missing, repeated or not UTF-8, or comes from a peer not in
    TRUSTED_PROXIES."""
    header = current_app.config["AUTH_PROXY_HEADER"]
    value = request.headers.get(header)
    if value is None:
        return None
    if not is_in_networks(peer_address(), current_app.extensions["trusted_proxies"]):
        log.warning("ignored %s from %s, which is not in TRUSTED_PROXIES",
                    header, peer_address())
        return None
    if "," in value:
        log.warning("refused %s: sent more than once", header)
        return None
    try:
        return value.encode("latin-1").decode("utf-8")
    except UnicodeError:
        log.warning("refused %s: not UTF-8", header)
        return None
