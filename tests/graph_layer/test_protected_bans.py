"""Founders and admins are banned only by two different admins: one asks, another confirms."""

from __future__ import annotations

import pytest
from factories import founder, reload, sponsored
from races import all_at_once

from graph import audit, bans, roles
from graph.errors import Forbidden

THRESHOLD = 2
DAY = 24 * 3600

# Everything but the ban requests and their audit entries: what one admin alone may not change.
STATE = """
MATCH (n) WHERE NOT n:BanRequest AND NOT (n:AuditEntry AND n.action = 'ban_request')
OPTIONAL MATCH (n)-[r]->() WHERE type(r) <> 'REQUESTED'
RETURN labels(n) AS labels, properties(n) AS node, collect(type(r)) AS out
ORDER BY node.id, node.at
"""
BAN_NODES = "MATCH (ban:Ban)-[:AGAINST]->(:Member {id: $id}) RETURN count(ban) AS bans"
REQUESTS = """
MATCH (asker)-[:REQUESTED]->(request:BanRequest)-[:AGAINST]->(:Member {id: $id})
RETURN asker.id AS actor_id, request.status AS status ORDER BY request.created_at
"""


def ban(engine, member, actor, reason="abuse", now=None):
    return bans.ban(engine, actor.id if actor else None, member.id, reason,
                    strike_threshold=THRESHOLD, now=now)


def admin(engine, member):
    roles.set_admin(engine, None, member.id, True)
    return reload(engine, member)


@pytest.fixture
def crew(engine):
    """Alice (founder), admins Ann and Abe below her, Bob (an ordinary member, sponsor of Carl),
    Fay (another founder) with Dan below her, and Ned (an admin sponsored by Bob)."""
    alice = founder(engine, "Alice")
    ann = admin(engine, sponsored(engine, alice, "Ann"))
    abe = admin(engine, sponsored(engine, alice, "Abe"))
    bob = sponsored(engine, alice, "Bob")
    carl = sponsored(engine, bob, "Carl")
    fay = founder(engine, "Fay")
    dan = sponsored(engine, fay, "Dan")
    ned = admin(engine, sponsored(engine, bob, "Ned"))
    return {"alice": alice, "ann": ann, "abe": abe, "bob": bob, "carl": carl, "fay": fay,
            "dan": dan, "ned": ned}


def state(engine):
    return engine.read(STATE)


@pytest.mark.parametrize("target", ["fay", "ned"])
def test_one_admin_alone_only_asks_and_nothing_but_the_request_changes(engine, crew, target):
    before = state(engine)
    asked = ban(engine, crew[target], crew["ann"])
    assert isinstance(asked, bans.BanRequested) and not asked.again
    assert state(engine) == before
    assert reload(engine, crew[target]).status == "active"
    assert engine.read(REQUESTS, {"id": crew[target].id}) == [
        {"actor_id": crew["ann"].id, "status": "open"}]
    assert [(r.actor_name, r.reason) for r in bans.open_requests(engine, crew[target].id)
            ] == [("Ann", "abuse")]
    logged = audit.entries(engine, action="ban_request")
    assert [(e.actor_id, e.target_id) for e in logged] == [(crew["ann"].id, crew[target].id)]


@pytest.mark.parametrize("target", ["fay", "ned"])
def test_a_second_admin_completes_the_ban_and_uses_the_request_up(engine, crew, target):
    ban(engine, crew[target], crew["ann"])
    done = ban(engine, crew[target], crew["abe"], reason="confirmed")
    assert isinstance(done, bans.BanResult)
    assert reload(engine, crew[target]).status == "banned"
    assert engine.read(REQUESTS, {"id": crew[target].id}) == [
        {"actor_id": crew["ann"].id, "status": "used"}]
    assert bans.open_requests(engine, crew[target].id) == []
    assert [e.actor_id for e in audit.entries(engine, action="ban")] == [crew["abe"].id]
    if target == "fay":
        assert reload(engine, crew["dan"]).status == "suspended"


def test_the_same_admin_twice_does_not_ban(engine, crew):
    ban(engine, crew["fay"], crew["ann"])
    again = ban(engine, crew["fay"], crew["ann"])
    assert isinstance(again, bans.BanRequested) and again.again
    assert reload(engine, crew["fay"]).status == "active"
    assert len(engine.read(REQUESTS, {"id": crew["fay"].id})) == 1


def test_the_ban_statement_itself_refuses_a_protected_member_without_a_second_admin(
        engine, crew):
    """Whoever writes BAN (here with its plan, past the verb's own check): with no request
    of another admin, or only the actor's own, nothing is banned."""
    target = bans._target(engine, crew["fay"].id)

    def write_ban(actor_id):
        return bans._ban_once(engine, actor_id, crew["fay"].id, "abuse", target,
                              bans._cascade_of(engine, target), strike_threshold=THRESHOLD,
                              now=2e9)

    assert write_ban(None) is None and write_ban(crew["ann"].id) is None
    ban(engine, crew["fay"], crew["ann"], now=2e9 - 10)
    assert write_ban(crew["ann"].id) is None and write_ban(None) is None
    assert reload(engine, crew["fay"]).status == "active"
    assert write_ban(crew["abe"].id) is not None
    assert reload(engine, crew["fay"]).status == "banned"


def test_a_request_lapses_after_the_days_given(engine, crew):
    start = 1_000_000.0
    ban(engine, crew["ned"], crew["ann"], now=start)
    late = ban(engine, crew["ned"], crew["abe"], now=start + bans.REQUEST_DAYS * DAY + 1)
    assert isinstance(late, bans.BanRequested) and not late.again
    assert reload(engine, crew["ned"]).status == "active"
    seconded = ban(engine, crew["ned"], crew["ann"], now=start + bans.REQUEST_DAYS * DAY + 2)
    assert isinstance(seconded, bans.BanResult)


def test_a_request_by_someone_no_longer_admin_does_not_count(engine, crew):
    ban(engine, crew["fay"], crew["ann"])
    roles.set_admin(engine, None, crew["ann"].id, False)
    assert isinstance(ban(engine, crew["fay"], crew["abe"]), bans.BanRequested)
    assert reload(engine, crew["fay"]).status == "active"


def test_without_an_admin_acting_a_protected_member_is_refused(engine, crew):
    before = state(engine)
    with pytest.raises(Forbidden, match="two admins"):
        ban(engine, crew["alice"], None)
    with pytest.raises(Forbidden, match="only an admin"):
        ban(engine, crew["alice"], crew["bob"])
    assert state(engine) == before
    assert engine.read(REQUESTS, {"id": crew["alice"].id}) == []


def test_an_ordinary_member_is_still_banned_by_one_admin(engine, crew):
    assert isinstance(ban(engine, crew["bob"], crew["ann"]), bans.BanResult)
    assert reload(engine, crew["bob"]).status == "banned"
    assert isinstance(ban(engine, crew["dan"], None), bans.BanResult)


def test_a_deferred_ban_is_protected_too(engine, crew):
    asked = bans.ban_deferred(engine, crew["ann"].id, crew["fay"].id, "abuse", "job-1",
                              strike_threshold=THRESHOLD)
    assert isinstance(asked, bans.BanRequested)
    assert reload(engine, crew["fay"]).status == "active"
    done = bans.ban_deferred(engine, crew["abe"].id, crew["fay"].id, "abuse", "job-2",
                             strike_threshold=THRESHOLD)
    assert isinstance(done, bans.BanResult)
    assert reload(engine, crew["fay"]).status == "banned"


def test_two_admins_confirming_at_once_ban_once(backend, graph_name, engine, crew):
    """Neither had asked before: one records the request, the other's confirmation sees it
    and bans; the member is banned once, with one request used."""
    outcomes = all_at_once(backend, graph_name, [
        lambda each, name=name: ban(each, crew["fay"], crew[name]) for name in ("ann", "abe")])
    kinds = sorted(type(outcome).__name__ for outcome in outcomes)
    assert kinds == ["BanRequested", "BanResult"]
    assert reload(engine, crew["fay"]).status == "banned"
    assert engine.read(BAN_NODES, {"id": crew["fay"].id}) == [{"bans": 1}]
    assert [r["status"] for r in engine.read(REQUESTS, {"id": crew["fay"].id})] == ["used"]


def test_two_second_admins_at_once_ban_once(backend, graph_name, engine, crew):
    ban(engine, crew["fay"], crew["ann"])
    outcomes = all_at_once(backend, graph_name, [
        lambda each, name=name: ban(each, crew["fay"], crew[name]) for name in ("abe", "ned")])
    assert sorted(type(o).__name__ for o in outcomes) == ["BanResult", "Conflict"]
    assert engine.read(BAN_NODES, {"id": crew["fay"].id}) == [{"bans": 1}]
