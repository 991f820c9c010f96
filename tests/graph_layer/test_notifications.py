"""Notifications on the real engines: each event's own statement notifies, the unread count,
reading one, all, or a conversation's."""

from __future__ import annotations

from factories import founder, sponsored
from offer_factories import offer

from graph import (
    abuse_reports,
    bans,
    conversations,
    departure,
    jobs,
    notifications,
    sanction_appeals,
    sponsorship,
)
from graph.errors import NotFound
from graph.members import get_signed_in_member


def unread(engine, member_id: str) -> int:
    """The unread count the navigation shows, as a signed-in page reads it."""
    found = get_signed_in_member(engine, member_id)
    assert found is not None
    return found[2]


def kinds(engine, member) -> list[tuple[str, str | None, bool]]:
    """The member's notifications, newest first: (kind, name of whom it is about, unread)."""
    page = notifications.page_of(engine, member.id)
    return [(n.kind, n.name, n.unread) for n in page.notifications]


def test_a_message_notifies_the_other_participant_once_per_form(engine):
    alice = founder(engine, "Alice")
    bob = sponsored(engine, alice, "Bob")
    offer_id = offer(engine, bob, "A tent", visibility=1)

    sent = conversations.start_conversation(engine, alice.id, offer_id, "Free Saturday?", 3,
                                            now=100.0, form_key="k1")
    conversations.start_conversation(engine, alice.id, offer_id, "Free Saturday?", 3,
                                     now=101.0, form_key="k1")  # the same form again
    conversations.reply(engine, bob.id, sent.conversation_id, "Yes!", now=102.0)

    [message] = notifications.page_of(engine, bob.id).notifications
    assert (message.kind, message.name, message.title, message.body, message.at) == (
        "message", "Alice", "A tent", "Free Saturday?", 100.0)
    assert message.conversation_id == sent.conversation_id and message.unread
    assert unread(engine, bob.id) == 1
    assert ("message", "Bob", True) in kinds(engine, alice)


def test_invitation_and_vouches_notify_whom_they_concern(engine):
    alice = founder(engine, "Alice")
    bob = sponsored(engine, alice, "Bob")
    carol = sponsored(engine, bob, "Carol")

    vouch = sponsorship.offer_vouch(engine, alice.id, carol.email)
    assert kinds(engine, carol) == [("vouch_offered", "Alice", True)]
    sponsorship.confirm_vouch(engine, carol.id, vouch)

    assert ("vouch_accepted", "Carol", True) in kinds(engine, alice)
    assert ("invitation_accepted", "Bob", True) in kinds(engine, alice)
    assert kinds(engine, bob) == [("invitation_accepted", "Carol", True)]


def test_a_ban_notifies_strikes_and_suspensions_and_the_unban_reactivations(engine):
    alice = founder(engine, "Alice")
    bob = sponsored(engine, alice, "Bob")
    carol = sponsored(engine, bob, "Carol")
    dave = sponsored(engine, carol, "Dave")

    bans.ban(engine, None, bob.id, "scam", strike_threshold=2)

    assert kinds(engine, alice) == [("strike", "Bob", True), ("invitation_accepted", "Bob", True)]
    assert kinds(engine, carol)[0] == ("suspended", None, True)
    assert kinds(engine, dave) == [("suspended", None, True)]

    bans.unban(engine, None, bob.id, "mistake", strike_threshold=2)

    assert [k for k, _, _ in kinds(engine, dave)] == ["reactivated", "suspended"]
    assert kinds(engine, carol)[0] == ("reactivated", None, True)
    assert kinds(engine, bob)[0] == ("reactivated", None, True)


def test_a_deferred_cascade_notifies_from_its_background_statement(engine):
    alice = founder(engine, "Alice")
    bob = sponsored(engine, alice, "Bob")
    carol = sponsored(engine, bob, "Carol")

    bans.ban_deferred(engine, None, bob.id, "scam", "job-1", strike_threshold=2)
    assert kinds(engine, carol) == []  # not suspended yet
    jobs.run(engine, "job-1")

    assert kinds(engine, carol) == [("suspended", None, True)]


def test_appeal_and_report_outcomes_notify_the_member_and_the_reporter(engine):
    alice = founder(engine, "Alice")
    bob = sponsored(engine, alice, "Bob")
    carol = sponsored(engine, alice, "Carol")
    tent = offer(engine, bob, "A tent", visibility=2)
    abuse_reports.report(engine, carol.id, "offer", tent, "scam", "no tent", max_hops=3)
    abuse_reports.report(engine, carol.id, "member", alice.id, "abuse", "rude", max_hops=3)
    [about_tent, about_alice] = sorted(abuse_reports.open_reports(engine),
                                       key=lambda r: r.kind != "offer")

    abuse_reports.hide_offer(engine, alice.id, about_tent.id)
    abuse_reports.dismiss_report(engine, alice.id, about_alice.id)

    assert [k for k, _, _ in kinds(engine, carol)][:2] == ["report_dismissed", "report_upheld"]

    bans.ban(engine, None, bob.id, "scam", strike_threshold=2)
    appeal_id = sanction_appeals.file_appeal(engine, bob.id, "It was a mistake.")
    sanction_appeals.decide_appeal(engine, alice.id, appeal_id, "rejected", "")
    assert kinds(engine, bob)[0] == ("appeal_rejected", None, True)


def test_reading_one_all_or_a_conversation_lowers_the_unread_count(engine):
    alice = founder(engine, "Alice")
    bob = sponsored(engine, alice, "Bob")
    carol = sponsored(engine, alice, "Carol")
    tent = offer(engine, alice, "A tent", visibility=1)
    drill = offer(engine, alice, "A drill", visibility=1)
    by_bob = conversations.start_conversation(engine, bob.id, tent, "Hello", 3)
    conversations.reply(engine, bob.id, by_bob.conversation_id, "Still there?")
    conversations.start_conversation(engine, carol.id, drill, "Hi", 3)
    assert unread(engine, alice.id) == 5  # and two invitations accepted

    notifications.mark_conversation_read(engine, alice.id, by_bob.conversation_id)
    assert unread(engine, alice.id) == 3

    newest = notifications.page_of(engine, alice.id).notifications[0]
    target = notifications.open_notification(engine, alice.id, newest.id)
    assert (target.kind, target.member_id) == ("message", carol.id)
    assert unread(engine, alice.id) == 2
    notifications.open_notification(engine, alice.id, newest.id)  # read already: no change
    assert unread(engine, alice.id) == 2

    assert notifications.mark_all_read(engine, alice.id) == 2
    assert unread(engine, alice.id) == 0
    assert len(notifications.page_of(engine, alice.id).notifications) == 5


def test_nobody_reads_or_opens_someone_elses_notification(engine):
    alice = founder(engine, "Alice")
    bob = sponsored(engine, alice, "Bob")
    [accepted] = notifications.page_of(engine, alice.id).notifications

    try:
        notifications.open_notification(engine, bob.id, accepted.id)
    except NotFound:
        pass
    else:
        raise AssertionError("opened another member's notification")
    assert unread(engine, alice.id) == 1


def test_the_unread_count_is_bounded_and_the_list_paginates(engine):
    alice = founder(engine, "Alice")
    bob = sponsored(engine, alice, "Bob")
    tent = offer(engine, alice, "A tent", visibility=1)
    later = 4e9  # after the invitation's notification
    sent = conversations.start_conversation(engine, bob.id, tent, "0", 3, now=later)
    for n in range(1, notifications.UNREAD_SHOWN_MAX + 5):
        conversations.reply(engine, bob.id, sent.conversation_id, str(n), now=later + n)

    assert unread(engine, alice.id) == notifications.UNREAD_SHOWN_MAX + 1
    first = notifications.page_of(engine, alice.id)
    second = notifications.page_of(engine, alice.id, 2)
    assert first.has_next and [n.body for n in first.notifications][:2] == ["103", "102"]
    assert second.notifications[0].body == str(103 - notifications.PAGE_SIZE)


def test_leaving_erases_my_notifications_and_those_of_my_messages(engine):
    alice = founder(engine, "Alice")
    bob = sponsored(engine, alice, "Bob")
    tent = offer(engine, alice, "A tent", visibility=1)
    conversations.start_conversation(engine, bob.id, tent, "Hello", 3)
    conversations.start_conversation(engine, alice.id, offer(engine, bob, "A drill"), "Hi", 3)

    departure.leave(engine, bob.id)

    assert engine.read(COUNT_TO, {"member_id": bob.id})[0]["notifications"] == 0
    assert kinds(engine, alice) == [("invitation_accepted", "", True)]


COUNT_TO = """
MATCH (:Member {id: $member_id})<-[:UNREAD|READ]-(n:Notification)
RETURN count(n) AS notifications
"""
