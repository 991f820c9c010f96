"""Blocks on the real engine: once one of two members blocked the other, neither reaches the
other (feed, offer, profile, messages) until the block is lifted."""

from __future__ import annotations

import pytest
from factories import founder, sponsored
from offer_factories import offer
from test_invitation_races import all_at_once

from graph import blocks, conversations, offers
from graph.errors import Conflict, NotFound
from graph.offers import WHOLE_NETWORK

COUNT_BLOCKS = "MATCH (:Member)-[b:BLOCKED]->(:Member) RETURN count(b) AS blocks"


@pytest.fixture
def pair(engine):
    """Alice sponsored Bob and Carol; Bob and Carol each offer something to friends of
    friends and talk about Bob's drill."""
    alice = founder(engine, "Alice")
    bob = sponsored(engine, alice, "Bob")
    carol = sponsored(engine, alice, "Carol")
    drill = offer(engine, bob, "A drill", visibility=2)
    offer(engine, carol, "A tent", visibility=WHOLE_NETWORK)
    talk = conversations.start_conversation(engine, carol.id, drill, "Free on Sunday?", 3)
    return alice, bob, carol, drill, talk.conversation_id


def _feed(engine, member) -> list[str]:
    return sorted(item.offer.title for item in offers.feed(engine, member.id, 3).items)


def _cut_off(engine, bob, carol, drill, talk) -> None:
    """Assert that Bob and Carol no longer reach each other in any way."""
    assert _feed(engine, carol) == []
    assert _feed(engine, bob) == []
    with pytest.raises(NotFound):
        offers.offer_for(engine, carol.id, drill, 3)
    with pytest.raises(NotFound):
        conversations.start_conversation(engine, carol.id, drill, "Still there?", 3)
    for me, them in ((bob, carol), (carol, bob)):
        with pytest.raises(NotFound):
            offers.profile_for(engine, me.id, them.id, 3)
        with pytest.raises(Conflict):
            conversations.reply(engine, me.id, talk, "Hello?")
        assert not conversations.conversation_for(engine, me.id, talk).open


@pytest.mark.parametrize("blocker", ["bob", "carol"])
def test_a_block_cuts_both_members_off_from_each_other_until_it_is_lifted(
        engine, pair, blocker):
    alice, bob, carol, drill, talk = pair
    assert (_feed(engine, carol), _feed(engine, bob)) == (["A drill"], ["A tent"])
    me, them = (bob, carol) if blocker == "bob" else (carol, bob)

    assert blocks.block(engine, me.id, them.id, 3) == them.name
    _cut_off(engine, bob, carol, drill, talk)
    assert [b.member.name for b in blocks.blocks_of(engine, me.id)] == [them.name]
    assert blocks.blocks_of(engine, them.id) == []
    assert _feed(engine, alice) == ["A drill", "A tent"]  # nobody else is concerned
    with pytest.raises(NotFound):  # only the member who blocked can lift it
        blocks.unblock(engine, them.id, me.id)

    assert blocks.unblock(engine, me.id, them.id) == them.name
    assert (_feed(engine, carol), _feed(engine, bob)) == (["A drill"], ["A tent"])
    assert offers.profile_for(engine, me.id, them.id, 3).member.name == them.name
    assert conversations.reply(engine, bob.id, talk, "Sunday is fine.").new


def test_only_a_member_whose_profile_i_may_see_can_be_blocked(engine, pair):
    alice, bob, carol, drill, talk = pair
    far = sponsored(engine, sponsored(engine, sponsored(engine, carol, "Dan"), "Eve"), "Fay")

    for me, member_id in ((alice, far.id), (bob, "no-such-member"), (bob, bob.id)):
        with pytest.raises(NotFound):
            blocks.block(engine, me.id, member_id, 3)
    assert engine.read(COUNT_BLOCKS, {})[0]["blocks"] == 0


def test_blocks_sent_again_or_at_once_are_one_block_lifted_at_once(
        backend, graph_name, engine, pair):
    alice, bob, carol, drill, talk = pair

    results = all_at_once(backend, graph_name,
                          [lambda e: blocks.block(e, bob.id, carol.id, 3)] * 4)
    blocks.block(engine, bob.id, carol.id, 3)

    assert results == ["Carol"] * 4
    assert [b.member.name for b in blocks.blocks_of(engine, bob.id)] == ["Carol"]
    assert blocks.unblock(engine, bob.id, carol.id) == "Carol"
    assert engine.read(COUNT_BLOCKS, {})[0]["blocks"] == 0
    assert _feed(engine, carol) == ["A drill"]
