"""Conversations: "I'm interested" opens a private exchange between a member and the owner
of an offer they may see.

    (asker:Member)-[:ASKED]->(c:Conversation)-[:ABOUT]->(o:Offer)<-[:OFFERS]-(owner:Member)
    (c)-[:HAS]->(m:Message {id, body, at})<-[:WROTE]-(author:Member)

A member has at most one conversation per offer: asking again adds a message to it. Only
the two participants see it; they can write while both are active.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from graph.engine import GraphEngine
from graph.errors import Conflict, Invalid, NotFound
from graph.ids import id_for_form, new_id
from graph.locks import write_lock
from graph.offers import Person, with_visible_offer
from graph.trust import statement

MAX_BODY = 2000

# A message's id comes from the idempotency key of the form that sent it: the same form
# sent twice finds its message there (`new` false) and writes nothing. Each statement takes
# the author's lock first, so that on Neo4j a concurrent twin waits for the first, and
# then sees its message (and its conversation).
_UNLESS_SENT = """
OPTIONAL MATCH (earlier:Message {id: $message_id})
WITH me, c, o, other, earlier IS NULL AS is_new
FOREACH (_ IN CASE WHEN is_new THEN [1] ELSE [] END |
  SET c.updated_at = $now
  CREATE (c)-[:HAS]->(:Message {id: $message_id, body: $body, at: $now})<-[:WROTE]-(me))
"""

# The trust check and the change are one statement: the offer must still be visible to
# the asker when the conversation opens.
START = with_visible_offer("""
WITH me, target, o
WHERE me <> target
""" + write_lock("me") + """
WITH me, target, o
MERGE (me)-[:ASKED]->(c:Conversation)-[:ABOUT]->(o)
ON CREATE SET c.id = $conversation_id, c.created_at = $now
WITH me, c, o, target AS other
""" + _UNLESS_SENT + """
RETURN c.id AS id, c.id = $conversation_id AS started, is_new, o.title AS title,
       coalesce(o.kind, 'offer') = 'request' AS request, other {.name, .email, .locale} AS owner
""")

REPLY = """
MATCH (me:Member {id: $member_id})
MATCH (asker:Member)-[:ASKED]->(c:Conversation {id: $conversation_id})-[:ABOUT]->(o:Offer)
      <-[:OFFERS]-(owner:Member)
WHERE (me = asker OR me = owner) AND asker.status = 'active' AND owner.status = 'active'
""" + write_lock("me") + """
WITH me, c, o, CASE WHEN me = owner THEN asker ELSE owner END AS other
""" + _UNLESS_SENT + """
RETURN other {.name, .email, .locale} AS other, o.title AS title, is_new
"""

CONVERSATION = """
MATCH (me:Member {id: $member_id})
MATCH (asker:Member)-[:ASKED]->(c:Conversation {id: $conversation_id})-[:ABOUT]->(o:Offer)
      <-[:OFFERS]-(owner:Member)
WHERE me = asker OR me = owner
CALL {
  WITH c
  MATCH (c)-[:HAS]->(m:Message)<-[:WROTE]-(author:Member)
  RETURN collect({id: m.id, body: m.body, at: m.at, author: author {.id, .name}}) AS messages
}
RETURN c.id AS id, o {.id, .title} AS offer, asker {.id, .name, .status} AS asker,
       owner {.id, .name, .status} AS owner, messages
"""

MY_CONVERSATIONS = """
MATCH (me:Member {id: $member_id})
CALL {
  WITH me
  MATCH (me)-[:ASKED]->(c:Conversation)
  RETURN collect(c) AS asked
}
CALL {
  WITH me
  MATCH (me)-[:OFFERS]->(:Offer)<-[:ABOUT]-(c:Conversation)
  RETURN collect(c) AS received
}
UNWIND asked + received AS c
MATCH (asker:Member)-[:ASKED]->(c)-[:ABOUT]->(o:Offer)<-[:OFFERS]-(owner:Member)
RETURN c.id AS id, c.updated_at AS updated_at, o {.id, .title} AS offer,
       asker {.id, .name} AS asker, owner {.id, .name} AS owner
ORDER BY updated_at DESC, id
"""

REQUESTS = """
MATCH (:Member {id: $member_id})-[:OFFERS]->(:Offer {id: $offer_id})<-[:ABOUT]-(c:Conversation)
      <-[:ASKED]-(asker:Member)
RETURN c.id AS id, c.updated_at AS updated_at, asker {.id, .name} AS asker
ORDER BY updated_at DESC, id
"""


@dataclass(frozen=True)
class Message:
    """One message of a conversation."""

    id: str
    body: str
    at: float
    author: Person


@dataclass(frozen=True)
class Conversation:
    """A conversation as one of its two participants sees it, messages oldest first."""

    id: str
    offer_id: str
    offer_title: str
    asker: Person
    owner: Person
    open: bool
    messages: list[Message]

    def other(self, member_id: str) -> Person:
        """The participant who is not `member_id`."""
        return self.owner if member_id == self.asker.id else self.asker


@dataclass(frozen=True)
class Summary:
    """A conversation in a list: about what, between whom, last active when."""

    id: str
    updated_at: float
    offer_id: str
    offer_title: str
    asker: Person
    owner: Person


@dataclass(frozen=True)
class Request:
    """Someone who asked about one of my offers, and when the conversation last moved."""

    id: str
    updated_at: float
    asker: Person


@dataclass(frozen=True)
class Sent:
    """A message sent: where it went, and whom to tell."""

    conversation_id: str
    started: bool
    new: bool  # false when the same form was sent before: its message is there already
    offer_title: str
    to_name: str
    to_email: str
    to_locale: str | None
    request: bool = False  # about a request for help: the first message offers help


def _body(body: str) -> str:
    text = body.strip()
    if not text or len(text) > MAX_BODY:
        raise Invalid("a message must have between 1 and 2000 characters")
    return text


def _new_message(member_id: str, body: str, now: float | None, form_key: str | None) -> dict:
    return {"member_id": member_id, "message_id": id_for_form(member_id, form_key),
            "body": _body(body), "now": time.time() if now is None else now}


def start_conversation(engine: GraphEngine, member_id: str, offer_id: str, body: str,
                       max_hops: int, now: float | None = None,
                       form_key: str | None = None) -> Sent:
    """Tell an offer's owner I am interested, or write again in our conversation about it.

    NotFound when I may not see the offer (or it is mine): the same answer as for an offer
    that does not exist. `form_key`: the idempotency key of the form (see
    graph.ids.id_for_form); sent again, it writes nothing and says so (`Sent.new`).
    """
    params = {**_new_message(member_id, body, now, form_key), "offer_id": offer_id,
              "conversation_id": new_id(), "hops": max_hops}
    rows = engine.write(statement(START, max_hops), params)
    if not rows:
        raise NotFound("no such offer")
    row = rows[0]
    return Sent(conversation_id=row["id"], started=bool(row["started"]), new=bool(row["is_new"]),
                offer_title=row["title"], to_name=row["owner"]["name"],
                to_email=row["owner"]["email"], to_locale=row["owner"]["locale"],
                request=bool(row["request"]))


def reply(engine: GraphEngine, member_id: str, conversation_id: str, body: str,
          now: float | None = None, form_key: str | None = None) -> Sent:
    """Add my message to a conversation I take part in, while both of us are active
    (once per form: see `start_conversation`)."""
    params = {**_new_message(member_id, body, now, form_key),
              "conversation_id": conversation_id}
    rows = engine.write(REPLY, params)
    if not rows:
        conversation_for(engine, member_id, conversation_id)
        raise Conflict("this conversation is closed: one of you is no longer an active member")
    row = rows[0]
    return Sent(conversation_id=conversation_id, started=False, new=bool(row["is_new"]),
                offer_title=row["title"],
                to_name=row["other"]["name"], to_email=row["other"]["email"],
                to_locale=row["other"]["locale"])


def conversation_for(engine: GraphEngine, member_id: str, conversation_id: str) -> Conversation:
    """A conversation I take part in; NotFound for anyone else."""
    rows = engine.read(CONVERSATION, {"member_id": member_id, "conversation_id": conversation_id})
    if not rows:
        raise NotFound("no such conversation")
    row = rows[0]
    messages = sorted(
        (Message(id=m["id"], body=m["body"], at=m["at"], author=Person(**m["author"]))
         for m in row["messages"]),
        key=lambda message: (message.at, message.id),
    )
    asker, owner = row["asker"], row["owner"]
    return Conversation(
        id=row["id"], offer_id=row["offer"]["id"], offer_title=row["offer"]["title"],
        asker=Person(id=asker["id"], name=asker["name"]),
        owner=Person(id=owner["id"], name=owner["name"]),
        open=asker["status"] == "active" and owner["status"] == "active",
        messages=messages,
    )


def _summary(row: dict) -> Summary:
    return Summary(id=row["id"], updated_at=row["updated_at"], offer_id=row["offer"]["id"],
                   offer_title=row["offer"]["title"], asker=Person(**row["asker"]),
                   owner=Person(**row["owner"]))


def conversations_of(engine: GraphEngine, member_id: str) -> list[Summary]:
    """Every conversation I take part in, as asker or owner, most recently active first."""
    return [_summary(row) for row in engine.read(MY_CONVERSATIONS, {"member_id": member_id})]


def requests_for(engine: GraphEngine, member_id: str, offer_id: str) -> list[Request]:
    """The conversations about one of my offers, most recently active first."""
    rows = engine.read(REQUESTS, {"member_id": member_id, "offer_id": offer_id})
    return [Request(id=row["id"], updated_at=row["updated_at"], asker=Person(**row["asker"]))
            for row in rows]
