"""An invited address is one plain mailbox: nothing the mail library would decode into
another recipient (RFC 2047 encoded words), so that no later mail to the member, a reset
link included, also reaches someone else, and a banned mailbox cannot come back disguised."""

from __future__ import annotations

import pytest
from conftest import post_form, text
from factories import count_nodes, founder, sponsored

from graph import bans, invitations

SMUGGLING = [
    "=?utf-8?q?attacker=40evil.example=2C?=victim@example.org",
    "=?utf-8?b?YXR0YWNrZXJAZXZpbC5leGFtcGxl?=@example.org",
    "=?utf-8?q?john.doe?=@gmail.com",
    "victim@example.org,attacker@evil.example",
    "Victim <victim@example.org>",
]


@pytest.mark.parametrize("address", SMUGGLING)
def test_an_address_the_mail_library_would_read_otherwise_is_refused_and_nothing_is_sent(
        browser, engine, mailbox, address):
    alice = founder(engine)
    before = count_nodes(engine)

    response = post_form(browser(alice), "/invitations", {"email": address})

    assert response.status_code == 200
    assert "This is not a valid e-mail address." in text(response)
    assert count_nodes(engine) == before
    assert invitations.list_invitations(engine, alice.id) == []
    assert mailbox.wait_for(1, timeout=0.5) == []


def test_a_banned_mailbox_cannot_be_invited_again_as_an_encoded_word(browser, engine, mailbox):
    alice = founder(engine)
    john = sponsored(engine, alice, "John", "john.doe@gmail.com")
    bans.ban(engine, alice.id, john.id, "spam", strike_threshold=2)

    response = post_form(browser(alice), "/invitations",
                         {"email": "=?utf-8?q?john.doe?=@gmail.com"})

    assert "This is not a valid e-mail address." in text(response)
    assert [i.email for i in invitations.list_invitations(engine, alice.id)] == [
        "john.doe@gmail.com"]


def test_the_invitation_goes_to_the_one_mailbox_invited_as_stored(browser, engine, mailbox):
    alice = founder(engine)

    post_form(browser(alice), "/invitations", {"email": "  Bob@Example.ORG "})

    [mail] = mailbox.wait_for(1)
    assert mail["To"] == "bob@example.org"
    assert [i.email for i in invitations.list_invitations(engine, alice.id)] == [
        "bob@example.org"]
