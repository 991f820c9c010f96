"""References after an exchange: once an offer's owner marks a conversation as done (lent,
rented, given, ridden), each of its two participants may leave one reference about the
other, positive, neutral or negative, with a short text.

    (c:Conversation {done, done_at})
    (author:Member)-[:WROTE_REFERENCE]->(r:Reference {id, conversation_id, exchange, rating,
                                                      text, created_at})-[:REFERS_TO]->(m)

A reference keeps its conversation's id, not a link to it: it outlives the conversation
(deleted with its offer, or when a participant leaves, graph.departure). A negative one
files a report about the member it refers to, in the same statement, for the moderation
queue (graph.reports). References are read in the profile statement (graph.offers), so
only by those who may see that profile, and hidden while their author is banned; the offer
page counts the reader's contacts who recommend the owner.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from graph.engine import GraphEngine, check_schema_names
from graph.errors import Conflict, Forbidden, Invalid, NotFound
from graph.ids import id_for_form, new_id
from graph.locks import write_lock
from graph.members import is_active

EXCHANGES = ("lent", "rented", "given", "ridden")
RATINGS = ("positive", "neutral", "negative")
MAX_TEXT = 500
NEGATIVE_REPORT_REASON = "negative reference"

# Whose references are shown: not those of a banned author.
_SHOWN = "author.status <> 'banned'"

# The participants of conversation $conversation_id: `asker`, `c`, `o`, `owner`.
_EXCHANGE = """
MATCH (asker:Member)-[:ASKED]->(c:Conversation {id: $conversation_id})-[:ABOUT]->(o:Offer)
      <-[:OFFERS]-(owner:Member)
"""

# Only the owner marks it done, while both are active; the first kind given stays.
MARK_DONE = _EXCHANGE + """
WHERE owner.id = $member_id AND """ + is_active("owner") + " AND " + is_active("asker") + """
SET c.done = coalesce(c.done, $exchange), c.done_at = coalesce(c.done_at, $now)
RETURN c.done AS done
"""

# The conversation's lock first, so that on Neo4j a concurrent reference by the same author
# waits for the first one and then finds it: one reference per author and exchange. A form
# sent twice finds its reference by id (`new` false) and writes nothing more.
LEAVE_REFERENCE = _EXCHANGE + """
MATCH (me:Member {id: $member_id})
WHERE (me = asker OR me = owner) AND """ + is_active("asker") + " AND " + is_active("owner") + """
""" + write_lock("c") + """
WITH me, c, CASE WHEN me = owner THEN asker ELSE owner END AS other
WHERE c.done IS NOT NULL
OPTIONAL MATCH (me)-[:WROTE_REFERENCE]->(earlier:Reference)
WHERE earlier.conversation_id = c.id
WITH me, c, other, collect(earlier.id) AS earlier
WHERE earlier = [] OR earlier = [$id]
FOREACH (_ IN CASE WHEN earlier = [] THEN [1] ELSE [] END |
  CREATE (me)-[:WROTE_REFERENCE]->(:Reference {id: $id, conversation_id: c.id,
                                               exchange: c.done, rating: $rating,
                                               text: $text, created_at: $now})
         -[:REFERS_TO]->(other))
FOREACH (_ IN CASE WHEN earlier = [] AND $rating = 'negative' THEN [1] ELSE [] END |
  CREATE (me)-[:FILED]->(:Report {id: $report_id, kind: 'reference', reason: $reason,
                                  text: $text, status: 'open', created_at: $now})
         -[:REPORTS]->(other)
  CREATE (:AuditEntry {at: $now, action: 'report', actor_id: me.id, target_id: other.id,
                       reason: $reason}))
RETURN earlier = [] AS new
"""

# What the conversation page needs: whether it is done, whether I wrote my reference, and
# whether I own the offer (and so mark it done).
EXCHANGE_STATE = _EXCHANGE + """
WITH asker, c, owner
WHERE $member_id IN [asker.id, owner.id]
OPTIONAL MATCH (:Member {id: $member_id})-[:WROTE_REFERENCE]->(mine:Reference)
WHERE mine.conversation_id = c.id
RETURN c.done AS done, count(mine) > 0 AS reviewed, owner.id = $member_id AS owner
"""


def shown_about(target: str) -> str:
    """A subquery binding `references`: the references about `target` (a bound member) that
    are shown, each a map {reference, author}; for the profile statement (graph.offers)."""
    check_schema_names(target)
    return """
CALL {
  WITH """ + target + """
  MATCH (author:Member)-[:WROTE_REFERENCE]->(r:Reference)-[:REFERS_TO]->(""" + target + """)
  WHERE """ + _SHOWN + """
  RETURN collect({reference: r {.id, .exchange, .rating, .text, .created_at},
                  author: author {.id, .name, .departed}}) AS references
}
"""


def recommending(me: str, target: str) -> str:
    """A subquery binding `recommending`: how many of the active direct contacts of `me`
    left a positive reference about `target` (0 about myself); for the offer page."""
    check_schema_names(me, target)
    return """
CALL {
  WITH """ + me + ", " + target + """
  MATCH (""" + me + """)-[:SPONSORED]-(author:Member)-[:WROTE_REFERENCE]->(r:Reference)
        -[:REFERS_TO]->(""" + target + """)
  WHERE """ + is_active("author") + """ AND r.rating = 'positive'
    AND """ + me + " <> " + target + """
  RETURN count(DISTINCT author) AS recommending
}
"""


@dataclass(frozen=True)
class Reference:
    """A reference as a profile shows it; no author id nor name once its author left."""

    id: str
    exchange: str
    rating: str
    text: str
    created_at: float
    author_id: str | None
    author_name: str | None

    @classmethod
    def from_row(cls, row: dict) -> Reference:
        """Build from an entry of `references` (see shown_about)."""
        author = row["author"]
        departed = bool(author["departed"])
        return cls(**row["reference"], author_id=None if departed else author["id"],
                   author_name=None if departed else author["name"])


@dataclass(frozen=True)
class ExchangeState:
    """Where a conversation stands: done as what (None while not), my reference, and
    whether I am the offer's owner."""

    done: str | None
    reviewed: bool
    owner: bool

    @property
    def may_review(self) -> bool:
        """True when I may still leave my reference."""
        return self.done is not None and not self.reviewed


def _now(now: float | None) -> float:
    return time.time() if now is None else now


def mark_done(engine: GraphEngine, member_id: str, conversation_id: str, exchange: str,
              now: float | None = None) -> str:
    """Record that the exchange of a conversation about my offer took place; return how (the
    first answer stays). Forbidden for the asker, NotFound for anyone outside the
    conversation, Conflict once either side left."""
    if exchange not in EXCHANGES:
        raise Invalid("choose what took place from the list")
    rows = engine.write(MARK_DONE, {"member_id": member_id, "conversation_id": conversation_id,
                                    "exchange": exchange, "now": _now(now)})
    if rows:
        return str(rows[0]["done"])
    state = exchange_state(engine, member_id, conversation_id)
    if state is None:
        raise NotFound("no such conversation")
    if not state.owner:
        raise Forbidden("only the member who offers marks the exchange as done")
    raise Conflict("this conversation is closed: one of you is no longer an active member")


def leave_reference(engine: GraphEngine, member_id: str, conversation_id: str, rating: str,
                    text: str, now: float | None = None, form_key: str | None = None) -> bool:
    """Leave my one reference about the other side of a done exchange; True if written now
    (False: the same form was sent before). Conflict without a done exchange or when I
    already left one; NotFound for anyone outside the conversation."""
    if rating not in RATINGS:
        raise Invalid("choose positive, neutral or negative")
    text = text.strip()
    if not text or len(text) > MAX_TEXT:
        raise Invalid("a reference must have between 1 and %(count)d characters",
                      count=MAX_TEXT)
    rows = engine.write(LEAVE_REFERENCE, {
        "member_id": member_id, "conversation_id": conversation_id, "rating": rating,
        "text": text, "id": id_for_form(member_id, form_key), "report_id": new_id(),
        "reason": NEGATIVE_REPORT_REASON, "now": _now(now)})
    if rows:
        return bool(rows[0]["new"])
    state = exchange_state(engine, member_id, conversation_id)
    if state is None:
        raise NotFound("no such conversation")
    if state.done is None:
        raise Conflict("a reference follows an exchange its owner marked as done")
    if state.reviewed:
        raise Conflict("you already left your reference for this exchange")
    raise Conflict("this conversation is closed: one of you is no longer an active member")


def exchange_state(engine: GraphEngine, member_id: str,
                   conversation_id: str) -> ExchangeState | None:
    """Whether a conversation I take part in is done and I reviewed it; None if I do not."""
    rows = engine.read(EXCHANGE_STATE, {"member_id": member_id,
                                        "conversation_id": conversation_id})
    if not rows:
        return None
    row = rows[0]
    return ExchangeState(done=row["done"], reviewed=bool(row["reviewed"]), owner=bool(row["owner"]))
