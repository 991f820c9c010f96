"""A ban closes the open reports about the member in its own statement, deferred or not."""

from __future__ import annotations

from factories import founder, sponsored

from graph import abuse_reports, audit, bans

OFFER = """
MATCH (m:Member {id: $owner_id})
CREATE (m)-[:OFFERS]->(:Offer {id: $id, title: 'Tent', status: 'active', hidden: false,
                               visibility: 0})
"""


def test_a_deferred_ban_closes_the_reports_about_the_member_only(engine):
    alice = founder(engine, "Alice")
    bob = sponsored(engine, alice, "Bob")
    carol = sponsored(engine, alice, "Carol")
    engine.write(OFFER, {"owner_id": bob.id, "id": "tent"})
    abuse_reports.report(engine, alice.id, "offer", "tent", "scam", "no tent", max_hops=3)
    abuse_reports.report(engine, carol.id, "member", bob.id, "abuse", "", max_hops=3)
    abuse_reports.report(engine, bob.id, "member", carol.id, "abuse", "", max_hops=3)
    bans.ban_deferred(engine, alice.id, bob.id, "spam", "job-1", strike_threshold=2)
    assert [(r.member_name, r.kind) for r in abuse_reports.open_reports(engine)] == [
        ("Carol", "member")]
    closed = audit.entries(engine, action="reports_closed")
    assert [(e.target_name, e.reason) for e in closed] == [("Bob", "member banned")]


def test_a_ban_with_no_report_logs_no_closing(engine):
    alice = founder(engine, "Alice")
    bob = sponsored(engine, alice, "Bob")
    bans.ban(engine, alice.id, bob.id, "spam", strike_threshold=2)
    assert audit.entries(engine, action="reports_closed") == []
