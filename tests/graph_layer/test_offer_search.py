"""Searching the feed: through the engine's full-text index, as members type words (no
accents, any case, hyphens or not, the start of a word), within the feed's visibility rules."""

from __future__ import annotations

import pytest
from factories import sponsor_chain, sponsored
from offer_factories import offer

from graph import offers


@pytest.fixture
def chain(engine):
    """You -> Alice -> Bob, each sponsoring the next."""
    return tuple(sponsor_chain(engine, "You", "Alice", "Bob"))


def found(engine, member, text, **filters) -> list[str]:
    return [item.offer.title for item in offers.feed(engine, member.id, 3, text=text,
                                                     **filters).items]


@pytest.mark.parametrize(("typed", "title"), [
    ("velo", "Vélo-cargo électrique"),
    ("ardeche", "Gîte en Ardèche"),
    ("demenagement", "Aide au DÉMÉNAGEMENT samedi"),
    ("babysitting", "Baby-sitting le mercredi"),
    ("baby-sitting", "Babysitting after school"),
    ("sitting", "Baby-sitting le mercredi"),
    ("Ardèche GÎTE", "Gîte en Ardèche"),
    ("dem", "Aide au DÉMÉNAGEMENT samedi"),
])
def test_a_search_ignores_accents_case_and_hyphens_and_finds_words_as_typed(engine, chain,
                                                                           typed, title):
    you, alice, bob = chain
    for n, name in enumerate(("Vélo-cargo électrique", "Gîte en Ardèche",
                              "Aide au DÉMÉNAGEMENT samedi", "Baby-sitting le mercredi",
                              "Babysitting after school", "Perceuse sans fil")):
        offer(engine, alice, name, now=100 + n)

    titles = found(engine, you, typed)

    assert title in titles
    assert "Perceuse sans fil" not in titles


def test_a_search_finds_words_of_the_description_and_area_and_needs_every_word(engine,
                                                                              chain):
    you, alice, bob = chain
    offer(engine, alice, "Remorque", description="Pour un déménagement", area="Privas")
    offer(engine, alice, "Camion", description="Pour un déménagement", area="Lyon")

    assert found(engine, you, "demenagement privas") == ["Remorque"]
    assert sorted(found(engine, you, "déménag")) == ["Camion", "Remorque"]


def test_a_search_keeps_the_visibility_rules_and_the_filters(engine, chain):
    you, alice, bob = chain
    carol = sponsored(engine, bob, "Carol")
    dave = sponsored(engine, carol, "Dave")
    offer(engine, alice, "Vélo de ville", visibility=1, now=1)
    offer(engine, bob, "Vélo pour enfant", visibility=1, now=2)  # too far for me
    offer(engine, carol, "Vélo de course", visibility=3, now=3)
    offer(engine, dave, "Vélo tandem", visibility=offers.WHOLE_NETWORK, now=4)
    offer(engine, dave, "Vélo couché", visibility=3, now=5)  # beyond my circle
    closed = offer(engine, alice, "Vélo fermé", now=6)
    offers.change_status(engine, alice.id, closed, "close")
    offer(engine, alice, "Vélo à donner", category="giveaway", now=7)

    assert found(engine, you, "velo") == [  # my circle's first
        "Vélo à donner", "Vélo de course", "Vélo de ville", "Vélo tandem"]
    [tandem] = [item for item in offers.feed(engine, you.id, 3, text="tandem").items]
    assert (tandem.degree, tandem.via) == (None, None)
    [far] = offers.feed(engine, you.id, 3, text="course").items
    assert (far.degree, far.via.name) == (3, "Alice")
    assert found(engine, you, "velo", max_degree=1) == ["Vélo à donner", "Vélo de ville"]
    assert found(engine, you, "velo", category="giveaway") == ["Vélo à donner"]
    assert found(engine, alice, "velo") == [  # Dave is 3 steps from Alice
        "Vélo couché", "Vélo tandem", "Vélo de course", "Vélo pour enfant"]


def test_an_edited_offer_is_found_by_its_new_words_only(engine, chain):
    you, alice, bob = chain
    offer_id = offer(engine, alice, "Tente")
    offers.update_offer(engine, alice.id, offer_id, offers.OfferDraft(
        title="Hamac", description="Pour deux.", category="tools", area="Lyon", price=None,
        currency="EUR", visibility=2))

    assert found(engine, you, "tente") == []
    assert found(engine, you, "hamac") == ["Hamac"]


@pytest.mark.parametrize("typed", ['" OR *', "a", "*:*", "-", "velo)"])
def test_query_syntax_typed_in_the_box_is_only_text(engine, chain, typed):
    you, alice, bob = chain
    offer(engine, alice, "Vélo")

    assert found(engine, you, typed) == (["Vélo"] if typed == "velo)" else [])


def test_the_searched_text_is_folded_and_hyphenated_words_kept_both_ways():
    assert offers.search_text("Vélo-cargo", "Œuvre à l'Ardèche") == (
        "velocargo velo cargo oeuvre a l ardeche")


def test_offers_published_before_search_existed_are_found_after_a_start(engine, chain):
    you, alice, bob = chain
    offer_id = offer(engine, alice, "Vélo de ville")
    engine.write("MATCH (o:Offer {id: $id}) REMOVE o.search_text RETURN o.id AS id",
                 {"id": offer_id})  # as stored before the full-text search
    assert found(engine, you, "velo") == []

    assert offers.make_offers_searchable(engine) == 1

    assert found(engine, you, "velo") == ["Vélo de ville"]
    assert offers.make_offers_searchable(engine) == 0  # the next start has nothing to do
