"""The walk below a member on networks deeper than one walk statement goes (bans.WALK_LEVELS).

Each walk statement goes WALK_LEVELS levels down, and graph.bans finds the next frontier from
what it returned; these networks are several statements deep, with sponsorships that skip
levels (so a member is first reached at the last level of a statement and again higher up in
the next one), back edges that close cycles, and members of every status. The walks, the plan
and the ban they feed must agree with plain reachability computed here.
"""

from __future__ import annotations

import json
import random
from collections import defaultdict

import pytest

from graph import bans, importer

CHAIN = {"active", "departed"}
STATUSES = {"active", "departed", "suspended", "pending", "banned"}
SIZE = 10 * bans.WALK_LEVELS + 20
SKIP = 2 * bans.WALK_LEVELS  # how far up a long-range sponsor is

BACK_EDGE = """
MATCH (a:Member {email: $sponsor})
MATCH (b:Member {email: $sponsee})
CREATE (a)-[:SPONSORED {via: 'vouch', at: 0}]->(b)
"""
SET_STATUS = """
UNWIND $rows AS row
MATCH (m:Member {email: row.email})
SET m.status = row.status
"""
IDS = "MATCH (m:Member) RETURN m.email AS email, m.id AS id"


def email(i: int) -> str:
    return f"m{i}@example.org"


def build(engine, seed: int, short: int, back_edges: int) -> dict[int, list[int]]:
    """A founder, then each member i sponsored by the `short` members before it, and now and
    then by the one SKIP before it; then back edges from later members to earlier ones.
    Returns the sponsors of each member."""
    rng = random.Random(seed)
    sponsors = {i: list(range(max(0, i - short), i)) for i in range(SIZE)}
    for i in range(SKIP, SIZE):
        if rng.random() < 0.1 and i - SKIP not in sponsors[i]:
            sponsors[i].append(i - SKIP)
    lines = [json.dumps({"type": "member", "email": email(i), "name": f"M{i}",
                         "founder": i == 0}) for i in range(SIZE)]
    lines += [json.dumps({"type": "sponsorship", "sponsor": email(s), "sponsee": email(i)})
              for i in range(SIZE) for s in sponsors[i]]
    importer.import_community(engine, lines, now=0)
    for _ in range(back_edges):
        a = rng.randrange(SIZE // 2, SIZE)
        b = rng.randrange(1, a)
        if a not in sponsors[b] and b not in sponsors[a]:
            engine.write(BACK_EDGE, {"sponsor": email(a), "sponsee": email(b)})
            sponsors[b].append(a)
    return sponsors


def reachable(sponsors: dict[int, list[int]], status: dict[int, str], root: int,
              passable: set[str]) -> dict[int, int]:
    """Members below root through members whose status is passable (root excluded), each
    with how many levels below root it is first reached."""
    below: dict[int, list[int]] = defaultdict(list)
    for member, its_sponsors in sponsors.items():
        for sponsor in its_sponsors:
            below[sponsor].append(member)
    depth = {root: 0}
    level = [root]
    while level:
        next_level = []
        for x in level:
            for m in below[x]:
                if m not in depth and status[m] in passable:
                    depth[m] = depth[x] + 1
                    next_level.append(m)
        level = next_level
    del depth[root]
    return depth


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize(("walk", "passable", "root_status"), [
    (bans.CHAIN_WALK, CHAIN, "active"),  # as bans._plan: B carries chains
    (bans.SUSPENDED_WALK, {"suspended"}, "suspended"),  # as bans.vouch_for_suspended
])
def test_walks_reach_what_reachability_reaches(engine, seed, walk, passable, root_status):
    sponsors = build(engine, seed, short=3, back_edges=4)
    rng = random.Random(seed)
    usual = sorted(passable)
    others = sorted(set(STATUSES) - passable)
    status = {i: rng.choice(usual if rng.random() < 0.95 else others) for i in range(SIZE)}
    roots = (0, 1, bans.WALK_LEVELS - 1, bans.WALK_LEVELS, 2 * bans.WALK_LEVELS + 3)
    status.update(dict.fromkeys(roots, root_status))
    engine.write(SET_STATUS, {"rows": [{"email": email(i), "status": s}
                                       for i, s in status.items()]})
    ids = {row["email"]: row["id"] for row in engine.read(IDS)}
    number = {ids[email(i)]: i for i in range(SIZE)}
    assert max(reachable(sponsors, status, roots[0], passable).values()) > 2 * bans.WALK_LEVELS
    for root in roots:
        walked = bans._walk(engine, walk, ids[email(root)])
        assert {number[m] for m in walked} == set(reachable(sponsors, status, root, passable))
        if walk == bans.CHAIN_WALK:
            for member, its_sponsors in walked.items():
                assert sorted(number[s] for s in its_sponsors) == sorted(
                    s for s in sponsors[number[member]] if status[s] in CHAIN)


@pytest.mark.parametrize("seed", range(3))
def test_a_deep_ban_plans_bans_and_unbans_like_reachability_from_the_founder(engine, seed):
    sponsors = build(engine, seed, short=1, back_edges=2)
    ids = {row["email"]: row["id"] for row in engine.read(IDS)}
    target = 3 + seed
    status = dict.fromkeys(sponsors, "active")
    status[target] = "banned"
    anchored = set(reachable(sponsors, status, 0, CHAIN)) | {0}
    suspended = {ids[email(i)] for i in sponsors if i != target and i not in anchored}
    below = reachable(sponsors, dict.fromkeys(sponsors, "active"), target, CHAIN)
    assert max(below.values()) > 2 * bans.WALK_LEVELS and suspended

    plan = bans.plan_ban(engine, ids[email(target)])
    assert set(plan.candidates) == {ids[email(i)] for i in below}
    assert {s.id for s in plan.suspended} == suspended
    done = bans.ban(engine, None, ids[email(target)], "test", strike_threshold=2)
    assert done.suspended == plan.suspended
    lifted = bans.unban(engine, None, ids[email(target)], "test", strike_threshold=2)
    assert lifted.status == "active" and {s.id for s in lifted.reactivated} == suspended
