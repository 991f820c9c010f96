"""An offer in a real browser, in French: a newcomer publishes an offer for friends of
friends; a friend of a friend finds it in the feed and sees how they are connected (you ->
Alice -> Bob); a member four steps away gets a 404. axe-core checks each page."""

from __future__ import annotations

from factories import PASSWORD, founder, sponsored
from playwright.sync_api import expect

LANGUAGE = "fr"


def sign_in(visitor, email: str, t):
    page = visitor.open("/login")
    page.get_by_label(t("E-mail", LANGUAGE), exact=True).fill(email)
    page.get_by_label(t("Password", LANGUAGE), exact=True).fill(PASSWORD)
    page.get_by_role("button", name=t("Sign in", LANGUAGE), exact=True).click()
    expect(page).to_have_url(visitor.base_url + "/")
    return page


def test_an_offer_reaches_the_second_degree_with_its_path_and_no_further(engine, visit, t):
    alice = founder(engine, "Alice")
    sponsored(engine, alice, "Bob")  # the newcomer
    carol = sponsored(engine, alice, "Carol")  # Bob's friend of a friend, through Alice
    dan = sponsored(engine, carol, "Dan")
    sponsored(engine, dan, "Eve")  # Eve -> Dan -> Carol -> Alice -> Bob: 4 steps

    bob = visit("bob", LANGUAGE)
    page = sign_in(bob, "bob@example.org", t)
    page.get_by_role("navigation", name=t("Main", LANGUAGE)).get_by_role(
        "link", name=t("My offers", LANGUAGE)).click()
    bob.step("my offers, none yet")
    page.get_by_role("link", name=t("Offer something", LANGUAGE)).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Offer something", LANGUAGE))
    page.get_by_label(t("Title", LANGUAGE), exact=True).fill("Perceuse sans fil")
    page.get_by_label(t("Category", LANGUAGE), exact=True).select_option(
        label=t("Tools and equipment", LANGUAGE))
    page.get_by_label(t("Description", LANGUAGE), exact=True).fill(
        "Avec deux batteries et un coffret de mèches.")
    page.get_by_label(t("Area or town", LANGUAGE), exact=True).fill("Lyon 7e")
    page.get_by_label(t("Price", LANGUAGE), exact=True).fill("5")
    page.get_by_label(t("Up to friends of friends (2nd degree)", LANGUAGE)).check()
    bob.step("the offer form, filled in")
    page.get_by_role("button", name=t("Publish", LANGUAGE)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Perceuse sans fil")
    expect(page.get_by_role("status")).to_contain_text(t("Your offer is published.", LANGUAGE))
    expect(page.locator(".card-meta")).to_contain_text("5,00\u00a0€")  # the money filter
    offer_url = page.url
    bob.step("the offer published")

    carol_visitor = visit("carol", LANGUAGE)
    page = sign_in(carol_visitor, "carol@example.org", t)
    card = page.get_by_role("article").filter(has_text="Perceuse sans fil")
    expect(card).to_contain_text(t("friend of a friend", LANGUAGE))
    carol_visitor.step("the feed shows the offer")
    card.get_by_role("link", name="Perceuse sans fil").click()
    expect(page).to_have_url(offer_url)
    path = page.get_by_role("list", name=t("How you are connected", LANGUAGE))
    expect(path.get_by_role("listitem")).to_have_text([
        t("you", LANGUAGE), "Alice " + t("invited you", LANGUAGE),
        "Bob " + t("invited by %(name)s", LANGUAGE, name="Alice")])
    carol_visitor.step("the offer with the path you, Alice, Bob")

    eve = visit("eve", LANGUAGE)
    page = sign_in(eve, "eve@example.org", t)
    expect(page.get_by_role("article").filter(has_text="Perceuse sans fil")).to_have_count(0)
    eve.step("the feed, four steps away, without the offer")
    response = page.goto(offer_url)
    assert response is not None and response.status == 404
    eve.step("the offer is not found")
