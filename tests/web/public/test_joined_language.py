"""A newcomer's language is the one they joined in, saved on their account: their pages and
the mail sent to them speak it, whatever the language of whoever causes the mail."""

from __future__ import annotations

from email.header import decode_header, make_header

from conftest import confirmation_path, join_path, login_as, post_form, text
from factories import founder, invitation, reload
from offer_factories import offer

from graph import members

PASSWORD = "a long password"


def test_a_member_who_joined_in_french_gets_french_mail_from_an_english_writer(
        app, engine, browser, mailbox):
    alice = founder(engine, "Alice")
    _, secret = invitation(engine, alice, "bob@example.org")
    newcomer = app.test_client()
    newcomer.environ_base["HTTP_ACCEPT_LANGUAGE"] = "fr-FR,fr;q=0.9"
    post_form(newcomer, join_path(app, secret),
              {"name": "Bob", "password": PASSWORD, "confirm": PASSWORD})
    assert confirmation_path(mailbox, "bob@example.org")  # the mail, sent before saving
    bob = members.find_member_by_email(engine, "bob@example.org")
    assert bob is not None and bob.locale == "fr"
    members.confirm_address(engine, bob.id)
    tent = offer(engine, bob, "Une tente", visibility=1)

    writer = browser(reload(engine, alice))  # Alice reads the site in English
    post_form(writer, f"/offers/{tent}/interest", {"body": "Is it free?"},
              page=f"/offers/{tent}")

    to_bob = [m for m in mailbox.wait_for(3) if m["To"] == "bob@example.org"][-1]
    assert str(make_header(decode_header(to_bob["Subject"]))).startswith("Alice vous a écrit")
    bob_browser = login_as(app.test_client(), reload(engine, bob))  # an English browser
    assert '<html lang="fr">' in text(bob_browser.get("/"))
