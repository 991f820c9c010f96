"""Trust: who reaches whom through the sponsorship graph, how far, by which path, how strongly.

The trust graph is the SPONSORED edges taken both ways, through active members only: a
member of any other status is never reached, never an intermediary, and reaches nobody.

- degree(a, b): the length of a shortest trust path, up to a maximum number of hops;
  beyond it, a and b are not connected (None).
- strength(a, b) at degree d >= 2: how many of a's direct contacts reach b in d - 1 steps;
  1 at degree 1 (and at degree 0, a member and themselves).

Every computation is one statement that expands breadth-first by *walk levels*: level k
holds the active members that a walk of k steps reaches. It holds every member at degree k,
and some nearer ones too (a walk may turn back), so a member's degree is the first level
that holds it. No level is ever checked against the earlier ones: Cypher has no set type,
and testing list membership made a hub's circle quadratic in its size (docs/benchmarks.md).
A level is de-duplicated by grouping by member, which FalkorDB does with a hash; the feed
(graph.offers) never lists its last and largest level, only the offers beyond the one
before. The cost is the size of the circle; enumerating variable-length paths would cost
the number of paths, which explodes when members have several sponsors. Each statement
exists twice, unrolling 3 levels (the default maximum degree) or MAX_HOPS; a hop count
uses the shorter one that holds it, and a level past $hops (or past the target) gets an
empty frontier and costs next to nothing.
The texts are built here at import time from fixed fragments, never from input. An
expansion from a bound member names no label on the far end: SPONSORED joins members only,
and a label would let Neo4j's planner start from an index of all members instead (a plan it
picks while the graph is small and keeps after it has grown).
"""

from __future__ import annotations

from dataclasses import dataclass

from graph.engine import GraphEngine
from graph.errors import NotFound
from graph.members import Someone, is_active

MAX_HOPS = 6
HOPS = range(1, MAX_HOPS + 1)
# How many levels a statement unrolls; see `statement`.
LEVELS = (3, MAX_HOPS)

def walk_start(found: str, *, anyone: bool = False) -> str:
    """The start of a walk from active member $member_id, `me`: level 0 as the `frontier` of
    entries {n: member, via: the direct contact of `me` where the walk started}, at `depth`
    0, and an empty list named `found` (a constant of the caller) for what the walk finds.
    No row if `me` is not active; with `anyone`, a walk that finds nobody."""
    if anyone:
        return """
MATCH (me:Member {id: $member_id})
WITH me, CASE WHEN """ + is_active("me") + """ THEN [{n: me, via: null}] ELSE [] END AS frontier,
     0 AS depth, [] AS """ + found + "\n"
    return """
MATCH (me:Member {id: $member_id})
WHERE """ + is_active("me") + """
WITH me, [{n: me, via: null}] AS frontier, 0 AS depth, [] AS """ + found + "\n"


def next_level(expand: str) -> str:
    """A subquery binding `next`: the walk level after `frontier` (level `depth`), each
    active member once, with the `via` of one of the entries it comes from; [] unless
    `expand` (a condition on depth and the parameters, a constant of the caller) holds.
    For a member's first level, that `via` starts a shortest path."""
    return """
CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN """ + expand + """ THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE """ + is_active("y") + """ AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}
"""


# `levels[k - 1]` lists the entries of walk level k, up to $hops.
_LEVEL = next_level("depth < $hops") + """
WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth
"""

# After the levels, `circle`: every member within $hops once, as {n, via, degree}.
_CIRCLE_END = """
CALL {
  WITH levels
  UNWIND range(1, size(levels)) AS degree
  UNWIND levels[degree - 1] AS entry
  WITH entry.n AS n, min(degree) AS degree, collect([degree, entry.via]) AS entries
  RETURN collect({n: n, degree: degree,
                  via: [e IN entries WHERE e[0] = degree][0][1]}) AS circle
}
WITH me, circle
"""

# Degree, one shortest path and strength from `me` to `target`, expanded from `target`:
# level k holds every active member a walk of k steps from `target` reaches, each with one
# such walk. `me` is at degree k + 1 when level k first holds some direct contacts of
# `me`; a walk that short to each of them is a shortest path, and they are exactly the
# contacts of `me` that start one: the strength. So no level is checked against another,
# and the last level (degree $hops) is only tested against `me`, never expanded.
_PATH_START = """
WITH me, target, null AS hit, 0 AS depth,
     CASE WHEN """ + is_active("me") + """ AND """ + is_active("target") + """ AND me <> target
          THEN [{n: target, walk: [target]}] ELSE [] END AS frontier
"""

_PATH_LEVEL = """
CALL {
  WITH me, frontier
  UNWIND frontier AS f
  WITH me, f.n AS x, f.walk AS walk
  MATCH (x)-[:SPONSORED]-(me)
  WITH DISTINCT x, walk
  RETURN count(x) AS contacts, head(collect(walk)) AS walk
}
WITH me, target, depth + 1 AS depth, frontier,
     CASE WHEN hit IS NULL AND contacts > 0
          THEN {degree: depth + 1, strength: contacts, walk: walk} ELSE hit END AS hit
CALL {
  WITH frontier, hit, depth
  UNWIND CASE WHEN hit IS NULL AND depth < $hops THEN frontier ELSE [] END AS f
  WITH f.n AS x, f.walk AS walk
  MATCH (x)-[:SPONSORED]-(y)
  WHERE """ + is_active("y") + """
  WITH y, head(collect(walk)) AS walk
  RETURN collect({n: y, walk: walk + [y]}) AS next
}
WITH me, target, hit, depth, next AS frontier
"""

# After the levels: degree (None when not connected), path (members) and strength.
_PATH_END = """
WITH me, target, hit, me = target AND """ + is_active("me") + """ AS itself
WITH me, target,
     CASE WHEN itself THEN 0 ELSE hit.degree END AS degree,
     CASE WHEN itself THEN [me] WHEN hit IS NULL THEN null
          ELSE [me] + reverse(hit.walk) END AS path,
     CASE WHEN itself THEN 1 ELSE coalesce(hit.strength, 0) END AS strength
"""


# How each step of `path` is linked to the one before it, as `links`: {i: index of the
# step, via: how their SPONSORED edge was made ('invitation', 'vouch' or 'import'),
# forward: true when the step before is the sponsor}. Two members are linked at most once.
_PATH_LINKS = """
CALL {
  WITH path
  UNWIND range(1, size(coalesce(path, [])) - 1) AS i
  WITH i, path[i - 1] AS before, path[i] AS step
  OPTIONAL MATCH (before)-[forward:SPONSORED]->(step)
  OPTIONAL MATCH (step)-[backward:SPONSORED]->(before)
  RETURN collect({i: i, via: coalesce(forward.via, backward.via),
                  forward: forward IS NOT NULL}) AS links
}
"""


def path_links() -> str:
    """A subquery binding `links` for the `path` of `with_path` (see _PATH_LINKS), so that
    a page can say how each step of a trust path knows the one before; read with
    `path_steps`."""
    return _PATH_LINKS


def with_circle(tail: str, *, anyone: bool = False) -> dict[int, str]:
    """Statements binding `me` ($member_id) and the `circle` of its members up to $hops
    (see walk_start, and its `anyone`, and _CIRCLE_END), then running `tail`; one per entry
    of LEVELS."""
    return {n: walk_start("levels", anyone=anyone) + _LEVEL * n + _CIRCLE_END + tail
            for n in LEVELS}


def with_path(head: str | dict[int, str], tail: str) -> dict[int, str]:
    """Statements matching `me` and `target` (`head`, or its entry of the same LEVELS),
    binding degree, path and strength from `me` to `target` within $hops, then running
    `tail`; one per entry of LEVELS."""
    heads = head if isinstance(head, dict) else dict.fromkeys(LEVELS, head)
    return {n: heads[n] + _PATH_START + _PATH_LEVEL * n + _PATH_END + tail for n in LEVELS}


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
RETURN [degree IN range(1, $hops) | size([c IN circle WHERE c.degree = degree])] AS counts
""")


@dataclass(frozen=True)
class TrustPath:
    """How one member reaches another: degree None means not connected within the maximum."""

    degree: int | None
    path: list[Someone] | None
    strength: int

    @classmethod
    def from_row(cls, row: dict) -> TrustPath:
        """Build from the degree, path and strength columns of a path statement."""
        steps = None if row["path"] is None else [Someone.from_row(step) for step in row["path"]]
        return cls(degree=row["degree"], path=steps, strength=int(row["strength"]))


@dataclass(frozen=True)
class PathStep:
    """A member on a trust path and how they are linked to the step before them: `via` says
    how that sponsorship was made ('invitation', 'vouch' or 'import'; None on the first
    step) and `sponsored_by_previous` which of the two is the sponsor."""

    id: str
    name: str
    via: str | None = None
    sponsored_by_previous: bool = False


def path_steps(path: list[dict] | None, links: list[dict]) -> list[PathStep] | None:
    """The steps of a path read with `path_links` ({id, name} maps and their links)."""
    if path is None:
        return None
    by_step = {int(link["i"]): link for link in links}
    return [PathStep(id=step["id"], name=step["name"],
                     via=by_step[i]["via"] if i in by_step else None,
                     sponsored_by_previous=bool(by_step[i]["forward"]) if i in by_step else False)
            for i, step in enumerate(path)]


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
