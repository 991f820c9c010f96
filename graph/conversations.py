"""Conversations: "I'm interested" opens a private exchange between a member and the owner
of an offer they may see.

    (asker:Member)-[:ASKED]->(c:Conversation)-[:ABOUT]->(o:Offer)<-[:OFFERS]-(owner:Member)
    (c)-[:HAS]->(m:Message {id, body, at})<-[:WROTE]-(author:Member)

A member has at most one conversation per offer: asking again adds a message to it. Only
the two participants see it; they can write while both are active and neither blocked the
other (graph.blocks).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from graph.engine import GraphEngine
from graph.errors import Conflict, Invalid, NotFound
from graph.ids import id_for_form, new_id
from graph.locks import write_lock
from graph.members import Status, is_active, with_blocked
from graph.notifications import notify, wants_mail
from graph.offers import Person, with_visible_offer
from graph.trust import PathStep, path_links, path_steps, statement, with_circle, with_path

MAX_BODY = 2000

# A message's id comes from the idempotency key of the form that sent it: the same form
# sent twice finds its message there (`new` false) and writes nothing. Each statement takes
# the author's lock first, so that on Neo4j a concurrent twin waits for the first, and
# then sees its message (and its conversation). The other participant is notified by the
# same statement.
_UNLESS_SENT = """
OPTIONAL MATCH (earlier:Message {id: $message_id})
WITH me, c, o, other, earlier IS NULL AS is_new
FOREACH (_ IN CASE WHEN is_new THEN [1] ELSE [] END |
  SET c.updated_at = $now
  CREATE (c)-[:HAS]->(message:Message {id: $message_id, body: $body, at: $now})<-[:WROTE]-(me)
  """ + notify("other", "'message'", "message") + """)
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
       coalesce(o.kind, 'offer') = 'request' AS request,
       other {.name, .email, .locale} AS owner, """ + wants_mail("other", "message") + """ AS mailed
""")

REPLY = """
MATCH (me:Member {id: $member_id})
MATCH (asker:Member)-[:ASKED]->(c:Conversation {id: $conversation_id})-[:ABOUT]->(o:Offer)
      <-[:OFFERS]-(owner:Member)
WHERE (me = asker OR me = owner) AND """ + is_active("asker") + " AND " \
  + is_active("owner") + """
""" + with_blocked("asker", "owner", "blocked") + """
WITH me, asker, c, o, owner, blocked
WHERE NOT blocked
""" + write_lock("me") + """
WITH me, c, o, CASE WHEN me = owner THEN asker ELSE owner END AS other
""" + _UNLESS_SENT + """
RETURN other {.name, .email, .locale} AS other, o.title AS title, is_new,
       """ + wants_mail("other", "message") + """ AS mailed
"""

CONVERSATION = """
MATCH (me:Member {id: $member_id})
MATCH (asker:Member)-[:ASKED]->(c:Conversation {id: $conversation_id})-[:ABOUT]->(o:Offer)
      <-[:OFFERS]-(owner:Member)
WHERE me = asker OR me = owner
""" + with_blocked("asker", "owner", "blocked") + """
CALL {
  WITH c
  MATCH (c)-[:HAS]->(m:Message)<-[:WROTE]-(author:Member)
  RETURN collect({id: m.id, body: m.body, at: m.at, author: author {.id, .name}}) AS messages
}
RETURN c.id AS id, o {.id, .title} AS offer, asker {.id, .name, .status} AS asker,
       owner {.id, .name, .status} AS owner, messages, blocked
"""

# How I know the other participant of a conversation I take part in: the owner sees the
# trust path to whoever writes to them, the asker the one to the owner.
PATH_TO_OTHER = with_path("""
MATCH (me:Member {id: $member_id})
MATCH (asker:Member)-[:ASKED]->(:Conversation {id: $conversation_id})-[:ABOUT]->(:Offer)
      <-[:OFFERS]-(owner:Member)
WHERE me = asker OR me = owner
WITH me, CASE WHEN me = asker THEN owner ELSE asker END AS target
""", path_links() + """
RETURN degree, strength, [n IN path | n {.id, .name}] AS path, links
""")

# Each with how far the other participant is in my circle, and through which contact of
# mine (null beyond my maximum degree).
MY_CONVERSATIONS = with_circle("""
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
WITH me, c, o, asker, owner,
     [x IN circle WHERE x.n = CASE WHEN me = asker THEN owner ELSE asker END][0] AS reach
WITH me, c, o, asker, owner, reach.degree AS degree, reach.via AS via
MATCH (c)-[:HAS]->(m:Message)
OPTIONAL MATCH (m)<-[:ABOUT]-(unread:Notification)-[:UNREAD]->(me)
WITH c, o, asker, owner, degree, via, collect(m) AS messages, count(unread) AS unread
WITH c, o, asker, owner, degree, via, unread,
     reduce(last = head(messages), m IN messages |
            CASE WHEN m.at > last.at THEN m ELSE last END) AS last
RETURN c.id AS id, c.updated_at AS updated_at, o {.id, .title} AS offer,
       asker {.id, .name} AS asker, owner {.id, .name} AS owner,
       last.body AS last_body, unread, degree,
       CASE WHEN via IS NULL THEN null ELSE via {.id, .name} END AS via
ORDER BY updated_at DESC, id
""", anyone=True)

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
    blocked: bool = False  # one of the two blocked the other: closed to new messages

    def other(self, member_id: str) -> Person:
        """The participant who is not `member_id`."""
        return self.owner if member_id == self.asker.id else self.asker


@dataclass(frozen=True)
class Summary:
    """A conversation in a list: about what, between whom, last active when, its last
    message, and how many of its messages I have not read."""

    id: str
    updated_at: float
    offer_id: str
    offer_title: str
    asker: Person
    owner: Person
    last_body: str = ""
    unread: int = 0  # messages to me I have not read (see graph.notifications)
    degree: int | None = None  # of the other participant from me; None beyond my maximum
    via: Person | None = None  # my contact through whom I reach them


@dataclass(frozen=True)
class Reach:
    """How I know someone: degree (None beyond my maximum degree), strength, and one
    shortest trust path whose steps say how each link was made."""

    degree: int | None
    strength: int
    path: list[PathStep] | None


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
    to_wants_mail: bool = True  # they did not turn off mail about messages
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
                to_wants_mail=bool(row["mailed"]), request=bool(row["request"]))


def reply(engine: GraphEngine, member_id: str, conversation_id: str, body: str,
          now: float | None = None, form_key: str | None = None) -> Sent:
    """Add my message to a conversation I take part in, while both of us are active
    (once per form: see `start_conversation`)."""
    params = {**_new_message(member_id, body, now, form_key),
              "conversation_id": conversation_id}
    rows = engine.write(REPLY, params)
    if not rows:
        conversation_for(engine, member_id, conversation_id)
        raise Conflict("this conversation is closed to new messages")
    row = rows[0]
    return Sent(conversation_id=conversation_id, started=False, new=bool(row["is_new"]),
                offer_title=row["title"],
                to_name=row["other"]["name"], to_email=row["other"]["email"],
                to_locale=row["other"]["locale"], to_wants_mail=bool(row["mailed"]))


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
        open=(asker["status"] == Status.ACTIVE and owner["status"] == Status.ACTIVE
              and not row["blocked"]),
        messages=messages, blocked=bool(row["blocked"]),
    )


def reach_of_other(engine: GraphEngine, member_id: str, conversation_id: str,
                   max_hops: int) -> Reach:
    """How I know the other participant of a conversation I take part in; NotFound for
    anyone else."""
    rows = engine.read(statement(PATH_TO_OTHER, max_hops), {
        "member_id": member_id, "conversation_id": conversation_id, "hops": max_hops})
    if not rows:
        raise NotFound("no such conversation")
    row = rows[0]
    return Reach(degree=row["degree"], strength=int(row["strength"]),
                 path=path_steps(row["path"], row["links"]))


def _summary(row: dict) -> Summary:
    return Summary(id=row["id"], updated_at=row["updated_at"], offer_id=row["offer"]["id"],
                   offer_title=row["offer"]["title"], asker=Person(**row["asker"]),
                   owner=Person(**row["owner"]), last_body=row["last_body"],
                   unread=int(row["unread"]), degree=row["degree"],
                   via=Person(**row["via"]) if row["via"] else None)


def conversations_of(engine: GraphEngine, member_id: str, max_hops: int) -> list[Summary]:
    """Every conversation I take part in, as asker or owner, most recently active first,
    each with how far the other participant is from me."""
    rows = engine.read(statement(MY_CONVERSATIONS, max_hops),
                       {"member_id": member_id, "hops": max_hops})
    return [_summary(row) for row in rows]


def requests_for(engine: GraphEngine, member_id: str, offer_id: str) -> list[Request]:
    """The conversations about one of my offers, most recently active first."""
    rows = engine.read(REQUESTS, {"member_id": member_id, "offer_id": offer_id})
    return [Request(id=row["id"], updated_at=row["updated_at"], asker=Person(**row["asker"]))
            for row in rows]
