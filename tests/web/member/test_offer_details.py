"""What an offer says about itself on the web: its publication date, what its price pays
for, and a category its owner chose (there is no default one)."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import post_form, text
from factories import sponsor_chain
from offer_factories import offer

from graph import offers

OFFER_FORM = {
    "title": "Gîte en Ardèche", "category": "holiday_home", "description": "Four beds.",
    "area": "Privas", "price": "80", "price_unit": "night", "available_from": "",
    "available_until": "", "visibility": "2",
}


@pytest.fixture
def chain(engine):
    """You -> Alice, Alice sponsoring you."""
    return tuple(sponsor_chain(engine, "Alice", "You"))


def test_an_offer_says_what_its_price_pays_for_and_when_it_was_published(browser, chain,
                                                                        engine):
    alice, you = chain
    response = post_form(browser(alice), "/offers/new", OFFER_FORM)
    assert response.status_code == 302
    offer_path = response.headers["Location"]
    today = dt.date.today()

    page = text(browser(you).get(offer_path))
    feed = text(browser(you).get("/"))

    for shown in (page, feed):
        assert "€80.00 per night" in shown
        assert f"Published on {today:%b} {today.day}, {today.year}" in shown
    french = text(browser(you).get(offer_path, headers={"Accept-Language": "fr"}))
    assert "par nuit" in french and "Publiée le" in french


def test_a_free_offer_shows_no_unit(browser, chain, engine):
    alice, you = chain
    offer_id = offer(engine, alice, "Perceuse")

    page = text(browser(you).get(f"/offers/{offer_id}"))

    assert "Free" in page and "once" not in page


def test_the_category_has_no_default_and_a_missing_one_is_a_clear_error(browser, chain,
                                                                        engine):
    alice, you = chain
    alice_browser = browser(alice)
    form = text(alice_browser.get("/offers/new"))
    assert '<option selected value="">Choose a category</option>' in form

    response = post_form(alice_browser, "/offers/new", {**OFFER_FORM, "category": ""})

    assert response.status_code == 200
    assert "Choose a category." in text(response)
    assert "Gîte en Ardèche" in text(response)  # what was typed is kept
    assert offers.own_offers(engine, alice.id) == []


def test_an_edited_offer_keeps_its_price_unit(browser, chain, engine):
    alice, you = chain
    alice_browser = browser(alice)
    offer_path = post_form(alice_browser, "/offers/new",
                           {**OFFER_FORM, "price_unit": "week"}).headers["Location"]

    form = text(alice_browser.get(f"{offer_path}/edit"))

    assert '<option selected value="week">per week</option>' in form
