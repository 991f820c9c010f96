"""The saved choice to hide, from my feed, whole-network offers of members beyond my circles."""

from __future__ import annotations

from factories import sponsor_chain, sponsored
from offer_factories import offer

from graph import members, offers
from graph.offers import WHOLE_NETWORK


def _feed(engine, member) -> list[tuple[str, int | None]]:
    return sorted((item.offer.title, item.degree)
                  for item in offers.feed(engine, member.id, 3).items)


def _hides(engine, member) -> bool:
    found = members.get_member(engine, member.id)
    assert found is not None
    return found.hides_whole_network


def test_hiding_the_whole_network_keeps_my_circles_offers_whatever_their_reach(engine):
    you, alice, bob, carol, dave = sponsor_chain(engine, "You", "Alice", "Bob", "Carol", "Dave")
    offer(engine, dave, "A far tent", visibility=WHOLE_NETWORK)  # four steps away
    offer(engine, carol, "A near kayak", visibility=WHOLE_NETWORK)
    offer(engine, alice, "A drill", visibility=1)
    everything = [("A drill", 1), ("A far tent", None), ("A near kayak", 3)]
    assert not _hides(engine, you)
    assert _feed(engine, you) == everything

    offers.show_whole_network(engine, you.id, False)

    assert _hides(engine, you)
    assert _feed(engine, you) == [("A drill", 1), ("A near kayak", 3)]
    eve = sponsored(engine, you, "Eve")  # five steps from Dave
    assert ("A far tent", None) in _feed(engine, eve)  # my choice is mine only
    offers.show_whole_network(engine, you.id, True)
    assert _feed(engine, you) == everything
