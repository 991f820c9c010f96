"""A member's language: their setting, else the browser; dates, prices, errors and the
invitations they send follow it."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from babel.dates import format_date
from babel.numbers import format_currency
from conftest import link_in, login_as, mail_body, post_form, text
from factories import founder, invitation, reload, sponsored
from flask import render_template_string
from offer_factories import offer

from graph import members, offers

NBSP = "\u00a0"


@pytest.fixture
def alice(engine):
    return founder(engine, "Alice")


def browser_in(app, member, language: str):
    """A test client signed in as member, whose browser asks for language."""
    client = login_as(app.test_client(), member)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
    return client


def test_a_member_who_chose_english_reads_english_in_a_french_browser(app, engine, alice):
    members.set_locale(engine, alice.id, "en")
    page = text(browser_in(app, alice, "fr-FR,fr;q=0.9").get("/settings"))
    assert '<html lang="en">' in page
    assert "<h1>Settings</h1>" in page and ">My network</a>" in page


def test_a_member_who_chose_french_reads_french_in_an_english_browser(app, engine, alice):
    members.set_locale(engine, alice.id, "fr")
    page = text(browser_in(app, alice, "en-US,en;q=0.9").get("/settings"))
    assert '<html lang="fr">' in page
    assert "<h1>Paramètres</h1>" in page and ">Mon réseau</a>" in page


def test_without_a_setting_the_browser_decides(app, alice):
    assert "<h1>Paramètres</h1>" in text(browser_in(app, alice, "fr").get("/settings"))
    assert "<h1>Settings</h1>" in text(browser_in(app, alice, "en").get("/settings"))


def test_choosing_a_language_in_the_settings_applies_at_once(app, engine, alice):
    client = browser_in(app, alice, "en")
    response = post_form(client, "/settings", {"lang-locale": "fr"}, follow_redirects=True)
    assert "Langue enregistrée." in text(response)
    assert reload(engine, alice).locale == "fr"
    post_form(client, "/settings", {"lang-locale": ""})  # back to "as my browser"
    assert reload(engine, alice).locale is None
    assert "<h1>Settings</h1>" in text(client.get("/settings"))


def test_an_invitation_mail_is_in_the_inviters_language(app, alice, mailbox):
    client = browser_in(app, alice, "fr-FR,fr;q=0.9")
    post_form(client, "/invitations", {"email": "bob@example.org",
                                       "note": "Viens, on prête des outils"})
    mail = mailbox.wait_for(1)[0]
    body = mail_body(mail).replace("\r\n", "\n")
    assert mail["Subject"] == "Alice vous invite sur TrustNet"
    assert body.startswith("Bonjour,\n")
    assert "Alice vous invite à rejoindre TrustNet" in body
    assert f"Son message{NBSP}:\nViens, on prête des outils" in body
    assert f"Pour accepter, ouvrez ce lien dans les 14 jours{NBSP}:" in body
    assert "/join/" in link_in(body)


def test_dates_are_written_the_readers_way(app, engine, alice):
    invitation(engine, alice, "bob@example.org")
    sent_on = datetime.now(UTC).date()
    french = text(browser_in(app, alice, "fr").get("/invitations"))
    english = text(browser_in(app, alice, "en").get("/invitations"))
    assert format_date(sent_on, "medium", locale="fr") in french
    assert format_date(sent_on, "medium", locale="en") in english


@pytest.mark.parametrize(("language", "expected_digits"), [("fr", "1 234,50"), ("en", "1,234.50")])
def test_prices_are_written_the_readers_way(app, language, expected_digits):
    with app.test_request_context(headers={"Accept-Language": language}):
        shown = render_template_string("{{ 1234.5 | money }}")
        other = render_template_string("{{ 20 | money('CHF') }}")
    assert shown == format_currency(Decimal("1234.5"), "EUR", locale=language)
    assert expected_digits in shown.replace("\u202f", " ").replace(NBSP, " ") and "€" in shown
    assert "CHF" in other


def test_a_domain_error_is_shown_in_the_readers_language(app, engine, alice):
    sponsored(engine, alice, "Bob")
    client = browser_in(app, alice, "fr")
    page = text(post_form(client, "/invitations", {"email": "bob@example.org", "note": ""}))
    assert (f"cette adresse ne peut pas être invitée{NBSP}: elle appartient déjà à un compte"
            in page)


def test_member_statuses_are_translated(app, engine, alice):
    sponsored(engine, alice, "Bob")
    page = text(browser_in(app, alice, "fr").get("/network"))
    assert ">actif</span>" in page


@pytest.mark.parametrize(("language", "tags"), [
    ("en", ["visible", "paused", "closed"]),
    ("fr", ["visible", "en pause", "fermée"]),
])
def test_an_offers_status_reads_as_an_adjective_of_the_offer(app, engine, alice, language, tags):
    for title, action in [("Drill", None), ("Ladder", "pause"), ("Tent", "close")]:
        offer_id = offer(engine, alice, title)
        if action:
            offers.change_status(engine, alice.id, offer_id, action)
    page = text(browser_in(app, alice, language).get("/offers/mine"))
    shown = re.findall(r'<span class="tag[^"]*">([^<]+)</span>', page)
    assert sorted(shown) == sorted(tags)
