"""Places on the pages: a member's town in Settings, an offer's town in its form (typed,
resolved by the server, a list when several towns match), and the feed within a distance."""

from __future__ import annotations

import re

import pytest
from conftest import post_form, text
from factories import founder, sponsored
from place_factories import load_towns, plan_feeds

from graph import places

OFFER_FORM = {"title": "Cordless drill", "category": "tools", "description": "Two batteries.",
              "area": "Near the station", "price": "", "visibility": "2"}
CARD = re.compile(r'<h3 id="offer-\w+"><a href="/offers/\w+">([^<]+)</a></h3>\s*'
                  r'.*?<p class="small">(.*?)</p>', re.S)
TOWNS = ("Lyon", "Villeurbanne", "Vénissieux", "Caluire-et-Cuire", "Grenoble",
         "Saint-Priest", "Saint-Genis-Laval")


@pytest.fixture
def towns(engine):
    return load_towns(engine, *TOWNS)


@pytest.fixture
def circle(engine, towns):
    """Alice, who will live in Lyon; Bob her contact, Carol his (2nd degree)."""
    alice = founder(engine, "Alice")
    bob = sponsored(engine, alice, "Bob")
    carol = sponsored(engine, bob, "Carol")
    plan_feeds(engine, alice)
    return alice, bob, carol


def set_town(client, typed: str, **extra):
    return post_form(client, "/settings", {"home-place": typed, **extra})


def publish(client, title: str, town: str, **extra):
    response = post_form(client, "/offers/new", {**OFFER_FORM, "title": title,
                                                 "place": town, **extra})
    assert response.status_code == 302, text(response)
    return response


def cards(page: str) -> list[tuple[str, str]]:
    return [(title, " ".join(re.sub(r"<[^>]+>", "", meta).split()))
            for title, meta in CARD.findall(page)]


def test_a_member_in_lyon_sees_nearby_offers_by_trust_then_distance(browser, circle, towns):
    alice, bob, carol = circle
    alice_browser = browser(alice)
    assert set_town(alice_browser, "lyon").status_code == 302
    assert "Your town is saved: Lyon (Auvergne-Rhône-Alpes)." in text(
        alice_browser.get("/settings"))
    bob_browser, carol_browser = browser(bob), browser(carol)
    publish(bob_browser, "Drill", "Vénissieux")
    publish(bob_browser, "Ladder", "Villeurbanne")
    publish(bob_browser, "Bike", "Grenoble")
    publish(carol_browser, "Tent", "Villeurbanne")
    publish(carol_browser, "Mower", "Caluire")

    page = text(alice_browser.get("/?within=10"))

    assert cards(page) == [
        ("Ladder", "By Bob · your contact · Villeurbanne · 3.1 km away"),
        ("Drill", "By Bob · your contact · Vénissieux · 6.5 km away"),
        ("Tent", "By Carol · friend of a friend · via Bob · Villeurbanne · 3.1 km away"),
        ("Mower", "By Carol · friend of a friend · via Bob · Caluire-et-Cuire · 5.1 km away"),
    ]
    anywhere = [title for title, _ in cards(text(alice_browser.get("/")))]
    assert anywhere == ["Mower", "Tent", "Bike", "Ladder", "Drill"]  # newest first
    french = text(alice_browser.get("/?within=10", headers={"Accept-Language": "fr"}))
    assert "6,5\u00a0km" in french and "Vénissieux" in french


def test_several_towns_of_a_name_come_back_as_a_list_to_choose_from(
        browser, circle, towns, engine):
    alice = circle[0]
    alice_browser = browser(alice)

    response = set_town(alice_browser, "Saint")

    page = text(response)
    assert response.status_code == 200
    assert "Several towns match: choose yours in the list." in page
    assert "Saint-Priest (Auvergne-Rhône-Alpes)" in page
    assert places.home_of(engine, alice.id) is None
    chosen = set_town(alice_browser, "Saint", **{"home-place_id": towns["Saint-Genis-Laval"]})
    assert chosen.status_code == 302
    assert places.home_of(engine, alice.id).name == "Saint-Genis-Laval"


def test_an_unknown_town_is_refused_and_nothing_is_saved(browser, circle, engine):
    alice, bob, _ = circle
    bob_browser = browser(bob)

    response = post_form(bob_browser, "/offers/new", {**OFFER_FORM, "place": "Atlantis"})
    settings = set_town(browser(alice), "Atlantis")

    assert response.status_code == 200
    assert "No town of that name: check its spelling." in text(response)
    assert "No town of that name" in text(settings)
    assert engine.read("MATCH (o:Offer) RETURN count(o) AS n")[0]["n"] == 0
    assert places.home_of(engine, alice.id) is None


def test_a_new_offer_is_at_my_town_unless_i_change_it(browser, circle, engine):
    alice, bob, _ = circle
    bob_browser = browser(bob)
    set_town(bob_browser, "Villeurbanne")

    form = text(bob_browser.get("/offers/new"))
    response = publish(bob_browser, "Ladder", "Villeurbanne (Auvergne-Rhône-Alpes)")
    edit_url = response.headers["Location"] + "/edit"
    moved = post_form(bob_browser, edit_url, {**OFFER_FORM, "place": "Grenoble"})

    assert 'value="Villeurbanne (Auvergne-Rhône-Alpes)"' in form
    assert moved.status_code == 302
    assert 'value="Grenoble (Auvergne-Rhône-Alpes)"' in text(bob_browser.get(edit_url))


def test_a_distance_without_a_town_says_to_set_one(browser, circle):
    page = text(browser(circle[0]).get("/?within=5"))

    assert "To see the offers near you, first say which town you live in." in page


def test_the_suggestions_list_towns_by_their_first_letters(browser, circle, app):
    suggestions = browser(circle[0]).get("/places.json?q=vill")

    assert suggestions.get_json() == ["Villeurbanne (Auvergne-Rhône-Alpes)"]
    assert browser().get("/places.json?q=vill").status_code == 302  # members only


def test_an_offer_page_says_where_it_is_and_how_far_from_my_town(browser, circle, towns):
    alice, bob, _ = circle
    alice_browser = browser(alice)
    assert set_town(alice_browser, "lyon").status_code == 302
    offer_page = publish(browser(bob), "Drill", "Vénissieux").headers["Location"]

    page = " ".join(re.sub(r"<[^>]+>", " ", text(alice_browser.get(offer_page))).split())

    assert "Vénissieux (Auvergne-Rhône-Alpes) · 6.5 km away" in page
