"""Forgotten passwords: the same answer for every address, and links that work once."""

from __future__ import annotations

import pytest
from conftest import (
    csrf_token,
    link_in,
    mail_body,
    path_of,
    post_form,
    sign_in,
    signed_token,
    text,
    without_csrf,
)
from factories import founder, reload

from trustnet.links import password_link
from trustnet.security import PURPOSE_PASSWORD

NEW_PASSWORD = "a brand new password"


@pytest.fixture
def alice(engine):
    return founder(engine)


def ask_for_link(app, email: str):
    """Fill in the forgot-password form from a fresh browser; return the browser and answer."""
    browser = app.test_client()
    return browser, post_form(browser, "/forgot", {"email": email})


def reset_path(app, mailbox, email: str) -> str:
    """Ask for a reset link for email and return the path of the link that arrives."""
    ask_for_link(app, email)
    return path_of(link_in(mail_body(mailbox.wait_for(1)[-1])))


def set_password(browser, path: str, password: str, confirm: str | None = None):
    """Submit the set-password form of a link, with a CSRF token of the browser's session."""
    token = csrf_token(text(browser.get("/login")))
    return browser.post(path, data={"password": password, "confirm": confirm or password,
                                    "csrf_token": token})


def test_forgot_password_answers_alike_for_known_and_unknown_and_mails_only_the_known(
        app, mailbox, alice):
    unknown_browser, unknown = ask_for_link(app, "nobody@example.org")
    known_browser, known = ask_for_link(app, "alice@example.org")

    assert (known.status_code, known.headers["Location"]) == (302, "/login")
    assert (unknown.status_code, text(unknown)) == (known.status_code, text(known))
    after_known = text(known_browser.get("/login"))
    after_unknown = text(unknown_browser.get("/login"))
    assert "If an account uses this address, we have sent it a link" in after_known
    assert without_csrf(after_unknown) == without_csrf(after_known)
    mailbox.wait_for(1)
    assert [m["To"] for m in mailbox.wait_for(2, timeout=0.5)] == ["alice@example.org"]
    assert "/reset/" in link_in(mail_body(mailbox.messages[0]))


def test_a_reset_link_works_once_and_signs_out_every_session(app, browser, engine, mailbox,
                                                            alice):
    elsewhere = browser(alice)
    assert elsewhere.get("/network").status_code == 200
    path = reset_path(app, mailbox, "alice@example.org")
    owner = app.test_client()

    assert "Choose a new password" in text(owner.get(path))
    response = post_form(owner, path, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})

    assert (response.status_code, response.headers["Location"]) == (302, "/login")
    assert "Your password is set. Sign in with it." in text(owner.get("/login"))
    assert elsewhere.get("/network").headers["Location"].startswith("/login")
    changed = reload(engine, alice)
    for second_use in (owner.get(path), set_password(owner, path, "yet another password")):
        assert second_use.status_code == 410
        assert "This link does not work any more" in text(second_use)
    assert reload(engine, alice) == changed
    assert sign_in(app.test_client(), "alice@example.org", NEW_PASSWORD).status_code == 302


@pytest.mark.parametrize(("password", "confirm", "message"), [
    ("too short", "too short", "Field must be between 10 and 1024 characters long."),
    (NEW_PASSWORD, "a different password", "The passwords differ."),
    ("", "", "This field is required."),
])
def test_a_refused_new_password_shows_why_and_keeps_the_link_usable(
        app, engine, mailbox, alice, password, confirm, message):
    path = reset_path(app, mailbox, "alice@example.org")
    owner = app.test_client()

    response = set_password(owner, path, password, confirm)

    assert response.status_code == 200
    assert message in text(response)
    assert reload(engine, alice) == alice
    assert owner.get(path).status_code == 200


def reset_token(app, member, seconds_ago: float = 0) -> str:
    payload = {"m": member.id, "v": member.session_version, "c": False}
    return signed_token(app, PURPOSE_PASSWORD, payload, seconds_ago)


def claim_token(app, member) -> str:
    with app.test_request_context():
        return path_of(password_link(member, claim=True)).rsplit("/", 1)[-1]


UNUSABLE = {  # a link that must get the invalid page: how it is made
    "reset link older than its hours": lambda app, alice: "/reset/" + reset_token(
        app, alice, (app.config["TRUSTNET_RESET_HOURS"] + 1) * 3600),
    "claim token on the reset page": lambda app, alice: "/reset/" + claim_token(app, alice),
    "reset token on the claim page": lambda app, alice: "/claim/" + reset_token(app, alice),
    "tampered reset token": lambda app, alice: "/reset/" + reset_token(app, alice)[:-2] + "xx",
}


@pytest.mark.parametrize("make", UNUSABLE.values(), ids=UNUSABLE.keys())
def test_a_link_that_is_too_old_forged_or_of_the_wrong_kind_gets_the_invalid_page(
        app, engine, alice, make):
    path = make(app, alice)
    owner = app.test_client()

    for response in (owner.get(path), set_password(owner, path, NEW_PASSWORD)):
        assert response.status_code == 404
        assert "This link does not work any more" in text(response)
    assert reload(engine, alice) == alice


def ask_from(app, ip: str, email: str):
    """Fill in the forgot-password form from a fresh browser at address ip."""
    browser = app.test_client()
    browser.environ_base["REMOTE_ADDR"] = ip
    return post_form(browser, "/forgot", {"email": email})


TOO_MANY = "Too many requests for a password link."


class TestResetMailLimits:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "TRUSTNET_RESET_LIMIT_ADDRESS": 2, "TRUSTNET_RESET_LIMIT_IP": 3}

    def test_one_address_gets_a_few_links_then_known_and_unknown_are_refused_alike(
            self, app, mailbox, alice):
        for n, email in enumerate(["alice@example.org", "Alice@example.org", "nobody@example.org",
                                   "nobody@example.org"]):
            assert ask_from(app, f"198.51.100.{n}", email).status_code == 302

        known = ask_from(app, "198.51.100.8", "alice@example.org")
        unknown = ask_from(app, "198.51.100.9", "nobody@example.org")

        assert known.status_code == unknown.status_code == 429
        assert TOO_MANY in text(known)
        assert without_csrf(text(known)).replace("alice@", "X@") == without_csrf(
            text(unknown)).replace("nobody@", "X@")
        assert [m["To"] for m in mailbox.wait_for(3, timeout=1)] == ["alice@example.org"] * 2

    def test_one_client_gets_a_few_links_whatever_the_addresses(self, app, mailbox, alice):
        for n in range(3):
            assert ask_from(app, "203.0.113.7", f"someone{n}@example.org").status_code == 302

        refused = ask_from(app, "203.0.113.7", "alice@example.org")
        elsewhere = ask_from(app, "203.0.113.8", "alice@example.org")

        assert (refused.status_code, elsewhere.status_code) == (429, 302)
        assert [m["To"] for m in mailbox.wait_for(2, timeout=1)] == ["alice@example.org"]
