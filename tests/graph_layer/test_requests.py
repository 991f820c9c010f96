"""Requests for help on the real engine: an Offer of kind 'request', with the same circles,
conversations and references, shown in the feed beside offers or alone."""

from __future__ import annotations

import pytest
from factories import founder, sponsored
from offer_factories import offer

from graph import conversations, offers, references
from graph.errors import Invalid, NotFound

# An offer written before requests existed: no kind at all.
OFFER_WITHOUT_KIND = "MATCH (o:Offer {id: $id}) REMOVE o.kind RETURN o.id AS id"


@pytest.fixture
def people(engine):
    """Alice sponsored Bob and Dave; Carol is Bob's contact, two steps from Alice."""
    alice = founder(engine, "Alice")
    bob = sponsored(engine, alice, "Bob")
    carol = sponsored(engine, bob, "Carol")
    dave = sponsored(engine, alice, "Dave")
    return alice, bob, carol, dave


def _titles(engine, member, **filters) -> list[str]:
    return [item.offer.title for item in offers.feed(engine, member.id, 3, **filters).items]


def test_the_feed_shows_offers_and_requests_or_either_alone(engine, people):
    alice, bob, carol, dave = people
    offer(engine, bob, "A drill", now=1.0)
    asked = offer(engine, dave, "Help moving boxes on Saturday?", kind="request", now=2.0)
    old = offer(engine, bob, "A ladder", now=0.5)
    engine.write(OFFER_WITHOUT_KIND, {"id": old})

    assert _titles(engine, alice) == ["Help moving boxes on Saturday?", "A drill", "A ladder"]
    assert _titles(engine, alice, kind="request") == ["Help moving boxes on Saturday?"]
    assert _titles(engine, alice, kind="offer") == ["A drill", "A ladder"]
    view = offers.offer_for(engine, alice.id, asked, 3)
    assert (view.offer.kind, view.offer.is_request) == ("request", True)
    assert offers.offer_for(engine, alice.id, old, 3).offer.kind == "offer"


def test_a_request_keeps_to_its_circle_like_an_offer(engine, people):
    alice, bob, carol, dave = people
    asked = offer(engine, dave, "A ride to Lyon tomorrow?", kind="request", visibility=1,
                  category="ride_sharing")

    assert _titles(engine, alice) == ["A ride to Lyon tomorrow?"]
    assert _titles(engine, carol) == []
    with pytest.raises(NotFound):
        offers.offer_for(engine, carol.id, asked, 3)


def test_a_request_is_answered_and_followed_by_references(engine, people):
    alice, bob, carol, dave = people
    asked = offer(engine, dave, "Someone to take my son to school?", kind="request",
                  category="services")

    sent = conversations.start_conversation(engine, alice.id, asked, "I can, at 8.", 3)
    references.mark_done(engine, dave.id, sent.conversation_id, "given")
    references.leave_reference(engine, dave.id, sent.conversation_id, "positive", "On time!")

    assert sent.request and sent.to_name == "Dave"
    [shown] = offers.profile_for(engine, bob.id, alice.id, 3).references
    assert (shown.author_name, shown.text) == ("Dave", "On time!")


def test_an_owner_can_turn_an_offer_into_a_request_and_nothing_else(engine, people):
    alice, bob, carol, dave = people
    offer_id = offer(engine, bob, "A drill")
    draft = offers.OfferDraft(title="A drill this weekend?", description="Mine broke.",
                              category="tools", area="Lyon", price=None, currency="EUR",
                              visibility=2, kind="request")

    offers.update_offer(engine, bob.id, offer_id, draft)

    assert offers.own_offer(engine, bob.id, offer_id).kind == "request"
    with pytest.raises(Invalid):
        offers.create_offer(engine, bob.id, offers.OfferDraft(**{
            **draft.__dict__, "kind": "demand"}))
