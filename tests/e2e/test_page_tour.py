"""Pages no journey walks through yet, each screenshot and checked by axe-core: the public
dead ends (forgotten password, used links, not found) and a newcomer's admission."""

from __future__ import annotations

import pytest
from conftest import path_of
from factories import PASSWORD, founder, sponsored
from playwright.sync_api import expect


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
