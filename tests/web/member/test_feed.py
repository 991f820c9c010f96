"""The feed: what my circles offer me, how far each owner is, filters and pages; and its cost
on a large network, counted in queries."""

from __future__ import annotations

import re

import pytest
from conftest import text
from factories import sponsor_chain
from offer_factories import offer

from graph import members, offers

CARD_TITLE = re.compile(r'<h3 id="offer-\w+"><a href="/offers/\w+">([^<]+)</a></h3>')


def titles(page: str) -> list[str]:
    return CARD_TITLE.findall(page)


@pytest.fixture
def chain(engine):
    """You -> Alice -> Bob -> Carol -> Dave, each sponsoring the next."""
    return tuple(sponsor_chain(engine, "You", "Alice", "Bob", "Carol", "Dave"))


def test_each_card_says_who_offers_it_how_far_they_are_and_through_whom(
        browser, chain, engine):
    you, alice, bob, carol, dave = chain
    offer(engine, alice, "Alice's ladder", visibility=1, now=1)
    offer(engine, bob, "Bob's flat", category="housing_rental", now=2)
    offer(engine, dave, "Dave's bike", visibility=offers.WHOLE_NETWORK, now=3)

    page = text(browser(you).get("/"))

    assert titles(page) == [  # my circle's first, then the whole network's
        "Bob&#39;s flat", "Alice&#39;s ladder", "Dave&#39;s bike"]
    cards = page.split('<article class="card"')[1:]
    assert "By Dave · further than 3 steps" in cards[2] and "/members/" not in cards[2]
    assert "friend of a friend · via Alice" in cards[0]
    assert f'<a href="/members/{bob.id}">Bob</a>' in cards[0]
    assert "your contact" in cards[1] and "via" not in cards[1]
    assert "Housing rental" in cards[0] and "Free" in cards[0]


def test_filters_narrow_the_feed_and_pages_keep_them(app, browser, chain, engine):
    you, alice, bob, carol, dave = chain
    for n in range(25):
        offer(engine, alice, f"Tool {n}", now=100 + n)
    offer(engine, bob, "Flat near the station", category="housing_rental", now=10)
    you_browser = browser(you)

    assert titles(text(you_browser.get("/?category=housing_rental"))) == [
        "Flat near the station"]
    assert titles(text(you_browser.get("/?q=STATION"))) == ["Flat near the station"]
    first = text(you_browser.get("/?degree=1"))
    assert titles(first) == [f"Tool {n}" for n in range(24, 4, -1)]
    assert 'href="/?page=2&amp;degree=1">Older offers' in first
    second = text(you_browser.get("/?degree=1&page=2"))
    assert titles(second) == [f"Tool {n}" for n in range(4, -1, -1)]
    assert "Newer offers" in second and "Older offers" not in second
    assert "No offer matches these filters." in text(you_browser.get("/?q=nothing-like-it"))


def test_a_feed_with_nothing_yet_says_so(browser, chain):
    you, *_ = chain
    assert "Nothing here yet." in text(browser(you).get("/"))


class CountingEngine:
    """The app's engine, counting the statements it runs."""

    def __init__(self, engine) -> None:
        self.engine = engine
        self.statements: list[str] = []

    def read(self, query, params=None):
        self.statements.append(query)
        return self.engine.read(query, params)

    def write(self, query, params=None):
        self.statements.append(query)
        return self.engine.write(query, params)

    def __getattr__(self, name):
        return getattr(self.engine, name)


# A community of 100,000 members, each sponsored by the member of half their number and
# vouched for by another: built in two statements, the test is about the queries of pages.
BIG_MEMBERS = """
UNWIND range(0, $size - 1) AS n
CREATE (:Member {id: 'big' + toString(n), name: 'Member ' + toString(n),
                 email: 'big' + toString(n) + '@example.org',
                 email_key: 'big' + toString(n) + '@example.org', status: 'active',
                 founder: n = 0, admin: false, session_version: 1, created_at: 0.0})
"""
BIG_SPONSORSHIPS = """
UNWIND range(1, $size - 1) AS n
MATCH (sponsee:Member {id: 'big' + toString(n)})
MATCH (sponsor:Member {id: 'big' + toString(n / 2)})
MATCH (voucher:Member {id: 'big' + toString((n * 7919 + 13) % n)})
CREATE (sponsor)-[:SPONSORED {via: 'invitation', at: 0.0}]->(sponsee)
FOREACH (_ IN CASE WHEN voucher <> sponsor THEN [1] ELSE [] END |
  CREATE (voucher)-[:SPONSORED {via: 'vouch', at: 0.0}]->(sponsee))
"""


def test_pages_of_a_member_of_a_100000_member_network_cost_a_few_queries(app, browser, engine):
    engine.write(BIG_MEMBERS, {"size": 100_000})
    engine.write(BIG_SPONSORSHIPS, {"size": 100_000})
    you, neighbour, far = (members.get_member(engine, f"big{n}") for n in (10, 5, 99_999))
    near_offer = offer(engine, neighbour, "Near", visibility=1)
    offer(engine, far, "Far", visibility=offers.WHOLE_NETWORK)
    services = app.extensions["trustnet"]
    counting = CountingEngine(services.connection.engine)
    services.connection.engine = counting
    you_browser = browser(you)
    try:
        # One statement loads the signed-in member, one computes the page's trust; the
        # network page also reads sponsors, vouches and invitations.
        for path, statements in (("/", 2), ("/?degree=2&category=tools&q=near&page=2", 2),
                                 (f"/offers/{near_offer}", 2), (f"/members/{neighbour.id}", 2),
                                 ("/network", 5)):
            counting.statements.clear()
            assert you_browser.get(path).status_code == 200, path
            assert len(counting.statements) == statements, path
        assert titles(text(you_browser.get("/"))) == ["Far", "Near"]
    finally:
        services.connection.engine = counting.engine
