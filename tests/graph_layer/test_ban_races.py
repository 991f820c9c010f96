"""A ban racing with redemptions and vouches below the banned member never leaves a member
active without a chain, or suspended with one."""

from __future__ import annotations

import random
from collections import defaultdict

from factories import founder, invitation, password_hash, sponsored
from races import all_at_once

from graph import bans, invitations, sponsorship
from graph.errors import Conflict, DomainError
from trustnet.security import token_hash

MEMBERS = "MATCH (m:Member) RETURN m.id AS id, m.status AS status, m.founder AS founder"
EDGES = "MATCH (a:Member)-[:SPONSORED]->(b:Member) RETURN a.id AS a, b.id AS b"
CHAIN = {"active", "departed"}


def assert_invariants(engine) -> dict[str, str]:
    """I1: every chain carrier is anchored. I2: no suspended member has a carrier sponsor."""
    status = {r["id"]: r["status"] for r in engine.read(MEMBERS)}
    founders = {r["id"] for r in engine.read(MEMBERS) if r["founder"]}
    below, above = defaultdict(set), defaultdict(set)
    for edge in engine.read(EDGES):
        below[edge["a"]].add(edge["b"])
        above[edge["b"]].add(edge["a"])
    anchored = {f for f in founders if status[f] in CHAIN}
    stack = list(anchored)
    while stack:
        for sponsee in below[stack.pop()]:
            if sponsee not in anchored and status[sponsee] in CHAIN:
                anchored.add(sponsee)
                stack.append(sponsee)
    for member, state in status.items():
        if state in CHAIN:
            assert member in anchored, f"{member} is {state} without a chain"
        if state == "suspended":
            assert not any(status[p] in CHAIN for p in above[member]), f"{member} has a chain"
    return status


def test_ban_racing_with_redemptions_and_vouches(backend, graph_name, engine):
    rnd = random.Random(4)
    alice = founder(engine, "Alice")
    outsiders = [sponsored(engine, alice, f"Out{i}") for i in range(4)]
    target = sponsored(engine, alice, "Target")
    below = [target]
    for i in range(40):
        below.append(sponsored(engine, rnd.choice(below), f"Below{i}"))
    secrets = [invitation(engine, rnd.choice(below[1:]), f"new{i}@example.org")[1]
               for i in range(20)]
    offers = [(m.id, sponsorship.offer_vouch(engine, rnd.choice(outsiders).id, m.email))
              for m in rnd.sample(below[1:], 10)]
    outcomes: list[str] = []

    def ban_target(each):
        outcomes.append(bans.ban(each, None, target.id, "race", strike_threshold=2).ban_id)

    def redeem(secrets_part):
        def job(each):
            for n, secret in enumerate(secrets_part):
                try:
                    invitations.redeem_invitation(each, token_hash(secret), f"N{n}",
                                                  password_hash())
                except DomainError:
                    pass
        return job

    def confirm_vouches(each):
        for member_id, offer in offers:
            try:
                sponsorship.confirm_vouch(each, member_id, offer)
            except DomainError:
                pass

    all_at_once(backend, graph_name,
                [ban_target, redeem(secrets[:10]), redeem(secrets[10:]), confirm_vouches])
    assert outcomes, "the ban did not go through"
    status = assert_invariants(engine)
    assert status[target.id] == "banned"
    suspended = [m for m in below[1:] if status[m.id] == "suspended"]

    # Now vouches for suspended members race with an unban of the target. Under such a
    # burst the unban may give up ("the network kept changing"): then nothing was written,
    # and it goes through once the burst is over.
    lifted = []

    def unban_target(each):
        try:
            lifted.append(bans.unban(each, None, target.id, "race", strike_threshold=2))
        except Conflict:
            pass

    def vouch_for(members):
        def job(each):
            for member in members:
                try:
                    bans.vouch_for_suspended(each, rnd.choice(outsiders).id, member.id)
                except DomainError:
                    pass
        return job

    all_at_once(backend, graph_name,
                [unban_target, vouch_for(suspended[::2]), vouch_for(suspended[1::2])])
    assert_invariants(engine)
    if not lifted:
        bans.unban(engine, None, target.id, "after the race", strike_threshold=2)
    status = assert_invariants(engine)
    assert not [m for m in below if status[m.id] == "suspended"]


class Interleaving:
    """An engine that runs `meanwhile` once, just before the first write of `statement`."""

    def __init__(self, engine, statement: str, meanwhile) -> None:
        self.engine, self.statement, self.meanwhile = engine, statement, meanwhile
        self.writes = 0

    def read(self, query, params=None):
        return self.engine.read(query, params)

    def write(self, query, params=None):
        if query == self.statement:
            self.writes += 1
            if self.writes == 1:
                self.meanwhile()
        return self.engine.write(query, params)


def test_a_redemption_between_preview_and_ban_is_caught_and_replanned(engine):
    alice = founder(engine, "Alice")
    bob = sponsored(engine, alice, "Bob")
    carol = sponsored(engine, bob, "Carol")
    _, secret = invitation(engine, carol, "newcomer@example.org")
    joined = []

    def redeem():
        joined.append(invitations.redeem_invitation(engine, token_hash(secret), "New",
                                                    password_hash())[0])

    racing = Interleaving(engine, bans.BAN, redeem)
    done = bans.ban(racing, None, bob.id, "race", strike_threshold=2)
    assert racing.writes == 2  # the first plan was stale: the statement refused it
    assert sorted(s.name for s in done.suspended) == ["Carol", "New"]
    assert assert_invariants(engine)[joined[0]] == "suspended"


def test_a_vouch_between_preview_and_ban_is_caught_and_replanned(engine):
    alice = founder(engine, "Alice")
    bob = sponsored(engine, alice, "Bob")
    erin = sponsored(engine, alice, "Erin")
    carol = sponsored(engine, bob, "Carol")
    offer = sponsorship.offer_vouch(engine, erin.id, carol.email)
    racing = Interleaving(engine, bans.BAN,
                          lambda: sponsorship.confirm_vouch(engine, carol.id, offer))
    done = bans.ban(racing, None, bob.id, "race", strike_threshold=2)
    assert racing.writes == 2 and done.suspended == []
    assert assert_invariants(engine)[carol.id] == "active"


def test_a_first_sponsee_joining_between_preview_and_ban_is_caught(engine):
    alice = founder(engine, "Alice")
    bob = sponsored(engine, alice, "Bob")  # nobody below bob when the ban is planned
    _, secret = invitation(engine, bob, "first@example.org")
    joined = []

    def redeem():
        joined.append(invitations.redeem_invitation(engine, token_hash(secret), "First",
                                                    password_hash())[0])

    racing = Interleaving(engine, bans.BAN, redeem)
    done = bans.ban(racing, None, bob.id, "race", strike_threshold=2)
    assert racing.writes == 2 and [s.name for s in done.suspended] == ["First"]
    assert_invariants(engine)


def test_a_suspension_below_between_walk_and_unban_is_caught(engine):
    alice = founder(engine, "Alice")
    bob = sponsored(engine, alice, "Bob")
    erin = sponsored(engine, alice, "Erin")
    carol = sponsored(engine, erin, "Carol")
    sponsorship.confirm_vouch(engine, carol.id,
                              sponsorship.offer_vouch(engine, bob.id, carol.email))
    bans.ban(engine, None, bob.id, "first", strike_threshold=2)  # carol keeps erin
    racing = Interleaving(engine, bans.UNBAN, lambda: bans.ban(
        engine, None, erin.id, "second", strike_threshold=2))  # now carol hangs on bob alone
    done = bans.unban(racing, None, bob.id, "race", strike_threshold=2)
    assert racing.writes == 2 and [s.name for s in done.reactivated] == ["Carol"]
    assert_invariants(engine)
