"""Near me and trusted, in a real browser: a member sets Lyon as her town in Settings, then
filters the feed "within 10 km" and sees the nearby offers of her circles, her contacts'
first, nearest first within a degree, each with its distance. On a phone and a desktop,
in both languages; axe-core checks each page."""

from __future__ import annotations

import pytest
from factories import PASSWORD, founder, sponsored
from offer_factories import offer
from place_factories import load_towns, plan_feeds
from playwright.sync_api import expect


def sign_in(visitor, email: str, t, language: str):
    page = visitor.open("/login")
    page.get_by_label(t("E-mail", language), exact=True).fill(email)
    page.get_by_label(t("Password", language), exact=True).fill(PASSWORD)
    page.get_by_role("button", name=t("Sign in", language), exact=True).click()
    expect(page).to_have_url(visitor.base_url + "/")
    return page


@pytest.mark.parametrize(("language", "screen"), [("en", "phone"), ("fr", "desktop"),
                                                  ("fr", "phone"), ("en", "desktop")])
def test_a_member_in_lyon_finds_nearby_offers_by_trust_then_distance(
        engine, visit, t, language, screen):
    towns = load_towns(engine, "Lyon", "Villeurbanne", "Vénissieux", "Grenoble")
    alice = founder(engine, "Alice")
    bob = sponsored(engine, alice, "Bob")
    carol = sponsored(engine, bob, "Carol")
    for owner, title, town in [(bob, "Drill", "Vénissieux"), (bob, "Bike", "Grenoble"),
                               (carol, "Tent", "Villeurbanne"), (bob, "Ladder", "Villeurbanne")]:
        offer(engine, owner, title, place_id=towns[town])
    plan_feeds(engine, alice)

    visitor = visit("alice", language, screen=screen)
    page = sign_in(visitor, "alice@example.org", t, language)
    page.goto(visitor.base_url + "/settings")
    page.get_by_role("combobox", name=t("Your town", language), exact=True).fill("lyon")
    visitor.step("settings, the town typed")
    page.locator("#home").get_by_role("button", name=t("Save", language)).click()
    expect(page.get_by_role("status")).to_contain_text(
        t("Your town is saved: %(town)s.", language, town="Lyon (Auvergne-Rhône-Alpes)"))
    visitor.step("settings, the town saved")

    page.goto(visitor.base_url + "/")
    page.get_by_text(t("Filters", language), exact=True).click()
    page.get_by_label(t("Where", language), exact=True).select_option(
        label=t("Within %(km)d km of my town", language, km=10))
    page.get_by_role("button", name=t("Show", language)).click()

    cards = page.get_by_role("article")
    expect(cards.get_by_role("heading")).to_have_text(["Ladder", "Drill", "Tent"])
    km = "3.1\u00a0km" if language == "en" else "3,1\u00a0km"
    expect(cards.first).to_contain_text(t("%(distance)s away", language, distance=km))
    expect(cards.nth(1)).to_contain_text("Vénissieux")
    visitor.step("the feed within 10 km, by trust then distance")
