"""Leaving: a member deletes their account, and may first download everything held about them.

The export holds the account, who invited them (with the address and note of that
invitation), sponsors and sponsees, the invitations they sent, their offers (with their
photos' ids), the messages they wrote, the vouches they gave and received, the reports they
filed, the references they wrote and received, their notifications (read or not, and whom
they are about) and their appeals (GDPR articles 15 and 20); the web app adds the names of
their photos' files (trustnet.photos.album).

Leaving erases everything personal in one statement (article 17): name, address, password,
language and bio; the address and note of the invitation they received (on their sponsor's list) and
of those they sent; the notes of every vouch they gave or received; the text of the reports
they filed and of the reports about them or their offers, and of the references about them
(graph.references). The references they wrote stay, anonymous. Their offers go with the
conversations about them and every message in them, the conversations they opened go too
(a conversation has two sides: the other side loses it), and so do their open vouch offers,
their appeals and their notifications (and the notifications of the messages erased); their
photos go off the graph (the web app removes their files: trustnet.photos.album). What
stays is the record of admin decisions (audit entries, bans), which names members by id
only.

The node stays, with `departed: true`, as an anonymous link of the sponsorship graph: the
chains that went through them still hold, so leaving never suspends anyone (graph.bans counts
departed members as chain carriers), and the members they sponsored are told so by a
notification ('sponsor_left'). A departed member is no trust intermediary: their status
is 'departed', not 'active'. If a later ban cuts their own chain they become 'suspended' like
anyone, and come back as 'departed' when a chain is restored.

The address is freed: it is replaced by a tombstone, so the person may be invited again.
Only a banned member's address stays blocked (their node keeps it).
"""

from __future__ import annotations

import time

from graph.engine import GraphEngine
from graph.errors import Conflict, NotFound
from graph.members import Status, carries_chain, is_root
from graph.notifications import notify

EXPORT = """
MATCH (m:Member {id: $member_id})
OPTIONAL MATCH (inviter:Member)-[:SENT]->(received:Invitation)-[:REDEEMED_BY]->(m)
WITH m, head(collect(CASE WHEN received IS NOT NULL THEN
     {name: inviter.name, email: received.email, note: received.note,
      created_at: received.created_at} END)) AS invited_by
OPTIONAL MATCH (p:Member)-[sponsored:SPONSORED]->(m)
WITH m, invited_by, collect(CASE WHEN p IS NOT NULL THEN {name: p.name, via: sponsored.via,
                                                          at: sponsored.at} END) AS sponsors
OPTIONAL MATCH (m)-[sponsoring:SPONSORED]->(s:Member)
WITH m, invited_by, sponsors,
     collect(CASE WHEN s IS NOT NULL THEN {name: s.name, via: sponsoring.via,
                                           at: sponsoring.at} END) AS sponsees
OPTIONAL MATCH (m)-[:SENT]->(i:Invitation)
WITH m, invited_by, sponsors, sponsees,
     collect(CASE WHEN i IS NOT NULL THEN {email: i.email, note: i.note, status: i.status,
                                           created_at: i.created_at} END) AS invitations
OPTIONAL MATCH (m)-[:OFFERS]->(o:Offer)
WITH m, invited_by, sponsors, sponsees, invitations,
     collect(CASE WHEN o IS NOT NULL THEN {id: o.id, title: o.title,
                                           description: o.description,
                                           category: o.category, status: o.status,
                                           created_at: o.created_at,
                                           photos: coalesce(o.photos, [])} END) AS offers
OPTIONAL MATCH (m)-[:WROTE]->(message:Message)
OPTIONAL MATCH (message)<-[:HAS]-(:Conversation)-[:ABOUT]->(about:Offer)
WITH m, invited_by, sponsors, sponsees, invitations, offers,
     collect(CASE WHEN message IS NOT NULL THEN {body: message.body, at: message.at,
                                                 offer: about.title} END) AS messages
OPTIONAL MATCH (m)-[:OFFERED]->(given:Vouch)-[:FOR]->(vouched:Member)
WITH m, invited_by, sponsors, sponsees, invitations, offers, messages,
     collect(CASE WHEN given IS NOT NULL THEN {member: vouched.name, note: given.note,
                                               status: given.status,
                                               created_at: given.created_at} END)
     AS vouches_given
OPTIONAL MATCH (voucher:Member)-[:OFFERED]->(got:Vouch)-[:FOR]->(m)
WITH m, invited_by, sponsors, sponsees, invitations, offers, messages, vouches_given,
     collect(CASE WHEN got IS NOT NULL THEN {voucher: voucher.name, note: got.note,
                                             status: got.status,
                                             created_at: got.created_at} END)
     AS vouches_received
OPTIONAL MATCH (m)-[:FILED]->(r:Report)
OPTIONAL MATCH (r)-[:REPORTS]->(subject)
WITH m, invited_by, sponsors, sponsees, invitations, offers, messages, vouches_given,
     vouches_received,
     collect(CASE WHEN r IS NOT NULL THEN {kind: r.kind, reason: r.reason, text: r.text,
                                           status: r.status, created_at: r.created_at,
                                           about: coalesce(subject.title, subject.name)} END)
     AS reports_filed
OPTIONAL MATCH (m)-[:WROTE_REFERENCE]->(written:Reference)-[:REFERS_TO]->(reviewed:Member)
WITH m, invited_by, sponsors, sponsees, invitations, offers, messages, vouches_given,
     vouches_received, reports_filed,
     collect(CASE WHEN written IS NOT NULL THEN {member: reviewed.name, rating: written.rating,
                                                 text: written.text,
                                                 created_at: written.created_at} END)
     AS references_written
OPTIONAL MATCH (reviewer:Member)-[:WROTE_REFERENCE]->(got:Reference)-[:REFERS_TO]->(m)
WITH m, invited_by, sponsors, sponsees, invitations, offers, messages, vouches_given,
     vouches_received, reports_filed, references_written,
     collect(CASE WHEN got IS NOT NULL THEN {author: reviewer.name, rating: got.rating,
                                             text: got.text, created_at: got.created_at} END)
     AS references_received
OPTIONAL MATCH (m)<-[seen:UNREAD|READ]-(n:Notification)
OPTIONAL MATCH (n)-[:ABOUT]->(subject)
OPTIONAL MATCH (subject)<-[:WROTE]-(writer:Member)
WITH m, invited_by, sponsors, sponsees, invitations, offers, messages, vouches_given,
     vouches_received, reports_filed, references_written, references_received,
     collect(CASE WHEN n IS NOT NULL THEN {kind: n.kind, at: n.at, read: type(seen) = 'READ',
                                           about: coalesce(subject.name, writer.name)} END)
     AS notifications
OPTIONAL MATCH (m)-[:APPEALED]->(a:Appeal)
RETURN m {.id, .email, .name, .status, .created_at, .locale, .founder, .bio, .photo} AS member,
       invited_by, sponsors, sponsees, invitations, offers, messages, vouches_given,
       vouches_received, reports_filed, references_written, references_received,
       notifications,
       collect(CASE WHEN a IS NOT NULL THEN {kind: a.kind, text: a.text, status: a.status,
                                             created_at: a.created_at,
                                             decided_at: a.decided_at, note: a.note} END)
       AS appeals
"""

def has_account(member: str) -> str:
    """The Cypher condition under which `member` (a variable) may close their account:
    active, pending or suspended, not banned."""
    statuses = [str(Status.ACTIVE), str(Status.PENDING), str(Status.SUSPENDED)]
    return f"{member}.status IN {statuses!r}"


# A member is anchored when leaving (active, or pending with an active sponsor) becomes
# 'departed' and keeps carrying chains; one who is not (suspended) stays suspended.
# The members m sponsored who have an account are told (nobody may notice otherwise, and one
# m alone sponsored has lost their only contact). The texts are erased before the offers go:
# reports about an offer lose their link with it.
LEAVE = """
MATCH (m:Member {id: $member_id})
WHERE """ + has_account("m") + """ AND NOT coalesce(m.departed, false)
OPTIONAL MATCH (p:Member)-[:SPONSORED]->(m)
WITH m, sum(CASE WHEN """ + carries_chain("p") + """ THEN 1 ELSE 0 END) > 0
        OR """ + is_root("m") + """ AS anchored
SET m.status = CASE WHEN anchored AND m.status <> 'suspended' THEN 'departed'
                    ELSE 'suspended' END,
    m.departed = true, m.departed_at = $now, m.name = '', m.email = $tombstone,
    m.email_key = $tombstone, m.password_hash = null, m.locale = null, m.admin = false,
    m.photo = null, m.bio = null,
    m.session_version = m.session_version + 1, m.location = null
CREATE (:AuditEntry {at: $now, action: 'leave', actor_id: m.id, target_id: m.id})
WITH m
OPTIONAL MATCH (m)-[:SPONSORED]->(sponsee:Member)
WHERE """ + has_account("sponsee") + """ AND NOT coalesce(sponsee.departed, false)
WITH m, collect(sponsee) AS sponsees
FOREACH (sponsee IN sponsees | """ + notify("sponsee", "'sponsor_left'") + """)
WITH m
OPTIONAL MATCH (m)-[home:LIVES_IN]->()
WITH m, collect(home) AS homes
FOREACH (r IN homes | DELETE r)
WITH m
OPTIONAL MATCH (m)-[:SENT]->(i:Invitation)
WITH m, collect(CASE WHEN i.status = 'pending' THEN i END) AS pending
FOREACH (i IN pending | SET i.status = 'revoked', i.revoked_at = $now)
WITH m
OPTIONAL MATCH (m)-[:SENT|REDEEMED_BY]-(i:Invitation)
WITH m, collect(DISTINCT i) AS invitations
FOREACH (i IN invitations | SET i.email = '', i.email_key = null, i.note = '')
WITH m
OPTIONAL MATCH (m)-[:OFFERED|FOR]-(v:Vouch)
WITH m, collect(DISTINCT v) AS vouches
FOREACH (v IN vouches | SET v.note = '')
WITH m
OPTIONAL MATCH (m)<-[:REFERS_TO]-(about:Reference)
WITH m, collect(about) AS about
FOREACH (r IN about | SET r.text = '')
WITH m
OPTIONAL MATCH (m)-[:OFFERS]->(o:Offer)
WITH m, collect(o) + [m] AS subjects
UNWIND subjects AS subject
OPTIONAL MATCH (report:Report)-[:REPORTS]->(subject)
WITH m, collect(DISTINCT report) AS reported
OPTIONAL MATCH (m)-[:FILED]->(filed:Report)
WITH m, reported, collect(DISTINCT filed) AS filed
FOREACH (r IN reported + filed | SET r.text = '')
WITH m
OPTIONAL MATCH (m)-[:OFFERS]->(o:Offer)
OPTIONAL MATCH (o)<-[:ABOUT]-(about:Conversation)
WITH m, collect(DISTINCT o) AS offers, collect(DISTINCT about) AS conversations
OPTIONAL MATCH (m)-[:ASKED]->(asked:Conversation)
WITH m, offers, conversations, collect(DISTINCT asked) AS asked
WITH m, offers, conversations + asked AS conversations
UNWIND (CASE WHEN conversations = [] THEN [null] ELSE conversations END) AS c
OPTIONAL MATCH (c)-[:HAS]->(message:Message)
OPTIONAL MATCH (message)<-[:ABOUT]-(told:Notification)
WITH m, offers, collect(DISTINCT c) AS conversations,
     collect(DISTINCT message) + collect(DISTINCT told) AS messages
FOREACH (x IN messages | DETACH DELETE x)
FOREACH (x IN conversations | DETACH DELETE x)
FOREACH (x IN offers | DETACH DELETE x)
WITH m
OPTIONAL MATCH (m)-[:OFFERED|FOR|APPEALED]-(x)
WHERE (x:Vouch AND x.status = 'offered') OR x:Appeal
WITH m, collect(DISTINCT x) AS loose
OPTIONAL MATCH (m)<-[:UNREAD|READ]-(n:Notification)
WITH m, loose, collect(n) AS notifications
FOREACH (x IN loose + notifications | DETACH DELETE x)
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
