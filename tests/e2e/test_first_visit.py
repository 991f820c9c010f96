"""A first visit in a real browser: the sign-in page says what TrustNet is, the invitation
page shows the community's charter and who answers for the newcomer, who accepts it, joins,
and lands on the feed with three first steps, each ticked as it is done.

On a phone in French and on a desktop in English, with axe-core at every step.
"""

from __future__ import annotations

import pytest
from factories import founder, invitation
from playwright.sync_api import expect

from e2e.conftest import mailed_link
from graph import charter
from trustnet.links import invitation_link

CHARTER = "Soyez bienveillants.\nRendez ce que vous empruntez, en bon état."


@pytest.mark.parametrize(("language", "screen"), [("fr", "phone"), ("en", "desktop")])
def test_a_newcomer_reads_and_accepts_the_charter_and_finds_their_first_steps(
        app, engine, mailbox, visit, t, language, screen):
    alice = founder(engine, "Alice")
    charter.publish_charter(engine, alice.id, CHARTER)
    _, secret = invitation(engine, alice, "bob@example.org")
    with app.test_request_context():
        link = invitation_link(secret)
    bob = visit("bob", language, screen=screen)

    page = bob.open("/login")
    expect(page.get_by_role("heading", name=t("What is TrustNet?", language))).to_be_visible()
    bob.step("sign-in page explains")

    page = bob.open(link)
    expect(page.get_by_role("heading", name=t("The charter of this community", language))) \
        .to_be_visible()
    expect(page.get_by_text("Rendez ce que vous empruntez, en bon état.")).to_be_visible()
    expect(page.get_by_text(t(
        "%(name)s answers for you: if you break the rules and are banned, %(name)s gets a "
        "strike, and may lose the right to invite. Welcome them by keeping to the charter.",
        language, name="Alice"))).to_be_visible()
    bob.step("invitation page with the charter")
    page.get_by_label(t("Your name", language), exact=True).fill("Bob")
    page.get_by_label(t("New password", language), exact=True).fill("a long password")
    page.get_by_label(t("Repeat the password", language), exact=True).fill("a long password")
    page.get_by_role("button", name=t("Create my account", language)).click()
    expect(page.get_by_text(t("Joining means accepting the charter.", language))).to_be_visible()
    bob.step("charter not accepted")
    page.get_by_label(t("New password", language), exact=True).fill("a long password")
    page.get_by_label(t("Repeat the password", language), exact=True).fill("a long password")
    page.get_by_label(t("I have read the charter and I accept it", language)).check()
    page.get_by_role("button", name=t("Create my account", language)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Sign in", language))

    page = bob.open(mailed_link(mailbox, "bob@example.org"))
    page.get_by_role("button", name=t("Activate my account", language)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        t("Offers from your circles", language))
    steps = page.get_by_role("region", name=t("Welcome! Three first steps", language))
    expect(steps.get_by_role("link")).to_have_count(3)
    bob.step("feed with three first steps")

    steps.get_by_role("link", name=t("Invite someone you trust", language)).click()
    page.get_by_label(t("Their e-mail", language), exact=True).fill("carol@example.org")
    page.get_by_role("button", name=t("Send the invitation", language)).click()
    page = bob.open("/")
    steps = page.get_by_role("region", name=t("Welcome! Three first steps", language))
    expect(steps.get_by_role("link")).to_have_count(2)
    expect(steps.get_by_text(t("Invite someone you trust", language))).to_be_visible()
    bob.step("feed, one step done")
