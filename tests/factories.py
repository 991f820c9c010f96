"""Build the graph a test needs in a line, through the real domain verbs."""

from __future__ import annotations

import functools
import time

from graph import invitations, members, sponsorship
from graph.engine import GraphEngine
from graph.members import Member
from trustnet.security import hash_password, new_invitation_token, token_hash

PASSWORD = "correct horse battery"

COUNT_NODES = "MATCH (n) RETURN count(n) AS nodes"

COUNT_SPONSORSHIPS = """
MATCH (a:Member)-[r:SPONSORED]->(b:Member)
WHERE ($sponsor_id IS NULL OR a.id = $sponsor_id) AND ($sponsee_id IS NULL OR b.id = $sponsee_id)
RETURN count(r) AS sponsorships
"""


# A line of members below a sponsor, built in two statements (too many for the verbs): member
# k of the line is sponsored by member k - 1, the first one by the sponsor.
LINE_MEMBERS = """
UNWIND range(1, $size) AS k
CREATE (:Member {id: $prefix + toString(k), name: 'Line ' + toString(k),
                 email: $prefix + toString(k) + '@example.org',
                 email_key: $prefix + toString(k) + '@example.org', status: 'active',
                 founder: false, admin: false, session_version: 1, created_at: 0.0})
"""
LINE_SPONSORSHIPS = """
UNWIND range(1, $size) AS k
MATCH (sponsee:Member {id: $prefix + toString(k)})
MATCH (sponsor:Member {id: CASE WHEN k = 1 THEN $sponsor_id ELSE $prefix + toString(k - 1) END})
CREATE (sponsor)-[:SPONSORED {via: 'invitation', at: 0.0}]->(sponsee)
"""
COUNT_STATUS = """
MATCH (m:Member) WHERE m.id STARTS WITH $prefix AND m.status = $status
RETURN count(m) AS members
"""


@functools.cache
def password_hash() -> str:
    """A real argon2id hash of PASSWORD, made once (hashing costs ~100 ms)."""
    return hash_password(PASSWORD)


def founder(engine: GraphEngine, name: str = "Alice", email: str | None = None) -> Member:
    """A founder with PASSWORD set."""
    member = members.create_founder(engine, email or f"{name.lower()}@example.org", name)
    members.set_password(engine, member.id, password_hash(), member.session_version)
    found = members.get_member(engine, member.id)
    assert found is not None
    return found


def sponsored(engine: GraphEngine, sponsor: Member, name: str, email: str | None = None,
              *, sponsors_required: int = 1) -> Member:
    """A member invited by sponsor, registered with PASSWORD."""
    _, secret = invitation(engine, sponsor, email or f"{name.lower()}@example.org")
    return redeem(engine, secret, name, sponsors_required=sponsors_required)


def invitation(engine: GraphEngine, sponsor: Member, email: str, note: str = "", *,
               lifetime_s: float = 3600, now: float | None = None) -> tuple[str, str]:
    """A pending invitation from sponsor (expired if now + lifetime_s is past): (id, secret)."""
    secret, digest = new_invitation_token()
    invitation_id = invitations.invite(engine, sponsor.id, email, note, digest,
                                       default_quota=1000, per_day=1000, lifetime_s=lifetime_s,
                                       now=time.time() if now is None else now)
    return invitation_id, secret


def redeem(engine: GraphEngine, secret: str, name: str, *, sponsors_required: int = 1,
           confirmed: bool = True) -> Member:
    """Register the invitee of an invitation secret with PASSWORD, address confirmed."""
    member_id, _ = invitations.redeem_invitation(
        engine, token_hash(secret), name, password_hash(), sponsors_required=sponsors_required)
    if confirmed:
        assert members.confirm_address(engine, member_id)
    found = members.get_member(engine, member_id)
    assert found is not None
    return found


def count_nodes(engine: GraphEngine) -> int:
    """Every node of the graph: members, invitations, vouches."""
    return int(engine.read(COUNT_NODES)[0]["nodes"])


def count_sponsorships(engine: GraphEngine, sponsor: Member | None = None,
                       sponsee: Member | None = None) -> int:
    """SPONSORED edges, optionally only those from sponsor and/or to sponsee."""
    params = {"sponsor_id": sponsor.id if sponsor else None,
              "sponsee_id": sponsee.id if sponsee else None}
    return int(engine.read(COUNT_SPONSORSHIPS, params)[0]["sponsorships"])


def reload(engine: GraphEngine, member: Member) -> Member:
    """The member as the graph holds it now."""
    found = members.get_member(engine, member.id)
    assert found is not None
    return found


def line_below(engine: GraphEngine, sponsor: Member, size: int, prefix: str = "line") -> None:
    """`size` members in a line below sponsor, ids prefix1..prefix<size>: the deepest subtree
    there is, one walk statement per bans.WALK_LEVELS of them."""
    engine.write(LINE_MEMBERS, {"size": size, "prefix": prefix})
    engine.write(LINE_SPONSORSHIPS, {"size": size, "prefix": prefix, "sponsor_id": sponsor.id})


def count_in_line(engine: GraphEngine, status: str, prefix: str = "line") -> int:
    """How many members of a line_below have this status."""
    return int(engine.read(COUNT_STATUS, {"prefix": prefix, "status": status})[0]["members"])


def sponsorship_tree(engine: GraphEngine, *sponsorships: str) -> dict[str, Member]:
    """Members made from "Sponsor -> Sponsee" lines, in their order, keyed by lower-case
    name: a sponsor not met before is a founder; a sponsee named for the first time joins
    through the sponsor's invitation; one met before gets the sponsor's confirmed vouch."""
    people: dict[str, Member] = {}
    for line in sponsorships:
        sponsor_name, sponsee_name = (name.strip() for name in line.split("->"))
        if sponsor_name.lower() not in people:
            people[sponsor_name.lower()] = founder(engine, sponsor_name)
        sponsor = people[sponsor_name.lower()]
        sponsee = people.get(sponsee_name.lower())
        if sponsee is None:
            people[sponsee_name.lower()] = sponsored(engine, sponsor, sponsee_name)
        else:
            sponsorship.confirm_vouch(engine, sponsee.id,
                                      sponsorship.offer_vouch(engine, sponsor.id, sponsee.email))
    return people


def sponsor_chain(engine: GraphEngine, *names: str) -> list[Member]:
    """A founder (the first name) and members each sponsored by the one before."""
    members_in_line = [founder(engine, names[0])]
    for name in names[1:]:
        members_in_line.append(sponsored(engine, members_in_line[-1], name))
    return members_in_line
