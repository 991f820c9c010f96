"""Favourites and bios on the real engine: a member stars offers they may see, the list
keeps those still visible; a short bio shows on the profile and goes when its member leaves."""

from __future__ import annotations

import pytest
from factories import founder, sponsored
from offer_factories import offer
from test_invitation_races import all_at_once

from graph import departure, favourites, members, offers
from graph.errors import Conflict, Invalid, NotFound

COUNT_STARS = "MATCH (:Member)-[s:STARRED]->(:Offer) RETURN count(s) AS stars"


@pytest.fixture
def people(engine):
    """Alice sponsored Bob and Dave; Carol is Bob's contact, two steps from Alice."""
    alice = founder(engine, "Alice")
    bob = sponsored(engine, alice, "Bob")
    carol = sponsored(engine, bob, "Carol")
    dave = sponsored(engine, alice, "Dave")
    return alice, bob, carol, dave


def _starred(engine, member) -> list[str]:
    return [item.offer.title for item in favourites.favourites(engine, member.id, 3)]


def test_a_member_stars_offers_and_finds_those_still_visible(engine, people):
    alice, bob, carol, dave = people
    drill = offer(engine, bob, "A drill", visibility=1)
    ride = offer(engine, dave, "A ride to Lyon?", kind="request", visibility=2)

    favourites.set_star(engine, alice.id, drill, True, 3, now=1.0)
    favourites.set_star(engine, alice.id, ride, True, 3, now=2.0)
    favourites.set_star(engine, alice.id, ride, True, 3, now=3.0)  # sent twice

    assert _starred(engine, alice) == ["A ride to Lyon?", "A drill"]
    assert offers.offer_for(engine, alice.id, drill, 3).starred
    assert not offers.offer_for(engine, dave.id, ride, 3).starred
    offers.change_status(engine, bob.id, drill, "pause")
    assert _starred(engine, alice) == ["A ride to Lyon?"]
    offers.change_status(engine, bob.id, drill, "resume")
    favourites.set_star(engine, alice.id, ride, False, 3)
    assert _starred(engine, alice) == ["A drill"]


def test_an_offer_out_of_reach_or_ones_own_cannot_be_starred(engine, people):
    alice, bob, carol, dave = people
    drill = offer(engine, bob, "A drill", visibility=1)

    for member in (dave, bob):
        with pytest.raises(NotFound):
            favourites.set_star(engine, member.id, drill, True, 3)
    with pytest.raises(NotFound):
        favourites.set_star(engine, alice.id, "no-such-offer", True, 3)
    assert engine.read(COUNT_STARS)[0]["stars"] == 0


def test_a_narrowed_offer_leaves_the_favourites_of_those_beyond(engine, people):
    alice, bob, carol, dave = people
    drill = offer(engine, dave, "A drill", visibility=2)
    favourites.set_star(engine, bob.id, drill, True, 3)
    draft = offers.OfferDraft(title="A drill", description="x", category="tools", area="Lyon",
                              price=None, currency="EUR", visibility=1)

    offers.update_offer(engine, dave.id, drill, draft)

    assert _starred(engine, bob) == []


def test_ten_stars_at_once_make_one(backend, graph_name, engine, people):
    alice, bob, carol, dave = people
    drill = offer(engine, bob, "A drill", visibility=1)

    all_at_once(backend, graph_name, [
        lambda own: favourites.set_star(own, alice.id, drill, True, 3) for _ in range(10)])

    assert engine.read(COUNT_STARS)[0]["stars"] == 1


def test_a_bio_shows_on_the_profile_within_its_limit_and_goes_when_its_member_leaves(
        engine, people):
    alice, bob, carol, dave = people

    assert members.set_bio(engine, bob.id, "  Keen cyclist, lends tools.  ") == (
        "Keen cyclist, lends tools.")
    with pytest.raises(Invalid):
        members.set_bio(engine, bob.id, "x" * (members.MAX_BIO + 1))

    assert offers.profile_for(engine, alice.id, bob.id, 3).bio == "Keen cyclist, lends tools."
    assert offers.profile_for(engine, alice.id, dave.id, 3).bio == ""
    assert departure.export_data(engine, bob.id)["member"]["bio"] == "Keen cyclist, lends tools."
    departure.leave(engine, bob.id)
    assert departure.export_data(engine, bob.id)["member"]["bio"] is None
    with pytest.raises(Conflict):
        members.set_bio(engine, bob.id, "Back again")
