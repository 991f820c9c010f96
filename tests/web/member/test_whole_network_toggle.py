"""The feed's toggle for whole-network offers of members beyond my circles: saved, shown by
default, each such offer marked as coming from the whole network."""

from __future__ import annotations

from conftest import post_form, text
from factories import sponsor_chain, sponsored
from offer_factories import offer

from graph.offers import WHOLE_NETWORK


def test_whole_network_offers_are_marked_and_can_be_hidden_then_shown_again(browser, engine):
    you, alice, bob, carol, dave = sponsor_chain(engine, "You", "Alice", "Bob", "Carol", "Dave")
    offer(engine, dave, "A far tent", visibility=WHOLE_NETWORK)
    offer(engine, alice, "A drill", visibility=1)
    you_browser = browser(you)
    feed = text(you_browser.get("/"))
    assert "A far tent" in feed and "By Dave · further than 3 steps · whole network" in feed

    response = post_form(you_browser, "/feed/whole-network", {"shown": "0"}, page="/")

    assert response.headers["Location"] == "/"
    feed = text(you_browser.get("/"))
    assert "A far tent" not in feed and "A drill" in feed
    assert "Show offers from the whole network" in feed
    assert "A far tent" in text(browser(sponsored(engine, you, "Eve")).get("/"))
    post_form(you_browser, "/feed/whole-network", {"shown": "1"}, page="/")
    assert "A far tent" in text(you_browser.get("/"))
