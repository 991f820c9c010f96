"""Reports, appeals, roles and the audit log, through the real verbs."""

from __future__ import annotations

import pytest
from factories import founder, reload, sponsored

from graph import audit, bans, departure, moderation
from graph.errors import Conflict, Invalid, NotFound

OFFER = """
MATCH (m:Member {id: $owner_id})
CREATE (m)-[:OFFERS]->(:Offer {id: $id, title: 'Tent', status: 'active', hidden: false,
                               visibility: 0})
"""


@pytest.fixture
def trio(engine):
    alice = founder(engine, "Alice")
    bob = sponsored(engine, alice, "Bob")
    carol = sponsored(engine, bob, "Carol")
    return alice, bob, carol


def test_appeal_once_per_sanction(engine, trio):
    alice, bob, carol = trio
    with pytest.raises(Conflict):
        moderation.file_appeal(engine, bob.id, "nothing to appeal")
    bans.ban(engine, alice.id, bob.id, "spam", strike_threshold=2, now=100)
    assert moderation.may_appeal(engine, carol.id)
    moderation.file_appeal(engine, carol.id, "I only know Bob a little", now=101)
    assert not moderation.may_appeal(engine, carol.id)
    with pytest.raises(Conflict):
        moderation.file_appeal(engine, carol.id, "again", now=102)
    with pytest.raises(Invalid):
        moderation.file_appeal(engine, bob.id, "   ")
    bans.unban(engine, alice.id, bob.id, "ok", strike_threshold=2, now=103)
    bans.ban(engine, alice.id, bob.id, "spam again", strike_threshold=2, now=104)
    assert moderation.may_appeal(engine, carol.id)  # a new sanction, a new appeal


def test_reports_close_when_the_member_is_banned(engine, trio):
    alice, bob, carol = trio
    engine.write(OFFER, {"owner_id": bob.id, "id": "tent"})
    moderation.report(engine, alice.id, "offer", "tent", "scam", "no tent", max_hops=3)
    moderation.report(engine, carol.id, "member", bob.id, "abuse", "", max_hops=3)
    with pytest.raises(NotFound):
        moderation.report(engine, bob.id, "offer", "tent", "scam", "my own offer", max_hops=3)
    with pytest.raises(Invalid):
        moderation.report(engine, alice.id, "member", bob.id, "rude", "", max_hops=3)
    assert len(moderation.open_reports(engine)) == 2
    bans.ban(engine, alice.id, bob.id, "spam", strike_threshold=2)
    assert moderation.open_reports(engine) == []
    assert [e.target_name for e in audit.entries(engine, action="reports_closed")] == ["Bob"]
    assert moderation.dashboard(engine)["reports"] == 0


def test_roles_and_the_log(engine, trio):
    alice, bob, _ = trio
    moderation.set_admin(engine, None, alice.id, True)
    with pytest.raises(Conflict):
        moderation.set_admin(engine, None, alice.id, True)
    assert reload(engine, alice).admin
    bans.ban(engine, alice.id, bob.id, "spam", strike_threshold=2)
    actions = [e.action for e in audit.entries(engine)]
    assert actions[-1] == "grant_admin" and set(actions) >= {"ban", "suspend", "strike"}
    assert [e.target_name for e in audit.entries(engine, action="ban")] == ["Bob"]
    assert audit.entries(engine, action="ban", actor_id="nobody") == []


def test_a_departed_link_is_cut_by_a_ban_above_and_restored_by_the_unban(engine, trio):
    alice, bob, carol = trio
    dave = sponsored(engine, carol, "Dave")
    assert departure.leave(engine, carol.id) == "departed"
    assert reload(engine, dave).status == "active"
    with pytest.raises(Conflict):
        bans.plan_ban(engine, carol.id)  # nobody left to ban
    done = bans.ban(engine, alice.id, bob.id, "spam", strike_threshold=2)
    assert {s.id for s in done.suspended} == {carol.id, dave.id}
    assert reload(engine, carol).status == "suspended"
    bans.unban(engine, alice.id, bob.id, "ok", strike_threshold=2)
    assert (reload(engine, carol).status, reload(engine, dave).status) == ("departed", "active")
    with pytest.raises(Conflict):
        departure.leave(engine, carol.id)
