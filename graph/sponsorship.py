"""Sponsorship after registration: co-sponsoring (vouching) and the admission of pending
newcomers who need more than one sponsor.

Every sponsorship is a SPONSORED edge from sponsor to sponsee; invitations make the first,
vouches add more. Two members are never linked twice in either direction.
"""

from __future__ import annotations

import time
from collections.abc import Collection
from dataclasses import dataclass

from graph.emails import mailbox_key
from graph.engine import GraphEngine
from graph.errors import Conflict, Forbidden, NotFound
from graph.ids import new_id
from graph.members import Status, is_active, may_sponsor
from graph.notifications import notify

# A pending newcomer shared their "sponsor me" link: following it is their consent, so
# the edge is made at once, and the newcomer becomes active when enough active members
# sponsor them.
SPONSOR_PENDING = """
MATCH (s:Member {id: $sponsor_id})
MATCH (m:Member {id: $member_id})
WHERE """ + may_sponsor("s") + """ AND m.status = 'pending' AND s <> m
  AND NOT (s)-[:SPONSORED]-(m)
CREATE (s)-[:SPONSORED {via: 'vouch', at: $now}]->(m)
WITH m
MATCH (sponsor:Member {status: '""" + Status.ACTIVE + """'})-[:SPONSORED]->(m)
WITH m, count(sponsor) AS sponsors
SET m.status = CASE WHEN sponsors >= $required THEN '""" + Status.ACTIVE + """' ELSE m.status END
RETURN m.status AS status, sponsors
"""

# Addressed by e-mail, like an invitation, and silent like one: whether an offer was made
# (the address is an active member's, not yet linked to the voucher, with no offer of theirs
# waiting) is told to nobody but the vouched member, so that the form tells no one who is
# behind an address, nor their status.
OFFER_VOUCH = """
MATCH (v:Member {id: $voucher_id})
MATCH (m:Member {email_key: $email_key})
WHERE """ + may_sponsor("v") + """ AND """ + is_active("m") + """ AND v <> m
  AND NOT (v)-[:SPONSORED]-(m)
  AND NOT (v)-[:OFFERED]->(:Vouch {status: 'offered'})-[:FOR]->(m)
CREATE (v)-[:OFFERED]->(:Vouch {id: $id, status: 'offered', note: $note, created_at: $now})
       -[:FOR]->(m)
""" + notify("m", "'vouch_offered'", "v") + """
RETURN $id AS id
"""

# The vouched member accepts: the vouch becomes a SPONSORED edge, once. Only between active
# members: an edge to a suspended member would anchor them again, which only
# graph.bans.vouch_for_suspended does (it re-activates them and whom they anchor in turn).
CONFIRM_VOUCH = """
MATCH (v:Member)-[:OFFERED]->(vouch:Vouch {id: $vouch_id})-[:FOR]->(m:Member {id: $member_id})
WHERE vouch.status = 'offered' AND """ + may_sponsor("v") + """ AND """ + is_active("m") + """
  AND NOT (v)-[:SPONSORED]-(m)
SET vouch.status = 'confirmed', vouch.answered_at = $now
CREATE (v)-[:SPONSORED {via: 'vouch', at: $now}]->(m)
""" + notify("v", "'vouch_accepted'", "m") + """
RETURN v.name AS voucher
"""

DECLINE_VOUCH = """
MATCH (:Member)-[:OFFERED]->(vouch:Vouch {id: $vouch_id})-[:FOR]->(:Member {id: $member_id})
WHERE vouch.status = 'offered'
SET vouch.status = 'declined', vouch.answered_at = $now
RETURN vouch.id AS id
"""

VOUCHES_FOR = """
MATCH (v:Member)-[:OFFERED]->(vouch:Vouch {status: 'offered'})-[:FOR]->(:Member {id: $member_id})
WHERE """ + is_active("v") + """
RETURN vouch.id AS id, vouch.note AS note, v.name AS voucher_name, v.id AS voucher_id
ORDER BY vouch.created_at
"""

NETWORK = """
MATCH (me:Member {id: $member_id})
OPTIONAL MATCH (sponsor:Member)-[r:SPONSORED]->(me)
WITH me, collect(CASE WHEN sponsor IS NULL THEN NULL ELSE
     {id: sponsor.id, name: sponsor.name, status: sponsor.status, via: r.via, at: r.at} END)
     AS sponsors
OPTIONAL MATCH (me)-[r2:SPONSORED]->(sponsee:Member)
RETURN sponsors, collect(CASE WHEN sponsee IS NULL THEN NULL ELSE
       {id: sponsee.id, name: sponsee.name, status: sponsee.status, via: r2.via, at: r2.at} END)
       AS sponsees
"""


@dataclass(frozen=True)
class Link:
    """One sponsorship seen from one end: the other member and how the edge was made."""

    id: str
    name: str
    status: str
    via: str
    at: float


@dataclass(frozen=True)
class VouchOffer:
    """An active member's offer to vouch for me, with their note, waiting for my answer."""

    id: str
    note: str
    voucher_id: str
    voucher_name: str


@dataclass(frozen=True)
class Network:
    """Who sponsored a member and whom they sponsored, oldest first."""

    sponsors: list[Link]
    sponsees: list[Link]


def sponsor_pending_member(
    engine: GraphEngine, sponsor_id: str, member_id: str, *, required: int,
    now: float | None = None,
) -> str:
    """Add the sponsor's edge to a pending newcomer; return the newcomer's new status."""
    now = time.time() if now is None else now
    rows = engine.write(
        SPONSOR_PENDING,
        {"sponsor_id": sponsor_id, "member_id": member_id, "required": required, "now": now},
    )
    if not rows:
        if not may_bring_in(engine, sponsor_id):
            raise Forbidden("your right to invite and sponsor is suspended")
        raise Conflict("you cannot sponsor this member: they are not waiting for sponsors, "
                       "or you already sponsor them")
    return str(rows[0]["status"])


MAY_BRING_IN = "MATCH (s:Member {id: $member_id}) RETURN " + may_sponsor("s") + " AS may"


def may_bring_in(engine: GraphEngine, member_id: str) -> bool:
    """Whether the member may sponsor anyone now (see graph.members.may_sponsor)."""
    rows = engine.read(MAY_BRING_IN, {"member_id": member_id})
    return bool(rows and rows[0]["may"])


def offer_vouch(
    engine: GraphEngine, voucher_id: str, email: str, note: str = "",
    now: float | None = None, plus_apart: Collection[str] = (),
) -> str | None:
    """Offer to co-sponsor the active member behind an address; they must confirm before it
    counts. Returns the offer's id, None when none was made (see OFFER_VOUCH: the voucher is
    not told why). ValueError when the address is not one; Forbidden when the voucher may
    sponsor nobody."""
    now = time.time() if now is None else now
    rows = engine.write(
        OFFER_VOUCH,
        {"voucher_id": voucher_id, "email_key": mailbox_key(email, plus_apart), "id": new_id(),
         "note": note.strip(), "now": now},
    )
    if rows:
        return str(rows[0]["id"])
    if not may_bring_in(engine, voucher_id):
        raise Forbidden("your right to invite and sponsor is suspended")
    return None


def confirm_vouch(
    engine: GraphEngine, member_id: str, vouch_id: str, now: float | None = None
) -> str:
    """Accept a vouch: it becomes a SPONSORED edge. Returns the voucher's name."""
    now = time.time() if now is None else now
    rows = engine.write(CONFIRM_VOUCH, {"member_id": member_id, "vouch_id": vouch_id, "now": now})
    if not rows:
        raise NotFound("this offer to vouch for you is no longer open")
    return str(rows[0]["voucher"])


def decline_vouch(
    engine: GraphEngine, member_id: str, vouch_id: str, now: float | None = None
) -> None:
    """Turn down a vouch; nothing links the two members."""
    now = time.time() if now is None else now
    if not engine.write(DECLINE_VOUCH, {"member_id": member_id, "vouch_id": vouch_id, "now": now}):
        raise NotFound("this offer to vouch for you is no longer open")


def pending_vouches(engine: GraphEngine, member_id: str) -> list[VouchOffer]:
    """Return the open vouch offers addressed to the member, oldest first."""
    return [VouchOffer(**row) for row in engine.read(VOUCHES_FOR, {"member_id": member_id})]


def network_of(engine: GraphEngine, member_id: str) -> Network:
    """Return who sponsored the member and whom they sponsored."""
    rows = engine.read(NETWORK, {"member_id": member_id})
    if not rows:
        raise NotFound("no such member")

    def links(items: list) -> list[Link]:
        found = [Link(**item) for item in items if item is not None]
        return sorted(found, key=lambda link: link.at)

    return Network(sponsors=links(rows[0]["sponsors"]), sponsees=links(rows[0]["sponsees"]))


SPONSORSHIPS_AMONG = """
MATCH (a:Member)-[:SPONSORED]->(b:Member)
WHERE a.id IN $ids AND b.id IN $ids
RETURN a.id AS sponsor, b.id AS sponsee
ORDER BY sponsor, sponsee
"""


def sponsorships_among(engine: GraphEngine, member_ids: list[str]) -> list[tuple[str, str]]:
    """Every sponsorship between two of the given members, as (sponsor id, sponsee id)."""
    rows = engine.read(SPONSORSHIPS_AMONG, {"ids": list(member_ids)})
    return [(row["sponsor"], row["sponsee"]) for row in rows]
