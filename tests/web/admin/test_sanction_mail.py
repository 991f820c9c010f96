"""Suspensions and reactivations are mailed now, in each recipient's language, and each kind of
mail can be turned off in Settings (the notification in the app comes anyway)."""

from __future__ import annotations

from email.header import decode_header, make_header

import pytest
from admin_fixtures import (  # noqa: F401
    admin_browser_fixture,
    admin_fixture,
    confirm_preview,
    preview_ban,
)
from conftest import csrf_token, post_form, text
from factories import reload, sponsored

from graph import members, notifications


def subject_of(mail) -> str:
    """A mail's subject, decoded."""
    return str(make_header(decode_header(mail["Subject"])))


def ban_through_the_admin_pages(admin_browser, engine, admin, member):
    client = admin_browser(reload(engine, admin))
    page = preview_ban(client, member.id, "spam")
    assert confirm_preview(client, page).status_code == 200
    return client


@pytest.mark.parametrize(("saved", "suspended", "active_again"), [
    (None, "Your TrustNet account is suspended", "Your TrustNet account is active again"),
    ("fr", "Votre compte TrustNet est suspendu", "Votre compte TrustNet est de nouveau actif"),
])
def test_the_members_a_ban_suspends_are_mailed_and_so_is_their_reactivation(
        engine, admin, admin_browser, mailbox, saved, suspended, active_again):
    bob = sponsored(engine, admin, "Bob")
    carol = sponsored(engine, bob, "Carol")
    members.set_locale(engine, carol.id, saved)

    client = ban_through_the_admin_pages(admin_browser, engine, admin, bob)

    mailbox.wait_for(3)  # Bob's ban, Alice's strike, Carol's suspension
    [to_carol] = mailbox.to("carol@example.org")
    assert subject_of(to_carol) == suspended
    assert "Bob" in to_carol.get_payload(decode=True).decode()

    page = client.get(f"/admin/members/{bob.id}")
    client.post(f"/admin/members/{bob.id}/unban",
                data={"csrf_token": csrf_token(text(page)), "reason": "mistake"})
    mailbox.wait_for(5)
    assert [subject_of(m) for m in mailbox.to("carol@example.org")] == [suspended, active_again]


def test_mail_turned_off_in_settings_is_not_sent_but_the_notification_is(
        engine, admin, admin_browser, browser, mailbox):
    bob = sponsored(engine, admin, "Bob")
    carol = sponsored(engine, bob, "Carol")
    settings = browser(carol)
    response = post_form(settings, "/settings", {"mail-sent": "1", "mail-message": "y",
                                                 "mail-strike": "y", "mail-appeal": "y"})
    assert response.status_code == 302
    page = text(settings.get("/settings"))
    assert 'name="mail-sanction" type="checkbox" value="y">' in page  # unticked
    assert 'id="mail-message" name="mail-message" type="checkbox" value="y" checked' in page \
        or 'checked id="mail-message"' in page

    ban_through_the_admin_pages(admin_browser, engine, admin, bob)

    mailbox.wait_for(2)  # Bob's ban, Alice's strike
    assert mailbox.to("carol@example.org") == []
    kinds = [n.kind for n in notifications.page_of(engine, carol.id).notifications]
    assert kinds == ["suspended"]


def test_a_sponsor_who_turned_strikes_off_gets_no_strike_mail(
        engine, admin, admin_browser, browser, mailbox):
    bob = sponsored(engine, admin, "Bob")
    notifications.set_mail_off(engine, admin.id, ["strike"])

    ban_through_the_admin_pages(admin_browser, engine, admin, bob)

    mailbox.wait_for(1)
    assert mailbox.to("alice@example.org") == []
    assert [m["To"] for m in mailbox.wait_for(1)] == ["bob@example.org"]
