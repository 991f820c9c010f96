"""Vouching: a member offers to co-sponsor another, who accepts or declines on My network."""

from __future__ import annotations

import re

import pytest
from conftest import post_form, text
from factories import count_sponsorships, founder, invitation, redeem, sponsored

from graph import bans

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

    assert NEUTRAL in offer(bob_browser, "Carol@Example.org", "We climb together")
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


NEUTRAL = ("If this address is an active member&#39;s whom you do not sponsor yet, they will "
           "see your offer to vouch for them.")


FLASH = re.compile(r'class="flash flash-(\w+)".*?</strong>\s*(.*?)\s*</div>', re.S)


def flashed(page: str) -> tuple[tuple[str, str], ...]:
    """The messages at the top of a page, (kind, text) each."""
    return tuple(FLASH.findall(page))


def test_the_answer_to_an_offer_to_vouch_never_tells_who_is_behind_an_address(
        browser, engine, alice, bob, carol):
    _, secret = invitation(engine, alice, "pending@example.org")
    redeem(engine, secret, "Penny", sponsors_required=2)
    gina = sponsored(engine, carol, "Gina")
    sponsored(engine, gina, "Hank")
    bans.ban(engine, None, gina.id, "scam", strike_threshold=2)  # Gina banned, Hank suspended
    bob_browser = browser(bob)

    # Carol twice: the second time her address is an active member's with an offer waiting.
    answers = [flashed(offer(bob_browser, email)) for email in (
        "carol@example.org", "gina@example.org", "hank@example.org", "pending@example.org",
        "nobody@example.org", "bob@example.org", "alice@example.org", "carol@example.org")]

    assert set(answers) == {(("success", NEUTRAL),)}
    assert len(ANSWER_ACTION.findall(text(browser(carol).get("/network")))) == 2  # one offer
    assert count_sponsorships(engine) == 5


@pytest.mark.parametrize(("email", "message"), [
    ("not-an-email", "This is not a valid e-mail address."),
    ("", "This field is required."),
])
def test_an_offer_to_vouch_that_is_not_filled_in_says_why(browser, engine, bob, email, message):
    response = post_form(browser(bob), "/vouch", {"email": email, "note": "hello"},
                         page="/network")

    page = text(response)
    assert response.status_code == 400  # the form again, its note kept
    assert message in page and "hello" in page
    assert NEUTRAL not in page
    assert count_sponsorships(engine) == 1  # Alice's invitation of Bob, nothing more
