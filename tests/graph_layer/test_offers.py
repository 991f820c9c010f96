"""Offers on the real engine: what owners can do with them, and who sees them when."""

from __future__ import annotations

import json
import time
from types import SimpleNamespace

import pytest
from engines import rows_produced
from factories import sponsor_chain, sponsored
from offer_factories import offer, set_status

from graph import importer, offers, sponsorship, trust
from graph.errors import Conflict, Invalid, NotFound


@pytest.fixture
def chain(engine):
    """You -> Alice -> Bob -> Carol, each sponsoring the next."""
    return tuple(sponsor_chain(engine, "You", "Alice", "Bob", "Carol"))


def feed_titles(engine, member, **filters) -> list[str]:
    return [item.offer.title for item in offers.feed(engine, member.id, 3, **filters).items]


def test_each_offer_reaches_exactly_the_circle_its_owner_chose(engine, chain):
    you, alice, bob, carol = chain
    offer(engine, carol, "For my contacts", visibility=1, now=1)
    offer(engine, carol, "Up to the 2nd degree", visibility=2, now=2)
    offer(engine, carol, "Up to the 3rd degree", visibility=3, now=3)
    offer(engine, carol, "For everyone", visibility=offers.WHOLE_NETWORK, now=4)

    assert feed_titles(engine, bob) == [
        "For everyone", "Up to the 3rd degree", "Up to the 2nd degree", "For my contacts"]
    assert feed_titles(engine, alice) == [
        "For everyone", "Up to the 3rd degree", "Up to the 2nd degree"]
    assert feed_titles(engine, you) == ["For everyone", "Up to the 3rd degree"]
    assert feed_titles(engine, carol) == []  # one's own offers are under "My offers"


def test_a_feed_card_says_how_far_the_owner_is_and_through_whom(engine, chain):
    you, alice, bob, carol = chain
    offer(engine, carol, visibility=3)

    [item] = offers.feed(engine, you.id, 3).items

    assert (item.owner.name, item.degree, item.via.name) == ("Carol", 3, "Alice")


def test_a_whole_network_offer_beyond_the_maximum_degree_is_shown_not_connected(engine, chain):
    you, alice, bob, carol = chain
    dave = sponsored(engine, carol, "Dave")
    offer(engine, dave, visibility=offers.WHOLE_NETWORK)
    offer(engine, dave, "Only close friends", visibility=3)

    [item] = offers.feed(engine, you.id, 3).items

    assert (item.offer.title, item.degree, item.via) == ("A cordless drill", None, None)
    assert offers.offer_for(engine, you.id, item.offer.id, 3).path is None


def test_the_feed_filters_by_category_degree_and_text_and_pages_newest_first(engine, chain):
    you, alice, bob, carol = chain
    for n in range(5):
        offer(engine, alice, f"Drill {n}", now=100 + n)
    offer(engine, bob, "Flat in Lyon", category="housing_rental", now=50)
    offer(engine, carol, "Lift to Paris", category="ride_sharing", visibility=0, now=60,
          description="Leaving Friday from LYON")

    assert feed_titles(engine, you, category="housing_rental") == ["Flat in Lyon"]
    assert feed_titles(engine, you, max_degree=1) == [f"Drill {n}" for n in (4, 3, 2, 1, 0)]
    assert feed_titles(engine, you, text="FRIDAY") == ["Lift to Paris"]  # in its description
    assert feed_titles(engine, you, text="flat in") == ["Flat in Lyon"]
    first = offers.feed(engine, you.id, 3, per_page=3)
    second = offers.feed(engine, you.id, 3, page=2, per_page=3)
    third = offers.feed(engine, you.id, 3, page=3, per_page=3)
    assert [i.offer.title for i in first.items + second.items + third.items] == [
        "Drill 4", "Drill 3", "Drill 2", "Drill 1", "Drill 0", "Lift to Paris", "Flat in Lyon"]
    assert (first.has_next, second.has_next, third.has_next) == (True, True, False)


def test_the_feed_finds_old_whole_network_offers_behind_recent_ones(engine, chain):
    you, alice, bob, carol = chain
    dave = sponsored(engine, carol, "Dave")
    offer(engine, dave, "Last year", visibility=0, now=1_000)
    offer(engine, dave, "Last week", visibility=0)

    assert feed_titles(engine, you) == ["Last week", "Last year"]
    assert feed_titles(engine, you, text="year") == ["Last year"]


def test_feed_pages_run_newest_first_across_the_time_tiers_of_whole_network_offers(engine,
                                                                                  chain):
    you, alice, bob, carol = chain
    dave = sponsored(engine, carol, "Dave")  # beyond your circle: whole-network offers only
    now = time.time()
    ages = {"10 minutes": 600, "3 hours": 3 * 3600, "12 hours": 12 * 3600,
            "10 days": 10 * 86_400, "400 days": 400 * 86_400}
    for title, age in ages.items():
        offer(engine, dave, title, visibility=0, now=now - age)

    pages = [feed_titles(engine, you, page=page, per_page=2) for page in (1, 2, 3)]

    assert pages == [["10 minutes", "3 hours"], ["12 hours", "10 days"], ["400 days"]]


def test_my_circles_offers_come_before_newer_whole_network_ones_page_after_page(engine, chain):
    you, alice, bob, carol = chain
    dave = sponsored(engine, carol, "Dave")  # 4 steps from you
    now = time.time()
    for title, owner, visibility, minutes in (
            ("Far 1", dave, 0, 10), ("Near new", alice, 1, 20), ("Bob's", bob, 0, 30),
            ("Far 2", dave, 0, 40), ("Far 3", dave, 0, 50), ("Near old", alice, 1, 1440)):
        offer(engine, owner, title, visibility=visibility, now=now - 60 * minutes)

    pages = [offers.feed(engine, you.id, 3, page=page, per_page=2) for page in (1, 2, 3)]

    assert [[(item.offer.title, item.degree) for item in page.items] for page in pages] == [
        [("Near new", 1), ("Bob's", 2)], [("Near old", 1), ("Far 1", None)],
        [("Far 2", None), ("Far 3", None)]]
    bobs = pages[0].items[1]
    assert bobs.via.name == "Alice"  # a whole-network offer of my circle stays in my circle
    assert [page.has_next for page in pages] == [True, True, False]


def test_a_third_degree_offer_newer_than_a_full_page_of_nearer_ones_comes_first(engine):
    """The first two levels hold a page of offers (a floor for the third): a newer offer of
    the third level is still on it, and an older one on the next page."""
    edges = [("you", "alice"), ("alice", "bob"), ("bob", "carol"), ("carol", "dave")]
    lines = [json.dumps({"type": "member", "email": _address(name), "name": name.title(),
                         "founder": name == "you"})
             for name in ("you", "alice", "bob", "carol", "dave")]
    lines += [json.dumps({"type": "sponsorship", "sponsor": _address(a), "sponsee": _address(b)})
              for a, b in edges]
    importer.import_community(engine, lines, now=time.time())
    you, alice, bob, carol, dave = (_member(engine, name)
                                    for name in ("you", "alice", "bob", "carol", "dave"))
    for title, owner, visibility, at in (
            ("Alice's", alice, 1, 10), ("Bob's new", bob, 2, 30), ("Bob's old", bob, 2, 5),
            ("Carol's new", carol, 3, 25), ("Carol's old", carol, 3, 1), ("Dave's", dave, 0, 40)):
        offer(engine, owner, title, visibility=visibility, now=at)

    pages = [offers.feed(engine, you.id, 3, page=page, per_page=2) for page in (1, 2, 3)]

    assert [[(i.offer.title, i.degree) for i in page.items] for page in pages] == [
        [("Bob's new", 2), ("Carol's new", 3)], [("Alice's", 1), ("Bob's old", 2)],
        [("Carol's old", 3), ("Dave's", None)]]
    assert pages[0].items[1].via.name == "Alice"


def _address(name: str) -> str:
    return name if "@" in name else f"{name}@example.org"


def _member(engine, name: str) -> SimpleNamespace:
    [row] = engine.read("MATCH (m:Member {email: $email}) RETURN m.id AS id",
                        {"email": _address(name)})
    return SimpleNamespace(id=row["id"])


def test_paused_closed_and_hidden_offers_and_those_of_inactive_owners_are_hidden(engine, chain):
    you, alice, bob, carol = chain
    paused = offer(engine, alice, "Paused", visibility=0)
    closed = offer(engine, alice, "Closed", visibility=0)
    offer(engine, bob, "Of a suspended owner", visibility=0)
    offers.change_status(engine, alice.id, paused, "pause")
    offers.change_status(engine, alice.id, closed, "close")
    set_status(engine, bob, "suspended")

    assert feed_titles(engine, you) == []
    for offer_id in (paused, closed):
        with pytest.raises(NotFound):
            offers.offer_for(engine, you.id, offer_id, 3)
        assert offers.offer_for(engine, alice.id, offer_id, 3).degree == 0  # but its owner does


def test_a_member_who_is_not_active_carries_no_trust(engine, chain):
    you, alice, bob, carol = chain
    offer(engine, bob, visibility=3)
    assert trust.trust_path(engine, you.id, bob.id, 3).degree == 2

    set_status(engine, alice, "banned")

    assert trust.trust_path(engine, you.id, bob.id, 3) == trust.TrustPath(None, None, 0)
    assert feed_titles(engine, you) == []
    with pytest.raises(NotFound):
        offers.profile_for(engine, you.id, bob.id, 3)


def test_strength_counts_the_contacts_through_whom_a_shortest_path_goes(engine, chain):
    you, alice, bob, carol = chain
    erin = sponsored(engine, you, "Erin")
    sponsored(engine, erin, "Frank")  # a contact who does not lead to Bob
    offer_id = offer(engine, bob, visibility=2)
    assert offers.offer_for(engine, you.id, offer_id, 3).strength == 1
    vouch = sponsorship.offer_vouch(engine, erin.id, bob.email)
    sponsorship.confirm_vouch(engine, bob.id, vouch)

    view = offers.offer_for(engine, you.id, offer_id, 3)

    assert (view.degree, view.strength) == (2, 2)
    assert [step.name for step in view.path][::2] == ["You", "Bob"]


def test_owners_edit_pause_resume_close_and_delete_their_offers(engine, chain):
    you, alice, bob, carol = chain
    offer_id = offer(engine, alice, visibility=1)
    draft = offers.OfferDraft(title="  A better drill ", description="Cordless.",
                              category="tools", area="Villeurbanne", price=5.5, currency="EUR",
                              visibility=offers.WHOLE_NETWORK, available_from="2030-01-01",
                              available_until="2030-01-31")
    offers.update_offer(engine, alice.id, offer_id, draft)
    edited = offers.own_offer(engine, alice.id, offer_id)
    assert (edited.title, edited.price, edited.visibility, edited.available_until) == (
        "A better drill", 5.5, 0, "2030-01-31")

    assert offers.change_status(engine, alice.id, offer_id, "pause") == "paused"
    with pytest.raises(Conflict):
        offers.change_status(engine, alice.id, offer_id, "pause")
    assert offers.change_status(engine, alice.id, offer_id, "resume") == "active"
    assert offers.change_status(engine, alice.id, offer_id, "close") == "closed"
    with pytest.raises(Conflict):
        offers.change_status(engine, alice.id, offer_id, "resume")

    offers.delete_offer(engine, alice.id, offer_id)
    assert offers.own_offers(engine, alice.id) == []


def test_nobody_but_the_owner_can_change_an_offer(engine, chain):
    you, alice, bob, carol = chain
    offer_id = offer(engine, alice)
    draft = offers.OfferDraft(title="Mine now", description="x", category="tools", area="x",
                              price=None, currency="EUR", visibility=1)

    with pytest.raises(NotFound):
        offers.update_offer(engine, you.id, offer_id, draft)
    with pytest.raises(NotFound):
        offers.change_status(engine, you.id, offer_id, "close")
    with pytest.raises(NotFound):
        offers.delete_offer(engine, you.id, offer_id)
    assert offers.own_offer(engine, alice.id, offer_id).title == "A cordless drill"


@pytest.mark.parametrize("fields", [
    {"title": "  "}, {"category": "weapons"}, {"visibility": 4}, {"price": -1.0},
    {"currency": "euro"}, {"available_from": "tomorrow"},
    {"available_from": "2030-02-01", "available_until": "2030-01-01"},
])
def test_an_invalid_offer_is_refused(engine, chain, fields):
    you, *_ = chain
    with pytest.raises(Invalid):
        offer(engine, you, **fields)
    assert offers.own_offers(engine, you.id) == []


def test_only_an_active_member_can_publish(engine, chain):
    you, alice, *_ = chain
    set_status(engine, alice, "suspended")
    with pytest.raises(Conflict):
        offer(engine, alice)


def test_a_no_costs_the_same_whether_the_offer_or_member_exists_is_far_or_banned(
        engine, chain):
    """A page about an offer or a member out of my reach does the work of one that does not
    exist (a faster "no" would tell them apart): counted in rows produced by the engine's
    operators. The far owner heads a tree of 1,884 members, which the old statements walked
    when they were asked about an offer or a profile of theirs."""
    you, *_ = chain
    levels = [["far"]]
    for _ in range(3):
        levels.append([f"{name}_{i}" for name in levels[-1] for i in range(12)])
    names = [name for level in levels for name in level]
    lines = [json.dumps({"type": "member", "email": _address(name), "name": name,
                         "founder": name == "far"}) for name in names]
    lines += [json.dumps({"type": "sponsorship", "sponsor": _address(name.rpartition("_")[0]),
                          "sponsee": _address(name)}) for name in names[1:]]
    importer.import_community(engine, lines, now=time.time())
    far, far_hub = _member(engine, "far"), _member(engine, "far_3")
    far_offer = offer(engine, far, visibility=3)
    banned_offer = offer(engine, far_hub, visibility=0)
    set_status(engine, far_hub, "banned")

    def work(table: dict, **params) -> int:
        return rows_produced(engine, trust.statement(table, 3),
                             {"member_id": you.id, "hops": 3, **params})

    offer_pages = {offer_id: work(offers.OFFER_PAGE, offer_id=offer_id)
                   for offer_id in (far_offer, banned_offer, "no-such-offer")}
    profiles = {member_id: work(offers.PROFILE, profile_id=member_id)
                for member_id in (far.id, far_hub.id, "no-such-member")}

    for works in (offer_pages, profiles):
        assert max(works.values()) - min(works.values()) <= 10, works  # a few rows: the match
    with pytest.raises(NotFound):
        offers.offer_for(engine, you.id, far_offer, 3)
    with pytest.raises(NotFound):
        offers.profile_for(engine, you.id, far.id, 3)
