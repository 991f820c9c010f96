"""Places: the gazetteer loaded into the graph, found by name, a member's home and an
offer's place, and the feed within a distance of home, ordered by trust then nearness."""

from __future__ import annotations

import pytest
from factories import founder, sponsored
from offer_factories import offer
from place_factories import french_towns, load_towns

from graph import offers, places

LYON_AREA = ("Lyon", "Villeurbanne", "Vénissieux", "Caluire-et-Cuire", "Grenoble",
             "Saint-Étienne")

COUNT_PLACES = "MATCH (p:Place) RETURN count(p) AS places"


def test_loading_the_same_places_again_changes_nothing(engine):
    load_towns(engine, *LYON_AREA)
    load_towns(engine, *LYON_AREA)

    assert engine.read(COUNT_PLACES)[0]["places"] == len(LYON_AREA)
    found = engine.read("MATCH (p:Place {name: 'Lyon'}) "
                        "RETURN p.location.latitude AS lat, p.location.longitude AS lon")
    assert found[0]["lat"] == pytest.approx(45.75, abs=0.01)
    assert found[0]["lon"] == pytest.approx(4.85, abs=0.01)


def test_the_gazetteer_holds_the_towns_of_france():
    towns = french_towns()
    assert len(towns) > 10_000
    assert towns["Lyon"]["region"] == "Auvergne-Rhône-Alpes"


@pytest.mark.parametrize(("typed", "expected"), [
    ("Lyon", ["Lyon"]),  # one town has that very name: chosen, though others start so
    ("  lyon ", ["Lyon"]),
    ("saint etienne", ["Saint-Étienne"]),
    ("Lyon (Auvergne-Rhône-Alpes)", ["Lyon"]),  # the label a list shows
    ("Lyon (Bretagne)", []),
    ("Caluire", ["Caluire-et-Cuire"]),
    ("Atlantis", []),
    ("", []),
])
def test_a_typed_name_finds_its_places(engine, typed, expected):
    load_towns(engine, *LYON_AREA)

    found, _ = places.find_places(engine, typed)

    assert [place.name for place in found] == expected


def test_a_member_has_one_home_at_a_time(engine):
    ids = load_towns(engine, *LYON_AREA)
    alice = founder(engine)

    places.set_home(engine, alice.id, ids["Grenoble"])
    places.set_home(engine, alice.id, ids["Lyon"])

    assert places.home_of(engine, alice.id).label == "Lyon (Auvergne-Rhône-Alpes)"
    assert engine.read("MATCH (:Member {id: $id})-[r:LIVES_IN]->() RETURN count(r) AS n",
                       {"id": alice.id})[0]["n"] == 1
    with pytest.raises(places.NotFound):
        places.set_home(engine, alice.id, "no-such-place")


@pytest.fixture
def lyon(engine):
    """Alice lives in Lyon; Bob is her contact, Carol his (2nd degree), Zoe is not
    connected to them; they offer things around Lyon and further."""
    ids = load_towns(engine, *LYON_AREA)
    alice = founder(engine, "Alice")
    bob = sponsored(engine, alice, "Bob")
    carol = sponsored(engine, bob, "Carol")
    zoe = founder(engine, "Zoe")
    places.set_home(engine, alice.id, ids["Lyon"])
    made = {}
    for at, (owner, title, town, visibility) in enumerate([
            (bob, "Drill", "Vénissieux", 2), (bob, "Ladder", "Villeurbanne", 2),
            (bob, "Bike", "Grenoble", 2), (carol, "Tent", "Villeurbanne", 2),
            (carol, "Mower", "Caluire-et-Cuire", 2), (zoe, "Sofa", "Villeurbanne", 0),
            (carol, "Kayak", None, 2)]):
        made[title] = offer(engine, owner, title, visibility=visibility, now=1000.0 + at,
                            place_id=ids[town] if town else None)
    return alice, made


def test_within_a_distance_offers_come_by_degree_then_nearest_first(engine, lyon):
    alice, _ = lyon

    page = offers.feed(engine, alice.id, 3, within_km=10)

    assert [(item.offer.title, item.degree) for item in page.items] == [
        ("Ladder", 1), ("Drill", 1), ("Tent", 2), ("Mower", 2), ("Sofa", None)]
    distances = [item.distance / 1000 for item in page.items]
    assert distances[0] == pytest.approx(3.0, abs=0.5)  # Villeurbanne from Lyon's centre
    assert distances[1] == pytest.approx(6.3, abs=0.7)  # Vénissieux
    assert page.items[0].place.name == "Villeurbanne"


def test_the_nearest_distances_filter_and_page_in_the_same_order(engine, lyon):
    alice, _ = lyon

    near = offers.feed(engine, alice.id, 3, within_km=5, per_page=2)
    second = offers.feed(engine, alice.id, 3, within_km=5, per_page=2, page=2)

    assert [item.offer.title for item in near.items] == ["Ladder", "Tent"]
    assert near.has_next
    assert [item.offer.title for item in second.items] == ["Sofa"]  # Caluire: 5.1 km
    assert not second.has_next


def test_anywhere_keeps_the_newest_first_and_shows_each_distance(engine, lyon):
    alice, _ = lyon

    page = offers.feed(engine, alice.id, 3)

    assert [item.offer.title for item in page.items] == [  # my circle's, then Zoe's
        "Kayak", "Mower", "Tent", "Bike", "Ladder", "Drill", "Sofa"]
    by_title = {item.offer.title: item for item in page.items}
    assert by_title["Kayak"].distance is None and by_title["Kayak"].place is None
    assert by_title["Bike"].distance / 1000 == pytest.approx(95, abs=10)


def test_without_a_home_a_distance_finds_nothing(engine, lyon):
    alice, _ = lyon
    [bob_id] = {i.owner.id for i in offers.feed(engine, alice.id, 3).items
                if i.owner.name == "Bob"}

    assert offers.feed(engine, bob_id, 3, within_km=50).items == []
    assert offers.feed(engine, bob_id, 3).items  # while anywhere shows his circle's


def test_an_offer_moves_with_its_place(engine, lyon):
    alice, made = lyon
    [bob_id] = {i.owner.id for i in offers.feed(engine, alice.id, 3).items
                if i.owner.name == "Bob"}
    grenoble = load_towns(engine, "Grenoble")["Grenoble"]
    drill = offers.own_offer(engine, bob_id, made["Drill"])
    draft = offers.OfferDraft(
        title=drill.title, description=drill.description, category=drill.category,
        area=drill.area, price=drill.price, currency=drill.currency,
        visibility=drill.visibility, place_id=grenoble)

    offers.update_offer(engine, bob_id, made["Drill"], draft)

    assert "Drill" not in [item.offer.title
                           for item in offers.feed(engine, alice.id, 3, within_km=10).items]
    assert engine.read("MATCH (:Offer {id: $id})-[r:AT]->() RETURN count(r) AS n",
                       {"id": made["Drill"]})[0]["n"] == 1
