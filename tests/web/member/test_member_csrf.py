"""Members' forms refuse a POST without their page's token, and change nothing."""

from __future__ import annotations

import pytest
from conftest import csrf_token, sign_in, text
from factories import PASSWORD, founder, invitation, reload

from graph import invitations

ACTIONS = {  # what a forged form would post: (url, fields)
    "invite": ("/invitations", {"email": "bob@example.org", "note": "hello"}),
    "revoke": ("/invitations/{invitation_id}/revoke", {}),
    "logout": ("/logout", {}),
    "sign out everywhere": ("/logout/everywhere", {}),
    "change password": ("/settings", {"pw-current": PASSWORD, "pw-password": "a new password!",
                                      "pw-confirm": "a new password!"}),
    "change language": ("/settings", {"lang-locale": "fr"}),
    "vouch": ("/vouch", {"email": "carol@example.org"}),
}


@pytest.fixture
def alice(engine):
    return founder(engine)


def state(engine, alice, mailbox) -> tuple:
    """Everything these forms could change: Alice, her invitations, the mail sent."""
    return reload(engine, alice), invitations.list_invitations(engine, alice.id), len(
        mailbox.messages)


def assert_refused(response) -> None:
    assert response.status_code == 400
    assert "This form was too old or did not come from this site." in text(response)


@pytest.mark.parametrize(("url", "fields"), ACTIONS.values(), ids=ACTIONS.keys())
def test_a_member_form_posted_without_its_token_is_refused_and_changes_nothing(
        browser, engine, mailbox, alice, url, fields):
    invitation_id, _ = invitation(engine, alice, "dave@example.org")
    alice_browser = browser(alice)
    before = state(engine, alice, mailbox)

    assert_refused(alice_browser.post(url.format(invitation_id=invitation_id), data=fields))
    assert state(engine, alice, mailbox) == before
    assert alice_browser.get("/network").status_code == 200  # still signed in


def test_a_token_from_another_session_is_refused(browser, engine, mailbox, alice):
    alice_browser = browser(alice)
    alice_browser.get("/invitations")
    foreign = csrf_token(text(browser(alice).get("/invitations")))
    before = state(engine, alice, mailbox)

    assert_refused(alice_browser.post("/invitations", data={**ACTIONS["invite"][1],
                                                           "csrf_token": foreign}))
    assert state(engine, alice, mailbox) == before


def test_forms_opened_at_once_right_after_sign_in_are_all_accepted(app, browser, alice):
    client = browser()
    assert sign_in(client, alice.email).status_code == 302
    signed_in_cookie = client.get_cookie("session").value
    tokens, kept = [], signed_in_cookie
    for _ in range(20):  # twenty tabs, all loaded before any of their answers arrived
        tab = app.test_client()
        tab.set_cookie("session", signed_in_cookie)
        tokens.append(csrf_token(text(tab.get("/settings"))))
        if tab.get_cookie("session").value != signed_in_cookie:
            kept = tab.get_cookie("session").value  # the browser keeps the last cookie set

    answers = []
    for token in tokens:
        tab = app.test_client()
        tab.set_cookie("session", kept)
        answers.append(tab.post("/settings", data={"lang-locale": "fr", "lang-csrf_token": token}))

    assert [response.status_code for response in answers] == [302] * len(tokens)
