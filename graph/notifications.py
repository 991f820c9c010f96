"""Notifications: what happened to a member, told in the app (and by mail, see
trustnet/notices.py).

    (n:Notification {id, kind, at})-[:UNREAD|READ]->(recipient:Member)
    (n)-[:ABOUT]->(subject)   the message, or the member, it is about (when there is one)

A notification is written by the very statement that makes its event happen (`notify`,
a fragment spliced into that statement): a message sent, an invitation redeemed, a vouch
offered or accepted, a suspension, a reactivation, a strike, an appeal decided, a report
closed. There is never a second write that could be lost, nor an event without its
notification. Unread ones hang on an UNREAD edge, read ones on a READ edge: the unread count
walks the member's UNREAD edges only, and stops at UNREAD_SHOWN_MAX.
"""

from __future__ import annotations

from dataclasses import dataclass

from graph.engine import GraphEngine, check_schema_names
from graph.errors import NotFound
from graph.locks import write_lock

# Every kind of notification, as stored. Those with an ABOUT member name them.
KINDS = (
    "message",              # ABOUT the message written to me
    "invitation_accepted",  # ABOUT the member who redeemed my invitation
    "vouch_offered",        # ABOUT the member offering to vouch for me
    "vouch_accepted",       # ABOUT the member who accepted my vouch
    "suspended",            # my account was suspended (a ban broke my sponsor chain)
    "reactivated",          # my account is active again
    "strike",               # ABOUT the ban of a member I sponsored
    "appeal_granted",
    "appeal_rejected",
    "report_upheld",        # a report I filed led to action
    "report_dismissed",     # a report I filed was dismissed
    "sponsor_left",         # a member who sponsored me left TrustNet (I stay a member)
)
# The unread count shown in the navigation stops here ("99+"): it is read on every page.
UNREAD_SHOWN_MAX = 99
PAGE_SIZE = 20


def notify(recipient: str, kind: str, about: str | None = None) -> str:
    """The Cypher that notifies `recipient` (a bound member variable) of an event of `kind`
    (a Cypher expression: a quoted kind of KINDS, or a parameter expression), about the node
    bound to `about` if given. An updating clause only, so that it fits in FOREACH; the
    statement must have a $now parameter."""
    check_schema_names(recipient, *([about] if about else []))
    node = f"(:Notification {{id: randomUUID(), kind: {kind}, at: $now}})"
    pattern = f"({recipient})<-[:UNREAD]-{node}"
    return f"CREATE {pattern}-[:ABOUT]->({about})\n" if about else f"CREATE {pattern}\n"


# The mail a member may turn off in Settings, all on until they do: a message written to
# them, their suspension or reactivation, a strike, an appeal's outcome.
MAIL_KINDS = ("message", "sanction", "strike", "appeal")


def wants_mail(member: str, kind: str) -> str:
    """The Cypher condition under which `member` (a bound variable) wants the mail of `kind`
    (one of MAIL_KINDS) that goes with a notification."""
    check_schema_names(member)
    if kind not in MAIL_KINDS:
        raise ValueError(f"not a kind of mail: {kind!r}")
    return f"NOT '{kind}' IN coalesce({member}.mail_off, [])"


SET_MAIL_OFF = """
MATCH (m:Member {id: $member_id})
SET m.mail_off = $kinds
RETURN m.id AS id
"""

MAIL_OFF = """
MATCH (m:Member {id: $member_id})
RETURN coalesce(m.mail_off, []) AS kinds
"""

# Which of these members want the mail of one kind: a statement per kind (the kind is
# part of the text, from MAIL_KINDS only).
WANTING_MAIL = {kind: """
UNWIND $ids AS member_id
MATCH (m:Member {id: member_id})
WHERE """ + wants_mail("m", kind) + """
RETURN m.id AS id
""" for kind in MAIL_KINDS}




def count_unread(member: str) -> str:
    """A subquery binding `unread` to how many notifications `member` (a bound variable)
    has not read, up to UNREAD_SHOWN_MAX + 1 (shown as "99+"): bounded, so that the badge
    on every page costs the same whatever piles up."""
    check_schema_names(member)
    return f"""
CALL {{
  WITH {member}
  OPTIONAL MATCH ({member})<-[:UNREAD]-(n:Notification)
  WITH n LIMIT {UNREAD_SHOWN_MAX + 1}
  RETURN count(n) AS unread
}}
"""


# What n (bound) is about: x, the message's conversation c and offer o, and the member
# `who` it names (a message's author, a ban's member, or the member x itself).
_SUBJECT = """
OPTIONAL MATCH (n)-[:ABOUT]->(x)
OPTIONAL MATCH (c:Conversation)-[:HAS]->(x)
OPTIONAL MATCH (c)-[:ABOUT]->(o:Offer)
OPTIONAL MATCH (author:Member)-[:WROTE]->(x)
OPTIONAL MATCH (x)-[:AGAINST]->(banned:Member)
WITH n, unread, x, c, o, coalesce(author, banned, x) AS who
"""

# Newest first; the message's conversation (and preview) or the member it is about.
PAGE = """
MATCH (:Member {id: $member_id})<-[state:UNREAD|READ]-(n:Notification)
WITH n, type(state) = 'UNREAD' AS unread
ORDER BY n.at DESC, n.id
SKIP $skip LIMIT $limit
""" + _SUBJECT + """
RETURN n.id AS id, n.kind AS kind, n.at AS at, unread,
       who.name AS name, who.id AS member_id,
       c.id AS conversation_id, o.title AS title, x.body AS body
ORDER BY at DESC, id
"""

# The lock first: on Neo4j two clicks at once must not both find the UNREAD edge.
MARK_READ = """
MATCH (n:Notification {id: $id})
""" + write_lock("n") + """
WITH n
MATCH (n)-[unread:UNREAD]->(m:Member {id: $member_id})
DELETE unread
CREATE (n)-[:READ]->(m)
RETURN n.id AS id
"""

MARK_ALL_READ = """
MATCH (m:Member {id: $member_id})
""" + write_lock("m") + """
WITH m
MATCH (m)<-[unread:UNREAD]-(n:Notification)
DELETE unread
CREATE (n)-[:READ]->(m)
RETURN count(n) AS marked
"""

# The message notifications of one conversation: opening it from "Messages" reads them.
MARK_CONVERSATION_READ = """
MATCH (m:Member {id: $member_id})
""" + write_lock("m") + """
WITH m
MATCH (m)<-[unread:UNREAD]-(n:Notification)-[:ABOUT]->(:Message)<-[:HAS]-
      (:Conversation {id: $conversation_id})
DELETE unread
CREATE (n)-[:READ]->(m)
RETURN count(n) AS marked
"""

ONE = """
MATCH (:Member {id: $member_id})<-[state:UNREAD|READ]-(n:Notification {id: $id})
WITH n, type(state) = 'UNREAD' AS unread
""" + _SUBJECT + """
RETURN n.kind AS kind, who.id AS member_id, c.id AS conversation_id
"""


@dataclass(frozen=True)
class Notification:
    """One notification as its recipient reads it. `name` and `member_id`: the member it is
    about (a message's author); `conversation_id`, `title` and `body`: a message's."""

    id: str
    kind: str
    at: float
    unread: bool
    name: str | None = None
    member_id: str | None = None
    conversation_id: str | None = None
    title: str | None = None
    body: str | None = None


@dataclass(frozen=True)
class Page:
    """A page of a member's notifications, newest first."""

    notifications: list[Notification]
    page: int
    has_next: bool


def page_of(engine: GraphEngine, member_id: str, page: int = 1) -> Page:
    """One page of the member's notifications, newest first."""
    page = max(page, 1)
    rows = engine.read(PAGE, {"member_id": member_id, "skip": (page - 1) * PAGE_SIZE,
                              "limit": PAGE_SIZE + 1})
    return Page(notifications=[Notification(**row) for row in rows[:PAGE_SIZE]], page=page,
                has_next=len(rows) > PAGE_SIZE)


@dataclass(frozen=True)
class Target:
    """What a notification leads to: its kind, and the member or conversation it is about."""

    kind: str
    member_id: str | None
    conversation_id: str | None


def open_notification(engine: GraphEngine, member_id: str, notification_id: str) -> Target:
    """Mark one of my notifications read, and say what it is about; NotFound when it is not
    mine (the same answer as for one that does not exist)."""
    rows = engine.read(ONE, {"member_id": member_id, "id": notification_id})
    if not rows:
        raise NotFound("no such notification")
    engine.write(MARK_READ, {"member_id": member_id, "id": notification_id})
    return Target(**rows[0])


def mark_all_read(engine: GraphEngine, member_id: str) -> int:
    """Mark every notification of mine read; how many were unread."""
    return int(engine.write(MARK_ALL_READ, {"member_id": member_id})[0]["marked"])


def mark_conversation_read(engine: GraphEngine, member_id: str, conversation_id: str) -> None:
    """Mark read my notifications of the messages of one conversation."""
    engine.write(MARK_CONVERSATION_READ,
                 {"member_id": member_id, "conversation_id": conversation_id})


def mail_off(engine: GraphEngine, member_id: str) -> list[str]:
    """The kinds of mail (MAIL_KINDS) the member turned off."""
    rows = engine.read(MAIL_OFF, {"member_id": member_id})
    return list(rows[0]["kinds"]) if rows else []


def set_mail_off(engine: GraphEngine, member_id: str, kinds: list[str]) -> None:
    """Turn off these kinds of mail for the member, and every other kind on."""
    unknown = set(kinds) - set(MAIL_KINDS)
    if unknown:
        raise ValueError(f"not kinds of mail: {sorted(unknown)}")
    engine.write(SET_MAIL_OFF, {"member_id": member_id, "kinds": sorted(kinds)})


def wanting_mail(engine: GraphEngine, member_ids: list[str], kind: str) -> set[str]:
    """Those of these members who want the mail of `kind` (see MAIL_KINDS)."""
    if not member_ids:
        return set()
    return {row["id"] for row in engine.read(WANTING_MAIL[kind], {"ids": member_ids})}
