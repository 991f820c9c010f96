"""Conversations on the real engine: "I'm interested", answers, and who may take part."""

from __future__ import annotations

import pytest
from factories import count_nodes, founder, sponsored
from offer_factories import offer, set_status

from graph import conversations, offers
from graph.errors import Conflict, NotFound


@pytest.fixture
def people(engine):
    """Alice sponsored Bob, who offers a drill to his contacts; Carol is Bob's contact too;
    Dave is two steps from Bob."""
    alice = founder(engine, "Alice")
    bob = sponsored(engine, alice, "Bob")
    carol = sponsored(engine, bob, "Carol")
    dave = sponsored(engine, alice, "Dave")
    return alice, bob, carol, dave, offer(engine, bob, visibility=1)


def test_asking_twice_about_an_offer_continues_the_same_conversation(engine, people):
    alice, bob, carol, dave, offer_id = people

    first = conversations.start_conversation(engine, alice.id, offer_id, "Free on Saturday?", 3)
    again = conversations.start_conversation(engine, alice.id, offer_id, "Or Sunday?", 3)
    answer = conversations.reply(engine, bob.id, first.conversation_id, "Sunday is fine.")

    assert (first.started, again.started) == (True, False)
    assert again.conversation_id == first.conversation_id
    assert (first.to_email, answer.to_email) == ("bob@example.org", "alice@example.org")
    seen_by_bob = conversations.conversation_for(engine, bob.id, first.conversation_id)
    assert [(m.author.name, m.body) for m in seen_by_bob.messages] == [
        ("Alice", "Free on Saturday?"), ("Alice", "Or Sunday?"), ("Bob", "Sunday is fine.")]
    assert seen_by_bob.other(bob.id).name == "Alice"


def test_the_owner_sees_the_requests_per_offer_and_both_see_the_conversation(engine, people):
    alice, bob, carol, dave, offer_id = people
    other_offer = offer(engine, bob, "A ladder", visibility=1)
    by_alice = conversations.start_conversation(engine, alice.id, offer_id, "Hello", 3)
    by_carol = conversations.start_conversation(engine, carol.id, offer_id, "Hi", 3)
    conversations.start_conversation(engine, carol.id, other_offer, "And this?", 3)

    requests = conversations.requests_for(engine, bob.id, offer_id)

    assert {(r.id, r.asker.name) for r in requests} == {
        (by_alice.conversation_id, "Alice"), (by_carol.conversation_id, "Carol")}
    assert [o.title for o, n in offers.own_offers(engine, bob.id) if n == 2] == [
        "A cordless drill"]
    assert len(conversations.conversations_of(engine, bob.id, 3)) == 3
    assert [c.offer_title for c in conversations.conversations_of(engine, alice.id, 3)] == [
        "A cordless drill"]
    assert conversations.requests_for(engine, alice.id, offer_id) == []


def test_an_offer_one_may_not_see_cannot_be_asked_about(engine, people):
    alice, bob, carol, dave, offer_id = people

    for member, offer_of in ((dave, offer_id), (bob, offer_id), (alice, "no-such-offer")):
        with pytest.raises(NotFound):
            conversations.start_conversation(engine, member.id, offer_of, "Hello", 3)
    offers.change_status(engine, bob.id, offer_id, "pause")
    with pytest.raises(NotFound):
        conversations.start_conversation(engine, alice.id, offer_id, "Hello", 3)
    assert conversations.conversations_of(engine, bob.id, 3) == []


def test_only_the_two_participants_see_and_write_in_a_conversation(engine, people):
    alice, bob, carol, dave, offer_id = people
    sent = conversations.start_conversation(engine, alice.id, offer_id, "Hello", 3)

    with pytest.raises(NotFound):
        conversations.conversation_for(engine, carol.id, sent.conversation_id)
    with pytest.raises(NotFound):
        conversations.reply(engine, carol.id, sent.conversation_id, "Me too!")


def test_a_conversation_closes_when_one_participant_is_no_longer_active(engine, people):
    alice, bob, carol, dave, offer_id = people
    sent = conversations.start_conversation(engine, alice.id, offer_id, "Hello", 3)
    set_status(engine, bob, "banned")

    with pytest.raises(Conflict):
        conversations.reply(engine, alice.id, sent.conversation_id, "Still there?")
    assert not conversations.conversation_for(engine, alice.id, sent.conversation_id).open


def test_deleting_an_offer_deletes_the_conversations_about_it(engine, people):
    alice, bob, carol, dave, offer_id = people
    nodes_with_the_offer = count_nodes(engine)
    sent = conversations.start_conversation(engine, alice.id, offer_id, "Hello", 3)
    conversations.reply(engine, bob.id, sent.conversation_id, "Hi")

    offers.delete_offer(engine, bob.id, offer_id)

    assert conversations.conversations_of(engine, alice.id, 3) == []
    assert count_nodes(engine) == nodes_with_the_offer - 1  # no message is left behind
