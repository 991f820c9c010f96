"""A text search orders what it finds like the feed: my circle's offers first, then
whole-network offers of members beyond it, page after page."""

from __future__ import annotations

import time

from factories import sponsor_chain, sponsored
from offer_factories import offer

from graph import offers


def test_a_search_shows_my_circles_offers_before_newer_whole_network_ones(engine):
    you, alice, bob, carol = sponsor_chain(engine, "You", "Alice", "Bob", "Carol")
    dave = sponsored(engine, carol, "Dave")  # 4 steps from you: whole-network offers only
    now = time.time()
    for title, owner, visibility, minutes in (
            ("Bike far new", dave, 0, 10), ("Bike Alice", alice, 1, 20),
            ("Bike far old", dave, 0, 30), ("Bike Bob", bob, 0, 600)):
        offer(engine, owner, title, visibility=visibility, now=now - 60 * minutes)

    pages = [offers.feed(engine, you.id, 3, text="bike", page=page, per_page=3)
             for page in (1, 2)]

    assert [[(item.offer.title, item.degree) for item in page.items] for page in pages] == [
        [("Bike Alice", 1), ("Bike Bob", 2), ("Bike far new", None)],
        [("Bike far old", None)]]
    assert [page.has_next for page in pages] == [True, False]
