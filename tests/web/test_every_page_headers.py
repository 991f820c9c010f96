"""Every page of the URL map, for visitors and members alike, forbids inline scripts,
framing and sniffing; every page whose URL carries a token sends no referrer and is not
cached. (tests/web/public/test_security_headers.py checks the values on public pages, and
the cookie flags.)
"""

from __future__ import annotations

import pytest
from site_map import pages, signed_in, world


def set_cookie_headers(response) -> dict[str, str]:
    """The Set-Cookie headers of a response, by cookie name."""
    return {header.split("=", 1)[0]: header for header in response.headers.getlist("Set-Cookie")}


@pytest.mark.parametrize("viewer", ["visitor", "member"])
def test_every_page_forbids_inline_scripts_framing_and_sniffing(app, engine, viewer):
    found = world(engine)
    client = app.test_client()
    if viewer == "member":
        signed_in(client, found.bob)
    token_pages = {rule.endpoint for rule in app.url_map.iter_rules() if "token" in rule.arguments}

    for endpoint, path in pages(app, found, "GET"):
        response = client.get(path)
        response.close()
        headers = response.headers
        policy = headers["Content-Security-Policy"]
        assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy, path
        assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy, path
        assert headers["X-Content-Type-Options"] == "nosniff", path
        if endpoint in token_pages:
            assert headers["Referrer-Policy"] == "no-referrer", path
            assert headers["Cache-Control"] == "no-store", path
    assert token_pages >= {"auth.join", "auth.reset", "auth.claim", "member.sponsor"}


class TestBehindHttps:
    @pytest.fixture
    def app_config(self, app_config):
        # No explicit choice: an https:// base URL means production.
        return {**app_config, "TRUSTNET_BASE_URL": "https://trust.example.org",
                "TRUSTNET_SECURE_COOKIES": None}

    def test_cookies_are_secure_and_https_is_required_by_default(self, client):
        response = client.get("/login", base_url="https://trust.example.org")

        session_cookie = set_cookie_headers(response)["session"]
        assert "Secure" in session_cookie and "HttpOnly" in session_cookie
        assert "SameSite=Lax" in session_cookie
        assert response.headers["Strict-Transport-Security"].startswith("max-age=")
