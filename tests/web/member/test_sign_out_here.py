""""Sign out" ends this browser's session only; "Sign out everywhere" (Settings) ends all."""

from __future__ import annotations

import pytest
from conftest import post_form, sign_in, text
from factories import founder


@pytest.fixture
def alice(engine):
    return founder(engine)


def signed_out(browser) -> bool:
    """Whether a member page sends this browser to the sign-in page."""
    response = browser.get("/network")
    return response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_signing_out_on_the_laptop_keeps_the_phone_signed_in(app, alice):
    laptop, phone, remembered_phone = app.test_client(), app.test_client(), app.test_client()
    sign_in(laptop, "alice@example.org")
    sign_in(phone, "alice@example.org")
    sign_in(remembered_phone, "alice@example.org", remember=True)
    remembered_phone.delete_cookie("session")  # a new day: the remember-me cookie alone

    response = post_form(laptop, "/logout", {}, page="/network")

    assert (response.status_code, response.headers["Location"]) == (302, "/login")
    assert "You are signed out." in text(laptop.get("/login"))
    assert signed_out(laptop)
    assert not signed_out(phone)
    assert not signed_out(remembered_phone)


def test_sign_out_everywhere_is_in_settings_and_ends_every_device(app, alice):
    laptop, phone = app.test_client(), app.test_client()
    sign_in(laptop, "alice@example.org")
    sign_in(phone, "alice@example.org", remember=True)

    settings = text(phone.get("/settings"))
    assert 'action="/logout/everywhere"' in settings and "Sign out everywhere" in settings
    post_form(phone, "/logout/everywhere", {}, page="/settings")

    assert signed_out(phone)
    assert signed_out(laptop)
    assert phone.get_cookie("remember_token") is None
