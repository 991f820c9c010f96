"""Leaving: a member deletes their account.

Their personal data is erased (name, address, password, language), their offers go with the
conversations and messages about them, the conversations they opened go too, and so do
their open invitations, vouch offers and appeals. The node stays, with `departed: true`, as
an anonymous link of the sponsorship graph: the chains that went through them still hold,
so leaving never suspends anyone (graph.bans counts departed members as chain carriers). A
departed member is no trust intermediary: their status is 'departed', not 'active'. If a
later ban cuts their own chain they become 'suspended' like anyone, and come back as
'departed' when a chain is restored.

The address is freed: it is replaced by a tombstone, so the person may be invited again.
Only a banned member's address stays blocked (their node keeps it).
"""

from __future__ import annotations

import time

from graph.engine import GraphEngine
from graph.errors import Conflict, NotFound

EXPORT = """
MATCH (m:Member {id: $member_id})
OPTIONAL MATCH (p:Member)-[sponsored:SPONSORED]->(m)
WITH m, collect(CASE WHEN p IS NOT NULL THEN {name: p.name, via: sponsored.via,
                                              at: sponsored.at} END) AS sponsors
OPTIONAL MATCH (m)-[sponsoring:SPONSORED]->(s:Member)
WITH m, sponsors, collect(CASE WHEN s IS NOT NULL THEN {name: s.name, via: sponsoring.via,
                                                        at: sponsoring.at} END) AS sponsees
OPTIONAL MATCH (m)-[:SENT]->(i:Invitation)
WITH m, sponsors, sponsees,
     collect(CASE WHEN i IS NOT NULL THEN {email: i.email, note: i.note, status: i.status,
                                           created_at: i.created_at} END) AS invitations
OPTIONAL MATCH (m)-[:OFFERS]->(o:Offer)
WITH m, sponsors, sponsees, invitations,
     collect(CASE WHEN o IS NOT NULL THEN {title: o.title, description: o.description,
                                           category: o.category, status: o.status,
                                           created_at: o.created_at} END) AS offers
OPTIONAL MATCH (m)-[:WROTE]->(message:Message)
RETURN m {.id, .email, .name, .status, .created_at, .locale, .founder} AS member,
       sponsors, sponsees, invitations, offers,
       collect(CASE WHEN message IS NOT NULL THEN {body: message.body, at: message.at} END)
       AS messages
"""

# A member is anchored when leaving (active, or pending with an active sponsor) becomes
# 'departed' and keeps carrying chains; one who is not (suspended) stays suspended.
LEAVE = """
MATCH (m:Member {id: $member_id})
WHERE m.status IN ['active', 'pending', 'suspended'] AND NOT coalesce(m.departed, false)
OPTIONAL MATCH (p:Member)-[:SPONSORED]->(m)
WITH m, sum(CASE WHEN p.status IN ['active', 'departed'] THEN 1 ELSE 0 END) > 0
        OR coalesce(m.founder, false) AS anchored
SET m.status = CASE WHEN anchored AND m.status <> 'suspended' THEN 'departed'
                    ELSE 'suspended' END,
    m.departed = true, m.departed_at = $now, m.name = '', m.email = $tombstone,
    m.email_key = $tombstone, m.password_hash = null, m.locale = null, m.admin = false,
    m.session_version = m.session_version + 1
CREATE (:AuditEntry {at: $now, action: 'leave', actor_id: m.id, target_id: m.id})
WITH m
OPTIONAL MATCH (m)-[:SENT]->(i:Invitation)
WITH m, collect(CASE WHEN i.status = 'pending' THEN i END) AS pending
FOREACH (i IN pending | SET i.status = 'revoked', i.revoked_at = $now)
WITH m
OPTIONAL MATCH (m)-[:OFFERS]->(o:Offer)
OPTIONAL MATCH (o)<-[:ABOUT]-(about:Conversation)
WITH m, collect(DISTINCT o) AS offers, collect(DISTINCT about) AS conversations
OPTIONAL MATCH (m)-[:ASKED]->(asked:Conversation)
WITH m, offers, conversations, collect(DISTINCT asked) AS asked
WITH m, offers, conversations + asked AS conversations
UNWIND (CASE WHEN conversations = [] THEN [null] ELSE conversations END) AS c
OPTIONAL MATCH (c)-[:HAS]->(message:Message)
WITH m, offers, collect(DISTINCT c) AS conversations, collect(DISTINCT message) AS messages
FOREACH (x IN messages | DETACH DELETE x)
FOREACH (x IN conversations | DETACH DELETE x)
FOREACH (x IN offers | DETACH DELETE x)
WITH m
OPTIONAL MATCH (m)-[:OFFERED|FOR|APPEALED]-(x)
WHERE (x:Vouch AND x.status = 'offered') OR x:Appeal
WITH m, collect(DISTINCT x) AS loose
FOREACH (x IN loose | DETACH DELETE x)
RETURN m.status AS status
"""


def export_data(engine: GraphEngine, member_id: str) -> dict:
    """Everything TrustNet holds about the member, as plain data (offered before leaving)."""
    rows = engine.read(EXPORT, {"member_id": member_id})
    if not rows:
        raise NotFound("no such member")
    return rows[0]


def leave(engine: GraphEngine, member_id: str, now: float | None = None) -> str:
    """Erase the member's account (see the module docstring); returns their new status."""
    rows = engine.write(LEAVE, {
        "member_id": member_id, "tombstone": f"departed:{member_id}",
        "now": time.time() if now is None else now,
    })
    if not rows:
        raise Conflict("this account cannot be deleted now")
    return str(rows[0]["status"])
