"""The whole-network offers of a feed, after a burst of them: a page checks the owners of
the newest candidates only, not of every whole-network offer of the time tier it reads."""

from __future__ import annotations

import time

from engines import rows_produced
from factories import founder, sponsored
from offer_factories import offer

from graph import offers, trust


def test_a_first_page_checks_the_owners_of_the_whole_network_offers_it_may_show(engine):
    """Counted in rows produced by the engine's operators that read or test an owner:
    checking the owner of every offer of the tier would cost at least one more row per
    offer, so 100 more offers must cost fewer than 50 (a few more candidates fill the
    page)."""
    alice = founder(engine, "Alice")
    sponsored(engine, alice, "Bob")  # a circle without offers: the page is the far stream's
    far = founder(engine, "Far")
    now = time.time()

    def work() -> int:
        filters = {"category": None, "max_degree": None, "kind": None, "radius": None}
        return rows_produced(engine, trust.statement(offers.FEED, 3), {
            **offers.feed_parameters(engine, alice.id, 3, filters, skip=0, per_page=20),
            **{f"since_{k}": now - 3600 for k in range(len(offers._FAR_TIER_AGES))}},
            naming="owner")

    for n in range(30):
        offer(engine, far, f"Far {n}", visibility=0, now=now - 60 + n)
    before = work()
    for n in range(100):
        offer(engine, far, f"Later {n}", visibility=0, now=now - 30 + n / 10)

    assert work() - before < 50
    page = offers.feed(engine, alice.id, 3)
    assert [item.offer.title for item in page.items[:2]] == ["Later 99", "Later 98"]
