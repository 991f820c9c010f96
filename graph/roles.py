"""The admin role: granted and revoked by admins or operators, each change audited."""

from __future__ import annotations

import time

from graph.engine import GraphEngine
from graph.errors import Conflict

SET_ADMIN = """
MATCH (m:Member {id: $member_id})
WHERE coalesce(m.admin, false) <> $admin AND NOT coalesce(m.departed, false)
SET m.admin = $admin
CREATE (:AuditEntry {at: $now, action: $action, actor_id: $actor_id, target_id: m.id,
                     reason: $reason})
RETURN m.id AS id
"""


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
