"""A banned member who signs in with their password is told they are banned and where to
appeal; with a wrong password they get the answer everyone gets (no enumeration)."""

from __future__ import annotations

import pytest
from conftest import path_of, sign_in, text, without_csrf
from factories import founder, sponsored

from graph import bans


@pytest.fixture
def bob(engine):
    """Bob, banned by the founder Alice."""
    alice = founder(engine)
    bob = sponsored(engine, alice, "Bob")
    bans.ban(engine, alice.id, bob.id, "spam", strike_threshold=2)
    return bob


def test_a_banned_member_with_their_password_is_sent_to_their_appeal(app, bob):
    browser = app.test_client()
    response = sign_in(browser, bob.email)

    assert response.status_code == 302
    appeal = browser.get(path_of(response.headers["Location"]))
    assert "Your account is banned: you cannot sign in." in text(appeal)
    assert "Send my appeal" in text(appeal)
    assert "Wrong e-mail or password." not in text(appeal)
    assert path_of(browser.get("/").headers["Location"]).startswith("/login")  # not signed in


def test_a_banned_member_with_a_wrong_password_gets_the_answer_of_an_unknown_address(app, bob):
    wrong = sign_in(app.test_client(), bob.email, "not the password at all")
    unknown = sign_in(app.test_client(), "nobody@example.org", "not the password at all")

    assert wrong.status_code == unknown.status_code == 200
    assert "Wrong e-mail or password." in text(wrong)
    assert (without_csrf(text(wrong)).replace(bob.email, "EMAIL")
            == without_csrf(text(unknown)).replace("nobody@example.org", "EMAIL"))
