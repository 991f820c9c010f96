"""Favourites and bios in the pages: the star on an offer's page (a POST), the favourites
page of offers still visible, and the bio edited on one's own profile."""

from __future__ import annotations

import pytest
from conftest import csrf_token, post_form, text
from factories import founder, sponsored
from offer_factories import offer

from graph import members, offers


@pytest.fixture
def people(engine):
    """Alice sponsored Bob, who lends a drill to his contacts; Dave is two steps from Bob."""
    alice = founder(engine, "Alice")
    bob = sponsored(engine, alice, "Bob")
    dave = sponsored(engine, alice, "Dave")
    return alice, bob, dave, offer(engine, bob, "Cordless drill", visibility=1)


def test_a_starred_offer_is_on_the_favourites_page_while_visible(browser, engine, people):
    alice, bob, dave, offer_id = people
    alice_browser = browser(alice)
    assert "No favourite yet" in text(alice_browser.get("/favourites"))

    starred = post_form(alice_browser, f"/offers/{offer_id}/star", {"starred": "1"},
                        page=f"/offers/{offer_id}", follow_redirects=True)
    assert "Added to your favourites." in text(starred)
    assert "Remove from my favourites" in text(starred)
    assert "Cordless drill" in text(alice_browser.get("/favourites"))

    offers.change_status(engine, bob.id, offer_id, "pause")
    assert "Cordless drill" not in text(alice_browser.get("/favourites"))
    offers.change_status(engine, bob.id, offer_id, "resume")
    post_form(alice_browser, f"/offers/{offer_id}/star", {"starred": "0"},
              page=f"/offers/{offer_id}")
    assert "No favourite yet" in text(alice_browser.get("/favourites"))


def test_an_offer_out_of_reach_cannot_be_starred(browser, people):
    alice, bob, dave, offer_id = people
    dave_browser = browser(dave)
    token = csrf_token(text(dave_browser.get("/favourites")))  # the page has no form: base's

    response = dave_browser.post(f"/offers/{offer_id}/star",
                                 data={"starred": "1", "csrf_token": token})

    assert response.status_code == 404
    assert "Cordless drill" not in text(dave_browser.get("/favourites"))


def test_a_member_writes_a_bio_on_their_profile_that_others_read(browser, engine, people):
    alice, bob, dave, offer_id = people
    bob_browser = browser(bob)

    saved = post_form(bob_browser, "/profile/bio", {"bio-bio": "Cyclist, lends tools."},
                      page=f"/members/{bob.id}", follow_redirects=True)

    assert "Your profile is saved." in text(saved)
    assert "Cyclist, lends tools." in text(browser(alice).get(f"/members/{bob.id}"))
    assert 'name="bio-bio"' not in text(browser(alice).get(f"/members/{bob.id}"))


def test_a_bio_too_long_is_shown_again_with_its_error(browser, engine, people):
    alice, bob, dave, offer_id = people
    too_long = "x" * (members.MAX_BIO + 1)

    response = post_form(browser(bob), "/profile/bio", {"bio-bio": too_long},
                         page=f"/members/{bob.id}")

    assert response.status_code == 400 and too_long in text(response)
    assert f"longer than {members.MAX_BIO} characters" in text(response)
    assert offers.profile_for(engine, alice.id, bob.id, 3).bio == ""
