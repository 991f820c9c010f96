"""Moderation mail speaks the recipient's saved language, else the app's default: never
the language of the admin who clicked."""

from __future__ import annotations

from email.header import decode_header, make_header

import pytest
from admin_fixtures import (  # noqa: F401
    admin_browser_fixture,
    admin_fixture,
    confirm_preview,
    preview_ban,
)
from conftest import csrf_token, text
from factories import reload, sponsored

from graph import bans, members


def french_admin_and_bob_who_reads(engine, admin, saved: str | None):
    """The admin reads the site in French; Bob, whom the admin sponsored, saved `saved`."""
    members.set_locale(engine, admin.id, "fr")
    bob = sponsored(engine, admin, "Bob")
    members.set_locale(engine, bob.id, saved)
    return bob


def subject_of(notice) -> str:
    """A mail's subject, decoded."""
    return str(make_header(decode_header(notice["Subject"])))


@pytest.mark.parametrize(("saved", "subject"), [
    (None, "Your TrustNet ban was lifted"),
    ("fr", "Votre bannissement de TrustNet a été levé"),
])
def test_an_unban_notice_is_in_the_members_language_not_the_admins(
        engine, admin, admin_browser, mailbox, saved, subject):
    bob = french_admin_and_bob_who_reads(engine, admin, saved)
    bans.ban(engine, admin.id, bob.id, "spam", strike_threshold=2)
    client = admin_browser(reload(engine, admin))
    page = client.get(f"/admin/members/{bob.id}")
    assert "Lever le bannissement" in text(page)
    response = client.post(f"/admin/members/{bob.id}/unban",
                           data={"csrf_token": csrf_token(text(page)), "reason": "erreur"})
    assert response.status_code == 302
    notice = mailbox.wait_for(1)[-1]
    assert notice["To"] == "bob@example.org"
    assert subject_of(notice) == subject


@pytest.mark.parametrize(("saved", "subject"), [
    (None, "Your TrustNet account is banned"),
    ("fr", "Votre compte TrustNet est banni"),
])
def test_a_ban_notice_is_in_the_banned_members_language_not_the_admins(
        engine, admin, admin_browser, mailbox, saved, subject):
    bob = french_admin_and_bob_who_reads(engine, admin, saved)
    client = admin_browser(reload(engine, admin))

    page = preview_ban(client, bob.id, "spam")
    assert confirm_preview(client, page).status_code == 200

    mailbox.wait_for(1)
    [notice] = mailbox.to("bob@example.org")
    assert subject_of(notice) == subject
