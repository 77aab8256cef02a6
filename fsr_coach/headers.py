"""Security headers on every response.

The page loads only its own scripts and styles (no inline code), so the
strict Content-Security-Policy below holds for it.
"""

CONTENT_SECURITY_POLICY = ("default-src 'self'; frame-ancestors 'none'; "
                           "base-uri 'none'; form-action 'self'")


def init_app(app):
    app.after_request(_add_security_headers)


def _add_security_headers(response):
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response
