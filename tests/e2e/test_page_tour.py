"""Pages no journey walks through yet, each screenshot, checked by axe-core and for a page
wider than the screen: the public dead ends (forgotten password, used links, not found), the
first run, a newcomer's admission, and every page of a member and of an admin in French (the
longer language) with the longest labels there are, on a phone and on a desktop."""

from __future__ import annotations

import pytest
from conftest import path_of
from factories import PASSWORD, founder, sponsor_chain, sponsored
from offer_factories import offer
from playwright.sync_api import Page, expect

from graph import offers, roles


@pytest.fixture
def app_config(app_config):
    """Admission needs two sponsors, so that a newcomer waits on the pending page."""
    return {**app_config, "TRUSTNET_SPONSORS_REQUIRED": 2}


def test_public_dead_ends_in_french(visit, t):
    language = "fr"
    visitor = visit("visitor", language)
    page = visitor.open("/forgot")
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Set a new password", language))
    visitor.step("forgot password")
    page.get_by_role("button", name=t("Send me a link", language)).click()
    expect(page.get_by_role("alert").or_(page.locator(".field-error"))).to_be_visible()
    visitor.step("forgot password, nothing typed")
    visitor.open("/reset/not-a-token")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        t("This link does not work any more", language))
    visitor.step("reset link not valid")
    visitor.open("/join/not-a-token")
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Not found", language))
    visitor.step("invitation link not valid")


def test_a_newcomer_waits_for_a_second_sponsor_and_gets_one(engine, visit):
    alice = founder(engine, "Alice")
    carol = sponsored(engine, alice, "Carol")
    sponsored(engine, alice, "Bob", sponsors_required=2)

    newcomer = visit("bob")
    page = newcomer.open("/login")
    page.get_by_label("E-mail", exact=True).fill("bob@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Almost there")
    newcomer.step("pending")
    link = page.get_by_label("Your sponsor-me link").input_value()
    assert path_of(link).startswith("/sponsor/")

    sponsor = visit("carol")
    page = sponsor.open("/login")
    page.get_by_label("E-mail", exact=True).fill(carol.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    sponsor.open(path_of(link))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sponsor Bob?")
    sponsor.step("sponsor page")
    page.get_by_role("button", name="I know Bob: sponsor them").click()
    expect(page.get_by_role("status")).to_contain_text("Bob is now a member.")
    sponsor.step("sponsored")


def sign_in(visitor, email: str, t) -> Page:
    """Sign in through the form, in the visitor's language."""
    language = visitor.language
    page = visitor.open("/login")
    page.get_by_label(t("E-mail", language), exact=True).fill(email)
    page.get_by_label(t("Password", language), exact=True).fill(PASSWORD)
    page.get_by_role("button", name=t("Sign in", language), exact=True).click()
    expect(page.get_by_role("button", name=t("Sign out", language))).to_be_visible()
    return page


@pytest.fixture
def network(engine):
    """Alice, a founder and admin of long standing (no newcomer's checklist), with a closed
    offer; Bob, her contact, offers a service (the longest category); Erin, 4 steps from
    Alice, offers something to the whole network."""
    alice, bob, _, _, erin = sponsor_chain(engine, "Alice", "Bob", "Carol", "Dave", "Erin")
    engine.write("MATCH (m:Member {id: $id}) SET m.created_at = 0 RETURN m.id AS id",
                 {"id": alice.id})
    roles.set_admin(engine, None, alice.id, True)
    offer(engine, bob, "Help with a move", category="services")
    offer(engine, erin, "A tent", visibility=offers.WHOLE_NETWORK, category="giveaway")
    closed = offer(engine, alice, "A ladder")
    offers.change_status(engine, alice.id, closed, "close")
    return {"alice": alice, "bob": bob, "erin": erin}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_first_run_sign_in_page_fits_a_phone(visit, t, language):
    visitor = visit("visitor", language)
    page = visitor.open("/login")
    expect(page.locator("pre")).to_contain_text("trustnet founder create")
    visitor.step("first run")


def test_a_members_pages_in_french_on_a_phone(network, visit, t):
    language = "fr"
    visitor = visit("alice", language)
    page = sign_in(visitor, "alice@example.org", t)
    header = page.get_by_role("navigation", name=t("Main", language))
    for link in header.get_by_role("link").all():
        expect(link).to_be_in_viewport(ratio=1)  # every page of the site one tap away
    first_offer = page.get_by_role("article").first
    expect(first_offer).to_be_in_viewport(ratio=1)  # the filters do not push it down
    expect(page.get_by_label(t("Search", language))).to_be_hidden()
    expect(page.get_by_text(t("further than %(max)d steps", language, max=3))).to_be_visible()
    visitor.step("feed")
    page.get_by_text(t("Filters", language), exact=True).click()
    expect(page.get_by_label(t("Search", language))).to_be_visible()
    visitor.step("feed, filters open")
    page.get_by_role("link", name="Help with a move").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Help with a move")
    visitor.step("a service")
    for name in ("My offers", "Messages", "My network", "Invitations"):
        header.get_by_role("link", name=t(name, language)).click()
        visitor.step(name)
    visitor.open("/settings")
    visitor.step("settings")


@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_the_admin_pages_in_french(network, visit, t, screen):
    language = "fr"
    visitor = visit("alice", language, screen=screen)
    page = sign_in(visitor, "alice@example.org", t)
    header = page.locator(".site-header-inner")
    links = [header.get_by_role("link", name="TrustNet"),
             *header.get_by_role("navigation").get_by_role("link").all(),
             header.get_by_role("button", name=t("Sign out", language))]
    if screen == "desktop":  # the whole header on one line
        tops = {round(link.bounding_box()["y"] + link.bounding_box()["height"] / 2)
                for link in links}
        assert len(tops) == 1, f"the header's items sit on {len(tops)} lines"
    page.get_by_role("navigation", name=t("Main", language)).get_by_role(
        "link", name=t("Admin", language)).click()
    visitor.step("dashboard")
    admin_pages = page.get_by_role("navigation", name=t("Administration", language))
    for name in ("Invitation tree", "Reports", "Appeals", "Audit log", "Members"):
        admin_pages.get_by_role("link", name=t(name, language)).click()
        visitor.step(name)
    page.get_by_label(t("Name or e-mail", language)).fill("bob")
    page.get_by_role("button", name=t("Search", language)).click()
    page.get_by_role("link", name="Bob", exact=True).click()
    visitor.step("member")
    page.get_by_label(t("Reason", language)).fill("Vend des vélos volés")
    page.get_by_role("button", name=t("Preview the ban", language)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        t("Preview: ban %(name)s", language, name="Bob"))
    assert "Vend" not in page.url
    visitor.step("ban preview")
    page.get_by_role("button", name=t("Ban %(name)s", language, name="Bob")).click()
    visitor.step("ban applied")
    admin_pages.get_by_role("link", name=t("Audit log", language)).click()
    visitor.step("audit log")
