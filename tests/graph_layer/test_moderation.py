"""Reports, appeals, roles and the audit log, through the real verbs."""

from __future__ import annotations

import pytest
from factories import founder, reload, sponsored

from graph import abuse_reports, audit, backoffice, bans, departure, roles, sanction_appeals
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
        sanction_appeals.file_appeal(engine, bob.id, "nothing to appeal")
    bans.ban(engine, alice.id, bob.id, "spam", strike_threshold=2, now=100)
    assert sanction_appeals.may_appeal(engine, carol.id)
    sanction_appeals.file_appeal(engine, carol.id, "I only know Bob a little", now=101)
    assert not sanction_appeals.may_appeal(engine, carol.id)
    with pytest.raises(Conflict):
        sanction_appeals.file_appeal(engine, carol.id, "again", now=102)
    with pytest.raises(Invalid):
        sanction_appeals.file_appeal(engine, bob.id, "   ")
    bans.unban(engine, alice.id, bob.id, "ok", strike_threshold=2, now=103)
    bans.ban(engine, alice.id, bob.id, "spam again", strike_threshold=2, now=104)
    assert sanction_appeals.may_appeal(engine, carol.id)  # a new sanction, a new appeal


def test_reports_close_when_the_member_is_banned(engine, trio):
    alice, bob, carol = trio
    engine.write(OFFER, {"owner_id": bob.id, "id": "tent"})
    abuse_reports.report(engine, alice.id, "offer", "tent", "scam", "no tent", max_hops=3)
    abuse_reports.report(engine, carol.id, "member", bob.id, "abuse", "", max_hops=3)
    with pytest.raises(NotFound):
        abuse_reports.report(engine, bob.id, "offer", "tent", "scam", "my own offer", max_hops=3)
    with pytest.raises(Invalid):
        abuse_reports.report(engine, alice.id, "member", bob.id, "rude", "", max_hops=3)
    assert len(abuse_reports.open_reports(engine)) == 2
    bans.ban(engine, alice.id, bob.id, "spam", strike_threshold=2)
    assert abuse_reports.open_reports(engine) == []
    assert [e.target_name for e in audit.entries(engine, action="reports_closed")] == ["Bob"]
    assert backoffice.dashboard(engine).reports == 0


def test_roles_and_the_log(engine, trio):
    alice, bob, _ = trio
    roles.set_admin(engine, None, alice.id, True)
    with pytest.raises(Conflict):
        roles.set_admin(engine, None, alice.id, True)
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
