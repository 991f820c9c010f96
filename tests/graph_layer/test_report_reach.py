"""Reports about members on the real engine: only about a member the reporter may see
(their profile's rule), whether or not one blocked the other."""

from __future__ import annotations

import pytest
from factories import founder, sponsor_chain, sponsored
from offer_factories import offer

from graph import abuse_reports, bans, blocks, conversations
from graph.errors import NotFound
from graph.offers import WHOLE_NETWORK


def test_a_member_out_of_my_reach_cannot_be_reported_until_they_write_to_me(engine):
    you, *_, far = sponsor_chain(engine, "You", "Alice", "Bob", "Carol", "Dave")
    with pytest.raises(NotFound):
        abuse_reports.report(engine, you.id, "member", far.id, "spam", "", max_hops=3)
    with pytest.raises(NotFound):
        abuse_reports.report(engine, you.id, "member", "no-such-member", "spam", "", max_hops=3)
    assert abuse_reports.open_reports(engine) == []

    conversations.start_conversation(
        engine, far.id, offer(engine, you, visibility=WHOLE_NETWORK), "Buy my stuff", 3)
    abuse_reports.report(engine, you.id, "member", far.id, "spam", "adverts", max_hops=3)

    assert [r.member_name for r in abuse_reports.open_reports(engine)] == ["Dave"]


def test_a_member_i_blocked_can_still_be_reported(engine):
    alice = founder(engine, "Alice")
    bob = sponsored(engine, alice, "Bob")
    blocks.block(engine, alice.id, bob.id, 3)

    abuse_reports.report(engine, alice.id, "member", bob.id, "abuse", "", max_hops=3)

    assert [r.member_name for r in abuse_reports.open_reports(engine)] == ["Bob"]


def test_a_message_is_reported_by_the_other_participant_only(engine):
    alice = founder(engine, "Alice")
    bob = sponsored(engine, alice, "Bob")
    carol = sponsored(engine, alice, "Carol")
    talk = conversations.start_conversation(
        engine, carol.id, offer(engine, bob, visibility=2), "Is it free?", 3)
    conversations.reply(engine, bob.id, talk.conversation_id, "Send me your bank details.")
    messages = conversations.conversation_for(engine, bob.id, talk.conversation_id).messages
    by_bob = next(m.id for m in messages if m.author.id == bob.id)

    for reporter, message_id in ((alice, by_bob), (bob, by_bob), (carol, "no-such-message")):
        with pytest.raises(NotFound):
            abuse_reports.report(engine, reporter.id, "message", message_id, "scam", "",
                              max_hops=3)
    abuse_reports.report(engine, carol.id, "message", by_bob, "scam", "phishing", max_hops=3)

    [report] = abuse_reports.open_reports(engine)
    assert (report.kind, report.member_name, report.message, report.text) == (
        "message", "Bob", "Send me your bank details.", "phishing")
    bans.ban(engine, alice.id, bob.id, "phishing", strike_threshold=2)  # closes it
    assert abuse_reports.open_reports(engine) == []
