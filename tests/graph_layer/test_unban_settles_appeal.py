"""Lifting a ban settles the member's open appeal in the same statement: granted, with its
audit entry, so the queue no longer offers it; a rejection racing the lift decides it once."""

from __future__ import annotations

from factories import founder, sponsored
from races import all_at_once

from graph import audit, bans, sanction_appeals

THRESHOLD = 2


def banned_with_an_appeal(engine):
    """Alice, and Bob whom she banned and who appealed; returns (alice, bob, appeal id)."""
    alice = founder(engine)
    bob = sponsored(engine, alice, "Bob")
    bans.ban(engine, alice.id, bob.id, "spam", strike_threshold=THRESHOLD)
    return alice, bob, sanction_appeals.file_appeal(engine, bob.id, "It was my brother.")


def decisions(engine, member_id: str) -> list[str]:
    """The appeal decisions the audit log records about the member."""
    return [entry.action for entry in audit.entries(engine, target_id=member_id)
            if entry.action in ("appeal_granted", "appeal_rejected")]


def test_lifting_a_ban_grants_the_open_appeal_and_logs_it(engine):
    alice, bob, appeal_id = banned_with_an_appeal(engine)

    bans.unban(engine, alice.id, bob.id, "mistake", strike_threshold=THRESHOLD)

    assert sanction_appeals.appeal(engine, appeal_id).status == "granted"
    assert sanction_appeals.open_appeals(engine) == []
    assert decisions(engine, bob.id) == ["appeal_granted"]


def test_a_rejection_racing_the_lift_decides_the_appeal_once(backend, graph_name, engine):
    alice, bob, appeal_id = banned_with_an_appeal(engine)

    all_at_once(backend, graph_name, [
        lambda racing: bans.unban(racing, alice.id, bob.id, "mistake",
                                  strike_threshold=THRESHOLD),
        lambda racing: sanction_appeals.decide_appeal(racing, alice.id, appeal_id, "rejected",
                                                      "no"),
    ])

    assert len(decisions(engine, bob.id)) == 1
    assert sanction_appeals.appeal(engine, appeal_id).status in ("granted", "rejected")
    assert sanction_appeals.open_appeals(engine) == []
