"""Admission with three sponsors: a newcomer waits on one page until enough members vouch."""

from __future__ import annotations

import re

import pytest
from conftest import (
    confirmation_path,
    csrf_token,
    join_path,
    path_of,
    post_form,
    sign_in,
    text,
)
from factories import count_sponsorships, founder, invitation, reload, sponsored

from graph.members import Member, find_member_by_email

SPONSOR_LINK = re.compile(r'id="sponsor-link"[^>]*value="([^"]+)"')


@pytest.fixture
def app_config(app_config):
    return {**app_config, "TRUSTNET_SPONSORS_REQUIRED": 3}


@pytest.fixture
def alice(engine):
    return founder(engine)


@pytest.fixture
def newcomer(browser, engine, alice):
    """Dan's browser: invited by Alice, signed in, waiting for two more sponsors."""
    return browser(sponsored(engine, alice, "Dan", sponsors_required=3))


def sponsor_me_path(newcomer) -> str:
    found = SPONSOR_LINK.search(text(newcomer.get("/pending")))
    assert found, "the pending page shows no sponsor-me link"
    return path_of(found.group(1))


def dan(engine) -> Member:
    member = find_member_by_email(engine, "dan@example.org")
    assert member is not None
    return member


def test_registering_when_three_sponsors_are_required_leads_to_the_pending_page(
        app, engine, alice, mailbox):
    browser = app.test_client()
    _, secret = invitation(engine, alice, "dan@example.org")

    response = post_form(browser, join_path(app, secret),
                         {"name": "Dan", "password": "a long password",
                          "confirm": "a long password"})
    response = post_form(browser, confirmation_path(mailbox, "dan@example.org"), {})

    assert (response.status_code, response.headers["Location"]) == (302, "/pending")
    assert dan(engine).status == "pending"
    assert "To become a member you need 3 sponsors." in text(browser.get("/pending"))


@pytest.mark.parametrize(("method", "path"), [
    ("get", "/"), ("get", "/network"), ("get", "/invitations"), ("post", "/vouch"),
    ("post", "/invitations"),
])
def test_a_pending_newcomer_is_sent_to_the_pending_page_from_every_member_page(
        newcomer, method, path):
    token = csrf_token(text(newcomer.get("/pending")))
    response = getattr(newcomer, method)(path, data={"csrf_token": token, "email": "x@y.org"})

    assert (response.status_code, response.headers["Location"]) == (302, "/pending")


def test_the_pending_page_says_where_the_newcomer_stands_and_settings_stay_open(newcomer):
    page = text(newcomer.get("/pending"))

    assert "To become a member you need 3 sponsors. You have 1." in page
    assert "<li>Alice</li>" in page
    assert sponsor_me_path(newcomer).startswith("/sponsor/")
    assert newcomer.get("/settings").status_code == 200


def test_the_third_sponsor_admits_the_newcomer_who_then_sees_the_feed(
        app, browser, engine, alice, newcomer):
    link = sponsor_me_path(newcomer)
    bob_browser = app.test_client()
    carol = sponsored(engine, alice, "Carol")
    sponsored(engine, alice, "Bob")

    # Bob is not signed in: the link takes him through the sign-in page and back.
    to_login = bob_browser.get(link)
    assert to_login.headers["Location"].startswith("/login?next=%2Fsponsor%2F")
    signed_in = sign_in(bob_browser, "bob@example.org", query_string={"next": link})
    assert signed_in.headers["Location"] == link
    assert "Sponsor Dan?" in text(bob_browser.get(link))
    response = post_form(bob_browser, link, {})
    assert (response.status_code, response.headers["Location"]) == (302, "/network")
    assert "Thank you: you sponsor Dan." in text(bob_browser.get("/network"))
    assert newcomer.get("/").headers["Location"] == "/pending"
    assert "You have 2." in text(newcomer.get("/pending"))

    post_form(browser(carol), link, {})

    assert reload(engine, dan(engine)).status == "active"
    home = newcomer.get("/")
    assert home.status_code == 200
    assert 'href="/" aria-current="page"' in text(home)  # the feed, not the pending page
    sponsors = text(newcomer.get("/network")).split("Who sponsored me")[1].split(
        "Whom I sponsored")[0]
    assert all(name in sponsors for name in ("Alice", "Bob", "Carol"))
    assert newcomer.get("/pending").headers["Location"] == "/"


def test_a_member_who_already_sponsors_the_newcomer_cannot_sponsor_twice(
        browser, engine, alice, newcomer):
    link = sponsor_me_path(newcomer)
    alice_browser = browser(alice)

    response = post_form(alice_browser, link, {})

    assert "you cannot sponsor this member" in text(alice_browser.get(
        response.headers["Location"]))
    assert count_sponsorships(engine, alice, dan(engine)) == 1
    assert "You have 1." in text(newcomer.get("/pending"))


def test_a_pending_newcomer_cannot_sponsor_another(app, browser, engine, alice, newcomer):
    other = sponsored(engine, alice, "Eve", sponsors_required=3)
    eve_link = sponsor_me_path(browser(other))

    response = post_form(newcomer, eve_link, {}, page="/pending")

    assert response.headers["Location"] == "/pending"
    assert count_sponsorships(engine, dan(engine), other) == 0
