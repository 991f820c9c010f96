"""Verbs that create what a form asks for take the form's idempotency key: the same form
sent twice, even both at once, creates one offer or one message; two forms create two."""

from __future__ import annotations

from factories import founder, sponsored
from offer_factories import offer
from races import all_at_once

from graph import abuse_reports, conversations, offers
from trustnet.forms import new_form_key

TWINS = 8


def draft(title: str) -> offers.OfferDraft:
    return offers.OfferDraft(title=title, description="With two batteries.", category="tools",
                             area="Lyon", price=None, currency="EUR", visibility=2,
                             available_from=None, available_until=None)


def test_one_offer_form_sent_many_times_at_once_publishes_one_offer(backend, graph_name,
                                                                     engine):
    alice = founder(engine)
    key = new_form_key()

    ids = all_at_once(backend, graph_name, [
        lambda own: offers.create_offer(own, alice.id, draft("Drill"), form_key=key)] * TWINS)

    assert len(set(ids)) == 1
    assert [found.title for found, _ in offers.own_offers(engine, alice.id)] == ["Drill"]
    assert offers.create_offer(engine, alice.id, draft("Drill"), form_key=new_form_key()) \
        not in ids
    assert len(offers.own_offers(engine, alice.id)) == 2


def test_a_resent_offer_form_leaves_the_offer_as_it_was(engine):
    alice = founder(engine)
    key = new_form_key()
    first = offers.create_offer(engine, alice.id, draft("Drill"), form_key=key, now=1.0)

    again = offers.create_offer(engine, alice.id, draft("Ladder"), form_key=key, now=2.0)

    assert again == first
    [(found, _)] = offers.own_offers(engine, alice.id)
    assert (found.title, found.created_at) == ("Drill", 1.0)


def test_one_message_form_sent_many_times_at_once_writes_one_message(backend, graph_name,
                                                                     engine):
    alice = founder(engine, "Alice")
    bob = sponsored(engine, alice, "Bob")
    offer_id = offer(engine, bob, "Ladder")
    key, reply_key = new_form_key(), new_form_key()

    asked = all_at_once(backend, graph_name, [
        lambda own: conversations.start_conversation(own, alice.id, offer_id, "Hello", 3,
                                                     form_key=key)] * TWINS)
    conversation_id = asked[0].conversation_id
    replied = all_at_once(backend, graph_name, [
        lambda own: conversations.reply(own, bob.id, conversation_id, "Yes",
                                        form_key=reply_key)] * TWINS)

    assert {sent.conversation_id for sent in asked} == {conversation_id}
    assert [sent.new for sent in asked].count(True) == 1
    assert [sent.started for sent in asked].count(True) == 1
    assert [sent.new for sent in replied].count(True) == 1
    found = conversations.conversation_for(engine, alice.id, conversation_id)
    assert [message.body for message in found.messages] == ["Hello", "Yes"]
    again = conversations.reply(engine, bob.id, conversation_id, "Yes", form_key=new_form_key())
    assert again.new
    assert len(conversations.conversation_for(engine, alice.id, conversation_id).messages) == 3


def test_one_report_form_sent_many_times_at_once_files_one_report(backend, graph_name, engine):
    alice = founder(engine, "Alice")
    bob = sponsored(engine, alice, "Bob")
    key = new_form_key()

    ids = all_at_once(backend, graph_name, [
        lambda own: abuse_reports.report(own, alice.id, "member", bob.id, "spam", "Adverts",
                                      max_hops=3, form_key=key)] * TWINS)

    assert len(set(ids)) == 1
    assert [found.id for found in abuse_reports.open_reports(engine)] == ids[:1]
    abuse_reports.report(engine, alice.id, "member", bob.id, "spam", "Adverts",
                      max_hops=3, form_key=new_form_key())
    assert len(abuse_reports.open_reports(engine)) == 2
