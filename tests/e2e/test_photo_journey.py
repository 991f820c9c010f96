"""Photos in a real browser: an owner adds a photo to their offer through the plain multipart
form (with and without JavaScript), their friend of a friend sees its thumbnail in the feed
and the photo on the offer page, and a member too far away gets the offer's 404 for the
photo. On a phone in English and on a desktop in French; axe-core finds nothing at all."""

from __future__ import annotations

import io

import pytest
from factories import PASSWORD, founder, sponsored
from offer_factories import offer
from PIL import Image
from playwright.sync_api import expect

LOADED = "img => img.complete && img.naturalWidth > 0"


def sign_in(visitor, email: str, t):
    page = visitor.open("/login")
    page.get_by_label(t("E-mail", visitor.language), exact=True).fill(email)
    page.get_by_label(t("Password", visitor.language), exact=True).fill(PASSWORD)
    page.get_by_role("button", name=t("Sign in", visitor.language), exact=True).click()
    expect(page).to_have_url(visitor.base_url + "/")
    return page


def holiday_photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (1200, 900), (30, 110, 160)).save(out, "JPEG")
    return out.getvalue()


def axe_findings(*visitors) -> list[str]:
    """Every axe-core violation the visitors' steps met, whatever its impact."""
    return [finding for visitor in visitors for finding in visitor._steps.findings]


@pytest.mark.parametrize(("language", "screen", "javascript"), [
    ("en", "phone", False), ("fr", "desktop", True)])
def test_a_photo_is_uploaded_shown_to_the_circle_and_refused_beyond_it(
        engine, visit, t, language, screen, javascript):
    alice = founder(engine, "Alice")
    bob = sponsored(engine, alice, "Bob")
    carol = sponsored(engine, alice, "Carol")  # Bob's friend of a friend
    dan = sponsored(engine, carol, "Dan")
    sponsored(engine, dan, "Eve")  # four steps from Bob
    offer_id = offer(engine, bob, "Maison à Annecy", visibility=2, category="holiday_home")

    owner = visit("bob", language, javascript=javascript, screen=screen)
    page = sign_in(owner, "bob@example.org", t)
    page.goto(f"{owner.base_url}/offers/{offer_id}")
    page.get_by_role("link", name=t("Photos", language), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        t("Photos of “%(title)s”", language, title="Maison à Annecy"))
    owner.step("the offer's photos, none yet")
    page.get_by_label(t("Photo", language), exact=True).set_input_files(
        {"name": "annecy.jpg", "mimeType": "image/jpeg", "buffer": holiday_photo()})
    page.get_by_role("button", name=t("Send the photo", language)).click()
    expect(page.get_by_role("status")).to_contain_text(t("Photo added.", language))
    expect(page.get_by_role("img", name=t("Photo %(number)d", language, number=1))).to_be_visible()
    owner.step("the photo added")

    friend = visit("carol", language, screen=screen)
    page = sign_in(friend, "carol@example.org", t)
    card = page.get_by_role("article").filter(has_text="Maison à Annecy")
    thumbnail = card.locator("img")
    expect(thumbnail).to_be_visible()
    assert thumbnail.evaluate(LOADED)
    friend.step("the feed card shows the thumbnail")
    card.get_by_role("link", name="Maison à Annecy").click()
    photo = page.get_by_role("img", name=t("Photo %(number)d of %(count)d, full size", language,
                                           number=1, count=1))
    expect(photo).to_be_visible()
    assert photo.evaluate(LOADED)
    friend.step("the offer page shows the photo")
    photo_url = page.get_by_role("link").filter(has=photo).get_attribute("href")
    response = page.goto(friend.base_url + photo_url)
    assert response is not None and response.status == 200
    assert response.headers["cache-control"] == "private, max-age=86400"

    outsider = visit("eve", language, screen=screen)
    page = sign_in(outsider, "eve@example.org", t)
    expect(page.get_by_role("article").filter(has_text="Maison à Annecy")).to_have_count(0)
    response = page.goto(outsider.base_url + photo_url)
    assert response is not None and response.status == 404
    outsider.step("the photo is not found beyond the circle")
    assert axe_findings(owner, friend, outsider) == []
