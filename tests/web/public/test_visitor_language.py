"""French and English for visitors: the browser's language, down to form errors and mail."""

from __future__ import annotations

import pytest
from conftest import mail_body, post_form, text
from factories import founder

from graph import members

FRENCH_BROWSER = {"Accept-Language": "fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7"}
NBSP = "\u00a0"


def test_a_french_browser_gets_the_sign_in_page_in_french(client):
    page = text(client.get("/login", headers=FRENCH_BROWSER))
    assert '<html lang="fr">' in page
    assert "<title>Se connecter · TrustNet</title>" in page
    assert ">Adresse e-mail</label>" in page
    assert f"Mot de passe oublié{NBSP}? Jamais choisi{NBSP}?" in page
    assert "Sign in" not in page


@pytest.mark.parametrize("accept_language", [None, "en-GB,en;q=0.9", "de-DE,de;q=0.9"])
def test_other_browsers_get_english(client, accept_language):
    headers = {"Accept-Language": accept_language} if accept_language else {}
    page = text(client.get("/login", headers=headers))
    assert '<html lang="en">' in page
    assert "<title>Sign in · TrustNet</title>" in page


@pytest.mark.parametrize(("headers", "note"), [
    (FRENCH_BROWSER, "Connectez-vous pour voir cette page."),
    ({}, "Sign in to see this page."),
])
def test_a_page_for_members_sends_a_visitor_to_sign_in_in_their_language(client, headers, note):
    page = client.get("/settings", headers=headers, follow_redirects=True)
    assert page.request.path == "/login"
    assert note in text(page)


def test_form_errors_are_in_french_too(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "fr"
    page = text(post_form(client, "/login", {"email": "", "password": ""}))
    assert "Ce champ est requis." in page  # WTForms' own message, through Flask-WTF
    assert f"Erreur{NBSP}:" in page


def test_a_wrong_password_is_refused_in_french(client, engine):
    founder(engine, "Alice")
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "fr"
    page = text(post_form(client, "/login", {"email": "alice@example.org",
                                             "password": "not the password"}))
    assert "Adresse e-mail ou mot de passe incorrect." in page


@pytest.mark.parametrize(("saved", "browser", "expected"), [
    ("fr", "en", "fr"),  # the member's setting wins over the browser
    (None, "fr", "fr"),  # no setting: the language of the browser that asked
    (None, "en", "en"),
])
def test_the_reset_mail_is_in_the_members_language(client, engine, mailbox, saved, browser,
                                                   expected):
    alice = founder(engine, "Alice")
    members.set_locale(engine, alice.id, saved)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = browser
    post_form(client, "/forgot", {"email": "alice@example.org"})
    mail = mailbox.wait_for(1)[0]
    body = mail_body(mail)
    if expected == "fr":
        assert mail["Subject"] == "Choisissez un nouveau mot de passe TrustNet"
        assert body.startswith("Bonjour Alice,")
        assert f"(il ne fonctionne qu'une fois){NBSP}:" in body
    else:
        assert mail["Subject"] == "Set a new TrustNet password"
        assert body.startswith("Hello Alice,")
