"""Links in mail come from TRUSTNET_BASE_URL, never from the request's Host header: a forged
Host must not put an attacker's address into a reset link. A Host the operator did not
list is refused outright."""

from __future__ import annotations

import pytest
from conftest import link_in, mail_body, post_form, text
from factories import founder, sponsored
from offer_factories import offer

BASE_URL = "https://trust.example.org/community"


@pytest.fixture
def app_config(app_config):
    """The public address differs from the test client's Host (localhost, listed as trusted)."""
    return {**app_config, "TRUSTNET_BASE_URL": BASE_URL,
            "TRUSTNET_TRUSTED_HOSTS": "localhost"}


def test_a_request_with_a_host_the_operator_did_not_list_is_refused(app, engine, mailbox):
    founder(engine, "Alice")
    browser = app.test_client()
    forged = browser.post("/forgot", data={"email": "alice@example.org"},
                          headers={"Host": "attacker.example"})
    assert forged.status_code == 400
    assert browser.get("/login", headers={"Host": "attacker.example"}).status_code == 400
    assert mailbox.wait_for(1, timeout=1) == []


def test_a_reset_link_points_at_the_base_url_whatever_host_the_request_named(
        app, engine, mailbox):
    founder(engine, "Alice")
    post_form(app.test_client(), "/forgot", {"email": "alice@example.org"})
    link = link_in(mail_body(mailbox.wait_for(1)[0]))
    assert link.startswith(f"{BASE_URL}/reset/")


def test_invitation_and_message_links_point_at_the_base_url(app, engine, mailbox, browser):
    alice = founder(engine, "Alice")
    bob = sponsored(engine, alice, "Bob")
    offer_id = offer(engine, bob, "Cordless drill", visibility=1)
    alice_browser = browser(alice)

    sent = post_form(alice_browser, "/invitations", {"email": "carol@example.org"})
    assert f"{BASE_URL}/join/" in text(sent)
    post_form(alice_browser, f"/offers/{offer_id}/interest", {"body": "Saturday?"},
              page=f"/offers/{offer_id}")

    mailbox.wait_for(3)
    [invitation] = mailbox.to("carol@example.org")
    [notice] = mailbox.to("bob@example.org")
    assert link_in(mail_body(invitation)).startswith(f"{BASE_URL}/join/")
    assert link_in(mail_body(notice)).startswith(f"{BASE_URL}/conversations/")


def test_the_ban_notice_links_to_the_appeal_page_under_the_base_url(app, engine, mailbox, cli):
    alice = founder(engine, "Alice")
    sponsored(engine, alice, "Bob")
    assert cli("ban", "bob@example.org", "--reason", "spam").exit_code == 0
    mailbox.wait_for(1)
    [notice] = mailbox.to("bob@example.org")
    assert link_in(mail_body(notice)).startswith(f"{BASE_URL}/appeal/")
