"""Security headers on every response.

The page loads only its own scripts and styles (no inline code), so the
strict Content-Security-Policy below holds for it. Over https (as the
proxy's X-Forwarded-Proto tells when PROXY_HOPS trusts it) browsers are
also told to use nothing else for a year. No answer but the page's own
files is kept by a browser or a shared cache: the API's, errors included,
carry note texts and the CSRF token, and a kept health check would lie.
"""
from flask import request

CONTENT_SECURITY_POLICY = ("default-src 'self'; frame-ancestors 'none'; "
                           "base-uri 'none'; form-action 'self'")
STRICT_TRANSPORT_SECURITY = "max-age=31536000"
NO_STORE = "no-store"
PAGE_BLUEPRINT = "web"


def init_app(app):
    app.after_request(_add_security_headers)


def _add_security_headers(response):
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if request.blueprint != PAGE_BLUEPRINT:
        response.headers["Cache-Control"] = NO_STORE
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY)
    return response
