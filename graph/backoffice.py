"""What the admin pages read: the dashboard's numbers, member search, a member's file, sponsor
records, the sponsor chain up to the founders and the invitation tree down from them."""

from __future__ import annotations

import time

from graph.engine import GraphEngine
from graph.errors import NotFound

SEARCH_LIMIT = 50
CHAIN_LEVELS = 30

MEMBERS_BY_STATUS = "MATCH (m:Member) RETURN m.status AS status, count(m) AS members"

INVITATIONS_BY_STATUS = """
MATCH (i:Invitation)
RETURN CASE WHEN i.status = 'pending' AND i.expires_at <= $now THEN 'expired'
            ELSE i.status END AS status, count(i) AS invitations
"""

OPEN_WORK = """
OPTIONAL MATCH (ban:Ban) WHERE ban.status = 'in_force'
WITH count(ban) AS bans
OPTIONAL MATCH (r:Report) WHERE r.status = 'open'
WITH bans, count(r) AS reports
OPTIONAL MATCH (a:Appeal) WHERE a.status = 'open'
RETURN bans, reports, count(a) AS appeals
"""

SEARCH = """
MATCH (m:Member)
WHERE toLower(m.name) CONTAINS $q OR m.email_key CONTAINS $q OR m.email CONTAINS $q
RETURN m.id AS id, m.name AS name, m.email AS email, m.status AS status,
       coalesce(m.founder, false) AS founder, coalesce(m.admin, false) AS admin
ORDER BY name
LIMIT $limit
"""

MEMBER_FILE = """
MATCH (m:Member {id: $member_id})
OPTIONAL MATCH (ban:Ban)-[:AGAINST]->(m) WHERE ban.status = 'in_force'
OPTIONAL MATCH (struck:Ban)-[:STRUCK]->(m) WHERE struck.status = 'in_force'
RETURN m {.id, .name, .email, .status, .founder, .admin, .created_at, .departed,
          .invites_suspended} AS member,
       CASE WHEN ban IS NULL THEN NULL ELSE ban {.id, .reason, .created_at} END AS ban,
       count(DISTINCT struck) AS strikes
"""

# How many each member brought in, and how many of those were banned: a sponsor's record.
RECORDS = """
UNWIND $ids AS member_id
MATCH (p:Member {id: member_id})
OPTIONAL MATCH (p)-[:SPONSORED]->(s:Member)
RETURN p.id AS id, p.name AS name, p.status AS status, count(s) AS brought_in,
       count(CASE WHEN s.status = 'banned' THEN s END) AS banned
"""

SPONSORS_OF = """
UNWIND $frontier AS member_id
MATCH (p:Member)-[:SPONSORED]->(:Member {id: member_id})
RETURN DISTINCT p.id AS id, p.name AS name, p.status AS status,
       coalesce(p.founder, false) AS founder
"""

SPONSEES_OF = """
UNWIND $ids AS member_id
MATCH (:Member {id: member_id})-[:SPONSORED]->(s:Member)
OPTIONAL MATCH (s)-[:SPONSORED]->(t:Member)
RETURN member_id AS parent, s.id AS id, s.name AS name, s.status AS status,
       count(t) AS sponsees
ORDER BY name
"""

FOUNDERS = """
MATCH (m:Member)
WHERE m.founder = true
OPTIONAL MATCH (m)-[:SPONSORED]->(t:Member)
RETURN m.id AS id, m.name AS name, m.status AS status, count(t) AS sponsees
ORDER BY name
"""


def dashboard(engine: GraphEngine, now: float | None = None) -> dict:
    """The numbers of the admin dashboard."""
    work = engine.read(OPEN_WORK)[0]
    return {
        "members": {r["status"]: r["members"] for r in engine.read(MEMBERS_BY_STATUS)},
        "invitations": {r["status"]: r["invitations"] for r in engine.read(
            INVITATIONS_BY_STATUS, {"now": time.time() if now is None else now})},
        "bans": work["bans"], "reports": work["reports"], "appeals": work["appeals"],
    }


def search_members(engine: GraphEngine, query: str) -> list[dict]:
    """Members whose name or e-mail contains the query (case-insensitive), by name."""
    query = query.strip().lower()
    if not query:
        return []
    return engine.read(SEARCH, {"q": query, "limit": SEARCH_LIMIT})


def member_file(engine: GraphEngine, member_id: str) -> dict:
    """What the admin member page shows about the member, or NotFound."""
    rows = engine.read(MEMBER_FILE, {"member_id": member_id})
    if not rows:
        raise NotFound("no such member")
    return rows[0]


def records(engine: GraphEngine, member_ids: list[str]) -> list[dict]:
    """Each member's sponsor record: how many they brought in, how many of those were banned."""
    return engine.read(RECORDS, {"ids": member_ids})


def sponsor_chain(engine: GraphEngine, member_id: str) -> list[list[dict]]:
    """The member's sponsors, their sponsors, and so on up to the founders, level by level."""
    levels: list[list[dict]] = []
    seen = {member_id}
    frontier = [member_id]
    while frontier and len(levels) < CHAIN_LEVELS:
        level = [row for row in engine.read(SPONSORS_OF, {"frontier": frontier})
                 if row["id"] not in seen]
        if not level:
            break
        seen.update(row["id"] for row in level)
        levels.append(sorted(level, key=lambda row: row["name"]))
        frontier = [row["id"] for row in level]
    return levels


def sponsees(engine: GraphEngine, member_ids: list[str]) -> dict[str, list[dict]]:
    """Whom each member sponsored, with how many each of those sponsored in turn."""
    found: dict[str, list[dict]] = {member_id: [] for member_id in member_ids}
    for row in engine.read(SPONSEES_OF, {"ids": member_ids}):
        found[row["parent"]].append(row)
    return found


def founders(engine: GraphEngine) -> list[dict]:
    """The roots of the invitation tree, with how many each sponsored."""
    return engine.read(FOUNDERS)
