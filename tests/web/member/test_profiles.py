"""Member profiles within my circle, and my circles counted on My network."""

from __future__ import annotations

import pytest
from conftest import text
from factories import sponsor_chain, sponsored
from offer_factories import offer, set_status


@pytest.fixture
def chain(engine):
    """You -> Alice -> Bob -> Carol -> Dave, each sponsoring the next; Erin is your contact."""
    you, alice, bob, carol, dave = sponsor_chain(engine, "You", "Alice", "Bob", "Carol", "Dave")
    return you, alice, bob, carol, dave, sponsored(engine, you, "Erin")


def test_a_profile_shows_how_i_reach_them_and_the_offers_they_let_me_see(
        browser, chain, engine):
    you, alice, bob, carol, dave, erin = chain
    offer(engine, carol, "Visible to the 3rd degree", visibility=3)
    offer(engine, carol, "For Carol's contacts only", visibility=1)

    page = text(browser(you).get(f"/members/{carol.id}"))

    assert "<h1>Carol</h1>" in page and "3 steps away" in page
    assert "via 1 of your contacts" in page
    assert f'href="/members/{alice.id}">Alice</a>' in page
    assert "Visible to the 3rd degree" in page
    assert "contacts only" not in page


def test_a_member_beyond_the_maximum_degree_or_not_active_has_no_profile_for_me(
        browser, chain, engine):
    you, alice, bob, carol, dave, erin = chain
    you_browser = browser(you)
    assert you_browser.get(f"/members/{dave.id}").status_code == 404  # four steps away
    set_status(engine, erin, "suspended")
    assert you_browser.get(f"/members/{erin.id}").status_code == 404
    assert you_browser.get("/members/no-such-member").status_code == 404


def test_my_own_profile_is_how_my_circles_see_me(browser, chain, engine):
    you, *_ = chain
    offer(engine, you, "My ladder", visibility=1)

    page = text(browser(you).get(f"/members/{you.id}"))

    assert "This is your profile" in page and "My ladder" in page


def test_my_network_counts_the_members_at_each_degree(app, browser, chain, engine):
    you, *_ = chain

    page = text(browser(you).get("/network"))

    circles = page.split("My circles")[1].split("</table>")[0]
    rows = [row.split("</th><td>") for row in circles.split('<th scope="row">')[1:]]
    assert [(label, count.split("<")[0]) for label, count in rows] == [
        ("Your contacts", "2"), ("Friends of friends", "1"), ("3 steps away", "1")]
