"""The community's language (TRUSTNET_DEFAULT_LOCALE): the mail of a member who never chose
a language, whoever caused it, and the pages of a browser that speaks none of ours."""

from __future__ import annotations

from email.header import decode_header, make_header

import pytest
from conftest import login_as, post_form, text
from factories import founder, sponsored
from offer_factories import offer

from graph import members
from trustnet import configured_app


@pytest.fixture
def app_config(app_config):
    return {**app_config, "TRUSTNET_DEFAULT_LOCALE": "fr"}


def test_a_member_who_never_chose_gets_mail_in_the_communitys_language(app, engine, mailbox):
    alice = founder(engine, "Alice")
    bob = sponsored(engine, alice, "Bob")  # never chose a language
    carol = sponsored(engine, alice, "Carol")
    members.set_locale(engine, carol.id, "en")
    tent = offer(engine, bob, "A tent", visibility=2)
    carols_browser = login_as(app.test_client(), carol)
    carols_browser.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en-GB,en;q=0.9"

    post_form(carols_browser, f"/offers/{tent}/interest", {"body": "Is it waterproof?"},
              page=f"/offers/{tent}")

    mailbox.wait_for(2)
    [to_bob] = mailbox.to("bob@example.org")
    assert str(make_header(decode_header(to_bob["Subject"]))) == (
        "Carol vous a écrit au sujet de «\u00a0A tent\u00a0»")
    [copy] = mailbox.to("carol@example.org")  # the sender's copy: her own language
    assert str(make_header(decode_header(copy["Subject"]))).startswith("You wrote to Bob")


def test_a_browser_speaking_none_of_our_languages_reads_the_communitys(app):
    visitor = app.test_client()
    visitor.environ_base["HTTP_ACCEPT_LANGUAGE"] = "de-DE,de;q=0.9"

    assert '<html lang="fr">' in text(visitor.get("/login"))


def test_a_community_language_we_do_not_speak_is_refused_at_start(app_config):
    with pytest.raises(ValueError, match="TRUSTNET_DEFAULT_LOCALE must be one of en, fr, not 'de'"):
        configured_app({**app_config, "TRUSTNET_DEFAULT_LOCALE": "de"})
