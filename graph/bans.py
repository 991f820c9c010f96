"""Bans, and the cascade they cause through the sponsorship graph.

A member is *anchored* when they are a root (graph.members.is_root: a founder, or a member an
admin reinstated), or when an anchored member who carries chains sponsored them (SPONSORED
edges are followed from sponsor to sponsee). Active members
carry chains, and so do departed ones (see graph.departure: leaving never breaks a chain).
Every write keeps two invariants:

  I1  every chain carrier (active or departed member) is anchored;
  I2  no suspended member is anchored: nobody is left suspended while they have a chain.

Banning B can therefore only un-anchor B's *candidates*: the chain carriers other than roots
reachable from B through such carriers. Of those, the ones still anchored are the ones
reachable (through candidates) from an *entry*: a candidate with a chain-carrying sponsor
that is neither B nor a candidate, so anchored by I1 without B. The other candidates are
suspended, and every direct sponsor of B who still has an account receives a strike.

The plan is computed from reads that go down from B level by level, WALK_LEVELS levels per
read (no path is ever enumerated), and bring the candidates with their chain-carrying
sponsors. It is applied by ONE statement that first checks, on the graph as it is at that
instant, every fact the plan rests on: B's status; every candidate still carries chains;
the chain-carrying sponsees of B and of the candidates are exactly the candidates (nobody
joined below B meanwhile); no member to suspend has gained a chain-carrying sponsor; every
entry's outside sponsor still carries chains. SPONSORED edges are never deleted, so these
facts make the plan exact at that instant. If one fails, the statement changes nothing and
the plan is computed again. The preview and the ban use the same plan function, so they
compute the same thing.

Below a subtree too large for one web request, a ban is made in two steps (ban_deferred): one
statement bans B (sessions, invitations, offers, reports, strikes) and records a background job
(graph.jobs); the job then plans the cascade from the banned B and applies it with one
statement checked like the ban (CASCADE), while that ban is still in force. Until then the
members below are left as they were, as if the ban were only now being made.

Founders and admins are protected: banning one takes two different admins. The first admin's
ban records a request instead (REQUEST_BAN, a :BanRequest against the member, with its audit
entry); a different admin's ban of the same member then carries it out. BAN itself refuses a
protected member unless an open request of another admin exists, and uses that request up in
the same statement, so the rule holds whoever calls it. A request is
`(admin)-[:REQUESTED]->(:BanRequest {reason, created_at, status})-[:AGAINST]->(member)`,
status 'open', then 'used' by the ban. A request that nobody confirms within
REQUEST_DAYS lapses (it is never withdrawn: it simply stops counting).

Re-activation is the mirror image: when a suspended member becomes anchored again (a vouch,
an unban), every suspended member reachable from them through suspended members is anchored
again too, and is re-activated by the same statement, under the same kind of check.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from graph.engine import GraphEngine
from graph.errors import Conflict, DomainError, Forbidden, Invalid, NotFound, TooLarge
from graph.ids import new_id, optional_by_id
from graph.locks import write_lock
from graph.members import (
    CHAIN_STATUSES,
    Someone,
    Status,
    carries_chain,
    is_active,
    is_root,
    may_sponsor,
    reactivated_status,
)
from graph.notifications import notify
from graph.offers import Person, is_listed

# How long a request to ban a founder or an admin waits for a second admin before it lapses.
REQUEST_DAYS = 7
REQUEST_TTL_S = REQUEST_DAYS * 24 * 3600
# How many times a ban, an unban or a re-activation is planned again when the graph changed
# between its reads and its write, pausing a little longer before each new attempt (5 ms,
# doubling: 0.6 s in all), so that a burst of sign-ups and vouches below the member is over
# before it gives up (why eight: docs/decisions.md).
MAX_ATTEMPTS = 8
FIRST_PAUSE_S = 0.005

# A walk down the sponsorship graph reads WALK_LEVELS levels per statement (see _walk): not
# a variable-length pattern, whose paths FalkorDB enumerates (exponentially many once vouches
# join branches again) and whose bounded form misses members met again higher up; not one
# level per statement, a round trip each on deep subtrees. Each level is the distinct
# members, one sponsorship below the level above, whose status lets the walk through; more
# levels per statement mean fewer round trips but more members gone down from twice. The
# members reached come with their sponsors in one row of two lists, an entry per
# sponsorship (cheaper to read than a row each). The measurements: docs/decisions.md.
WALK_LEVELS = 8
_LEVEL = """CALL {{
  WITH level{above}
  UNWIND level{above} AS x
  MATCH (x)-[:SPONSORED]->(y)
  WHERE {passes}
  RETURN collect(DISTINCT y) AS level{below}
}}"""
_LEVELS_REACHED = ", ".join(f"level{depth}" for depth in range(1, WALK_LEVELS + 1))


def _walk_statement(passes: str, sponsor_passes: str | None = None) -> str:
    """A walk of WALK_LEVELS levels below the members of $frontier, through the members for
    whom `passes` holds (a condition on y), returning each member reached with its sponsors,
    those for whom `sponsor_passes` holds (a condition on p) when it is given. Both are
    constants of this module, never input."""
    sponsors_kept = f"WHERE {sponsor_passes}" if sponsor_passes else ""
    levels = "\n".join(_LEVEL.format(above=depth, below=depth + 1, passes=passes)
                       for depth in range(WALK_LEVELS))
    return f"""
UNWIND $frontier AS member_id
MATCH (f:Member {{id: member_id}})
WITH collect(f) AS level0
{levels}
UNWIND [{_LEVELS_REACHED}] AS level
UNWIND level AS d
WITH DISTINCT d
MATCH (p)-[:SPONSORED]->(d)
{sponsors_kept}
RETURN collect(d.id) AS members, collect(p.id) AS sponsors
"""


# Chain carriers below the frontier, through chain carriers, roots left out (nothing
# un-anchors them), each with its chain-carrying
# sponsors (a candidate's inside and outside sponsors: see _plan) and the root, who is banned
# already when a deferred cascade is planned (see ban_deferred).
CHAIN_WALK = _walk_statement(carries_chain("y") + " AND NOT " + is_root("y"),
                             carries_chain("p") + " OR p.id = $root")

# Suspended members below the frontier, through suspended members, each with all its sponsors
# (the walk only needs those it came through, and a suspended member has few).
SUSPENDED_WALK = _walk_statement("y.status = 'suspended'")

PEOPLE = """
UNWIND $ids AS member_id
MATCH (m:Member {id: member_id})
RETURN m.id AS id, m.email AS email, m.name AS name
"""

# A protected member: a founder or an admin (b bound). Banning one takes two admins.
_PROTECTED = "(coalesce(b.founder, false) OR coalesce(b.admin, false))"


def is_protected(founder: bool, admin: bool) -> bool:
    """Whether banning a member who is a founder, or an admin, takes two admins: the rule
    of _PROTECTED, for the pages that say so beforehand."""
    return bool(founder or admin)


def ban_refusal(member_id: str, status: str, departed: bool,
                actor_id: str | None = None) -> DomainError | None:
    """Why `actor_id` (None: the operator) may not ban the member of this id, status and
    departed flag, or None when they may. The one statement of who may be banned: the ban
    raises it, and the admin pages offer a ban only where it is None (may_ban)."""
    if member_id == actor_id:
        return Forbidden("you cannot ban yourself")
    if status == Status.BANNED:
        return Conflict("this member is already banned")
    if departed:
        return Conflict("this member has left: there is no account to ban")
    return None


def may_ban(member_id: str, status: str, departed: bool, actor_id: str | None = None) -> bool:
    """Whether `actor_id` may ban the member (see ban_refusal)."""
    return ban_refusal(member_id, status, departed, actor_id) is None


def may_unban(status: str) -> bool:
    """Whether a member in this status has a ban to lift: banned is the status of a ban in
    force (UNBAN's own condition)."""
    return status == Status.BANNED


def _active_admin(variable: str) -> str:
    """The condition that the member bound to `variable` (a constant here) is an active admin
    (false, not null, when nobody is bound): only they ask for, or confirm, the ban of a
    founder or an admin."""
    return f"(coalesce({variable}.admin, false) AND {is_active(variable)})"


# The open requests to ban b that have not lapsed, and how many of them were made by an
# admin other than $actor_id (seconded: the ban may be made) or by $actor_id (own). A request
# counts while the admin who made it still is one. Runs with b bound.
_REQUESTS = """
CALL {
  WITH b
  OPTIONAL MATCH (asker:Member)-[:REQUESTED]->(request:BanRequest)-[:AGAINST]->(b)
  WHERE request.status = 'open' AND request.created_at > $now - $request_ttl_s
  WITH request, asker, """ + _active_admin("asker") + """ AS by_admin
  RETURN collect(request) AS requests,
         sum(CASE WHEN by_admin AND asker.id <> $actor_id THEN 1 ELSE 0 END) AS seconded,
         sum(CASE WHEN by_admin AND asker.id = $actor_id THEN 1 ELSE 0 END) AS own
}
"""

# The sponsors who would receive a strike are those who still have an account.
BAN_TARGET = """
MATCH (b:Member {id: $member_id})
""" + _REQUESTS + """
""" + optional_by_id("actor", "Member", "actor_id") + """
WITH b, """ + _PROTECTED + """ AS protected, seconded,
     """ + _active_admin("actor") + """ AS actor_admin
OPTIONAL MATCH (p:Member)-[:SPONSORED]->(b)
WITH b, protected, seconded, actor_admin,
     collect(CASE WHEN p.status <> 'banned' AND NOT coalesce(p.departed, false)
             THEN {id: p.id, email: p.email, name: p.name} END) AS sponsors
OPTIONAL MATCH (b)-[:SENT]->(i:Invitation)
WITH b, protected, seconded, actor_admin, sponsors,
     sum(CASE WHEN i.status = 'pending' THEN 1 ELSE 0 END) AS invitations
OPTIONAL MATCH (b)-[:OFFERS]->(o:Offer)
RETURN b {.id, .email, .name, .status, .departed} AS member, protected, seconded,
       actor_admin, sponsors, invitations,
       sum(CASE WHEN """ + is_listed("o") + """ THEN 1 ELSE 0 END) AS offers
"""

# The check counts, for B and the candidates, the candidates still carrying chains and the
# chain carriers they sponsor (B and roots aside): both must be exactly the candidates. Then each
# member to suspend must have as many sponsors carrying chains or B as the plan saw (all
# inside), and each entry's outside sponsor must still carry chains. Runs with b bound.
_CASCADE_CHECK = """
CALL {
  WITH b
  UNWIND $sources AS source_id
  MATCH (s:Member {id: source_id})
  OPTIONAL MATCH (s)-[:SPONSORED]->(y:Member)
  RETURN count(DISTINCT CASE WHEN s <> b AND """ + carries_chain("s") + """ THEN s END)
           AS carrying,
         count(DISTINCT CASE WHEN y <> b AND """ + carries_chain("y") + """
                             AND NOT """ + is_root("y") + """ THEN y END) AS reached
}
CALL {
  WITH b
  UNWIND $suspend AS row
  MATCH (s:Member {id: row.id})
  OPTIONAL MATCH (p:Member)-[:SPONSORED]->(s)
  WITH row, s, sum(CASE WHEN """ + carries_chain("p") + """ OR p = b THEN 1 ELSE 0 END)
               AS sponsors
  RETURN sum(CASE WHEN sponsors = row.sponsors THEN 0 ELSE 1 END) AS gained,
         collect(s) AS suspended
}
CALL {
  WITH b
  UNWIND $anchors AS anchor_id
  MATCH (a:Member {id: anchor_id})
  WITH a WHERE """ + carries_chain("a") + """
  RETURN count(a) AS anchoring
}
WITH b, carrying, reached, gained, suspended, anchoring
WHERE carrying = $candidate_count AND reached = $candidate_count AND gained = 0
  AND anchoring = size($anchors)
"""
_SUSPEND = """
FOREACH (s IN suspended |
  SET s.status = 'suspended', s.sanctioned_at = $now
  CREATE (:AuditEntry {at: $now, action: 'suspend', actor_id: $actor_id, target_id: s.id,
                       ban_id: $ban_id, reason: $reason})
  """ + notify("s", "'suspended'") + """)
"""

# The open reports about b and b's offers close with the ban (status 'banned'), their
# reporters are told, with one audit entry when there were any. Runs with b bound.
_CLOSE_REPORTS = """
WITH *
CALL {
  WITH b
  OPTIONAL MATCH (b)-[:OFFERS]->(o:Offer)
  WITH b, collect(o) + [b] AS subjects
  UNWIND subjects AS subject
  MATCH (r:Report)-[:REPORTS]->(subject)
  WHERE r.status = 'open'
  OPTIONAL MATCH (reporter:Member)-[:FILED]->(r)
  RETURN collect({report: r, reporter: reporter}) AS reports
}
FOREACH (row IN reports | FOREACH (r IN [row.report] |
  SET r.status = 'banned', r.decided_at = $now, r.decided_by = $actor_id)
  FOREACH (reporter IN CASE WHEN row.reporter IS NULL THEN [] ELSE [row.reporter] END |
    """ + notify("reporter", "'report_upheld'") + """))
FOREACH (closed IN CASE WHEN size(reports) > 0 THEN [size(reports)] ELSE [] END |
  CREATE (:AuditEntry {at: $now, action: 'reports_closed', actor_id: $actor_id,
                       target_id: b.id, reason: 'member banned'}))
"""

# With $job_id, the cascade is left to a background job created by this same statement
# (see ban_deferred): $sources, $suspend and $anchors are then empty. A protected member is
# banned only by an admin seconding another admin's open request, which the ban uses up. The
# reports about b close with the ban (_CLOSE_REPORTS). b is locked first: on Neo4j two bans,
# or a ban and a request, then run one after the other, so that a request is used once.
BAN = """
MATCH (b:Member {id: $member_id})
""" + write_lock("b") + """
WITH b
WHERE b.status = $expected_status
""" + _CASCADE_CHECK + _REQUESTS + """
""" + optional_by_id("actor", "Member", "actor_id") + """
WITH b, suspended, requests, seconded, actor
WHERE NOT """ + _PROTECTED + """
   OR (seconded > 0 AND """ + _active_admin("actor") + """)
FOREACH (request IN requests |
  SET request.status = 'used', request.ban_id = $ban_id, request.used_at = $now)
SET b.status = 'banned', b.sanctioned_at = $now, b.session_version = b.session_version + 1
CREATE (ban:Ban {id: $ban_id, reason: $reason, actor_id: $actor_id, created_at: $now,
                 status: 'in_force', previous_status: $expected_status})-[:AGAINST]->(b)
CREATE (:AuditEntry {at: $now, action: 'ban', actor_id: $actor_id, target_id: b.id,
                     ban_id: $ban_id, reason: $reason})
""" + _SUSPEND + """
WITH b, ban, suspended
OPTIONAL MATCH (b)-[:SENT]->(i:Invitation)
WITH b, ban, suspended, collect(CASE WHEN i.status = 'pending' THEN i END) AS pending
FOREACH (i IN pending | SET i.status = 'revoked', i.revoked_at = $now)
WITH b, ban, suspended, size(pending) AS invitations_revoked
OPTIONAL MATCH (b)-[:OFFERS]->(o:Offer)
WITH b, ban, suspended, invitations_revoked,
     sum(CASE WHEN """ + is_listed("o") + """ THEN 1 ELSE 0 END) AS offers_hidden
OPTIONAL MATCH (p:Member)-[:SPONSORED]->(b)
WHERE p.status <> 'banned' AND NOT coalesce(p.departed, false)
OPTIONAL MATCH (p)<-[:STRUCK]-(earlier:Ban)
WITH b, ban, suspended, invitations_revoked, offers_hidden, p,
     sum(CASE WHEN earlier.status = 'in_force' THEN 1 ELSE 0 END) + 1 AS strikes
WITH b, ban, suspended, invitations_revoked, offers_hidden,
     collect(CASE WHEN p IS NOT NULL THEN {member: p, strikes: strikes} END) AS struck
FOREACH (row IN struck | FOREACH (p IN [row.member] |
  CREATE (ban)-[:STRUCK]->(p)
  SET p.invites_suspended = row.strikes >= $strike_threshold
  CREATE (:AuditEntry {at: $now, action: 'strike', actor_id: $actor_id, target_id: p.id,
                       ban_id: $ban_id, reason: $reason})
  """ + notify("p", "'strike'", "ban") + """))
""" + _CLOSE_REPORTS + """
FOREACH (job_id IN CASE WHEN $job_id IS NULL THEN [] ELSE [$job_id] END |
  CREATE (:Job {id: job_id, kind: 'ban', status: 'queued', member_id: $member_id,
                ban_id: $ban_id, actor_id: $actor_id, reason: $reason, reached: 0,
                created_at: $now, beat_at: $now, invitations_revoked: invitations_revoked,
                offers_hidden: offers_hidden}))
RETURN ban.id AS ban_id, invitations_revoked, offers_hidden,
       [s IN suspended | {id: s.id, email: s.email, name: s.name}] AS suspended,
       [row IN struck | {id: row.member.id, email: row.member.email, name: row.member.name}]
       AS struck
"""

# The cascade of a ban applied without it (ban_deferred), checked like BAN, while the ban is
# still in force. Its suspensions are audited under the ban, so lifting it undoes them.
CASCADE = """
MATCH (b:Member {id: $member_id})
WHERE b.status = 'banned'
""" + _CASCADE_CHECK + """
MATCH (ban:Ban {id: $ban_id})-[:AGAINST]->(b)
WHERE ban.status = 'in_force'
""" + _SUSPEND + """
WITH b, ban, suspended
OPTIONAL MATCH (ban)-[:STRUCK]->(p:Member)
RETURN b {.id, .email, .name} AS member,
       [s IN suspended | {id: s.id, email: s.email, name: s.name}] AS suspended,
       collect(CASE WHEN p IS NOT NULL THEN p {.id, .email, .name} END) AS struck
"""

# The first admin's ban of a protected member: a request, unless another admin's request is
# open (then the caller bans) or this admin's own is (nothing to add). Locks b like BAN.
REQUEST_BAN = """
MATCH (b:Member {id: $member_id})
""" + write_lock("b") + """
WITH b
MATCH (actor:Member {id: $actor_id})
WHERE b.status <> 'banned' AND NOT coalesce(b.departed, false) AND """ + _PROTECTED + """
  AND """ + _active_admin("actor") + """ AND actor.id <> b.id
""" + _REQUESTS + """
FOREACH (go IN CASE WHEN seconded = 0 AND own = 0 THEN [true] ELSE [] END |
  CREATE (actor)-[:REQUESTED]->(:BanRequest {id: $request_id, reason: $reason,
                                             created_at: $now, status: 'open'})-[:AGAINST]->(b)
  CREATE (:AuditEntry {at: $now, action: 'ban_request', actor_id: $actor_id,
                       target_id: b.id, reason: $reason}))
RETURN CASE WHEN seconded > 0 THEN 'seconded' WHEN own > 0 THEN 'pending'
            ELSE 'requested' END AS outcome
"""

# The open requests to ban a member, with the admins who made them, oldest first.
# A request to ban member b, asked by asker, as a BanRequest reads it.
_BAN_REQUEST_ROW = """
RETURN b.id AS member_id, b.name AS member_name, asker.id AS actor_id,
       asker.name AS actor_name, request.reason AS reason, request.created_at AS created_at
ORDER BY created_at
"""

OPEN_REQUESTS = """
MATCH (asker:Member)-[:REQUESTED]->(request:BanRequest)-[:AGAINST]->(b:Member {id: $member_id})
WHERE request.status = 'open' AND request.created_at > $now - $request_ttl_s
  AND """ + _active_admin("asker") + _BAN_REQUEST_ROW

# Every open request to ban a member, for the dashboard: whom, who asked, when.
ALL_OPEN_REQUESTS = """
MATCH (asker:Member)-[:REQUESTED]->(request:BanRequest)-[:AGAINST]->(b:Member)
WHERE request.status = 'open' AND request.created_at > $now - $request_ttl_s
  AND b.status <> 'banned' AND NOT coalesce(b.departed, false)
  AND """ + _active_admin("asker") + _BAN_REQUEST_ROW

BAN_IN_FORCE = """
MATCH (ban:Ban {id: $ban_id})
RETURN ban.status = 'in_force' AS in_force
"""

UNBAN_TARGET = """
MATCH (ban:Ban)-[:AGAINST]->(b:Member {id: $member_id})
WHERE ban.status = 'in_force'
OPTIONAL MATCH (p:Member)-[:SPONSORED]->(b)
WITH ban, b, sum(CASE WHEN """ + carries_chain("p") + """ THEN 1 ELSE 0 END) AS carriers
RETURN b {.id, .email, .name, .status} AS member, ban.id AS ban_id,
       ban.previous_status AS previous_status,
       carriers > 0 OR """ + is_root("b") + """ AS anchored
"""

MEMBER_EXISTS = "MATCH (m:Member {id: $member_id}) RETURN m.id AS id"

# The lock first: on Neo4j two admins lifting one ban at once would otherwise both read it
# in force, and both lift it (two notices, two audit entries). Lifting the ban grants the
# member's open appeal in the same statement: nothing is left to decide, nor to mail twice;
# the member's lock keeps a decision on that appeal (DECIDE_APPEAL) from racing it.
UNBAN = """
MATCH (ban:Ban {id: $ban_id})-[:AGAINST]->(b:Member {id: $member_id})
""" + write_lock("ban", "b") + """
WITH ban, b
WHERE ban.status = 'in_force' AND b.status = 'banned'
OPTIONAL MATCH (p:Member)-[:SPONSORED]->(b)
WITH ban, b, sum(CASE WHEN """ + carries_chain("p") + """ THEN 1 ELSE 0 END) > 0
             OR """ + is_root("b") + """ AS anchored
WHERE anchored = $anchored
CALL {
  WITH b
  UNWIND $sources AS source_id
  MATCH (s:Member {id: source_id})
  OPTIONAL MATCH (s)-[:SPONSORED]->(y:Member)
  RETURN collect(DISTINCT CASE WHEN s <> b AND s.status = 'suspended' THEN s END)
           AS reactivated,
         count(DISTINCT CASE WHEN y <> b AND y.status = 'suspended' THEN y END) AS reached
}
WITH ban, b, reactivated, reached
WHERE size(reactivated) = $reactivating AND reached = $reactivating
SET b.status = $restored_status, b.sanctioned_at = null,
    ban.status = 'lifted', ban.lifted_at = $now, ban.lifted_by = $actor_id,
    ban.lift_reason = $reason
CREATE (:AuditEntry {at: $now, action: 'unban', actor_id: $actor_id, target_id: b.id,
                     ban_id: ban.id, reason: $reason})
""" + notify("b", "'reactivated'") + """
FOREACH (s IN reactivated |
  SET s.status = """ + reactivated_status("s") + """,
      s.sanctioned_at = null
  CREATE (:AuditEntry {at: $now, action: 'reactivate', actor_id: $actor_id, target_id: s.id,
                       ban_id: ban.id, reason: $reason})
  """ + notify("s", "'reactivated'") + """)
WITH ban, b, reactivated
OPTIONAL MATCH (b)-[:APPEALED]->(waiting:Appeal)
WHERE waiting.status = 'open'
WITH ban, b, reactivated, collect(waiting) AS appeals
FOREACH (appeal IN appeals |
  SET appeal.status = 'granted', appeal.decided_at = $now, appeal.decided_by = $actor_id,
      appeal.note = $reason
  CREATE (:AuditEntry {at: $now, action: 'appeal_granted', actor_id: $actor_id,
                       target_id: b.id, reason: $reason})
  """ + notify("b", "'appeal_granted'") + """)
WITH ban, b, reactivated
OPTIONAL MATCH (ban)-[:STRUCK]->(p:Member)
OPTIONAL MATCH (p)<-[:STRUCK]-(other:Ban)
WITH ban, b, reactivated, p,
     sum(CASE WHEN other.status = 'in_force' THEN 1 ELSE 0 END) AS strikes
WITH ban, b, reactivated,
     collect(CASE WHEN p IS NOT NULL THEN {member: p, strikes: strikes} END) AS withdrawn
FOREACH (row IN withdrawn | FOREACH (p IN [row.member] |
  SET p.invites_suspended = row.strikes >= $strike_threshold
  CREATE (:AuditEntry {at: $now, action: 'strike_withdrawn', actor_id: $actor_id,
                       target_id: p.id, ban_id: ban.id, reason: $reason})))
RETURN b.status AS status,
       [s IN reactivated | {id: s.id, email: s.email, name: s.name}] AS reactivated,
       [row IN withdrawn | {id: row.member.id, email: row.member.email, name: row.member.name}]
       AS withdrawn
"""

# The suspended member m and whom m anchors again ($sources: m, then SUSPENDED_WALK's
# members), checked as a ban is: all still suspended, and the suspended members they sponsor
# (m aside) exactly those. Runs with m bound; `reactivated` is empty when a check fails.
_ANCHORED_AGAIN = """
CALL {
  WITH m
  UNWIND $sources AS source_id
  MATCH (s:Member {id: source_id})
  OPTIONAL MATCH (s)-[:SPONSORED]->(y:Member)
  RETURN collect(DISTINCT CASE WHEN s.status = 'suspended' THEN s END) AS reactivated,
         count(DISTINCT CASE WHEN y <> m AND y.status = 'suspended' THEN y END) AS reached
}
"""
_CHECKED_AGAIN = "WHERE size(reactivated) = size($sources) AND reached = size($sources) - 1"


def _reactivate(actor: str) -> str:
    """Re-activate the members of `reactivated`, each with its audit entry by `actor` (a
    Cypher expression, a constant here) and its notification."""
    return """
FOREACH (s IN reactivated |
  SET s.status = """ + reactivated_status("s") + """,
      s.sanctioned_at = null
  CREATE (:AuditEntry {at: $now, action: 'reactivate', actor_id: """ + actor + """,
                       target_id: s.id, reason: $reason})
  """ + notify("s", "'reactivated'") + """)
"""


# An anchored member vouches for a suspended one: the sponsorship and the re-activation of
# everyone it anchors again are one statement, checked like a ban.
VOUCH_FOR_SUSPENDED = """
MATCH (v:Member {id: $voucher_id})
MATCH (m:Member {id: $member_id})
WHERE """ + may_sponsor("v") + """ AND m.status = 'suspended'
  AND NOT coalesce(m.departed, false) AND NOT (v)-[:SPONSORED]-(m)
""" + _ANCHORED_AGAIN + """
WITH v, m, reactivated, reached
""" + _CHECKED_AGAIN + """
CREATE (v)-[:SPONSORED {via: 'vouch', at: $now}]->(m)
""" + _reactivate("v.id") + """
RETURN size(reactivated) AS reactivated
"""

# An admin reinstates a suspended member (a granted appeal): the member becomes a root
# (graph.members.is_root), with no sponsorship, and is re-activated with everyone they anchor
# again, in one statement checked like a vouch.
REINSTATE = """
MATCH (a:Member {id: $actor_id})
MATCH (m:Member {id: $member_id})
WHERE """ + _active_admin("a") + """ AND m.status = 'suspended'
  AND NOT coalesce(m.departed, false)
""" + _ANCHORED_AGAIN + """
WITH a, m, reactivated, reached
""" + _CHECKED_AGAIN + """
SET m.reinstated_at = $now, m.reinstated_by = a.id
""" + _reactivate("a.id") + """
RETURN size(reactivated) AS reactivated
"""

SUSPENDED = """
MATCH (m:Member {id: $member_id})
WHERE m.status = 'suspended' AND NOT coalesce(m.departed, false)
RETURN m.id AS id
"""

VOUCH_POSSIBLE = """
MATCH (v:Member {id: $voucher_id})
MATCH (m:Member {id: $member_id})
RETURN """ + may_sponsor("v") + """ AND m.status = 'suspended'
       AND NOT coalesce(m.departed, false)
       AND size([(v)-[:SPONSORED]-(m) | v]) = 0 AS possible
"""

VOUCHERS = """
MATCH (m:Member {id: $member_id})-[:SPONSORED*1..2]-(k:Member)
WITH DISTINCT m, k WHERE """ + is_active("k") + """ AND k <> m
RETURN k.id AS id, k.name AS name
ORDER BY name
LIMIT 50
"""

STANDING = """
MATCH (m:Member {id: $member_id})
OPTIONAL MATCH (ban:Ban)-[:STRUCK]->(m)
WHERE ban.status = 'in_force'
OPTIONAL MATCH (ban)-[:AGAINST]->(b:Member)
WITH m, ban, b ORDER BY ban.created_at
RETURN coalesce(m.invites_suspended, false) AS invites_suspended,
       collect(CASE WHEN ban IS NOT NULL THEN {sponsee: b.name, reason: ban.reason,
                                               at: ban.created_at} END) AS strikes
"""


@dataclass(frozen=True)
class BanPlan:
    """What banning a member does to the graph as it is now (the preview)."""

    member: Someone
    protected: bool  # a founder or an admin: banning them takes two admins
    candidates: list[str]
    suspended: list[Someone]
    strikes: list[Someone]
    invitations_revoked: int
    offers_hidden: int


@dataclass(frozen=True)
class BanRequested:
    """A founder's or an admin's ban asked for by one admin: a second admin must confirm it.
    `again` when this admin's own request was open already (nothing was added)."""

    member: Someone
    again: bool


@dataclass(frozen=True)
class BanRequest:
    """A request to ban a founder or an admin, waiting for a second admin: whom (member),
    who asked (actor), why and when."""

    member_id: str
    member_name: str
    actor_id: str
    actor_name: str
    reason: str
    created_at: float


@dataclass(frozen=True)
class Strike:
    """A strike in force against a sponsor: whom they sponsored was banned, when and why."""

    sponsee: str
    reason: str
    at: float


@dataclass(frozen=True)
class Standing:
    """A sponsor's strikes in force, and whether they cost them the right to invite."""

    strikes: list[Strike]
    invites_suspended: bool


@dataclass(frozen=True)
class BanResult:
    """What a ban did."""

    ban_id: str
    member: Someone
    suspended: list[Someone]
    strikes: list[Someone]
    invitations_revoked: int
    offers_hidden: int
    job_id: str | None = None  # the background job left to apply the cascade (ban_deferred)


@dataclass(frozen=True)
class Cascaded:
    """What the background cascade of a deferred ban did (and the strikes of that ban)."""

    member: Someone
    suspended: list[Someone]
    strikes: list[Someone]


@dataclass(frozen=True)
class UnbanResult:
    """What lifting a ban did."""

    member: Someone
    status: str
    reactivated: list[Someone]
    strikes_withdrawn: list[Someone]


def _attempts() -> Iterator[int]:
    """Attempt numbers up to MAX_ATTEMPTS, with a growing pause before each after the first."""
    for attempt in range(MAX_ATTEMPTS):
        if attempt:
            time.sleep(FIRST_PAUSE_S * 2 ** (attempt - 1))
        yield attempt



# Told after each statement of a walk how many members it reached so far (a job's progress).
Progress = Callable[[int], None]


def _walk(engine: GraphEngine, walk: str, root_id: str, *, deadline: float | None = None,
          progress: Progress | None = None) -> dict[str, list[str]]:
    """Members reached from root by a walk statement (CHAIN_WALK, SUSPENDED_WALK), root
    excluded, each with the sponsors of theirs the statement returns (those the walk came
    through among them: a chain walk starts from a chain carrier, or from its banned root).

    Each statement goes WALK_LEVELS levels down from the frontier. The levels are found again
    here from the sponsorships returned, so that the members first reached at the last level,
    whom no statement went down from yet, are the next frontier.

    A walk below a large subtree is thousands of short statements, which no query time limit
    stops: past `deadline` (time.monotonic()) with members still to go down from, it raises
    TooLarge instead of going on.
    """
    sponsors: dict[str, list[str]] = {}
    expanded: set[str] = set()
    frontier = [root_id]
    while frontier:
        if deadline is not None and time.monotonic() > deadline:
            raise TooLarge("too many members are below this member to work out the ban "
                           "within its time limit")
        reached: dict[str, list[str]] = {}
        below: dict[str, list[str]] = {}
        row = engine.read(walk, {"frontier": frontier, "root": root_id})[0]
        for member, sponsor in zip(row["members"], row["sponsors"], strict=True):
            reached.setdefault(member, []).append(sponsor)
            below.setdefault(sponsor, []).append(member)
        sponsors.update(reached)
        seen = set(frontier)
        level = frontier
        for _ in range(WALK_LEVELS):
            expanded.update(level)
            level = list(dict.fromkeys(m for x in level for m in below.get(x, ())
                                       if m not in seen))
            seen.update(level)
        frontier = [m for m in level if m not in expanded]
        if progress is not None:
            progress(len(sponsors) - (root_id in sponsors))
    sponsors.pop(root_id, None)
    return sponsors


def _people(engine: GraphEngine, ids: list[str]) -> list[Someone]:
    return sorted(Someone.from_row(row) for row in engine.read(PEOPLE, {"ids": ids}))


@dataclass(frozen=True)
class _Cascade:
    """A ban's cascade in ids, as the checked statements (BAN, CASCADE) take it."""

    candidates: list[str]
    suspend: dict[str, int]  # member to suspend -> sponsors seen carrying chains or B (inside)
    anchors: list[str]  # the outside sponsors of the entries

    def parameters(self, member_id: str, carries: bool) -> dict:
        """The statement's parameters of the cascade. A chain carrier is checked even with no
        candidate: someone may join below."""
        return {
            "sources": [member_id, *self.candidates] if carries else [],
            "candidate_count": len(self.candidates),
            "suspend": [{"id": i, "sponsors": n} for i, n in self.suspend.items()],
            "anchors": self.anchors,
        }


NO_CASCADE = _Cascade(candidates=[], suspend={}, anchors=[])


def _target(engine: GraphEngine, member_id: str, actor_id: str | None = None,
            now: float | None = None) -> dict:
    """The BAN_TARGET row of a member who can be banned, by actor_id at `now`."""
    rows = engine.read(BAN_TARGET, {
        "member_id": member_id, "actor_id": actor_id, "request_ttl_s": REQUEST_TTL_S,
        "now": time.time() if now is None else now,
    })
    if not rows:
        raise NotFound("no such member")
    target = rows[0]
    member = target["member"]
    refusal = ban_refusal(member["id"], member["status"], bool(member.get("departed")),
                          actor_id)
    if refusal is not None:
        raise refusal
    return target


def _cascade(engine: GraphEngine, member_id: str, *, deadline: float | None = None,
             progress: Progress | None = None) -> _Cascade:
    """Walk below the member (a chain carrier, or banned by ban_deferred) and work out whom
    their ban un-anchors (module docstring)."""
    sponsors = _walk(engine, CHAIN_WALK, member_id, deadline=deadline, progress=progress)
    candidates = list(sponsors)
    inside = set(candidates) | {member_id}
    anchors: dict[str, str] = {}
    below: dict[str, list[str]] = {}
    for candidate in candidates:
        for sponsor in sponsors[candidate]:
            if sponsor in inside:
                below.setdefault(sponsor, []).append(candidate)
            else:
                anchors.setdefault(candidate, sponsor)
    kept = set(anchors)
    stack = list(anchors)
    while stack:
        for sponsee in below.get(stack.pop(), ()):
            if sponsee in sponsors and sponsee not in kept:
                kept.add(sponsee)
                stack.append(sponsee)
    return _Cascade(candidates=candidates,
                    suspend={c: len(sponsors[c]) for c in candidates if c not in kept},
                    anchors=sorted(set(anchors.values())))


def _cascade_of(engine: GraphEngine, target: dict, *, deadline: float | None = None,
                progress: Progress | None = None) -> _Cascade:
    """The cascade of banning the member of this BAN_TARGET row now."""
    if target["member"]["status"] not in CHAIN_STATUSES:
        return NO_CASCADE
    return _cascade(engine, target["member"]["id"], deadline=deadline, progress=progress)


def plan_ban(engine: GraphEngine, member_id: str, *, deadline: float | None = None,
             progress: Progress | None = None) -> BanPlan:
    """Compute what banning the member would do now, without changing anything; past the
    deadline (time.monotonic()), raise TooLarge."""
    target = _target(engine, member_id)
    cascade = _cascade_of(engine, target, deadline=deadline, progress=progress)
    return BanPlan(
        member=Someone.from_row(target["member"]),
        protected=bool(target["protected"]),
        candidates=cascade.candidates,
        suspended=_people(engine, list(cascade.suspend)),
        strikes=sorted(Someone.from_row(s) for s in target["sponsors"]),
        invitations_revoked=int(target["invitations"]),
        offers_hidden=int(target["offers"]),
    )


def _checked_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise Invalid("a reason is required")
    return reason


def _ban_once(engine: GraphEngine, actor_id: str | None, member_id: str, reason: str,
              target: dict, cascade: _Cascade, *, strike_threshold: int, now: float,
              job_id: str | None = None) -> BanResult | None:
    """Write BAN once for this plan; None when the graph changed since it was read."""
    status = target["member"]["status"]
    rows = engine.write(BAN, {
        "member_id": member_id,
        "expected_status": status,
        **cascade.parameters(member_id, status in CHAIN_STATUSES and job_id is None),
        "ban_id": new_id(),
        "actor_id": actor_id,
        "reason": reason,
        "now": now,
        "strike_threshold": strike_threshold,
        "job_id": job_id,
        "request_ttl_s": REQUEST_TTL_S,
    })
    if not rows:
        return None
    row = rows[0]
    return BanResult(
        ban_id=row["ban_id"], member=Someone.from_row(target["member"]),
        suspended=sorted(Someone.from_row(s) for s in row["suspended"]),
        strikes=sorted(Someone.from_row(s) for s in row["struck"]),
        invitations_revoked=int(row["invitations_revoked"]),
        offers_hidden=int(row["offers_hidden"]), job_id=job_id,
    )


def _request_instead(engine: GraphEngine, actor_id: str | None, target: dict, reason: str,
                     now: float) -> BanRequested | None:
    """For a founder or an admin whom no other admin asked to ban: record this admin's request
    (REQUEST_BAN) and return it. None when the ban is to be made now: the member is not
    protected, another admin's request is open (perhaps made a moment ago), or the member
    changed meanwhile (the ban's next attempt reads them again)."""
    if not target["protected"] or target["seconded"]:
        return None
    if actor_id is None:
        raise Forbidden("banning a founder or an admin takes two admins: name the admin acting")
    if not target["actor_admin"]:
        raise Forbidden("only an admin may ban a founder or an admin")
    rows = engine.write(REQUEST_BAN, {
        "member_id": target["member"]["id"], "actor_id": actor_id, "reason": reason,
        "now": now, "request_id": new_id(), "request_ttl_s": REQUEST_TTL_S,
    })
    if not rows or rows[0]["outcome"] == "seconded":
        return None
    return BanRequested(member=Someone.from_row(target["member"]),
                        again=rows[0]["outcome"] == "pending")


def _ban_retried(
    engine: GraphEngine, actor_id: str | None, member_id: str, reason: str, *,
    cascade_of: Callable[[dict], _Cascade], strike_threshold: int, now: float | None,
    job_id: str | None = None,
) -> BanResult | BanRequested:
    """The attempts of ban and ban_deferred: read the member, record a request instead for a
    protected one, else write BAN with the cascade `cascade_of` works out for the BAN_TARGET
    row; planned again while the graph changes between the reads and the write."""
    reason = _checked_reason(reason)
    now = time.time() if now is None else now
    for _ in _attempts():
        target = _target(engine, member_id, actor_id, now)
        requested = _request_instead(engine, actor_id, target, reason, now)
        if requested is not None:
            return requested
        done = _ban_once(engine, actor_id, member_id, reason, target, cascade_of(target),
                         strike_threshold=strike_threshold, now=now, job_id=job_id)
        if done is not None:
            return done
    raise Conflict("the network kept changing while the ban was computed: try again")


def ban(
    engine: GraphEngine, actor_id: str | None, member_id: str, reason: str, *,
    strike_threshold: int, now: float | None = None, deadline: float | None = None,
    progress: Progress | None = None,
) -> BanResult | BanRequested:
    """Ban the member with the cascade, in one checked statement (see the module docstring);
    for a founder or an admin, only record the request unless another admin made one.

    actor_id is the admin who bans, or None for the operator at the command line (who may not
    ban a founder or an admin). Past the deadline (time.monotonic()) the walk stops with
    TooLarge and nothing is written.
    """
    return _ban_retried(
        engine, actor_id, member_id, reason, strike_threshold=strike_threshold, now=now,
        cascade_of=lambda target: _cascade_of(engine, target, deadline=deadline,
                                              progress=progress))


def ban_deferred(
    engine: GraphEngine, actor_id: str | None, member_id: str, reason: str, job_id: str, *,
    strike_threshold: int, now: float | None = None,
) -> BanResult | BanRequested:
    """Ban the member at once, without walking below them, and leave the cascade to the
    background job `job_id`, which this same statement records (graph.jobs runs it with
    complete_ban). A founder or an admin is protected as by ban().

    For a member with too many members below for one request: their sessions, pending
    invitations, offers, the reports about them and their sponsors' strikes take effect now;
    the members below stay as they are until the job suspends those who lost their only chain.
    """
    return _ban_retried(engine, actor_id, member_id, reason, strike_threshold=strike_threshold,
                        now=now, cascade_of=lambda target: NO_CASCADE, job_id=job_id)


def complete_ban(engine: GraphEngine, ban_id: str, member_id: str, actor_id: str | None,
                 reason: str, *, progress: Progress | None = None,
                 now: float | None = None) -> Cascaded:
    """Apply the cascade of a ban made by ban_deferred: suspend whom it left without a chain,
    checked like a ban."""
    now = time.time() if now is None else now
    for _ in _attempts():
        cascade = _cascade(engine, member_id, progress=progress)
        rows = engine.write(CASCADE, {
            "member_id": member_id, **cascade.parameters(member_id, True), "ban_id": ban_id,
            "actor_id": actor_id, "reason": reason, "now": now,
        })
        if rows:
            return Cascaded(member=Someone.from_row(rows[0]["member"]),
                            suspended=sorted(Someone.from_row(s) for s in rows[0]["suspended"]),
                            strikes=sorted(Someone.from_row(s) for s in rows[0]["struck"]))
        in_force = engine.read(BAN_IN_FORCE, {"ban_id": ban_id})
        if not in_force or not in_force[0]["in_force"]:
            raise Conflict("the ban was lifted before its cascade was applied")
    raise Conflict("the network kept changing while the ban was computed: try again")


def open_requests(engine: GraphEngine, member_id: str,
                  now: float | None = None) -> list[BanRequest]:
    """The requests to ban the member that wait for a second admin, oldest first."""
    return [BanRequest(**row) for row in engine.read(OPEN_REQUESTS, {
        "member_id": member_id, "request_ttl_s": REQUEST_TTL_S,
        "now": time.time() if now is None else now,
    })]


def all_open_requests(engine: GraphEngine, now: float | None = None) -> list[BanRequest]:
    """Every request to ban a founder or an admin that waits for a second admin, oldest
    first."""
    return [BanRequest(**row) for row in engine.read(ALL_OPEN_REQUESTS, {
        "request_ttl_s": REQUEST_TTL_S, "now": time.time() if now is None else now,
    })]


def _restored_status(previous_status: str, anchored: bool) -> Status:
    """The status an unbanned member returns to: I1 and I2 decide, not the admin."""
    if previous_status == Status.PENDING:
        return Status.PENDING
    return Status.ACTIVE if anchored else Status.SUSPENDED


def unban(
    engine: GraphEngine, actor_id: str | None, member_id: str, reason: str, *,
    strike_threshold: int, now: float | None = None,
) -> UnbanResult:
    """Lift the member's ban: restore them, re-activate whom they anchor again, withdraw strikes.

    The member becomes active if they are anchored (else suspended: their own chain broke
    meanwhile). Every suspended member anchored again through them is re-activated: those
    this ban suspended, and anyone else whose only way back went through them (I2).
    """
    reason = reason.strip() or "ban lifted"
    now = time.time() if now is None else now
    for _ in _attempts():
        rows = engine.read(UNBAN_TARGET, {"member_id": member_id})
        if not rows:
            if not engine.read(MEMBER_EXISTS, {"member_id": member_id}):
                raise NotFound("no such member")
            raise Conflict("this member is not banned")  # perhaps lifted a moment ago
        row = rows[0]
        restored = _restored_status(row["previous_status"], bool(row["anchored"]))
        reactivate = (list(_walk(engine, SUSPENDED_WALK, member_id))
                      if restored == Status.ACTIVE else [])
        done = engine.write(UNBAN, {
            "ban_id": row["ban_id"],
            "member_id": member_id,
            "anchored": bool(row["anchored"]),
            "restored_status": restored,
            # Checked even with nobody to re-activate: someone may be suspended below.
            "sources": [member_id, *reactivate] if restored == Status.ACTIVE else [],
            "reactivating": len(reactivate),
            "actor_id": actor_id,
            "reason": reason,
            "now": now,
            "strike_threshold": strike_threshold,
        })
        if done:
            return UnbanResult(
                member=Someone.from_row(row["member"]), status=done[0]["status"],
                reactivated=sorted(Someone.from_row(s) for s in done[0]["reactivated"]),
                strikes_withdrawn=sorted(Someone.from_row(s) for s in done[0]["withdrawn"]),
            )
    raise Conflict("the network kept changing while the ban was lifted: try again")


def vouch_for_suspended(
    engine: GraphEngine, voucher_id: str, member_id: str, now: float | None = None
) -> int:
    """An active member sponsors a suspended one, which re-activates them and every suspended
    member they anchor again. Returns how many members were re-activated."""

    def refusal() -> str | None:
        if _vouch_possible(engine, voucher_id, member_id):
            return None
        return ("you cannot vouch for this member: they are not suspended, you may not "
                "sponsor anyone, or you are already linked")

    return _anchor_again(engine, VOUCH_FOR_SUSPENDED, member_id, refusal, {
        "voucher_id": voucher_id, "reason": "vouch", "now": time.time() if now is None else now,
    })


def reinstate(engine: GraphEngine, actor_id: str, member_id: str,
              now: float | None = None) -> int:
    """An admin reinstates a suspended member (REINSTATE): no sponsorship, so no strike can
    reach the admin, and no later ban above the member suspends them again. Re-activates them
    and every suspended member they anchor again; returns how many were re-activated."""

    def refusal() -> str | None:
        if engine.read(SUSPENDED, {"member_id": member_id}):
            return None
        return "this member is no longer suspended"

    return _anchor_again(engine, REINSTATE, member_id, refusal, {
        "actor_id": actor_id, "reason": "appeal granted",
        "now": time.time() if now is None else now,
    })


def _anchor_again(engine: GraphEngine, statement: str, member_id: str,
                  refusal: Callable[[], str | None], params: dict) -> int:
    """Run `statement`, which anchors the suspended member again (a vouch, a reinstatement)
    with every suspended member below them that it re-activates, as planned from a walk just
    before; the statement checks the plan and changes nothing if the network moved, and is
    then planned again. Conflict with `refusal()` when it cannot be done at all."""
    for _ in _attempts():
        reactivate = list(_walk(engine, SUSPENDED_WALK, member_id))
        rows = engine.write(statement, {**params, "member_id": member_id,
                                        "sources": [member_id, *reactivate]})
        if rows:
            return int(rows[0]["reactivated"])
        reason = refusal()
        if reason is not None:
            raise Conflict(reason)
    raise Conflict("the network kept changing: try again")


def _vouch_possible(engine: GraphEngine, voucher_id: str, member_id: str) -> bool:
    rows = engine.read(VOUCH_POSSIBLE, {"voucher_id": voucher_id, "member_id": member_id})
    return bool(rows and rows[0]["possible"])


def could_vouch(engine: GraphEngine, member_id: str) -> list[Person]:
    """Active members a suspended member knows (within two sponsorships): who could vouch."""
    return [Person(**row) for row in engine.read(VOUCHERS, {"member_id": member_id})]


def standing(engine: GraphEngine, member_id: str) -> Standing:
    """A sponsor's strikes in force (whom they sponsored was banned, and why), and whether
    their right to invite is suspended."""
    rows = engine.read(STANDING, {"member_id": member_id})
    if not rows:
        return Standing(strikes=[], invites_suspended=False)
    return Standing(strikes=[Strike(**strike) for strike in rows[0]["strikes"]],
                    invites_suspended=rows[0]["invites_suspended"])
