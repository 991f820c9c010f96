"""The owner's side of a conversation on the real engine: how the owner knows whoever writes
to them (path, degree, how each link was made), and the writer's profile opened to them."""

from __future__ import annotations

import pytest
from factories import founder, sponsored
from offer_factories import offer

from graph import conversations, offers, sponsorship
from graph.errors import NotFound
from graph.offers import WHOLE_NETWORK


@pytest.fixture
def network(engine):
    """Alice invited Bob and Carol; Bob vouched for Carol; Carol invited Erin; Erin invited
    Fay, who invited Gus: Gus is four steps from Bob, beyond the maximum degree (3)."""
    alice = founder(engine, "Alice")
    bob = sponsored(engine, alice, "Bob")
    carol = sponsored(engine, alice, "Carol")
    vouch_id = sponsorship.offer_vouch(engine, bob.id, "carol@example.org")
    assert vouch_id is not None
    sponsorship.confirm_vouch(engine, carol.id, vouch_id)
    erin = sponsored(engine, carol, "Erin")
    fay = sponsored(engine, erin, "Fay")
    gus = sponsored(engine, fay, "Gus")
    return bob, carol, erin, gus


def _steps(reach):
    return [(step.name, step.via, step.sponsored_by_previous) for step in reach.path]


def test_each_participant_sees_the_path_to_the_other_and_how_each_link_was_made(
        engine, network):
    bob, carol, erin, gus = network
    sent = conversations.start_conversation(
        engine, erin.id, offer(engine, bob, visibility=2), "Is it free on Sunday?", 3)

    by_owner = conversations.reach_of_other(engine, bob.id, sent.conversation_id, 3)
    by_writer = conversations.reach_of_other(engine, erin.id, sent.conversation_id, 3)

    assert (by_owner.degree, by_owner.strength) == (2, 1)
    assert _steps(by_owner) == [("Bob", None, False), ("Carol", "vouch", True),
                                ("Erin", "invitation", True)]
    assert _steps(by_writer) == [("Erin", None, False), ("Carol", "invitation", False),
                                 ("Bob", "vouch", False)]
    with pytest.raises(NotFound):
        conversations.reach_of_other(engine, carol.id, sent.conversation_id, 3)


def test_the_conversation_list_says_how_far_each_writer_is(engine, network):
    bob, carol, erin, gus = network
    whole_network = offer(engine, bob, visibility=WHOLE_NETWORK)
    conversations.start_conversation(engine, erin.id, whole_network, "Hello", 3)
    conversations.start_conversation(engine, gus.id, whole_network, "Hi", 3)

    listed = conversations.conversations_of(engine, bob.id, 3)

    assert sorted((c.asker.name, c.degree, c.via and c.via.name) for c in listed) == [
        ("Erin", 2, "Carol"), ("Gus", None, None)]


def test_a_member_beyond_my_circle_who_wrote_to_me_shows_me_their_profile(engine, network):
    bob, carol, erin, gus = network
    with pytest.raises(NotFound):
        offers.profile_for(engine, bob.id, gus.id, 3)
    gus_offer = offer(engine, gus, "A tent", visibility=WHOLE_NETWORK)
    offer(engine, gus, "A kayak", visibility=1)

    conversations.start_conversation(
        engine, gus.id, offer(engine, bob, visibility=WHOLE_NETWORK), "Hi", 3)
    profile = offers.profile_for(engine, bob.id, gus.id, 3)

    assert (profile.member.name, profile.degree, profile.path) == ("Gus", None, [])
    assert [o.id for o in profile.offers] == [gus_offer]
    with pytest.raises(NotFound):  # writing opens the writer's profile, not the owner's
        offers.profile_for(engine, gus.id, bob.id, 3)


def test_the_profile_path_says_how_each_link_was_made(engine, network):
    bob, carol, erin, gus = network

    profile = offers.profile_for(engine, bob.id, erin.id, 3)

    assert [(s.name, s.via, s.sponsored_by_previous) for s in profile.path] == [
        ("Bob", None, False), ("Carol", "vouch", True), ("Erin", "invitation", True)]
