"""A ban in a real browser: an admin finds a member, previews the ban, confirms it and sees
the result; a member cut off by the cascade signs in and sees only the suspension page,
until the admin follows their vouch-for-me link and vouches for them. The member page draws
the sponsor chain and sponsees, marking whom the ban would suspend. axe-core checks each
page."""

from __future__ import annotations

from factories import PASSWORD, founder, sponsored
from playwright.sync_api import expect

from graph import roles


def sign_in(visitor, email: str):
    page = visitor.open("/login")
    page.get_by_label("E-mail", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    return page


def test_an_admin_previews_and_applies_a_ban(engine, mailbox, visit):
    alice = founder(engine, "Alice")
    roles.set_admin(engine, None, alice.id, True)
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
    drawing = page.locator("#network-graph")  # Alice -> Bob -> Carol, Carol would be suspended
    expect(drawing).to_have_attribute("data-state", "drawn")
    expect(drawing).to_have_attribute("data-nodes", "3")
    expect(drawing).to_have_attribute("data-edges", "2")
    expect(drawing).to_have_attribute("data-suspended", "1")
    admin.step("member page")
    page.get_by_label("Reason").fill("Sold a stolen bike")
    page.get_by_role("button", name="Preview the ban").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Preview: ban Bob")
    expect(page.get_by_role("heading", name="1 member loses their only sponsor chain "
                                            "and is suspended")).to_be_visible()
    expect(page.locator("#network-graph")).to_have_attribute("data-suspended", "1")
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
    link = page.get_by_label("Your vouch-for-me link").input_value()
    carol.open("/network")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account is suspended")

    page = admin.open(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Vouch for Carol?")
    admin.step("vouch for carol")
    page.get_by_role("button", name="I know Carol: vouch for them").click()
    expect(page.get_by_role("status")).to_contain_text(
        "You now sponsor Carol: 1 member(s) are active again.")
    admin.step("carol vouched for")

    page = carol.open("/network")
    expect(page.get_by_role("heading", level=1)).to_have_text("My network")
    expect(page.get_by_role("region", name="Who sponsored me")).to_contain_text("Alice")
    carol.step("carol active again")
