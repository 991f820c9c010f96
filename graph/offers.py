"""Offers: what members lend, rent, share or give, each shown only to the circle its owner
chose, and the feed that gathers what a member may see.

An offer is `(owner:Member)-[:OFFERS]->(o:Offer)`. Its `kind` is 'offer' (the owner lends,
rents, gives) or 'request' (the owner asks for help): both have the same circles,
conversations and references; offers made before requests existed have no `kind` and are
offers. Its `visibility` is 1, 2 or 3 (up to that
degree from the owner) or 0 (the whole network: every active member). It is on show while
its `status` is 'active' and an admin has not `hidden` it; only an active owner's offers are
seen by anyone but the owner. Dates are ISO `YYYY-MM-DD` strings; `price` None means free.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from dataclasses import asdict, dataclass

from graph.engine import GraphEngine
from graph.errors import Conflict, Invalid, NotFound
from graph.ids import id_for_form
from graph.locks import write_lock
from graph.references import Reference, recommending, shown_about
from graph.trust import LEVELS, next_level, statement, walk_start, with_circle, with_path

KINDS = ("offer", "request")
CATEGORIES = (
    "housing_rental", "holiday_home", "car_loan", "ride_sharing", "tools", "services",
    "giveaway", "other",
)
WHOLE_NETWORK = 0
VISIBILITIES = (1, 2, 3, WHOLE_NETWORK)
CURRENCY_CODE = re.compile(r"[A-Z]{3}")
MAX_TITLE = 120
MAX_DESCRIPTION = 4000
MAX_AREA = 120
MAX_PRICE = 1_000_000  # currency units; a bound every page can format
DAY = 86_400
# action: (statuses it applies to, status it sets)
TRANSITIONS = {
    "pause": (("active",), "paused"),
    "resume": (("paused",), "active"),
    "close": (("active", "paused"), "closed"),
}

OFFER_PROJECTION = (
    "o {.id, .title, .description, .category, .area, .price, .currency, .visibility, "
    ".status, .hidden, .created_at, .updated_at, .available_from, .available_until, "
    "kind: coalesce(o.kind, 'offer')}"
)

# `o` is on show to everyone the owner chose, `degree` steps away; a null degree (not
# connected) sees only whole-network offers.
_ON_SHOW = "o.status = 'active' AND NOT o.hidden"
_WITHIN_REACH = "(o.visibility = 0 OR o.visibility >= degree)"

# Who may see what, answered for `me` ($member_id) from my circle: walked first, whatever
# is asked, so that a page about an offer or a member I may not see costs the same whether
# it exists, is out of my reach or its owner is banned (a faster "no" would tell them
# apart). The owner (`target`) sees their offer whatever its state.
_REACH_OF_TARGET = "[c IN circle WHERE c.n = target | c.degree][0]"
# The rule, after a MATCH that binds an offer `o` and its owner `target`.
_SEEN_BY_ME = """
WITH me, target, o, """ + _REACH_OF_TARGET + """ AS degree
WHERE me = target
   OR (me.status = 'active' AND target.status = 'active' AND """ + _ON_SHOW + """
       AND """ + _WITHIN_REACH + """)
"""
_VISIBLE_OFFER = """
MATCH (target:Member)-[:OFFERS]->(o:Offer {id: $offer_id})""" + _SEEN_BY_ME
_MEMBER_IN_REACH = """
MATCH (target:Member {id: $profile_id})
WITH me, target, """ + _REACH_OF_TARGET + """ AS degree
WHERE me = target OR degree IS NOT NULL
"""


def with_visible_offer(tail: str) -> dict[int, str]:
    """Statements binding `me` ($member_id), the offer $offer_id as `o` and its owner as
    `target` only if I may see it (the rule of every page and action about one offer),
    then running `tail` (per LEVELS, like graph.trust.with_circle). An owner who is no longer
    active still has a row for their own offer."""
    return with_circle(_VISIBLE_OFFER + tail, anyone=True)


def with_visible_offers(match: str, tail: str) -> dict[int, str]:
    """Statements binding active member `me` ($member_id), then each offer `o` and owner
    `target` that `match` (a MATCH of the caller) finds and I may see, by the rule of
    with_visible_offer, with its `degree`; then running `tail` (per LEVELS)."""
    return with_circle(match + _SEEN_BY_ME + tail)


# $id comes from the form's idempotency key: the same form sent twice finds the offer its
# first sending made (the owner's lock makes a concurrent twin wait for it on Neo4j).
CREATE_OFFER = """
MATCH (owner:Member {id: $owner_id})
WHERE owner.status = 'active'
""" + write_lock("owner") + """
WITH owner
MERGE (owner)-[:OFFERS]->(o:Offer {id: $id})
ON CREATE SET o.title = $title, o.description = $description, o.category = $category,
    o.area = $area, o.price = $price, o.currency = $currency, o.visibility = $visibility,
    o.kind = $kind, o.status = 'active', o.hidden = false, o.created_at = $now,
    o.updated_at = $now,
    o.available_from = $available_from, o.available_until = $available_until
RETURN o.id AS id
"""

UPDATE_OFFER = """
MATCH (:Member {id: $owner_id})-[:OFFERS]->(o:Offer {id: $id})
SET o.title = $title, o.description = $description, o.category = $category, o.area = $area,
    o.price = $price, o.currency = $currency, o.visibility = $visibility, o.kind = $kind,
    o.available_from = $available_from, o.available_until = $available_until,
    o.updated_at = $now
RETURN o.id AS id
"""

SET_STATUS = """
MATCH (:Member {id: $owner_id})-[:OFFERS]->(o:Offer {id: $offer_id})
WHERE o.status IN $from_statuses
SET o.status = $status, o.updated_at = $now
RETURN o.status AS status
"""

# The conversations about an offer go with it: they were about this offer only.
DELETE_OFFER = """
MATCH (:Member {id: $owner_id})-[:OFFERS]->(o:Offer {id: $offer_id})
OPTIONAL MATCH (o)<-[:ABOUT]-(c:Conversation)
OPTIONAL MATCH (c)-[:HAS]->(m:Message)
WITH o, collect(DISTINCT c) AS conversations, collect(DISTINCT m) AS messages
FOREACH (m IN messages | DETACH DELETE m)
FOREACH (c IN conversations | DETACH DELETE c)
DETACH DELETE o
RETURN size(conversations) AS conversations
"""

OWN_OFFER = (
    "MATCH (:Member {id: $owner_id})-[:OFFERS]->(o:Offer {id: $offer_id})\n"
    "RETURN " + OFFER_PROJECTION + " AS offer"
)

OWN_OFFERS = """
MATCH (:Member {id: $owner_id})-[:OFFERS]->(o:Offer)
CALL {
  WITH o
  OPTIONAL MATCH (o)<-[:ABOUT]-(c:Conversation)
  RETURN count(c) AS requests
}
RETURN """ + OFFER_PROJECTION + """ AS offer, requests
ORDER BY offer.created_at DESC, offer.id DESC
"""

# The feed: offers of my circle that their owners let me see (`near`, with degree and first
# hop), and, unless I filter by degree, whole-network offers of anyone (`far`). Each stream
# keeps only its newest $window offers, enough for the page asked; an offer in both keeps
# its degree. Whole-network offers are sought in widening time tiers (the last hour, 6
# hours, day, month, then ever): a tier runs only while the narrower ones found fewer than
# $window, so a busy network reads its newest offers only, whatever their total (at a
# million members, a day holds ~220 whole-network offers and 6 hours enough for a page).
# The far stream is sought first: when it fills the window, an offer older than the oldest
# of it cannot be on the page (at least $window newer ones are), so the near stream skips
# such offers before finding their owners (`floor`; the hubs' feeds ~20% faster at 1M).
_FEED_FILTERS = """
  AND ($category IS NULL OR o.category = $category)
  AND ($kind IS NULL OR coalesce(o.kind, 'offer') = $kind)
  AND ($text IS NULL OR toLower(o.title) CONTAINS $text
       OR toLower(o.description) CONTAINS $text OR toLower(o.area) CONTAINS $text)
"""

# The near stream walks my circle level by level like graph.trust's walk levels, but keeps
# offers instead of members: level k's offers are those of the members one step beyond the
# frontier (level k - 1, de-duplicated), within reach from degree k. An owner at walk level
# k is at degree k or nearer, so an offer within reach from some level is within reach
# from its owner's degree, and the smallest such level is that degree. The last level's
# members are never listed, only their offers: a hub's third level holds thousands of
# members and a tenth as many offers. The pattern leaves the owner anonymous so that
# FalkorDB traverses frontier -> offers in one step, and finds each offer's owner after; it
# names no labels past the frontier, so that Neo4j expands from it too (graph.trust).
#
# From the third level on, a frontier can be large (a hub's second level: 1,107 members at
# 1M), and when the floor is known there is a cheaper way to the same offers: start from
# the offers newer than the floor (an index range: a few times $window when whole-network
# offers are a fair share of all, whatever the frontier) and keep those whose owner is
# next to a frontier member. Such a level has both subqueries; its conditions let exactly
# one run. (At 1M, the 20 hubs' feeds: p99 29 -> 21 ms over the floor alone; ordinary
# ones ~0.3 ms slower: docs/benchmarks.md.)
_OFFER_FIRST_FROM = 200  # frontier members
_LEVEL_WANTED = "($max_degree IS NULL OR depth < $max_degree)"
_FROM_FRONTIER = f"(floor IS NULL OR size(frontier) <= {_OFFER_FIRST_FROM})"
_OFFERS_FROM_FRONTIER = """
CALL {
  WITH me, frontier, depth, floor
  UNWIND CASE WHEN """ + _LEVEL_WANTED + " AND " + _FROM_FRONTIER + """ THEN frontier ELSE []
         END AS f
  WITH me, floor, depth + 1 AS degree, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-()-[:OFFERS]->(o)
  WHERE (floor IS NULL OR o.created_at >= floor) AND """ + _ON_SHOW + " AND " + _WITHIN_REACH \
  + _FEED_FILTERS + """
  MATCH (owner)-[:OFFERS]->(o)
  WHERE owner.status = 'active' AND owner <> me
  RETURN collect({o: o, owner: owner, degree: degree, via: coalesce(via, owner)}) AS offers
}
"""
_RECENT_OFFERS_NEXT_TO_FRONTIER = """
CALL {
  WITH me, frontier, depth, floor
  UNWIND CASE WHEN """ + _LEVEL_WANTED + " AND NOT " + _FROM_FRONTIER + """ THEN [depth + 1]
         ELSE [] END AS degree
  WITH me, floor, degree, frontier, [f IN frontier | f.n] AS members
  MATCH (o:Offer)
  WHERE o.created_at >= floor AND """ + _ON_SHOW + " AND " + _WITHIN_REACH + _FEED_FILTERS + """
  MATCH (owner)-[:OFFERS]->(o)
  WHERE owner.status = 'active' AND owner <> me
  MATCH (owner)-[:SPONSORED]-(x)
  WHERE x IN members
  WITH o, owner, degree, frontier, head(collect(x)) AS x
  RETURN collect({o: o, owner: owner, degree: degree,
                  via: coalesce([f IN frontier WHERE f.n = x][0].via, owner)}) AS recent
}
"""
_NEXT_FEED_LEVEL = next_level(
    "depth + 1 < $hops AND ($max_degree IS NULL OR depth + 1 < $max_degree)")


def _feed_level(level: int) -> str:
    """The subqueries of walk level `level` (1 for my contacts), carrying the walk on. The
    first two start from me and from my contacts, never many: no offer-first subquery."""
    if level <= 2:
        return _OFFERS_FROM_FRONTIER + _NEXT_FEED_LEVEL + """
WITH me, next AS frontier, found + offers AS found, depth + 1 AS depth, far, floor
"""
    return _OFFERS_FROM_FRONTIER + _RECENT_OFFERS_NEXT_TO_FRONTIER + _NEXT_FEED_LEVEL + """
WITH me, next AS frontier, found + offers + recent AS found, depth + 1 AS depth, far, floor
"""


_FEED_NEAR = """
CALL {
  WITH found
  UNWIND found AS row
  WITH row.o AS o, row.owner AS owner, min(row.degree) AS degree,
       collect([row.degree, row.via]) AS vias
  WITH o, owner, degree, [v IN vias WHERE v[0] = degree][0][1] AS via
  ORDER BY o.created_at DESC, o.id DESC
  LIMIT $window
  RETURN collect({o: o, owner: owner, degree: degree, via: via}) AS near
}
WITH near, far
"""

_FAR_TIER = """
CALL {
  WITH me, far
  UNWIND CASE WHEN $max_degree IS NULL AND size(far) < $window THEN [1] ELSE [] END AS tier
  MATCH (o:Offer)
  WHERE o.visibility = 0 AND SINCE AND """ + _ON_SHOW + _FEED_FILTERS + """
  MATCH (owner)-[:OFFERS]->(o)
  WHERE owner.status = 'active' AND owner <> me
  WITH o, owner
  ORDER BY o.created_at DESC, o.id DESC
  LIMIT $window
  RETURN collect({o: o, owner: owner}) AS newest
}
WITH me, frontier, depth, found, CASE WHEN size(far) < $window THEN newest ELSE far END AS far
"""
_FAR_TIER_AGES = (3600, 6 * 3600, DAY, 30 * DAY)  # seconds; $since_<k> is now - the k-th
_FAR_TIERS = "".join(_FAR_TIER.replace("SINCE", since) for since in (
    *(f"o.created_at >= $since_{k}" for k in range(len(_FAR_TIER_AGES))), "o.created_at >= 0"))

# The walk's start with an empty far stream, and after the tiers the floor: the oldest
# date of a full far stream, else none.
_FAR_START = "WITH me, frontier, depth, found, [] AS far\n"
_FLOOR = """
WITH me, frontier, depth, found, far,
     CASE WHEN size(far) < $window THEN null
          ELSE reduce(oldest = null, f IN far |
                      CASE WHEN oldest IS NULL OR f.o.created_at < oldest
                           THEN f.o.created_at ELSE oldest END) END AS floor
"""

_FEED_PAGE = """
UNWIND near + far AS row
WITH row.o AS o, row.owner AS owner, min(row.degree) AS degree, collect(row.via) AS vias
WITH o, owner, degree, head(vias) AS via
RETURN """ + OFFER_PROJECTION + """ AS offer, owner {.id, .name} AS owner, degree,
       CASE WHEN via IS NULL THEN null ELSE via {.id, .name} END AS via
ORDER BY offer.created_at DESC, offer.id DESC
SKIP $skip
LIMIT $limit
"""

FEED = {n: walk_start("found") + _FAR_START + _FAR_TIERS + _FLOOR
           + "".join(_feed_level(level) for level in range(1, n + 1)) + _FEED_NEAR + _FEED_PAGE
        for n in LEVELS}

# After the visibility check, the path to the owner, how many of my contacts recommend
# them and whether I starred the offer (graph.favourites): only for an offer I may see.
OFFER_PAGE = with_path(with_visible_offer("WITH me, target\n"), recommending("me", "target") + """
MATCH (target)-[:OFFERS]->(o:Offer {id: $offer_id})
CALL {
  WITH me, o
  OPTIONAL MATCH (me)-[star:STARRED]->(o)
  RETURN count(star) > 0 AS starred
}
RETURN """ + OFFER_PROJECTION + """ AS offer, target {.id, .name} AS owner, degree, strength,
       [n IN path | n {.id, .name}] AS path, recommending, starred
""")

# A member's profile: within the maximum degree only (or my own), with the offers they let
# me see and the references about them; the same walk of my circle first as for an offer.
PROFILE = with_path(with_circle(_MEMBER_IN_REACH + "WITH me, target\n"), """
WITH target, degree, path, strength
WHERE degree IS NOT NULL
CALL {
  WITH target, degree
  MATCH (target)-[:OFFERS]->(o:Offer)
  WHERE """ + _ON_SHOW + " AND " + _WITHIN_REACH + """
  RETURN collect(""" + OFFER_PROJECTION + """) AS offers
}
""" + shown_about("target") + """
RETURN target {.id, .name, .created_at, .bio} AS member, degree, strength, offers, references,
       [n IN path | n {.id, .name}] AS path
""")


@dataclass(frozen=True)
class OfferDraft:
    """What an owner fills in; `checked()` says what is wrong with it."""

    title: str
    description: str
    category: str
    area: str
    price: float | None
    currency: str
    visibility: int
    available_from: str | None = None
    available_until: str | None = None
    kind: str = "offer"

    def checked(self) -> dict:
        """The draft as statement parameters, trimmed; Invalid names the first problem."""
        fields = asdict(self)
        for name, limit in (("title", MAX_TITLE), ("description", MAX_DESCRIPTION),
                            ("area", MAX_AREA)):
            fields[name] = fields[name].strip()
            if not fields[name] or len(fields[name]) > limit:
                raise Invalid("a title, a description and an area are required, "
                              "within their length limits")
        if self.category not in CATEGORIES:
            raise Invalid("unknown category")
        if self.kind not in KINDS:
            raise Invalid("an offer or a request, nothing else")
        if self.visibility not in VISIBILITIES:
            raise Invalid("unknown visibility")
        if not CURRENCY_CODE.fullmatch(self.currency):
            raise Invalid("a currency is a three-letter code such as EUR")
        if self.price is not None and not 0 <= self.price <= MAX_PRICE:  # False for NaN
            raise Invalid("a price is a number from 0 to 1000000")
        fields["price"] = float(self.price) if self.price else None
        for name in ("available_from", "available_until"):
            if fields[name] is not None:
                try:
                    dt.date.fromisoformat(fields[name])
                except ValueError:
                    raise Invalid("a date must be written YYYY-MM-DD") from None
        if self.available_from and self.available_until \
                and self.available_until < self.available_from:
            raise Invalid("the offer cannot end before it starts")
        return fields


@dataclass(frozen=True)
class Offer:
    """An offer as read from the graph."""

    id: str
    title: str
    description: str
    category: str
    area: str
    price: float | None
    currency: str
    visibility: int
    status: str
    hidden: bool
    created_at: float
    updated_at: float
    available_from: str | None
    available_until: str | None
    kind: str

    @classmethod
    def from_row(cls, row: dict) -> Offer:
        """Build from an OFFER_PROJECTION map."""
        return cls(**row)

    @property
    def is_request(self) -> bool:
        """True when the owner asks for help rather than offers it."""
        return self.kind == "request"

    @property
    def is_free(self) -> bool:
        """True when the owner asks nothing for it."""
        return self.price is None

    @property
    def actions(self) -> list[str]:
        """The status changes its owner can make now (see TRANSITIONS)."""
        return [action for action, (sources, _) in TRANSITIONS.items() if self.status in sources]


@dataclass(frozen=True)
class Person:
    """A member as others see them: a name to show and an id to link."""

    id: str
    name: str


@dataclass(frozen=True)
class FeedItem:
    """One card of the feed: the offer, its owner, how far they are and the first hop."""

    offer: Offer
    owner: Person
    degree: int | None
    via: Person | None


@dataclass(frozen=True)
class FeedPage:
    """A page of the feed, newest first."""

    items: list[FeedItem]
    page: int
    has_next: bool


@dataclass(frozen=True)
class OfferView:
    """An offer I may see, with the trust path from me to its owner."""

    offer: Offer
    owner: Person
    degree: int | None
    path: list[Person] | None
    strength: int
    recommending: int  # my contacts who left a positive reference about the owner
    starred: bool  # one of my favourites


@dataclass(frozen=True)
class Profile:
    """A member within my circle, how I reach them, and the offers they let me see."""

    member: Person
    member_since: float
    bio: str
    degree: int
    path: list[Person]
    strength: int
    offers: list[Offer]
    references: list[Reference]  # newest first


def _people(rows: list[dict] | None) -> list[Person] | None:
    return None if rows is None else [Person(**row) for row in rows]


def create_offer(engine: GraphEngine, owner_id: str, draft: OfferDraft,
                 now: float | None = None, form_key: str | None = None) -> str:
    """Publish a new, active offer of an active member; return its id.

    `form_key`: the idempotency key of the form that asks (see graph.ids.id_for_form); the
    same form sent again returns the offer it published, unchanged.
    """
    params = {**draft.checked(), "owner_id": owner_id, "id": id_for_form(owner_id, form_key),
              "now": time.time() if now is None else now}
    if not engine.write(CREATE_OFFER, params):
        raise Conflict("only an active member can publish offers")
    return str(params["id"])


def update_offer(engine: GraphEngine, owner_id: str, offer_id: str, draft: OfferDraft,
                 now: float | None = None) -> None:
    """Change what an offer says and who may see it; only its owner can."""
    params = {**draft.checked(), "owner_id": owner_id, "id": offer_id,
              "now": time.time() if now is None else now}
    if not engine.write(UPDATE_OFFER, params):
        raise NotFound("no such offer")


def change_status(engine: GraphEngine, owner_id: str, offer_id: str, action: str,
                  now: float | None = None) -> str:
    """Pause, resume or close one of my offers; return its new status."""
    if action not in TRANSITIONS:
        raise NotFound("no such action")
    from_statuses, status = TRANSITIONS[action]
    rows = engine.write(SET_STATUS, {
        "owner_id": owner_id, "offer_id": offer_id, "from_statuses": list(from_statuses),
        "status": status, "now": time.time() if now is None else now,
    })
    if not rows:
        own_offer(engine, owner_id, offer_id)
        raise Conflict("this offer is not in a state that allows this")
    return str(rows[0]["status"])


def delete_offer(engine: GraphEngine, owner_id: str, offer_id: str) -> None:
    """Delete one of my offers and the conversations about it."""
    if not engine.write(DELETE_OFFER, {"owner_id": owner_id, "offer_id": offer_id}):
        raise NotFound("no such offer")


def own_offer(engine: GraphEngine, owner_id: str, offer_id: str) -> Offer:
    """One of my offers, whatever its state; NotFound for anyone else's."""
    rows = engine.read(OWN_OFFER, {"owner_id": owner_id, "offer_id": offer_id})
    if not rows:
        raise NotFound("no such offer")
    return Offer.from_row(rows[0]["offer"])


def own_offers(engine: GraphEngine, owner_id: str) -> list[tuple[Offer, int]]:
    """My offers, newest first, each with how many members asked about it."""
    rows = engine.read(OWN_OFFERS, {"owner_id": owner_id})
    return [(Offer.from_row(row["offer"]), int(row["requests"])) for row in rows]


def feed(engine: GraphEngine, member_id: str, max_hops: int, *, page: int = 1,
         per_page: int = 20, category: str | None = None, max_degree: int | None = None,
         text: str | None = None, kind: str | None = None) -> FeedPage:
    """The offers and requests I may see, newest first, filtered, one page: a single query.

    max_degree None also shows whole-network offers of members beyond my circle; kind None
    shows both offers and requests.
    """
    skip = (max(page, 1) - 1) * per_page
    now = time.time()
    rows = engine.read(statement(FEED, max_hops), {
        "member_id": member_id, "hops": max_hops, "category": category,
        "max_degree": max_degree, "kind": kind,
        "text": text.strip().lower() if text and text.strip() else None,
        "skip": skip, "limit": per_page + 1, "window": skip + per_page + 1,
        **{f"since_{k}": now - age for k, age in enumerate(_FAR_TIER_AGES)},
    })
    items = [
        FeedItem(offer=Offer.from_row(row["offer"]), owner=Person(**row["owner"]),
                 degree=row["degree"], via=Person(**row["via"]) if row["via"] else None)
        for row in rows[:per_page]
    ]
    return FeedPage(items=items, page=max(page, 1), has_next=len(rows) > per_page)


def offer_for(engine: GraphEngine, member_id: str, offer_id: str, max_hops: int) -> OfferView:
    """An offer with the trust path to its owner; NotFound unless I may see it."""
    rows = engine.read(statement(OFFER_PAGE, max_hops),
                       {"member_id": member_id, "offer_id": offer_id, "hops": max_hops})
    if not rows:
        raise NotFound("no such offer")
    row = rows[0]
    return OfferView(offer=Offer.from_row(row["offer"]), owner=Person(**row["owner"]),
                     degree=row["degree"], path=_people(row["path"]),
                     strength=int(row["strength"]), recommending=int(row["recommending"]),
                     starred=bool(row["starred"]))


def profile_for(engine: GraphEngine, member_id: str, profile_id: str,
                max_hops: int) -> Profile:
    """A member within my maximum degree and their offers I may see; NotFound otherwise."""
    rows = engine.read(statement(PROFILE, max_hops),
                       {"member_id": member_id, "profile_id": profile_id, "hops": max_hops})
    if not rows:
        raise NotFound("no such member")
    row = rows[0]
    offers = sorted((Offer.from_row(o) for o in row["offers"]),
                    key=lambda offer: (offer.created_at, offer.id), reverse=True)
    member = row["member"]
    return Profile(member=Person(id=member["id"], name=member["name"]),
                   member_since=member["created_at"], bio=member["bio"] or "",
                   degree=row["degree"],
                   path=_people(row["path"]) or [], strength=int(row["strength"]),
                   offers=offers,
                   references=sorted((Reference.from_row(r) for r in row["references"]),
                                     key=lambda r: (r.created_at, r.id), reverse=True))
