"""Notifications in the app: the unread badge on every page, the list, reading one (which
leads to its subject) or all, by POST only; Messages with unread state, preview and time."""

from __future__ import annotations

import re

import pytest
from conftest import csrf_token, post_form, text
from factories import founder, sponsored
from offer_factories import offer

from graph import conversations

BADGE = re.compile(r'<span class="badge count">(\d+\+?)<span class="visually-hidden"> unread')


def badge(client) -> str | None:
    """The unread count the navigation shows on the feed, or None without a badge."""
    found = BADGE.search(text(client.get("/")))
    return found.group(1) if found else None


@pytest.fixture
def people(engine):
    """Alice sponsored Bob and Carol; Bob offers a tent to his contacts."""
    alice = founder(engine, "Alice")
    bob = sponsored(engine, alice, "Bob")
    carol = sponsored(engine, alice, "Carol")
    return alice, bob, carol, offer(engine, bob, "A tent", visibility=2)


def test_a_message_shows_in_the_badge_the_list_and_messages_until_read(browser, engine, people):
    alice, bob, carol, tent = people
    bob_browser = browser(bob)
    assert badge(bob_browser) is None

    post_form(browser(carol), f"/offers/{tent}/interest", {"body": "Is it waterproof?"},
              page=f"/offers/{tent}")

    assert badge(bob_browser) == "1"
    listing = text(bob_browser.get("/notifications"))
    assert "Carol wrote to you about “A tent”" in listing and "Is it waterproof?" in listing
    messages = text(bob_browser.get("/conversations"))
    assert "1 new" in messages and "Is it waterproof?" in messages and "UTC" in messages

    action = re.search(r'action="(/notifications/[^/"]+/open)"', listing).group(1)
    opened = bob_browser.post(action, data={"csrf_token": csrf_token(listing)})
    assert opened.status_code == 302 and opened.headers["Location"].startswith("/conversations/")
    assert badge(bob_browser) is None
    assert "1 new" not in text(bob_browser.get("/conversations"))


def test_opening_a_conversation_from_messages_reads_it(browser, engine, people):
    alice, bob, carol, tent = people
    sent = conversations.start_conversation(engine, carol.id, tent, "Hello", 3)
    conversations.reply(engine, carol.id, sent.conversation_id, "Still there?")
    bob_browser = browser(bob)
    assert badge(bob_browser) == "2"

    response = post_form(bob_browser, f"/conversations/{sent.conversation_id}/open", {},
                         page="/conversations")

    assert response.headers["Location"] == f"/conversations/{sent.conversation_id}"
    assert badge(bob_browser) is None


def test_mark_all_read_is_a_post_with_csrf(browser, engine, people):
    alice, bob, carol, tent = people
    alice_browser = browser(alice)
    assert badge(alice_browser) == "2"  # Bob and Carol accepted her invitations
    assert "Bob accepted your invitation." in text(alice_browser.get("/notifications"))

    assert alice_browser.post("/notifications/read").status_code == 400  # no CSRF token
    assert alice_browser.get("/notifications/read").status_code == 405
    assert badge(alice_browser) == "2"
    post_form(alice_browser, "/notifications/read", {}, page="/notifications")
    assert badge(alice_browser) is None


def test_nobody_opens_anothers_notification(browser, engine, people):
    alice, bob, carol, tent = people
    listing = text(browser(alice).get("/notifications"))
    action = re.search(r'action="(/notifications/[^/"]+/open)"', listing).group(1)
    carol_browser = browser(carol)
    page = text(carol_browser.get("/notifications"))

    assert carol_browser.post(action, data={"csrf_token": csrf_token(page)}).status_code == 404
    assert badge(browser(alice)) == "2"


def test_the_me_page_is_one_tap_from_every_page_and_leads_to_settings(browser, people):
    alice, bob, carol, tent = people
    client = browser(bob)
    feed = text(client.get("/"))
    assert 'href="/me"' in feed
    me = text(client.get("/me"))
    for link in ("/settings", "/account/export", "/account/leave", "/notifications"):
        assert f'href="{link}"' in me


def test_the_badge_speaks_french_to_a_french_member(browser, engine, people):
    alice, bob, carol, tent = people
    client = browser(alice)
    post_form(client, "/settings", {"lang-locale": "fr"})
    feed = text(client.get("/"))
    assert 'href="/me"' in feed and "non lue" in feed


def test_a_member_who_turned_message_mail_off_is_not_mailed(browser, engine, people, mailbox):
    alice, bob, carol, tent = people
    post_form(browser(bob), "/settings", {"mail-sent": "1", "mail-sanction": "y"})

    post_form(browser(carol), f"/offers/{tent}/interest", {"body": "Is it waterproof?"},
              page=f"/offers/{tent}")

    mailbox.wait_for(1)  # Carol's own copy
    assert mailbox.to("bob@example.org") == []
    assert badge(browser(bob)) == "1"
