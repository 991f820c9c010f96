"""The feed within a distance when many whole-network offers are in reach: the pages show
them nearest first, then newest, skipping those of my circle, of inactive owners and out of
reach, whatever how many share a town; and the work of a page does not follow their number."""

from __future__ import annotations

import pytest
from engines import rows_produced
from factories import founder, sponsored
from offer_factories import offer, set_status
from place_factories import load_towns
from races import all_at_once

from graph import offers, places, trust

# Nearest first from Lyon: Lyon itself, Villeurbanne (3 km), Caluire-et-Cuire (5 km),
# Vénissieux (6 km); Grenoble (95 km) is out of a 10 km reach.
NEAREST_FIRST = ("Lyon", "Villeurbanne", "Caluire-et-Cuire", "Vénissieux")
TOWNS = (*NEAREST_FIRST, "Grenoble")


@pytest.fixture
def crowded(engine):
    """Alice lives in Lyon, Bob is her contact; Yann and Zoe, beyond her circle, offer to
    the whole network in every town, two offers each per town, at times interleaved; Sam,
    suspended, offers the newest ones in Lyon. Returns Alice, her contact's offers and the
    strangers' offers within 10 km in the feed's order (nearest first, then newest)."""
    ids = load_towns(engine, *TOWNS)
    alice = founder(engine, "Alice")
    bob = sponsored(engine, alice, "Bob")
    yann, zoe, sam = (founder(engine, name) for name in ("Yann", "Zoe", "Sam"))
    places.set_home(engine, alice.id, ids["Lyon"])
    at = iter(range(1000, 2000))
    by_town: dict[str, list[str]] = {}
    for town in TOWNS:
        for owner in (yann, zoe, yann, zoe):
            by_town.setdefault(town, []).append(
                offer(engine, owner, f"{owner.name} in {town}", visibility=0,
                      now=float(next(at)), place_id=ids[town]))
    circle = [offer(engine, bob, f"Bob in {town}", visibility=0, now=float(next(at)),
                    place_id=ids[town]) for town in ("Vénissieux", "Lyon")]
    for _ in range(3):
        offer(engine, sam, "Sam in Lyon", visibility=0, now=float(next(at)),
              place_id=ids["Lyon"])
    set_status(engine, sam, "suspended")
    strangers = [o for town in NEAREST_FIRST for o in reversed(by_town[town])]
    return alice, list(reversed(circle)), strangers


@pytest.mark.parametrize("per_page", [3, 5, 40])
def test_pages_within_a_distance_show_my_circle_then_the_nearest_and_newest(
        engine, crowded, per_page):
    alice, circle, strangers = crowded

    shown, page, has_next = [], 1, True
    while has_next:
        found = offers.feed(engine, alice.id, 3, within_km=10, page=page, per_page=per_page)
        shown += [(item.offer.id, item.degree) for item in found.items]
        has_next, page = found.has_next, page + 1

    assert shown == [(o, 1) for o in circle] + [(o, None) for o in strangers]


def test_a_first_page_within_a_distance_checks_the_owners_of_the_offers_it_may_show(
        engine, crowded):
    """The owners (active, not me, nobody blocked) are checked for the candidates that can
    still reach the page, in its order, not for every whole-network offer in reach. Counted
    in rows produced by the engine's operators that read or test an owner: checking the
    owner of every offer in reach would cost at least one more row per offer, so 100 more
    offers in reach must cost fewer than 50 (a few more candidates fill the page)."""
    alice, _, _ = crowded
    far = founder(engine, "Far")
    lyon = load_towns(engine, "Lyon")["Lyon"]

    def work() -> int:
        filters = {"category": None, "max_degree": None, "kind": None, "radius": 10_000}
        return rows_produced(engine, trust.statement(offers.FEED, 3), offers.feed_parameters(
            engine, alice.id, 3, filters, skip=0, per_page=20), naming="owner")

    before = work()
    for n in range(100):
        offer(engine, far, f"Far {n}", visibility=0, now=float(500 + n), place_id=lyon)

    assert work() - before < 50


def nearby_for(engine, member) -> list[str]:
    """The ids of the offers of member's feed within 10 km, first page."""
    return [item.offer.id for item in offers.feed(engine, member.id, 3, within_km=10).items]


def test_an_offer_is_found_nearby_by_strangers_while_it_is_for_the_whole_network(engine):
    """Its owner widens and narrows who may see it, and moves it: a member beyond the
    owner's circle finds it within a distance only while it is for the whole network and
    placed in reach, and only once."""
    ids = load_towns(engine, "Lyon", "Villeurbanne", "Grenoble")
    alice, yann = founder(engine, "Alice"), founder(engine, "Yann")
    places.set_home(engine, alice.id, ids["Lyon"])
    drill = offer(engine, yann, "A drill", visibility=2, place_id=ids["Lyon"])

    def edit(visibility: int, town: str | None) -> list[str]:
        offers.update_offer(engine, yann.id, drill, offers.OfferDraft(
            title="A drill", description="With two batteries.", category="tools",
            area="Lyon", price=None, currency="EUR", visibility=visibility,
            place_id=ids[town] if town else None))
        return nearby_for(engine, alice)

    assert nearby_for(engine, alice) == []
    assert edit(0, "Lyon") == [drill]
    assert edit(0, "Villeurbanne") == [drill]
    assert edit(0, "Grenoble") == []
    assert edit(0, "Villeurbanne") == [drill]
    assert edit(3, "Villeurbanne") == []
    assert edit(0, None) == []
    assert edit(0, "Lyon") == [drill]


UNLINK = "MATCH (:Offer)-[link:" + offers.WHOLE_NETWORK_AT + "]->() DELETE link " \
         "RETURN count(*) AS n"
LINKS = "MATCH (o:Offer)-[link:" + offers.WHOLE_NETWORK_AT + "]->() " \
        "RETURN o.id AS id, count(link) AS links ORDER BY id"


def test_whole_network_offers_placed_before_their_second_link_are_found_after_a_start(engine):
    """A graph from before WHOLE_NETWORK_AT (its offers with their place only): the start-up
    migration links its whole-network offers once, and they are found nearby again."""
    ids = load_towns(engine, "Lyon")
    alice, yann = founder(engine, "Alice"), founder(engine, "Yann")
    places.set_home(engine, alice.id, ids["Lyon"])
    whole = [offer(engine, yann, f"Offer {n}", visibility=0, now=float(100 + n),
                   place_id=ids["Lyon"]) for n in range(3)]
    offer(engine, yann, "Friends only", visibility=1, place_id=ids["Lyon"])
    assert engine.write(UNLINK)[0]["n"] == 3
    assert nearby_for(engine, alice) == []

    assert offers.link_whole_network_offers(engine) == 3
    assert offers.link_whole_network_offers(engine) == 0  # marked: the next start skips it
    assert nearby_for(engine, alice) == list(reversed(whole))


def test_two_workers_starting_at_once_link_each_offer_once(backend, graph_name, engine):
    ids = load_towns(engine, "Lyon")
    yann = founder(engine, "Yann")
    whole = [offer(engine, yann, f"Offer {n}", visibility=0, place_id=ids["Lyon"])
             for n in range(20)]
    engine.write(UNLINK)

    linked = all_at_once(backend, graph_name, [offers.link_whole_network_offers] * 2)

    assert sum(linked) == 20
    assert engine.read(LINKS) == [{"id": o, "links": 1} for o in sorted(whole)]
