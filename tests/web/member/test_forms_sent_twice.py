"""A form that creates something, sent twice (a member pressing "send" again after a lost
reply), creates it once: the form carries an idempotency key made when it was shown. The
second sending lands on the same page as the first, and nobody gets a second e-mail."""

from __future__ import annotations

import re

import pytest
from conftest import csrf_token, text
from factories import founder, sponsored
from offer_factories import offer

from graph import abuse_reports, conversations, offers

OFFER_FORM = {"title": "Cordless drill", "category": "tools",
              "description": "Two batteries.", "area": "Lyon", "visibility": "1"}
FORM_KEY = re.compile(r'name="form_key" type="hidden" value="([0-9a-f]{32})"')


def shown_form(client, page: str) -> dict:
    """The hidden fields of the first form of a page, as a browser would send them back."""
    html = text(client.get(page))
    [key] = FORM_KEY.findall(html)
    return {"csrf_token": csrf_token(html), "form_key": key}


@pytest.fixture
def people(engine):
    """Alice sponsored Bob, who offers a drill to his contacts."""
    alice = founder(engine, "Alice")
    bob = sponsored(engine, alice, "Bob")
    return alice, bob, offer(engine, bob, "Ladder", visibility=1)


def test_an_offer_form_sent_twice_publishes_one_offer(browser, people, engine):
    alice, bob, _ = people
    bob_browser = browser(bob)
    shown = shown_form(bob_browser, "/offers/new")

    first = bob_browser.post("/offers/new", data={**OFFER_FORM, **shown})
    again = bob_browser.post("/offers/new", data={**OFFER_FORM, **shown})

    assert first.status_code == again.status_code == 302
    assert again.headers["Location"] == first.headers["Location"]
    assert "Cordless drill" in text(bob_browser.get(again.headers["Location"]))
    titles = [published.title for published, _ in offers.own_offers(engine, bob.id)]
    assert sorted(titles) == ["Cordless drill", "Ladder"]

    newly_shown = shown_form(bob_browser, "/offers/new")
    other = bob_browser.post("/offers/new", data={**OFFER_FORM, **newly_shown})
    assert other.headers["Location"] != first.headers["Location"]
    assert len(offers.own_offers(engine, bob.id)) == 3


def test_a_form_shown_again_with_its_mistakes_keeps_its_key(browser, people, engine):
    alice, bob, _ = people
    bob_browser = browser(bob)
    shown = shown_form(bob_browser, "/offers/new")

    refused = bob_browser.post("/offers/new", data={**OFFER_FORM, "title": "", **shown})

    assert refused.status_code == 200
    assert FORM_KEY.findall(text(refused)) == [shown["form_key"]]


def test_an_interest_form_sent_twice_writes_one_message_and_tells_once(
        browser, people, engine, mailbox):
    alice, bob, offer_id = people
    alice_browser = browser(alice)
    shown = shown_form(alice_browser, f"/offers/{offer_id}")
    message = {"body": "Could I borrow it on Saturday?", **shown}

    first = alice_browser.post(f"/offers/{offer_id}/interest", data=message)
    mailbox.wait_for(2)  # Bob is told, Alice gets her copy
    again = alice_browser.post(f"/offers/{offer_id}/interest", data=message)

    assert again.status_code == 302
    assert again.headers["Location"] == first.headers["Location"]
    conversation_id = first.headers["Location"].rsplit("/", 1)[1]
    found = conversations.conversation_for(engine, alice.id, conversation_id)
    assert [sent.body for sent in found.messages] == ["Could I borrow it on Saturday?"]
    assert len(mailbox.messages) == 2

    other = alice_browser.post(f"/offers/{offer_id}/interest",
                               data={**message, **shown_form(alice_browser, f"/offers/{offer_id}")})
    assert other.headers["Location"] == first.headers["Location"]  # one conversation per offer
    assert len(conversations.conversation_for(engine, alice.id, conversation_id).messages) == 2


def test_a_reply_sent_twice_is_one_message_and_one_mail(browser, people, engine, mailbox):
    alice, bob, offer_id = people
    sent = conversations.start_conversation(engine, alice.id, offer_id, "Hello", 3)
    page = f"/conversations/{sent.conversation_id}"
    bob_browser = browser(bob)
    reply = {"body": "Yes, come at ten.", **shown_form(bob_browser, page)}

    first = bob_browser.post(page, data=reply)
    again = bob_browser.post(page, data=reply)

    assert first.status_code == again.status_code == 302
    assert again.headers["Location"] == first.headers["Location"] == page
    found = conversations.conversation_for(engine, bob.id, sent.conversation_id)
    assert [message.body for message in found.messages] == ["Hello", "Yes, come at ten."]
    assert [mail["To"] for mail in mailbox.wait_for(1)] == ["alice@example.org"]
    assert len(mailbox.messages) == 1


def test_a_report_sent_twice_is_one_report(browser, people, engine):
    alice, bob, offer_id = people
    alice_browser = browser(alice)
    page = f"/report/offer/{offer_id}"
    report = {"reason": "scam", "text": "Asks for money first.", **shown_form(alice_browser, page)}

    first = alice_browser.post(page, data=report)
    again = alice_browser.post(page, data=report)

    assert first.status_code == again.status_code == 302
    assert again.headers["Location"] == first.headers["Location"]
    assert [found.text for found in abuse_reports.open_reports(engine)] == ["Asks for money first."]

    alice_browser.post(page, data={**report, **shown_form(alice_browser, page)})
    assert len(abuse_reports.open_reports(engine)) == 2
