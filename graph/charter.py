"""The community's charter: the rules a newcomer accepts when joining, written by the admins.

Each publication is a new `(:Charter {version, text, published_at, author_id})`; none is
ever changed or deleted, so the text a member accepted stays readable. The version in force
is the highest. A newcomer's acceptance is recorded on the member (`charter_version`,
`charter_accepted_at`) by the statement that redeems their invitation
(graph.invitations.REDEEM), which refuses a version that is no longer in force.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from graph.engine import ConstraintViolation, GraphEngine
from graph.errors import Conflict, Invalid

MAX_TEXT = 20_000

# The next version number and its audit record in one statement. Two admins publishing at
# once compute the same number: the unique constraint on the version undoes the second.
PUBLISH_CHARTER = """
OPTIONAL MATCH (c:Charter)
WITH coalesce(max(c.version), 0) + 1 AS version
CREATE (:Charter {version: version, text: $text, published_at: $now, author_id: $actor_id})
CREATE (:AuditEntry {at: $now, action: 'charter', actor_id: $actor_id, target_id: null,
                     reason: 'version ' + toString(version)})
RETURN version
"""

CHARTER_VERSIONS = """
MATCH (c:Charter)
OPTIONAL MATCH (m:Member {charter_version: c.version})
WITH c, count(m) AS accepted
RETURN c.version AS version, c.text AS text, c.published_at AS published_at, accepted
ORDER BY version DESC
"""

CHARTER_IN_FORCE = """
MATCH (c:Charter)
RETURN c.version AS version, c.text AS text, c.published_at AS published_at, 0 AS accepted
ORDER BY version DESC
LIMIT 1
"""


@dataclass(frozen=True)
class Charter:
    """One version of the charter, and how many members accepted it when they joined."""

    version: int
    text: str
    published_at: float
    accepted: int


def publish_charter(engine: GraphEngine, actor_id: str | None, text: str,
                    now: float | None = None) -> int:
    """Put a new version of the charter in force; return its number. The earlier versions
    stay, with the members who accepted them."""
    text = text.strip()
    if not text or len(text) > MAX_TEXT:
        raise Invalid("a charter is a text of 1 to %(max)d characters", max=MAX_TEXT)
    try:
        rows = engine.write(PUBLISH_CHARTER, {
            "text": text, "actor_id": actor_id, "now": time.time() if now is None else now})
    except ConstraintViolation as error:
        raise Conflict("another admin published a version at the same time: read it, "
                       "then publish yours again") from error
    return int(rows[0]["version"])


def charter_in_force(engine: GraphEngine) -> Charter | None:
    """The version newcomers accept now; None while the admins have written none."""
    rows = engine.read(CHARTER_IN_FORCE)
    return Charter(**rows[0]) if rows else None


def charter_versions(engine: GraphEngine) -> list[Charter]:
    """Every version, newest first, with how many members accepted each."""
    return [Charter(**row) for row in engine.read(CHARTER_VERSIONS)]
