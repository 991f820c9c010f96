"""In the real browser, on a phone and a desktop, in both languages: the unread badge of the
navigation, the notification list that leads to its subject, and the "me" page one tap from
every page, with settings, data and leaving."""

from __future__ import annotations

import pytest
from factories import PASSWORD, founder, sponsored
from offer_factories import offer
from playwright.sync_api import expect

from graph import conversations


@pytest.mark.parametrize(("language", "screen"), [("en", "phone"), ("fr", "phone"),
                                                  ("fr", "desktop")])
def test_the_badge_leads_to_the_message_and_me_leads_to_settings(engine, visit, t, language,
                                                                 screen):
    alice = founder(engine, "Alice")
    bob = sponsored(engine, alice, "Bob")
    tent = offer(engine, alice, "A tent", visibility=1)
    conversations.start_conversation(engine, bob.id, tent, "Is it waterproof?", 3)
    visitor = visit("alice", language, screen=screen)
    page = visitor.open("/login")
    page.get_by_label(t("E-mail", language), exact=True).fill("alice@example.org")
    page.get_by_label(t("Password", language), exact=True).fill(PASSWORD)
    page.get_by_role("button", name=t("Sign in", language), exact=True).click()
    nav = page.get_by_role("navigation", name=t("Main", language))
    notifications = nav.get_by_role("link", name=t("Notifications", language))
    expect(notifications).to_contain_text("2")  # Bob's message, and Bob joined
    expect(notifications).to_be_in_viewport(ratio=1)
    visitor.step("badge")

    notifications.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Notifications", language))
    expect(page.get_by_text("Is it waterproof?")).to_be_visible()
    visitor.step("notifications")
    page.get_by_role("button", name=t("Open", language)).first.click()
    expect(page.get_by_text("Is it waterproof?")).to_be_visible()
    expect(nav.get_by_role("link", name=t("Notifications", language))).to_contain_text("1")
    visitor.step("the message")

    me = nav.get_by_role("link", name=t("Me", language), exact=True)
    expect(me).to_be_in_viewport(ratio=1)  # one tap from every page
    me.click()
    visitor.step("me")
    page.get_by_role("link", name=t("Settings: language, e-mail, password", language)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Settings", language))
    expect(page.get_by_role("heading", name=t("E-mail", language), exact=True)).to_be_visible()
    visitor.step("settings")
