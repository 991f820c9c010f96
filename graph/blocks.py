"""Blocks: a member blocks another, and then neither reaches the other.

    (me:Member)-[:BLOCKED {at}]->(them:Member)

Once one of two members blocked the other (members.blocked_between), their offers leave
each other's feed, offer pages and profiles answer "not found", and their conversations
close to new messages; those statements check it themselves (graph.offers,
graph.conversations). Only the member who blocked can lift their block.

Two blocks of the same member sent at once can leave two edges on FalkorDB 4.16 (seen in
the race test: a MERGE of a relationship racing itself on a fresh statement): every rule
asks whether an edge exists, the list shows each member once and unblocking deletes them
all, so a twin changes nothing.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from graph.engine import GraphEngine
from graph.errors import NotFound
from graph.locks import write_lock
from graph.offers import Person, with_profile_seen
from graph.trust import statement

# Only a member whose profile I may see (blocked already or not): a member out of my reach
# is "not found", like their profile. The lock makes a concurrent twin wait on Neo4j, then
# find the block and make no second one.
BLOCK = with_profile_seen("""
WITH me, target
WHERE me <> target
""" + write_lock("me") + """
WITH me, target
MERGE (me)-[b:BLOCKED]->(target)
ON CREATE SET b.at = $now
RETURN target.name AS name
""", blocked_too=True)

UNBLOCK = """
MATCH (:Member {id: $member_id})-[b:BLOCKED]->(them:Member {id: $blocked_id})
DELETE b
RETURN DISTINCT them.name AS name
"""

MY_BLOCKS = """
MATCH (:Member {id: $member_id})-[b:BLOCKED]->(them:Member)
WITH them, min(b.at) AS at
RETURN them {.id, .name} AS member, at
ORDER BY at DESC, member.id
"""


@dataclass(frozen=True)
class Block:
    """A member I blocked, and since when."""

    member: Person
    at: float


def block(engine: GraphEngine, member_id: str, blocked_id: str, max_hops: int,
          now: float | None = None) -> str:
    """Block a member whose profile I may see; return their name. Blocking again changes
    nothing. NotFound for anyone else, myself included."""
    rows = engine.write(statement(BLOCK, max_hops), {
        "member_id": member_id, "profile_id": blocked_id, "hops": max_hops,
        "now": time.time() if now is None else now})
    if not rows:
        raise NotFound("no such member")
    return str(rows[0]["name"])


def unblock(engine: GraphEngine, member_id: str, blocked_id: str) -> str:
    """Lift my block of a member; return their name. NotFound if I did not block them."""
    rows = engine.write(UNBLOCK, {"member_id": member_id, "blocked_id": blocked_id})
    if not rows:
        raise NotFound("no such block")
    return str(rows[0]["name"])


def blocks_of(engine: GraphEngine, member_id: str) -> list[Block]:
    """The members I blocked, most recent first."""
    return [Block(member=Person(**row["member"]), at=row["at"])
            for row in engine.read(MY_BLOCKS, {"member_id": member_id})]
