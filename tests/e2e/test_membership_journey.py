"""The way in, in a real browser on a phone: a founder signs in and invites a newcomer, who
registers from the e-mailed link, activates the account from a second mail (the link proves
the address is theirs), lands on the feed with their first steps, finds their sponsor on My
network, and signs out.

Run in French with JavaScript and in English without it: no page needs JavaScript.
"""

from __future__ import annotations

import pytest
from factories import PASSWORD, founder
from playwright.sync_api import expect

from e2e.conftest import mailed_link
from trustnet.links import CONFIRM_ADDRESS_DAYS


@pytest.mark.parametrize(("language", "javascript"), [("fr", True), ("en", False)],
                         ids=["french-with-javascript", "english-without-javascript"])
def test_a_founder_invites_and_the_newcomer_joins_from_the_mailed_link(
        engine, mailbox, visit, t, language, javascript):
    founder(engine, "Alice")

    alice = visit("alice", language, javascript)
    page = alice.open("/login")
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Sign in", language))
    alice.step("sign-in page")
    page.get_by_label(t("E-mail", language), exact=True).fill("alice@example.org")
    page.get_by_label(t("Password", language), exact=True).fill(PASSWORD)
    page.get_by_role("button", name=t("Sign in", language), exact=True).click()
    expect(page).to_have_url(alice.base_url + "/")
    expect(page.get_by_role("button", name=t("Sign out", language))).to_be_visible()
    alice.step("home")

    page.get_by_role("navigation").get_by_role("link", name=t("Invitations", language)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Invitations", language))
    expect(page.get_by_text(t("You have not invited anyone yet.", language))).to_be_visible()
    alice.step("invitations, none sent")
    page.get_by_label(t("Their e-mail", language), exact=True).fill("bob@example.org")
    page.get_by_label(t("A personal note", language), exact=True).fill("Viens, Bob !")
    page.get_by_role("button", name=t("Send the invitation", language)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Invitation sent", language))
    expect(page.get_by_role("status")).to_contain_text(
        t("Invitation sent to %(email)s.", language, email="bob@example.org"))
    alice.step("invitation sent")
    page.get_by_role("link", name=t("Back to my invitations", language)).click()
    sent = page.get_by_role("region", name=t("Invitations sent", language))
    expect(sent.get_by_role("row").filter(has_text="bob@example.org")).to_contain_text(
        t("pending", language))
    alice.step("invitations, one pending")

    link = mailed_link(mailbox, "bob@example.org")
    assert mailbox.to("bob@example.org")[0]["Subject"] == t(
        "%(name)s invites you to TrustNet", language, name="Alice")

    bob = visit("bob", language, javascript)
    page = bob.open(link)
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Join TrustNet", language))
    expect(page.get_by_text(t("%(name)s invites you and will be your sponsor.", language,
                              name="Alice"))).to_be_visible()
    expect(page.get_by_text("Viens, Bob !")).to_be_visible()
    bob.step("invitation page")
    page.get_by_label(t("Your name", language), exact=True).fill("Bob")
    page.get_by_label(t("New password", language), exact=True).fill("a long password")
    page.get_by_label(t("Repeat the password", language), exact=True).fill("a long password")
    page.get_by_role("button", name=t("Create my account", language)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Sign in", language))
    expect(page.get_by_role("status")).to_contain_text(t(
        "Your account is created. To activate it, open the link we have sent to %(email)s "
        "within %(days)d days.", language, email="bob@example.org", days=CONFIRM_ADDRESS_DAYS))
    bob.step("account created, address to confirm")

    page = bob.open(mailed_link(mailbox, "bob@example.org", count=2))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        t("Confirm your address", language))
    bob.step("address confirmation")
    page.get_by_role("button", name=t("Activate my account", language)).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        t("Offers from your circles", language))
    expect(page.get_by_role("status")).to_contain_text(t(
        "Welcome to TrustNet, %(name)s! %(sponsor)s is your sponsor.", language,
        name="Bob", sponsor="Alice"))
    expect(page.get_by_role("region", name=t("Welcome! Three first steps", language))) \
        .to_be_visible()
    bob.step("feed, first steps")
    page.get_by_role("navigation").get_by_role("link", name=t("My network", language)).click()
    sponsors = page.get_by_role("region", name=t("Who sponsored me", language))
    expect(sponsors.get_by_role("listitem")).to_contain_text("Alice")
    bob.step("my network")

    page.get_by_role("button", name=t("Sign out", language)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Sign in", language))
    expect(page.get_by_role("status")).to_contain_text(t("You are signed out.", language))
    bob.step("signed out")
    bob.open("/network")
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Sign in", language))
