"""'I'm interested': a private conversation with the owner, with an e-mail for each message."""

from __future__ import annotations

from email.header import decode_header, make_header

import pytest
from conftest import link_in, mail_body, path_of, post_form, text
from factories import founder, sponsored
from offer_factories import offer


def subject(mail) -> str:
    """A mail's subject, decoded (the quotes around an offer's title are not ASCII)."""
    return str(make_header(decode_header(mail["Subject"])))


@pytest.fixture
def people(engine):
    """Alice sponsored Bob, who offers a drill; Carol is Alice's other contact."""
    alice = founder(engine, "Alice")
    bob = sponsored(engine, alice, "Bob")
    carol = sponsored(engine, alice, "Carol")
    return alice, bob, carol, offer(engine, bob, "Cordless drill", visibility=1)


def test_interest_opens_a_conversation_both_are_told_of_and_the_owner_answers(
        browser, people, mailbox):
    alice, bob, carol, offer_id = people
    alice_browser, bob_browser = browser(alice), browser(bob)

    response = post_form(alice_browser, f"/offers/{offer_id}/interest",
                         {"body": "Could I borrow it on Saturday?"}, page=f"/offers/{offer_id}")

    conversation = response.headers["Location"]
    assert conversation.startswith("/conversations/")
    mailbox.wait_for(2)
    [to_bob], [to_alice] = mailbox.to("bob@example.org"), mailbox.to("alice@example.org")
    assert subject(to_bob) == "Alice wrote to you about “Cordless drill”"
    assert "Could I borrow it on Saturday?" in mail_body(to_bob)
    assert path_of(link_in(mail_body(to_bob))) == conversation
    assert subject(to_alice) == "You wrote to Bob about “Cordless drill”"
    assert path_of(link_in(mail_body(to_alice))) == conversation

    offer_page = text(bob_browser.get(f"/offers/{offer_id}"))
    assert "Who asked about it" in offer_page and f'href="{conversation}">Alice' in offer_page
    post_form(bob_browser, conversation, {"body": "Yes, come at ten."})
    answer = mailbox.wait_for(3)[-1]
    assert (answer["To"], subject(answer)) == (
        "alice@example.org", "Bob wrote to you about “Cordless drill”")
    page = text(alice_browser.get(conversation))
    assert page.index("Could I borrow it on Saturday?") < page.index("Yes, come at ten.")
    assert "Conversation with Bob" in page
    assert "Cordless drill" in text(alice_browser.get("/conversations"))


def test_a_conversation_is_private_to_its_two_participants(browser, people):
    alice, bob, carol, offer_id = people
    response = post_form(browser(alice), f"/offers/{offer_id}/interest", {"body": "Hello"},
                         page=f"/offers/{offer_id}")
    conversation = response.headers["Location"]

    carol_browser = browser(carol)
    assert carol_browser.get(conversation).status_code == 404
    assert post_form(carol_browser, conversation, {"body": "Me too"},
                     page="/conversations").status_code == 404


def test_an_empty_message_is_refused_and_nobody_is_told(browser, people, mailbox):
    alice, bob, carol, offer_id = people

    response = post_form(browser(alice), f"/offers/{offer_id}/interest", {"body": "  "},
                         page=f"/offers/{offer_id}")

    assert response.status_code == 400
    assert "This field is required." in text(response)
    assert mailbox.messages == []


def test_interest_in_an_offer_outside_my_circle_is_not_found(browser, people, engine):
    alice, bob, carol, offer_id = people
    carol_browser = browser(carol)  # two steps from Bob: the offer is for his contacts

    response = post_form(carol_browser, f"/offers/{offer_id}/interest", {"body": "Hello"},
                         page="/conversations")

    assert response.status_code == 404
    assert "Cordless drill" not in text(carol_browser.get("/conversations"))
