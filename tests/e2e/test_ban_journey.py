"""A ban in a real browser: an admin finds a member, previews the ban, confirms it and sees
the result; a member cut off by the cascade signs in and sees only the suspension page.
axe-core checks each page (the admin pages are in English only for now)."""

from __future__ import annotations

from factories import PASSWORD, founder, sponsored
from playwright.sync_api import expect

from graph import moderation


def sign_in(visitor, email: str):
    page = visitor.open("/login")
    page.get_by_label("E-mail", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    return page


def test_an_admin_previews_and_applies_a_ban(engine, mailbox, visit):
    alice = founder(engine, "Alice")
    moderation.set_admin(engine, None, alice.id, True)
    bob = sponsored(engine, alice, "Bob")
    sponsored(engine, bob, "Carol")

    admin = visit("admin", "en", True)
    page = sign_in(admin, "alice@example.org")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Admin").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Administration")
    admin.step("dashboard")
    page.get_by_role("link", name="Members", exact=True).click()
    page.get_by_label("Name or e-mail").fill("bob")
    page.get_by_role("button", name="Search").click()
    admin.step("search")
    page.get_by_role("link", name="Bob", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bob")
    admin.step("member page")
    page.get_by_label("Reason").fill("Sold a stolen bike")
    page.get_by_role("button", name="Preview the ban").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Preview: ban Bob")
    expect(page.get_by_role("heading", name="1 member loses their only sponsor chain "
                                            "and is suspended")).to_be_visible()
    admin.step("preview")
    page.get_by_role("button", name="Ban Bob").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bob is banned")
    admin.step("ban applied")
    page.get_by_role("link", name="Audit log").click()
    expect(page.get_by_role("region", name="Audit entries")).to_contain_text("Sold a stolen bike")
    admin.step("audit log")

    carol = visit("carol", "en", True)
    page = sign_in(carol, "carol@example.org")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account is suspended")
    expect(page.get_by_label("Your vouch-for-me link")).to_be_visible()
    carol.step("suspension page")
    carol.open("/network")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account is suspended")
