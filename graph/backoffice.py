"""What the admin pages read: the dashboard's numbers, member search, a member's file, sponsor
records, the sponsor chain up to the founders and the invitation tree down from them."""

from __future__ import annotations

import time
from dataclasses import dataclass

from graph.engine import GraphEngine
from graph.errors import NotFound
from graph.offers import Person

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

# A member as the admin pages show them (see Account), m bound.
_ACCOUNT = ("m {.id, .name, .email, .status, .founder, .admin, .created_at, .departed, "
            ".invites_suspended}")

SEARCH = """
MATCH (m:Member)
WHERE toLower(m.name) CONTAINS $q OR m.email_key CONTAINS $q OR m.email CONTAINS $q
WITH m ORDER BY m.name LIMIT $limit
RETURN """ + _ACCOUNT + """ AS member
"""

MEMBER_FILE = """
MATCH (m:Member {id: $member_id})
OPTIONAL MATCH (ban:Ban)-[:AGAINST]->(m) WHERE ban.status = 'in_force'
OPTIONAL MATCH (struck:Ban)-[:STRUCK]->(m) WHERE struck.status = 'in_force'
RETURN """ + _ACCOUNT + """ AS member,
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


@dataclass(frozen=True)
class Dashboard:
    """The numbers of the admin dashboard: members and invitations by status (an invitation
    past its date counts as 'expired'), bans in force, open reports and appeals."""

    members: dict[str, int]
    invitations: dict[str, int]
    bans: int
    reports: int
    appeals: int


@dataclass(frozen=True)
class Account:
    """A member as the admin pages show them; name and e-mail are None once they left."""

    id: str
    name: str | None
    email: str | None
    status: str
    founder: bool
    admin: bool
    created_at: float
    departed: bool
    invites_suspended: bool

    @classmethod
    def from_row(cls, row: dict) -> Account:
        """From the map of _ACCOUNT, whose flags are missing (null) until first set."""
        return cls(id=row["id"], name=row["name"], email=row["email"], status=row["status"],
                   founder=bool(row["founder"]), admin=bool(row["admin"]),
                   created_at=row["created_at"], departed=bool(row["departed"]),
                   invites_suspended=bool(row["invites_suspended"]))


@dataclass(frozen=True)
class BanInForce:
    """The ban a member is under: when and why."""

    id: str
    reason: str
    created_at: float


@dataclass(frozen=True)
class MemberFile:
    """What the admin member page shows: the member, their ban if banned, and how many
    strikes they have in force as a sponsor."""

    member: Account
    ban: BanInForce | None
    strikes: int


@dataclass(frozen=True)
class Listed(Person):
    """A member in a list of the admin pages (sponsor chain, invitation tree, records), with
    their status (see templates/admin/_person.html)."""

    status: str


@dataclass(frozen=True)
class Sponsor(Listed):
    """A member of someone's sponsor chain."""

    founder: bool


@dataclass(frozen=True)
class Branch(Listed):
    """A member of the invitation tree, with how many they sponsored."""

    sponsees: int


@dataclass(frozen=True)
class Record(Listed):
    """A sponsor's record: how many they brought in, and how many of those were banned."""

    brought_in: int
    banned: int


def dashboard(engine: GraphEngine, now: float | None = None) -> Dashboard:
    """The numbers of the admin dashboard."""
    work = engine.read(OPEN_WORK)[0]
    return Dashboard(
        members={r["status"]: r["members"] for r in engine.read(MEMBERS_BY_STATUS)},
        invitations={r["status"]: r["invitations"] for r in engine.read(
            INVITATIONS_BY_STATUS, {"now": time.time() if now is None else now})},
        bans=work["bans"], reports=work["reports"], appeals=work["appeals"],
    )


def search_members(engine: GraphEngine, query: str) -> list[Account]:
    """Members whose name or e-mail contains the query (case-insensitive), by name."""
    query = query.strip().lower()
    if not query:
        return []
    return [Account.from_row(row["member"])
            for row in engine.read(SEARCH, {"q": query, "limit": SEARCH_LIMIT})]


def member_file(engine: GraphEngine, member_id: str) -> MemberFile:
    """What the admin member page shows about the member, or NotFound."""
    rows = engine.read(MEMBER_FILE, {"member_id": member_id})
    if not rows:
        raise NotFound("no such member")
    row = rows[0]
    return MemberFile(member=Account.from_row(row["member"]),
                      ban=BanInForce(**row["ban"]) if row["ban"] else None,
                      strikes=row["strikes"])


def records(engine: GraphEngine, member_ids: list[str]) -> list[Record]:
    """Each member's sponsor record: how many they brought in, how many of those were banned."""
    return [Record(**row) for row in engine.read(RECORDS, {"ids": member_ids})]


def sponsor_chain(engine: GraphEngine, member_id: str) -> list[list[Sponsor]]:
    """The member's sponsors, their sponsors, and so on up to the founders, level by level."""
    levels: list[list[Sponsor]] = []
    seen = {member_id}
    frontier = [member_id]
    while frontier and len(levels) < CHAIN_LEVELS:
        level = [Sponsor(**row) for row in engine.read(SPONSORS_OF, {"frontier": frontier})
                 if row["id"] not in seen]
        if not level:
            break
        seen.update(sponsor.id for sponsor in level)
        levels.append(sorted(level, key=lambda sponsor: sponsor.name))
        frontier = [sponsor.id for sponsor in level]
    return levels


def sponsees(engine: GraphEngine, member_ids: list[str]) -> dict[str, list[Branch]]:
    """Whom each member sponsored, with how many each of those sponsored in turn."""
    found: dict[str, list[Branch]] = {member_id: [] for member_id in member_ids}
    for row in engine.read(SPONSEES_OF, {"ids": member_ids}):
        found[row["parent"]].append(Branch(id=row["id"], name=row["name"],
                                           status=row["status"], sponsees=row["sponsees"]))
    return found


def founders(engine: GraphEngine) -> list[Branch]:
    """The roots of the invitation tree, with how many each sponsored."""
    return [Branch(**row) for row in engine.read(FOUNDERS)]
