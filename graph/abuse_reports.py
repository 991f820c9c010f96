"""Reports: members tell the admins about an offer, a member or a message; admins close them.

`(reporter)-[:FILED]->(r:Report {kind: 'offer'|'member'|'message', status})-[:REPORTS]->(x)`,
x the member reported for a message (the report keeps its `message_id`), open until an admin
dismisses them, hides the offer, or bans (graph.bans.BAN closes every open report about the
banned member and their offers). Every admin decision writes its audit record in the same
statement.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from graph.engine import GraphEngine
from graph.errors import Conflict, Invalid, NotFound
from graph.ids import id_for_form
from graph.locks import write_lock
from graph.members import is_active
from graph.notifications import notify
from graph.offers import with_profile_seen, with_visible_offer
from graph.trust import statement

REPORT_REASONS = ("spam", "scam", "abuse", "illegal", "other")
MAX_TEXT = 2000

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
