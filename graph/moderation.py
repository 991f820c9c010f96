"""Moderation around bans: admin roles, reports, appeals, and what admins read.

Reports: `(reporter)-[:FILED]->(r:Report {kind: 'offer'|'member'|'message', status})
-[:REPORTS]->(x)`, x the member reported for a message (the report keeps its `message_id`),
open until an admin dismisses them, hides the offer, or bans (graph.bans.BAN closes every
open report about the banned member and their offers). Appeals: a banned or suspended member may
appeal once per sanction (`sanctioned_at`, set by the ban that banned or suspended them),
`(m)-[:APPEALED]->(a:Appeal {kind: 'banned'|'suspended', status})`. Every admin decision
writes its audit record in the same statement.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from graph.engine import GraphEngine
from graph.errors import Conflict, Invalid, NotFound
from graph.ids import id_for_form, new_id
from graph.locks import write_lock
from graph.members import is_active
from graph.notifications import notify
from graph.offers import with_profile_seen, with_visible_offer
from graph.trust import statement

REPORT_REASONS = ("spam", "scam", "abuse", "illegal", "other")
MAX_TEXT = 2000
SEARCH_LIMIT = 50
CHAIN_LEVELS = 30

SET_ADMIN = """
MATCH (m:Member {id: $member_id})
WHERE coalesce(m.admin, false) <> $admin AND NOT coalesce(m.departed, false)
SET m.admin = $admin
CREATE (:AuditEntry {at: $now, action: $action, actor_id: $actor_id, target_id: m.id,
                     reason: $reason})
RETURN m.id AS id
"""

# A report's id comes from the idempotency key of the form that filed it: the same form
# sent twice finds its report there and files nothing more. The reporter's lock first, so
# that on Neo4j a concurrent twin waits for the first, and then sees its report.
_FILE_REPORT = write_lock("reporter") + """
WITH reporter, subject, accused
OPTIONAL MATCH (earlier:Report {id: $id})
WITH reporter, subject, accused, earlier IS NULL AS is_new
FOREACH (_ IN CASE WHEN is_new THEN [1] ELSE [] END |
  CREATE (reporter)-[:FILED]->(:Report {id: $id, kind: $kind, reason: $reason, text: $text,
                                        status: 'open', created_at: $now,
                                        message_id: $message_id})-[:REPORTS]->(subject)
  CREATE (:AuditEntry {at: $now, action: 'report', actor_id: reporter.id,
                       target_id: accused.id, reason: $reason}))
RETURN $id AS id
"""

# Only an offer the reporter may see, by the offer page's own rule: any other is "not
# found" like its page, so that reporting tells nothing of offers out of one's reach.
REPORT_OFFER = with_visible_offer("""
WITH me AS reporter, target AS accused, o AS subject
WHERE accused <> reporter
""" + _FILE_REPORT)

# Only a member whose profile the reporter may see, blocked or not (one may block someone,
# then report them): any other is "not found" like their profile.
REPORT_MEMBER = with_profile_seen("""
WITH me AS reporter, target AS subject
WHERE subject <> reporter
WITH reporter, subject, subject AS accused
""" + _FILE_REPORT, blocked_too=True)

# A message only its author or the other participant of its conversation may report: the
# two who see it. The report is about its author, so that what closes reports about a
# member (a ban) closes it too.
REPORT_MESSAGE = """
MATCH (reporter:Member {id: $reporter_id})
MATCH (asker:Member)-[:ASKED]->(c:Conversation)-[:HAS]->(:Message {id: $message_id})
      <-[:WROTE]-(subject:Member)
MATCH (c)-[:ABOUT]->(:Offer)<-[:OFFERS]-(owner:Member)
WHERE """ + is_active("reporter") + """ AND (reporter = asker OR reporter = owner)
  AND subject <> reporter
WITH reporter, subject, subject AS accused
""" + _FILE_REPORT

# The member a report is about: the reported member, or the owner of the reported offer;
# for a message, what it says.
OPEN_REPORTS = """
MATCH (reporter:Member)-[:FILED]->(r:Report)-[:REPORTS]->(x)
WHERE r.status = 'open'
OPTIONAL MATCH (owner:Member)-[:OFFERS]->(x)
OPTIONAL MATCH (quoted:Message {id: r.message_id})
RETURN r.id AS id, r.kind AS kind, r.reason AS reason, r.text AS text,
       r.created_at AS created_at, reporter.name AS reporter_name,
       x.id AS subject_id, coalesce(x.title, x.name) AS subject,
       coalesce(owner.id, x.id) AS member_id, coalesce(owner.name, x.name) AS member_name,
       coalesce(owner.status, x.status) AS member_status,
       coalesce(x.hidden, false) AS hidden, quoted.body AS message
ORDER BY created_at
"""

DISMISS_REPORT = """
MATCH (reporter:Member)-[:FILED]->(r:Report {id: $report_id})-[:REPORTS]->(x)
WHERE r.status = 'open'
SET r.status = 'dismissed', r.decided_at = $now, r.decided_by = $actor_id
CREATE (:AuditEntry {at: $now, action: 'report_dismissed', actor_id: $actor_id,
                     target_id: x.id, reason: $reason})
""" + notify("reporter", "'report_dismissed'") + """RETURN r.id AS id
"""

REPORT = "MATCH (r:Report {id: $report_id}) RETURN r.id AS id"

# Hiding the offer closes every open report about it.
HIDE_OFFER = """
MATCH (:Report {id: $report_id})-[:REPORTS]->(o:Offer)
SET o.hidden = true
CREATE (:AuditEntry {at: $now, action: 'offer_hidden', actor_id: $actor_id, target_id: o.id,
                     reason: $reason})
WITH o
MATCH (reporter:Member)-[:FILED]->(r:Report)-[:REPORTS]->(o)
WHERE r.status = 'open'
SET r.status = 'offer_hidden', r.decided_at = $now, r.decided_by = $actor_id
""" + notify("reporter", "'report_upheld'") + """RETURN count(r) AS closed
"""

FILE_APPEAL = """
MATCH (m:Member {id: $member_id})
WHERE m.status IN ['banned', 'suspended'] AND NOT coalesce(m.departed, false)
OPTIONAL MATCH (m)-[:APPEALED]->(earlier:Appeal)
WITH m, sum(CASE WHEN earlier.created_at >= coalesce(m.sanctioned_at, 0) THEN 1 ELSE 0 END)
        AS already
WHERE already = 0
CREATE (m)-[:APPEALED]->(:Appeal {id: $id, kind: m.status, text: $text, status: 'open',
                                  created_at: $now})
CREATE (:AuditEntry {at: $now, action: 'appeal', actor_id: m.id, target_id: m.id})
RETURN $id AS id
"""

APPEAL_STATE = """
MATCH (m:Member {id: $member_id})
OPTIONAL MATCH (m)-[:APPEALED]->(a:Appeal)
RETURN m.status AS status, coalesce(m.sanctioned_at, 0) AS sanctioned_at,
       collect(a.created_at) AS appealed_at
"""

# The reason shown with an appeal is that of the ban behind the member's current sanction
# (the entry written at m.sanctioned_at: their own ban, or the ban that suspended them),
# never that of an earlier, lifted one; none when no ban is behind it.
OPEN_APPEALS = """
MATCH (m:Member)-[:APPEALED]->(a:Appeal)
WHERE a.status = 'open'
OPTIONAL MATCH (sanction:AuditEntry {target_id: m.id, at: m.sanctioned_at})
WHERE sanction.action = CASE a.kind WHEN 'banned' THEN 'ban' ELSE 'suspend' END
WITH m, a, collect(sanction.reason) AS reasons
RETURN a.id AS id, a.kind AS kind, a.text AS text, a.created_at AS created_at,
       m.id AS member_id, m.name AS member_name, m.email AS member_email,
       m.status AS member_status, reasons[0] AS ban_reason
ORDER BY created_at
"""

# The member locked first, as UNBAN does: a decision and a lifted ban (which grants the
# appeal) must not both find it open.
DECIDE_APPEAL = """
MATCH (m:Member)-[:APPEALED]->(a:Appeal {id: $appeal_id})
""" + write_lock("m") + """
WITH m, a
WHERE a.status = 'open'
SET a.status = $decision, a.decided_at = $now, a.decided_by = $actor_id, a.note = $note
CREATE (:AuditEntry {at: $now, action: 'appeal_' + $decision, actor_id: $actor_id,
                     target_id: m.id, reason: $note})
""" + notify("m", "'appeal_' + $decision") + """RETURN m.id AS member_id
"""

APPEAL = """
MATCH (m:Member)-[:APPEALED]->(a:Appeal {id: $appeal_id})
RETURN a.id AS id, a.kind AS kind, a.status AS status, m.id AS member_id,
       m.name AS member_name, m.email AS member_email, m.status AS member_status
"""

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


@dataclass(frozen=True)
class Report:
    """An open report, with the member it is about (the offer's owner for an offer)."""

    id: str
    kind: str
    reason: str
    text: str
    created_at: float
    reporter_name: str
    subject_id: str
    subject: str
    member_id: str
    member_name: str
    member_status: str
    hidden: bool
    message: str | None = None  # what the reported message says (gone if deleted since)


def set_admin(engine: GraphEngine, actor_id: str | None, member_id: str, admin: bool,
              now: float | None = None) -> None:
    """Grant or revoke the admin role. Raises Conflict if the member already is (or is not)."""
    action = "grant_admin" if admin else "revoke_admin"
    rows = engine.write(SET_ADMIN, {
        "member_id": member_id, "admin": admin, "action": action, "actor_id": actor_id,
        "reason": action.replace("_", " "), "now": time.time() if now is None else now,
    })
    if not rows and admin:
        raise Conflict("this member already is an admin")
    if not rows:
        raise Conflict("this member is not an admin")


def _checked(reason: str, text: str) -> tuple[str, str]:
    if reason not in REPORT_REASONS:
        raise Invalid("choose a reason from the list")
    text = text.strip()
    if len(text) > MAX_TEXT:
        raise Invalid("write at most %(count)d characters", count=MAX_TEXT)
    return reason, text


def report(engine: GraphEngine, reporter_id: str, kind: str, subject_id: str, reason: str,
           text: str, *, max_hops: int, now: float | None = None,
           form_key: str | None = None) -> str:
    """File a report about an offer or a member the reporter may see (within max_hops, see
    graph.offers.with_visible_offer and with_profile_seen), or about a message of a
    conversation the reporter takes part in (`subject_id` is the message's); returns its id.

    `form_key`: the idempotency key of the form (see graph.ids.id_for_form); the same form
    sent again returns the report it filed, and files nothing more.
    """
    reason, text = _checked(reason, text)
    params = {
        "reporter_id": reporter_id, "subject_id": subject_id, "kind": kind,
        "id": id_for_form(reporter_id, form_key), "reason": reason, "text": text,
        "now": time.time() if now is None else now, "message_id": None,
    }
    if kind == "offer":
        rows = engine.write(statement(REPORT_OFFER, max_hops), {
            **params, "member_id": reporter_id, "offer_id": subject_id, "hops": max_hops})
    elif kind == "member":
        rows = engine.write(statement(REPORT_MEMBER, max_hops), {
            **params, "member_id": reporter_id, "profile_id": subject_id, "hops": max_hops})
    elif kind == "message":
        rows = engine.write(REPORT_MESSAGE, {**params, "message_id": subject_id})
    else:
        raise NotFound("nothing to report here")
    if not rows:
        raise NotFound("there is nothing to report here, or not for you")
    return str(rows[0]["id"])


def open_reports(engine: GraphEngine) -> list[Report]:
    """The queue: open reports, oldest first."""
    return [Report(**row) for row in engine.read(OPEN_REPORTS)]


def dismiss_report(engine: GraphEngine, actor_id: str, report_id: str, reason: str = "",
                   now: float | None = None) -> None:
    """Close a report with no action; NotFound when there is no such report, Conflict when
    it is no longer open."""
    rows = engine.write(DISMISS_REPORT, {
        "report_id": report_id, "actor_id": actor_id, "reason": reason.strip() or "dismissed",
        "now": time.time() if now is None else now,
    })
    if not rows:
        _require_report(engine, report_id)
        raise Conflict("this report is no longer open")


def hide_offer(engine: GraphEngine, actor_id: str, report_id: str, reason: str = "",
               now: float | None = None) -> int:
    """Hide the reported offer from every feed and page; closes its open reports. NotFound
    when there is no such report."""
    rows = engine.write(HIDE_OFFER, {
        "report_id": report_id, "actor_id": actor_id,
        "reason": reason.strip() or "offer hidden after a report",
        "now": time.time() if now is None else now,
    })
    if not rows or not rows[0]["closed"]:
        _require_report(engine, report_id)
        raise Conflict("this report is no longer open, or is not about an offer")
    return int(rows[0]["closed"])


def _require_report(engine: GraphEngine, report_id: str) -> None:
    """NotFound when no report has this id: an admin's action on it then names nothing,
    rather than a report closed meanwhile."""
    if not engine.read(REPORT, {"report_id": report_id}):
        raise NotFound("no such report")


def file_appeal(engine: GraphEngine, member_id: str, text: str, now: float | None = None) -> str:
    """A banned or suspended member appeals, in writing, once per sanction."""
    text = text.strip()
    if not text:
        raise Invalid("write why the decision should change")
    if len(text) > MAX_TEXT:
        raise Invalid("write at most %(count)d characters", count=MAX_TEXT)
    rows = engine.write(FILE_APPEAL, {
        "member_id": member_id, "id": new_id(), "text": text,
        "now": time.time() if now is None else now,
    })
    if not rows:
        raise Conflict("you have already appealed, or there is nothing to appeal")
    return str(rows[0]["id"])


def may_appeal(engine: GraphEngine, member_id: str) -> bool:
    """True while the member is banned or suspended and has not appealed this sanction."""
    rows = engine.read(APPEAL_STATE, {"member_id": member_id})
    if not rows or rows[0]["status"] not in ("banned", "suspended"):
        return False
    since = rows[0]["sanctioned_at"]
    return not any(at >= since for at in rows[0]["appealed_at"])


def open_appeals(engine: GraphEngine) -> list[dict]:
    """The appeals waiting for a decision, oldest first."""
    return engine.read(OPEN_APPEALS)


def appeal(engine: GraphEngine, appeal_id: str) -> dict:
    """One appeal with its member, or NotFound."""
    rows = engine.read(APPEAL, {"appeal_id": appeal_id})
    if not rows:
        raise NotFound("no such appeal")
    return rows[0]


def decide_appeal(engine: GraphEngine, actor_id: str, appeal_id: str, decision: str,
                  note: str, now: float | None = None) -> str:
    """Record the outcome of an appeal ('granted' or 'rejected'); returns the member's id.

    Granting is recorded after its effect (graph.bans.reinstate for a suspended member),
    which the caller applies first; graph.bans.unban grants a banned member's appeal itself.
    """
    if decision not in ("granted", "rejected"):
        raise Invalid("decide granted or rejected")
    rows = engine.write(DECIDE_APPEAL, {
        "appeal_id": appeal_id, "decision": decision, "note": note.strip(),
        "actor_id": actor_id, "now": time.time() if now is None else now,
    })
    if not rows:
        raise Conflict("this appeal was already decided")
    return str(rows[0]["member_id"])


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
