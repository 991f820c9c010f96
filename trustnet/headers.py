"""Security headers on every response."""

from __future__ import annotations

from flask import Response, current_app, request
from flask_login import current_user

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
# Pages whose URL carries a secret: the token must not leak through the Referer header.
SECRET_URL_ENDPOINTS = frozenset({"auth.join", "auth.confirm", "auth.reset", "auth.claim",
                                  "auth.unlock",
                                  "member.sponsor", "moderation.appeal_ban",
                                  "moderation.reinstate"})


def add_security_headers(response: Response) -> Response:
    """Set CSP, framing, sniffing, referrer, caching and (over HTTPS) HSTS headers."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    secret_page = request.endpoint in SECRET_URL_ENDPOINTS
    headers["Referrer-Policy"] = "no-referrer" if secret_page else "same-origin"
    if current_app.config["TRUSTNET_SECURE_COOKIES"]:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    # A page with a secret in its URL, or for a signed-in member, is nobody else's: no copy
    # in a shared or back-button cache once the member has signed out. A response that says
    # `private` itself (a photo, whose URL never changes) may stay in the member's browser.
    if secret_page or (request.endpoint != "static" and current_user.is_authenticated
                       and not response.cache_control.private):
        headers["Cache-Control"] = "no-store"
    return response
