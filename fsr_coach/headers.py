"""Security headers on every response.

The page loads only its own scripts and styles (no inline code), so the
strict Content-Security-Policy below holds for it. Over https (as the
proxy's X-Forwarded-Proto tells when PROXY_HOPS trusts it) browsers are
also told to use nothing else for a year.
"""
from flask import request

CONTENT_SECURITY_POLICY = ("default-src 'self'; frame-ancestors 'none'; "
                           "base-uri 'none'; form-action 'self'")
STRICT_TRANSPORT_SECURITY = "max-age=31536000"


def init_app(app):
    app.after_request(_add_security_headers)


def _add_security_headers(response):
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY)
    return response
