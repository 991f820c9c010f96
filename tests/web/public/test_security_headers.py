"""Headers and cookies that keep pages unframed, scripts our own, and secret links unleaked."""

from __future__ import annotations

import re

import pytest
from conftest import join_path, path_of, sign_in, text
from factories import founder, invitation

from trustnet.links import password_link

META_REFERRER = re.compile(r'<meta[^>]+name="referrer"[^>]*>', re.IGNORECASE)


@pytest.fixture
def alice(engine):
    return founder(engine)


def link_page(app, engine, alice, kind: str) -> str:
    """The path of a page whose URL carries a secret: an invitation or a set-password link."""
    if kind == "join":
        return join_path(app, invitation(engine, alice, "bob@example.org")[1])
    with app.test_request_context():
        return path_of(password_link(alice, claim=kind == "claim"))


def set_cookies(response) -> dict[str, str]:
    """The Set-Cookie headers of a response, by cookie name."""
    return {header.split("=", 1)[0]: header for header in response.headers.getlist("Set-Cookie")}


@pytest.mark.parametrize("kind", ["join", "reset", "claim"])
def test_a_page_whose_url_holds_a_secret_sends_no_referrer_and_is_not_cached(
        app, client, engine, alice, kind):
    response = client.get(link_page(app, engine, alice, kind))

    assert response.status_code == 200
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Cache-Control"] == "no-store"
    # A <meta name="referrer"> in the page would override the header in the browser.
    assert [tag for tag in META_REFERRER.findall(text(response))
            if 'content="no-referrer"' not in tag] == []


@pytest.mark.parametrize("path", ["/login", "/join/not-a-token", "/reset/not-a-token"])
def test_every_page_forbids_inline_scripts_framing_and_sniffing(client, path):
    headers = client.get(path).headers

    policy = headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in headers  # plain http in these tests


def test_the_session_cookie_is_http_only_and_same_site_lax(client):
    cookie = set_cookies(client.get("/login"))["session"]

    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie


class TestWithSecureCookies:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "TRUSTNET_SECURE_COOKIES": True}

    def test_session_and_remember_cookies_are_secure_and_https_is_required(self, client,
                                                                           alice):
        response = sign_in(client, "alice@example.org", remember=True)

        cookies = set_cookies(response)
        for name in ("session", "remember_token"):
            assert "Secure" in cookies[name]
            assert "HttpOnly" in cookies[name]
            assert "SameSite=Lax" in cookies[name]
        assert response.headers["Strict-Transport-Security"].startswith("max-age=")
