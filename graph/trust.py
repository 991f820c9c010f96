"""Trust: who reaches whom through the sponsorship graph, how far, by which path, how strongly.

The trust graph is the SPONSORED edges taken both ways, through active members only: a
member of any other status is never reached, never an intermediary, and reaches nobody.

- degree(a, b): the length of a shortest trust path, up to a maximum number of hops;
  beyond it, a and b are not connected (None).
- strength(a, b) at degree d >= 2: how many of a's direct contacts reach b in d - 1 steps;
  1 at degree 1 (and at degree 0, a member and themselves).

Every computation is one statement that expands breadth-first, level by level: each level
collects the DISTINCT active members one step beyond the last level that are in neither
of the last two levels (in an undirected graph, a neighbour of level k is in level k - 1,
k or k + 1). Its cost is the size of the circle, whereas enumerating variable-length
paths would cost the number of paths, which explodes when members have several sponsors.
Each statement exists twice, unrolling 3 levels (the default maximum degree) or MAX_HOPS;
a hop count uses the shorter one that holds it, and a level past $hops (or past the
target) gets an empty frontier and costs next to nothing. The texts are built here at
import time from fixed fragments, never from input.
"""

from __future__ import annotations

from dataclasses import dataclass

from graph.engine import GraphEngine
from graph.errors import NotFound

MAX_HOPS = 6
HOPS = range(1, MAX_HOPS + 1)
# How many levels a statement unrolls; see `statement`.
LEVELS = (3, MAX_HOPS)

# The circle of active member $member_id, `me`: `levels[d - 1]` lists the members at degree
# d as {n: member, via: the direct contact of `me` through whom a shortest path first
# goes}. No row if `me` is not active.
_CIRCLE_START = """
MATCH (me:Member {id: $member_id})
WHERE me.status = 'active'
WITH me, [] AS prev, [me] AS current, [{n: me, via: null}] AS frontier, [] AS levels
"""

# The members already placed are filtered out once per level, after DISTINCT, rather than
# per edge inside the subquery: importing `prev` and `current` into it copied both lists
# into every frontier row, and a hub's circle paid it twice (2.5x faster on hubs, see
# docs/benchmarks.md; same answers).
_CIRCLE_LEVEL = """
CALL {
  WITH frontier
  UNWIND frontier AS f
  WITH f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y:Member)
  WHERE y.status = 'active'
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS found
}
WITH me, prev, current, levels, frontier,
     [f IN found WHERE NOT f.n IN current AND NOT f.n IN prev] AS next
WITH me, current AS prev, [f IN next | f.n] AS current, levels + [next] AS levels,
     CASE WHEN size(levels) + 1 < $hops THEN next ELSE [] END AS frontier
"""

# A shortest path from `me` to `target`; expansion stops at the level that reaches
# `target`. Each member reached carries one shortest path to it and `hops`: every direct
# contact of `me` that starts a shortest path to it, the union of its parents' `hops`
# (at the target, that union is the strength).
_PATH_START = """
WITH me, target, [] AS prev, [me] AS current, [] AS found, 0 AS depth,
     CASE WHEN me.status = 'active' AND target.status = 'active' AND me <> target
          THEN [{n: me, path: [me], hops: []}] ELSE [] END AS frontier
"""

_PATH_LEVEL = """
CALL {
  WITH prev, current, frontier, depth
  UNWIND frontier AS f
  WITH prev, current, depth, f.n AS x, f.path AS path, f.hops AS hops
  MATCH (x)-[:SPONSORED]-(y:Member)
  WHERE y.status = 'active' AND NOT y IN current AND NOT y IN prev
  WITH depth, y, head(collect(path)) + [y] AS path, collect(hops) AS hop_lists
  RETURN collect({n: y, path: path, hops: CASE WHEN depth = 0 THEN [y] ELSE
         reduce(acc = [], h IN hop_lists | acc + [z IN h WHERE NOT z IN acc]) END}) AS next
}
WITH me, target, current AS prev, [f IN next | f.n] AS current, depth + 1 AS depth,
     found + [f IN next WHERE f.n = target] AS found,
     CASE WHEN depth + 1 >= $hops OR target IN [f IN next | f.n] THEN [] ELSE next END
     AS frontier
"""

# After the levels: degree (None when not connected), path (members) and strength.
_PATH_END = """
WITH me, target, head(found) AS hit, me = target AND me.status = 'active' AS itself
WITH me, target,
     CASE WHEN itself THEN 0 ELSE size(hit.path) - 1 END AS degree,
     CASE WHEN itself THEN [me] ELSE hit.path END AS path,
     CASE WHEN itself THEN 1 ELSE coalesce(size(hit.hops), 0) END AS strength
"""

# After the levels, also `circle`: every member of them as {n, via, degree}.
_CIRCLE_END = """
WITH me, levels, reduce(circle = [], degree IN range(1, size(levels)) |
     circle + [c IN levels[degree - 1] | {n: c.n, via: c.via, degree: degree}]) AS circle
"""


def with_circle(tail: str) -> dict[int, str]:
    """Statements binding `me` ($member_id), the `levels` and `circle` of its circle up to
    $hops (see _CIRCLE_START), then running `tail`; one per entry of LEVELS."""
    return {n: _CIRCLE_START + _CIRCLE_LEVEL * n + _CIRCLE_END + tail for n in LEVELS}


def with_path(head: str, tail: str) -> dict[int, str]:
    """Statements matching `me` and `target` (`head`), binding degree, path and strength from
    `me` to `target` within $hops, then running `tail`; one per entry of LEVELS."""
    return {n: head + _PATH_START + _PATH_LEVEL * n + _PATH_END + tail for n in LEVELS}


def statement(table: dict[int, str], hops: int) -> str:
    """The statement of `table` that unrolls enough levels for `hops`, the shortest one.

    ValueError when hops is not an allowed hop count (see HOPS).
    """
    if hops not in HOPS:
        raise ValueError(f"hops must be between 1 and {MAX_HOPS}, not {hops!r}")
    return table[min(n for n in LEVELS if n >= hops)]


TRUST_PATH = with_path("""
MATCH (me:Member {id: $from_id})
MATCH (target:Member {id: $to_id})
""", """
RETURN degree, strength, [n IN path | n {.id, .name, .email}] AS path
""")

CIRCLE_MEMBERS = with_circle("""
UNWIND circle AS c
RETURN c.n.id AS id, c.n.email AS email, c.n.name AS name, c.degree AS degree
ORDER BY degree, email
""")

CIRCLE_COUNTS = with_circle("""
RETURN [level IN levels[0..$hops] | size(level)] AS counts
""")


@dataclass(frozen=True)
class Step:
    """One member on a trust path."""

    id: str
    name: str
    email: str


@dataclass(frozen=True)
class TrustPath:
    """How one member reaches another: degree None means not connected within the maximum."""

    degree: int | None
    path: list[Step] | None
    strength: int

    @classmethod
    def from_row(cls, row: dict) -> TrustPath:
        """Build from the degree, path and strength columns of a path statement."""
        steps = None if row["path"] is None else [Step(**step) for step in row["path"]]
        return cls(degree=row["degree"], path=steps, strength=int(row["strength"]))


@dataclass(frozen=True)
class CircleMember:
    """A member of someone's circle and how far they are."""

    id: str
    email: str
    name: str
    degree: int


def trust_path(engine: GraphEngine, from_id: str, to_id: str, max_hops: int) -> TrustPath:
    """Degree, one shortest path and strength from one member to another, in one query."""
    rows = engine.read(statement(TRUST_PATH, max_hops),
                       {"from_id": from_id, "to_id": to_id, "hops": max_hops})
    if not rows:
        raise NotFound("no such member")
    return TrustPath.from_row(rows[0])


def circle_members(engine: GraphEngine, member_id: str, hops: int) -> list[CircleMember]:
    """Every active member within `hops` of an active member, by degree then e-mail."""
    rows = engine.read(statement(CIRCLE_MEMBERS, hops), {"member_id": member_id, "hops": hops})
    return [CircleMember(**row) for row in rows]


def circle_counts(engine: GraphEngine, member_id: str, hops: int) -> list[int]:
    """How many members are at each degree 1..hops of a member (zeros if not active)."""
    rows = engine.read(statement(CIRCLE_COUNTS, hops), {"member_id": member_id, "hops": hops})
    return [int(count) for count in rows[0]["counts"]] if rows else [0] * hops
