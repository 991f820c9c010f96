"""A request for help and the references after it, in a real browser, on a phone in English
and on a desktop in French: Dave asks for help, Alice finds the request and offers her help,
Dave marks the exchange done and leaves a reference, which Bob, a contact of Alice, reads on
her profile. axe-core checks each page."""

from __future__ import annotations

import pytest
from factories import PASSWORD, founder, sponsored
from playwright.sync_api import expect


def sign_in(visitor, email: str, t, language: str):
    page = visitor.open("/login")
    page.get_by_label(t("E-mail", language), exact=True).fill(email)
    page.get_by_label(t("Password", language), exact=True).fill(PASSWORD)
    page.get_by_role("button", name=t("Sign in", language), exact=True).click()
    expect(page).to_have_url(visitor.base_url + "/")
    return page


@pytest.mark.parametrize(("language", "screen"), [("en", "phone"), ("fr", "desktop")])
def test_a_request_is_answered_and_followed_by_a_reference_on_the_profile(
        engine, visit, t, language, screen):
    alice = founder(engine, "Alice")
    sponsored(engine, alice, "Bob")
    sponsored(engine, alice, "Dave")

    dave = visit("dave", language, screen=screen)
    page = sign_in(dave, "dave@example.org", t, language)
    page.get_by_role("link", name=t("Ask for help", language)).click()
    expect(page.get_by_label(t("I ask for help", language))).to_be_checked()
    page.get_by_label(t("Title", language), exact=True).fill("Help moving boxes on Saturday?")
    page.get_by_label(t("Category", language), exact=True).select_option("services")
    page.get_by_label(t("Description", language), exact=True).fill("Third floor, no lift.")
    page.get_by_label(t("Area or town", language), exact=True).fill("Lyon")
    page.get_by_label(t("My contacts only (1st degree)", language)).check()
    dave.step("the request form, filled in")
    page.get_by_role("button", name=t("Publish", language)).click()
    expect(page.get_by_role("status")).to_contain_text(t("Your request is published.", language))
    dave.step("the request published")

    helper = visit("alice", language, screen=screen)
    page = sign_in(helper, "alice@example.org", t, language)
    page.goto(helper.base_url + "/?kind=request")
    card = page.get_by_role("article").filter(has_text="Help moving boxes on Saturday?")
    expect(card).to_contain_text(t("Request for help", language))
    helper.step("the feed, requests only")
    card.get_by_role("link", name="Help moving boxes on Saturday?").click()
    expect(page.get_by_role("heading", name=t("%(name)s asks for help", language,
                                              name="Dave"))).to_be_visible()
    page.get_by_label(t("Your message", language), exact=True).fill("I have a van.")
    page.get_by_role("button", name=t("Offer help to %(name)s", language, name="Dave")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        t("Conversation with %(name)s", language, name="Dave"))
    helper.step("the conversation opened by the offer of help")
    conversation = page.url

    page = dave.open(conversation)
    page.get_by_label(t("Given", language), exact=True).check()
    page.get_by_role("button", name=t("Mark the exchange as done", language)).click()
    page.get_by_label(t("Positive", language), exact=True).check()
    page.get_by_label(t("Your reference", language), exact=True).fill("Alice came on time.")
    dave.step("the exchange done, a reference written")
    page.get_by_role("button", name=t("Leave my reference about %(name)s", language,
                                      name="Alice")).click()
    expect(page.get_by_role("main")).to_contain_text(
        t("You left your reference about %(name)s.", language, name="Alice"))
    dave.step("the reference left")

    bob = visit("bob", language, screen=screen)
    page = sign_in(bob, "bob@example.org", t, language)
    page = bob.open(f"/members/{alice.id}")
    references = page.locator("section", has=page.get_by_role(
        "heading", name=t("References", language)))
    expect(references).to_contain_text("Alice came on time.")
    expect(references).to_contain_text(t("Positive", language))
    expect(references).to_contain_text("Dave")
    bob.step("Alice's profile with Dave's reference")
