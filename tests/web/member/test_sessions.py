"""Signing out everywhere and changing the password end every copy of a session, wherever
it is."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import pytest
from conftest import post_form, sign_in, text
from factories import PASSWORD, founder, reload

NEW_PASSWORD = "a brand new password"


@pytest.fixture
def alice(engine):
    return founder(engine)


def copy_cookie(source, target, name: str) -> None:
    """Give target the cookie source holds, as a thief who copied it would."""
    cookie = source.get_cookie(name)
    assert cookie is not None, f"no {name} cookie to copy"
    target.set_cookie(name, cookie.value)


def signed_out(browser) -> bool:
    """Whether a member page sends this browser to the sign-in page."""
    response = browser.get("/network")
    return response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_signing_out_everywhere_ends_copied_sessions_and_remember_me_cookies_too(
        app, client, alice):
    sign_in(client, "alice@example.org", remember=True)
    session_copy, remembered = app.test_client(), app.test_client()
    copy_cookie(client, session_copy, "session")
    copy_cookie(client, remembered, "remember_token")
    assert not signed_out(session_copy)
    assert not signed_out(remembered)

    response = post_form(client, "/logout/everywhere", {}, page="/settings")

    assert (response.status_code, response.headers["Location"]) == (302, "/login")
    assert "You are signed out on every device." in text(client.get("/login"))
    for browser in (client, session_copy, remembered):
        assert signed_out(browser)


def test_changing_the_password_ends_copied_sessions_and_remember_me_cookies(
        app, client, engine, alice):
    sign_in(client, "alice@example.org", remember=True)
    session_copy, remembered = app.test_client(), app.test_client()
    copy_cookie(client, session_copy, "session")
    copy_cookie(client, remembered, "remember_token")
    assert not signed_out(session_copy)
    assert not signed_out(remembered)  # the remember-me cookie alone signs in

    response = post_form(client, "/settings", {"pw-current": PASSWORD,
                                               "pw-password": NEW_PASSWORD,
                                               "pw-confirm": NEW_PASSWORD})

    assert (response.status_code, response.headers["Location"]) == (302, "/login")
    assert "Password changed. Every session was signed out" in text(client.get("/login"))
    for browser in (client, session_copy, remembered):
        assert signed_out(browser)
    assert reload(engine, alice).session_version == alice.session_version + 1
    assert sign_in(app.test_client(), "alice@example.org", NEW_PASSWORD).status_code == 302


@pytest.mark.parametrize(("current", "new", "confirm", "message"), [
    ("not my password", NEW_PASSWORD, NEW_PASSWORD, "This is not your current password."),
    (PASSWORD, NEW_PASSWORD, "a different password", "The passwords differ."),
    (PASSWORD, "too short", "too short", "Field must be between 10 and 1024 characters long."),
])
def test_a_refused_password_change_says_why_and_keeps_every_session(
        browser, engine, alice, current, new, confirm, message):
    alice_browser = browser(alice)

    response = post_form(alice_browser, "/settings", {"pw-current": current,
                                                      "pw-password": new,
                                                      "pw-confirm": confirm})

    assert response.status_code == 200
    assert message in text(response)
    assert reload(engine, alice) == alice
    assert not signed_out(alice_browser)



def test_signing_out_deletes_the_remember_me_cookie_from_the_browser(client, alice):
    sign_in(client, "alice@example.org", remember=True)
    assert client.get_cookie("remember_token") is not None

    post_form(client, "/logout", {}, page="/network")

    assert client.get_cookie("remember_token") is None


def test_remember_me_lasts_a_month_not_a_year(client, alice):
    response = sign_in(client, "alice@example.org", remember=True)

    cookie = next(header for header in response.headers.getlist("Set-Cookie")
                  if header.startswith("remember_token="))
    expires = parsedate_to_datetime(cookie.split("Expires=")[1].split(";")[0])
    days = (expires - datetime.now(UTC)).days
    assert 29 <= days <= 30


def test_a_signed_in_members_pages_are_kept_in_no_cache(browser, alice):
    member_browser = browser(alice)
    for path in ("/", "/network", "/settings", "/offers/mine"):
        assert member_browser.get(path).headers["Cache-Control"] == "no-store", path
