"""The audit log: an append-only record of every admin action and every effect of a cascade.

Each entry is `(:AuditEntry {at, action, actor_id, target_id, ban_id, reason})`, created by
the very statement that makes the change it records (one change, one statement, its record
included). Nothing updates or deletes an entry. Entries keep ids, not names or addresses,
so a member who leaves is erased from the log's display too. This module only reads.
"""

from __future__ import annotations

from dataclasses import dataclass

from graph.engine import GraphEngine

# Every action an entry may record; the filter of the log page offers these.
ACTIONS = (
    "ban", "unban", "suspend", "reactivate", "strike", "strike_withdrawn",
    "grant_admin", "revoke_admin", "report", "report_dismissed", "offer_hidden",
    "reports_closed", "appeal", "appeal_granted", "appeal_rejected", "leave", "ban_request",
    "charter",
)

AUDIT_LOG = """
MATCH (e:AuditEntry)
WHERE ($action IS NULL OR e.action = $action)
  AND ($target_id IS NULL OR e.target_id = $target_id)
  AND ($actor_id IS NULL OR e.actor_id = $actor_id)
WITH e ORDER BY e.at DESC, e.action, e.target_id SKIP $offset LIMIT $limit
OPTIONAL MATCH (actor:Member {id: e.actor_id})
OPTIONAL MATCH (target:Member {id: e.target_id})
RETURN e.at AS at, e.action AS action, e.actor_id AS actor_id, e.target_id AS target_id,
       e.ban_id AS ban_id, e.reason AS reason, actor.name AS actor_name,
       target.name AS target_name
"""


@dataclass(frozen=True)
class Entry:
    """One line of the log, with the names of the members it names (None: gone or none)."""

    at: float
    action: str
    actor_id: str | None
    target_id: str | None
    ban_id: str | None
    reason: str | None
    actor_name: str | None
    target_name: str | None


def entries(
    engine: GraphEngine, *, action: str | None = None, target_id: str | None = None,
    actor_id: str | None = None, offset: int = 0, limit: int = 50,
) -> list[Entry]:
    """Return entries, newest first, matching every filter given."""
    rows = engine.read(AUDIT_LOG, {
        "action": action, "target_id": target_id, "actor_id": actor_id,
        "offset": max(0, offset), "limit": limit,
    })
    return [Entry(**row) for row in rows]
