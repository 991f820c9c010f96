"""Appeals: a banned or suspended member asks, once per sanction, for the decision to change.

A sanction's time is `sanctioned_at`, set by the ban that banned or suspended the member;
`(m)-[:APPEALED]->(a:Appeal {kind: 'banned'|'suspended', status})`. An admin's decision
writes its audit record in the same statement.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from graph.abuse_reports import MAX_TEXT
from graph.engine import GraphEngine
from graph.errors import Conflict, Invalid, NotFound
from graph.ids import new_id
from graph.locks import write_lock
from graph.members import Status
from graph.notifications import notify

# Who may appeal: a banned or a suspended member (m bound, in Cypher).
SANCTIONED = (Status.BANNED, Status.SUSPENDED)
_IS_SANCTIONED = f"m.status IN {[str(status) for status in SANCTIONED]!r}"

FILE_APPEAL = """
MATCH (m:Member {id: $member_id})
WHERE """ + _IS_SANCTIONED + """ AND NOT coalesce(m.departed, false)
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

# An appeal a of member m as an Appeal reads it. The reason shown with an appeal is that of
# the ban behind the member's current sanction (the entry written at m.sanctioned_at: their
# own ban, or the ban that suspended them), never that of an earlier, lifted one; none when
# no ban is behind it.
_APPEAL_ROW = """OPTIONAL MATCH (sanction:AuditEntry {target_id: m.id, at: m.sanctioned_at})
WHERE sanction.action = CASE a.kind WHEN 'banned' THEN 'ban' ELSE 'suspend' END
WITH m, a, collect(sanction.reason) AS reasons
RETURN a.id AS id, a.kind AS kind, a.status AS status, a.text AS text,
       a.created_at AS created_at, m.id AS member_id, m.name AS member_name,
       m.email AS member_email, m.status AS member_status, reasons[0] AS ban_reason
"""

OPEN_APPEALS = """
MATCH (m:Member)-[:APPEALED]->(a:Appeal)
WHERE a.status = 'open'
""" + _APPEAL_ROW + """ORDER BY created_at
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
""" + _APPEAL_ROW


@dataclass(frozen=True)
class Appeal:
    """An appeal with the member who filed it, as the admins decide it."""

    id: str
    kind: str  # the sanction appealed: 'banned' or 'suspended'
    status: str  # open, granted or rejected
    text: str
    created_at: float
    member_id: str
    member_name: str
    member_email: str
    member_status: str
    ban_reason: str | None  # of the ban behind the member's current sanction, if any


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
    if not rows or rows[0]["status"] not in SANCTIONED:
        return False
    since = rows[0]["sanctioned_at"]
    return not any(at >= since for at in rows[0]["appealed_at"])


def open_appeals(engine: GraphEngine) -> list[Appeal]:
    """The appeals waiting for a decision, oldest first."""
    return [Appeal(**row) for row in engine.read(OPEN_APPEALS)]


def appeal(engine: GraphEngine, appeal_id: str) -> Appeal:
    """One appeal with its member, or NotFound."""
    rows = engine.read(APPEAL, {"appeal_id": appeal_id})
    if not rows:
        raise NotFound("no such appeal")
    return Appeal(**rows[0])


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
