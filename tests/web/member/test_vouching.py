"""Vouching: a member offers to co-sponsor another, who accepts or declines on My network."""

from __future__ import annotations

import re

import pytest
from conftest import post_form, text
from factories import count_sponsorships, founder, sponsored

ANSWER_ACTION = re.compile(r'action="(/vouches/\w+/(?:confirm|decline))"')


@pytest.fixture
def alice(engine):
    return founder(engine)


@pytest.fixture
def bob(engine, alice):
    return sponsored(engine, alice, "Bob")


@pytest.fixture
def carol(engine, alice):
    return sponsored(engine, alice, "Carol")


def offer(voucher_browser, email: str, note: str = ""):
    """Fill in the vouch form of My network; return the page it leads to."""
    response = post_form(voucher_browser, "/vouch", {"email": email, "note": note},
                         page="/network")
    assert (response.status_code, response.headers["Location"]) == (302, "/network")
    return text(voucher_browser.get("/network"))


def section(page: str, title: str, next_title: str) -> str:
    """The part of a page between two headings."""
    return page.split(title)[1].split(next_title)[0]


def answer(browser, kind: str):
    """Press the Accept or Decline button of the one offer on My network."""
    actions = ANSWER_ACTION.findall(text(browser.get("/network")))
    action = next(a for a in actions if a.endswith(kind))
    response = post_form(browser, action, {}, page="/network")
    assert response.status_code == 302
    return text(browser.get("/network"))


def test_a_confirmed_vouch_becomes_a_second_sponsorship_both_members_see(
        browser, engine, bob, carol):
    bob_browser, carol_browser = browser(bob), browser(carol)

    assert "Carol will see your offer to vouch for them." in offer(
        bob_browser, "Carol@Example.org", "We climb together")
    waiting = text(carol_browser.get("/network"))
    assert "Members who offer to vouch for you" in waiting
    assert "Bob: <q>We climb together</q>" in waiting
    assert count_sponsorships(engine, bob, carol) == 0

    carol_page = answer(carol_browser, "confirm")

    assert "Bob now sponsors you too." in carol_page
    assert "Members who offer to vouch for you" not in carol_page
    sponsors = section(carol_page, "Who sponsored me", "Whom I sponsored")
    assert "Alice" in sponsors and "Bob" in sponsors and "vouched" in sponsors
    assert "Carol" in section(text(bob_browser.get("/network")), "Whom I sponsored",
                              "invitation")
    assert count_sponsorships(engine, bob, carol) == 1
    assert count_sponsorships(engine, sponsee=carol) == 2


def test_a_declined_vouch_leaves_no_sponsorship(browser, engine, bob, carol):
    offer(browser(bob), "carol@example.org")
    carol_browser = browser(carol)

    carol_page = answer(carol_browser, "decline")

    assert "Declined." in carol_page
    assert "Members who offer to vouch for you" not in carol_page
    assert "Bob" not in section(carol_page, "Who sponsored me", "Whom I sponsored")
    assert count_sponsorships(engine, bob, carol) == 0


@pytest.mark.parametrize(("email", "message"), [
    ("nobody@example.org", "No active member you could vouch for uses this address."),
    ("bob@example.org", "No active member you could vouch for uses this address."),
    ("BOB@example.org", "No active member you could vouch for uses this address."),
    ("not-an-email", "No active member you could vouch for uses this address."),
    ("", "This field is required."),
    ("alice@example.org", "you already sponsor this member, or your offer is waiting for them"),
])
def test_an_offer_to_vouch_that_cannot_be_made_says_why(browser, engine, bob, email, message):
    page = offer(browser(bob), email, "hello")

    assert message in page
    assert "will see your offer" not in page
    assert count_sponsorships(engine) == 1  # Alice's invitation of Bob, nothing more


def test_a_second_offer_while_the_first_waits_is_refused(browser, bob, carol):
    bob_browser = browser(bob)
    offer(bob_browser, "carol@example.org")

    page = offer(bob_browser, "carol@example.org")

    assert "you already sponsor this member, or your offer is waiting for them" in page
    assert len(ANSWER_ACTION.findall(text(browser(carol).get("/network")))) == 2
