"""The admin's appeal queue: each card shows the reason of the ban behind the member's own
sanction, and lifting a ban settles the member's appeal (no second decision, no second mail)."""

from __future__ import annotations

import re

from admin_fixtures import admin_browser_fixture, admin_fixture  # noqa: F401
from conftest import csrf_token, text
from factories import sponsored

from graph import bans, sanction_appeals

THRESHOLD = 2


def card_of(page: str, name: str) -> str:
    """The appeal card of the member called `name` on the appeals page."""
    cards = re.findall(r'<article class="card".*?</article>', page, re.S)
    [card] = [card for card in cards if f">{name}</a>" in card]
    return card


def test_a_suspension_card_shows_the_ban_that_suspended_the_member_not_an_earlier_one(
        engine, admin, admin_browser):
    erin = sponsored(engine, admin, "Erin")
    bob = sponsored(engine, erin, "Bob")
    carol = sponsored(engine, bob, "Carol")
    bans.ban(engine, admin.id, bob.id, "spam", strike_threshold=THRESHOLD, now=100)
    bans.unban(engine, admin.id, bob.id, "mistake", strike_threshold=THRESHOLD, now=101)
    bans.ban(engine, admin.id, erin.id, "stolen bikes", strike_threshold=THRESHOLD, now=102)
    sanction_appeals.file_appeal(engine, carol.id, "I never met Erin.", now=103)

    card = card_of(text(admin_browser(admin).get("/admin/appeals")), "Carol")
    assert "Reason of the ban: stolen bikes" in card
    assert "spam" not in card


def test_a_member_unbanned_into_a_suspension_is_not_shown_their_lifted_ban(
        engine, admin, admin_browser):
    bob = sponsored(engine, admin, "Bob")
    carol = sponsored(engine, bob, "Carol")
    bans.ban(engine, admin.id, carol.id, "rude to everyone", strike_threshold=THRESHOLD,
             now=100)
    bans.ban(engine, admin.id, bob.id, "spam", strike_threshold=THRESHOLD, now=101)
    bans.unban(engine, admin.id, carol.id, "mistake", strike_threshold=THRESHOLD, now=102)
    sanction_appeals.file_appeal(engine, carol.id, "Bob is gone, not me.", now=103)

    card = card_of(text(admin_browser(admin).get("/admin/appeals")), "Carol")
    assert "against a suspension" in card
    assert "rude to everyone" not in card and "Reason of the ban" not in card


def test_lifting_a_ban_settles_the_appeal_and_mails_the_member_once(
        engine, admin, admin_browser, mailbox):
    bob = sponsored(engine, admin, "Bob")
    bans.ban(engine, admin.id, bob.id, "spam", strike_threshold=THRESHOLD)
    sanction_appeals.file_appeal(engine, bob.id, "It was my brother.")
    [appeal] = sanction_appeals.open_appeals(engine)
    client = admin_browser(admin)
    page = client.get(f"/admin/members/{bob.id}")
    client.post(f"/admin/members/{bob.id}/unban",
                data={"csrf_token": csrf_token(text(page)), "reason": "mistake"})
    mailbox.wait_for(1)

    queue = client.get("/admin/appeals")
    assert "No appeal is waiting." in text(queue)
    client.post(f"/admin/appeals/{appeal.id}", data={
        "csrf_token": csrf_token(text(queue)), f"{appeal.id}-note": "Welcome back.",
        "decision": "granted"})
    assert sanction_appeals.appeal(engine, appeal.id).status == "granted"
    assert len(mailbox.to("bob@example.org")) == 1  # the unban notice, no appeal outcome
