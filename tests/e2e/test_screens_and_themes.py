"""The members' pages on a desktop in dark mode, and the checks of every step themselves."""

from __future__ import annotations

import pytest
from factories import PASSWORD, founder, invitation, sponsored
from playwright.sync_api import expect


def test_members_pages_on_a_desktop_in_dark_mode(engine, visit):
    alice = founder(engine, "Alice")
    sponsored(engine, alice, "Bob")
    invitation(engine, alice, "carol@example.org")
    visitor = visit("alice", "fr", screen="desktop", dark=True)
    page = visitor.open("/login")
    page.get_by_label("Adresse e-mail", exact=True).fill("alice@example.org")
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Se connecter", exact=True).click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    visitor.step("home")
    for link, heading in [("Mon réseau", "Mon réseau"), ("Invitations", "Invitations")]:
        page.get_by_role("navigation").get_by_role("link", name=link).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        visitor.step(heading)
    visitor.open("/settings")
    expect(page.get_by_role("heading", level=1)).to_have_text("Paramètres")
    visitor.step("settings")


def test_axe_fails_a_page_with_a_serious_violation(visit):
    visitor = visit("canary")
    page = visitor.open("/login")
    page.evaluate("""() => {
        const image = document.createElement('img');  // no alt text: critical for axe
        image.src = '/static/none.png';
        document.querySelector('main').append(image);
    }""")
    with pytest.raises(AssertionError, match="image-alt"):
        visitor.step("image without alt text")


def test_a_step_fails_when_the_page_breaks_the_content_security_policy(visit):
    visitor = visit("canary")
    page = visitor.open("/login")
    page.evaluate("""() => {
        const script = document.createElement('script');  // inline: the CSP refuses it
        script.textContent = 'window.ran = true';
        document.body.append(script);
    }""")
    assert page.evaluate("() => window.ran") is None
    with pytest.raises(AssertionError, match="CSP: .*Content Security Policy"):
        visitor.step("inline script")
