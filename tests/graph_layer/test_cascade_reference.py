"""The cascade against an independent reference, on many random sponsorship graphs.

The reference recomputes from scratch, by plain reachability from the founders, who is
anchored after each step; graph.bans computes the change incrementally (candidates, entries,
checked single-statement writes). Both must agree on every member's status and strikes after
bans, unbans, bans after bans, vouches for suspended members and departures, and the
invariants must hold. A ban is sometimes made as for a large subtree: the member banned at
once, the cascade left to a background job (graph.jobs) that must end in the same state.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field

import pytest
from engines import new_graph_name
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph import bans, departure, importer, jobs, members, roles, schema
from graph.ids import new_id

CHAIN = {"active", "departed"}
THRESHOLD = 2

# The community, without the two admins who ban (see two_admins).
ALL_MEMBERS = """
MATCH (m:Member) WHERE NOT coalesce(m.admin, false)
OPTIONAL MATCH (ban:Ban)-[:STRUCK]->(m)
RETURN m.id AS id, m.status AS status, coalesce(m.founder, false) AS founder,
       coalesce(m.invites_suspended, false) AS invites_suspended,
       sum(CASE WHEN ban.status = 'in_force' THEN 1 ELSE 0 END) AS strikes
"""
ALL_EDGES = """
MATCH (a:Member)-[:SPONSORED]->(b:Member)
RETURN a.id AS sponsor, b.id AS sponsee
"""
BACK_EDGE = """
MATCH (a:Member {email: $sponsor})
MATCH (b:Member {email: $sponsee})
CREATE (a)-[:SPONSORED {via: 'vouch', at: 0}]->(b)
"""
IDS = "MATCH (m:Member) RETURN m.email AS email, m.id AS id"


@dataclass
class Reference:
    """The expected state, recomputed from scratch after every step."""

    founders: set[str]
    sponsors: dict[str, set[str]]
    status: dict[str, str]
    strikes: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    struck_by: dict[str, list[str]] = field(default_factory=dict)
    previous: dict[str, str] = field(default_factory=dict)
    departed: set[str] = field(default_factory=set)

    def sponsees(self) -> dict[str, set[str]]:
        below: dict[str, set[str]] = defaultdict(set)
        for member, sponsors in self.sponsors.items():
            for sponsor in sponsors:
                below[sponsor].add(member)
        return below

    def anchored(self, passable: set[str]) -> set[str]:
        """Members reachable from the founders through members whose status is passable."""
        below = self.sponsees()
        reached = {f for f in self.founders if self.status[f] in passable}
        stack = list(reached)
        while stack:
            for sponsee in below[stack.pop()]:
                if sponsee not in reached and self.status[sponsee] in passable:
                    reached.add(sponsee)
                    stack.append(sponsee)
        return reached

    def ban(self, member: str) -> tuple[set[str], set[str]]:
        self.previous[member] = self.status[member]
        self.status[member] = "banned"
        anchored = self.anchored(CHAIN)
        suspended = {m for m, s in self.status.items() if s in CHAIN and m not in anchored}
        for m in suspended:
            self.status[m] = "suspended"
        struck = {p for p in self.sponsors[member]
                  if self.status[p] != "banned" and p not in self.departed}
        self.struck_by[member] = sorted(struck)
        for p in struck:
            self.strikes[p] += 1
        return suspended, struck

    def reactivate(self) -> set[str]:
        anchored_now = self.anchored(CHAIN | {"suspended"})
        back = {m for m, s in self.status.items() if s == "suspended" and m in anchored_now}
        for m in back:
            self.status[m] = "departed" if m in self.departed else "active"
        return back

    def unban(self, member: str) -> tuple[str, set[str]]:
        previous = self.previous.pop(member)
        for p in self.struck_by.pop(member):
            self.strikes[p] -= 1
        anchored = member in self.founders or any(
            self.status[p] in CHAIN for p in self.sponsors[member])
        if previous == "pending":
            self.status[member] = "pending"
        else:
            self.status[member] = "active" if anchored else "suspended"
        back = self.reactivate() if self.status[member] == "active" else set()
        return self.status[member], back

    def leave(self, member: str) -> str:
        self.departed.add(member)
        if self.status[member] == "active":
            self.status[member] = "departed"
        return self.status[member]

    def vouch(self, voucher: str, member: str) -> set[str]:
        self.sponsors[member].add(voucher)
        return self.reactivate()


@pytest.fixture(scope="module")
def scratch(backend):
    """One graph for the whole module, emptied before each example (it is ours alone)."""
    engine = backend.open_engine(new_graph_name())
    engine.drop_graph()
    schema.bootstrap(engine)
    yield engine
    engine.drop_graph()
    engine.close()


@st.composite
def networks(draw):
    """A community: founders, members with 1-3 earlier sponsors, and a few back edges."""
    size = draw(st.integers(min_value=2, max_value=30))
    founders = draw(st.integers(min_value=1, max_value=min(3, size)))
    sponsors: dict[int, set[int]] = {i: set() for i in range(size)}
    for i in range(founders, size):
        sponsors[i] = set(draw(st.lists(st.integers(0, i - 1), min_size=1, max_size=3)))
    back = draw(st.lists(st.tuples(st.integers(0, size - 1), st.integers(0, size - 1)),
                         max_size=3))
    extra = [(a, b) for a, b in back
             if a > b and b >= founders and a not in sponsors[b] and b not in sponsors[a]]
    ops = draw(st.lists(st.tuples(st.sampled_from(["ban", "ban", "background ban", "unban",
                                                   "vouch", "leave"]),
                                  st.integers(0, 99), st.integers(0, 99)),
                        min_size=1, max_size=8))
    return size, founders, sponsors, extra, ops


def email(i: int) -> str:
    return f"m{i}@example.org"


def load(engine, size, founders, sponsors, extra) -> Reference:
    lines = [json.dumps({"type": "member", "email": email(i), "name": f"M{i}",
                         "founder": i < founders}) for i in range(size)]
    lines += [json.dumps({"type": "sponsorship", "sponsor": email(s), "sponsee": email(i)})
              for i in range(size) for s in sorted(sponsors[i])]
    importer.import_community(engine, lines, now=0)
    for a, b in extra:
        engine.write(BACK_EDGE, {"sponsor": email(a), "sponsee": email(b)})
    reference = Reference(
        founders={email(i) for i in range(founders)},
        sponsors={email(i): {email(s) for s in sponsors[i]} for i in range(size)},
        status={email(i): "active" for i in range(size)},
    )
    for a, b in extra:
        reference.sponsors[email(b)].add(email(a))
    return reference


def two_admins(engine) -> tuple[str, str]:
    """Two admins outside the community (founders sponsoring nobody), who ban its members: a
    founder's ban takes two."""
    ids = []
    for address in ("admin1@staff.example", "admin2@staff.example"):
        admin = members.create_founder(engine, address, "Admin")
        roles.set_admin(engine, None, admin.id, True)
        ids.append(admin.id)
    return ids[0], ids[1]


def by_two_admins(admins: tuple[str, str], verb):
    """verb(actor_id) by the first admin, then by the second when the first only asked."""
    done = verb(admins[0])
    return verb(admins[1]) if isinstance(done, bans.BanRequested) else done


def check_against(engine, reference: Reference, ids: dict[str, str]) -> None:
    emails = {member_id: address for address, member_id in ids.items()}
    rows = {emails[row["id"]]: row for row in engine.read(ALL_MEMBERS)}
    assert {m: r["status"] for m, r in rows.items()} == reference.status
    for m, row in rows.items():
        assert row["strikes"] == reference.strikes[m], m
        assert row["invites_suspended"] == (reference.strikes[m] >= THRESHOLD), m
    # The invariants, from what the graph holds: I1 and I2.
    anchored = reference.anchored(CHAIN)
    for m, status in reference.status.items():
        if status in CHAIN:
            assert m in anchored, f"{m} is {status} without a chain"
        if status == "suspended":
            assert not any(reference.status[p] in CHAIN for p in reference.sponsors[m]), m
    edges = {(emails[r["sponsor"]], emails[r["sponsee"]]) for r in engine.read(ALL_EDGES)}
    assert edges == {(p, m) for m, ps in reference.sponsors.items() for p in ps}


@settings(max_examples=50, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(networks())
def test_cascade_matches_reference(scratch, network):
    engine = scratch
    engine.write("MATCH (n) DETACH DELETE n")
    size, founders, sponsors, extra, ops = network
    reference = load(engine, size, founders, sponsors, extra)
    admins = two_admins(engine)
    ids = {row["email"]: row["id"] for row in engine.read(IDS)}

    def member_id(engine, address: str) -> str:
        return ids[address]

    check_against(engine, reference, ids)
    for op, x, y in ops:
        eligible = {
            "ban": [m for m, s in sorted(reference.status.items())
                    if s != "banned" and m not in reference.departed],
            "background ban": [m for m, s in sorted(reference.status.items())
                               if s != "banned" and m not in reference.departed],
            "unban": [m for m, s in sorted(reference.status.items()) if s == "banned"],
            "vouch": [m for m, s in sorted(reference.status.items())
                      if s == "suspended" and m not in reference.departed],
            "leave": [m for m, s in sorted(reference.status.items())
                      if s in ("active", "suspended") and m not in reference.departed],
        }[op]
        if not eligible:
            continue
        target = eligible[x % len(eligible)]
        if op == "ban":
            plan = bans.plan_ban(engine, member_id(engine, target))
            done = by_two_admins(admins, lambda actor: bans.ban(
                engine, actor, member_id(engine, target), "test", strike_threshold=THRESHOLD))
            suspended, struck = reference.ban(target)
            assert {s.id for s in plan.suspended} == {ids[m] for m in suspended}
            assert {s.id for s in done.suspended} == {ids[m] for m in suspended}
            assert {s.id for s in plan.strikes} == {s.id for s in done.strikes} == {
                ids[m] for m in struck}
        elif op == "background ban":
            job_id = new_id()
            at_once = by_two_admins(admins, lambda actor: bans.ban_deferred(
                engine, actor, member_id(engine, target), "test", job_id,
                strike_threshold=THRESHOLD))
            assert at_once.suspended == []
            job = jobs.run(engine, job_id)
            suspended, struck = reference.ban(target)
            assert job.status == "done", job.error
            assert {s["id"] for s in job.result["suspended"]} == {ids[m] for m in suspended}
            assert {s.id for s in at_once.strikes} == {s["id"] for s in job.result["strikes"]} \
                == {ids[m] for m in struck}
        elif op == "unban":
            done = bans.unban(engine, None, member_id(engine, target), "test",
                              strike_threshold=THRESHOLD)
            status, back = reference.unban(target)
            assert done.status == status
            assert {s.id for s in done.reactivated} == {ids[m] for m in back}
        elif op == "leave":
            assert departure.leave(engine, member_id(engine, target)) == reference.leave(target)
        else:
            vouchers = [m for m, s in sorted(reference.status.items()) if s == "active"
                        and reference.strikes[m] < THRESHOLD  # struck out of sponsoring
                        and m not in reference.sponsors[target]
                        and target not in reference.sponsors[m]]
            if not vouchers:
                continue
            voucher = vouchers[y % len(vouchers)]
            count = bans.vouch_for_suspended(engine, member_id(engine, voucher),
                                             member_id(engine, target))
            back = reference.vouch(voucher, target)
            assert count == len(back)
        check_against(engine, reference, ids)
