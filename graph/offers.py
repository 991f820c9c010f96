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
import unicodedata
from dataclasses import asdict, dataclass
from enum import StrEnum

from graph.engine import GraphEngine, fulltext_index_name
from graph.errors import Conflict, Invalid, NotFound
from graph.ids import id_for_form, optional_by_id
from graph.locks import write_lock
from graph.members import blocked_between, is_active, with_blocked
from graph.migrations import mark_migrated, migrated, write_in_batches
from graph.places import PLACE_PROJECTION, Place
from graph.references import Reference, recommending, shown_about
from graph.trust import (
    LEVELS,
    PathStep,
    next_level,
    path_links,
    path_steps,
    statement,
    walk_start,
    with_circle,
    with_path,
)

KINDS = ("offer", "request")
CATEGORIES = (
    "housing_rental", "holiday_home", "car_loan", "ride_sharing", "tools", "services",
    "giveaway", "other",
)
# What a price pays for; an offer without a price (free) has no unit.
PRICE_UNITS = ("night", "day", "week", "hour", "once")
WHOLE_NETWORK = 0
VISIBILITIES = (1, 2, 3, WHOLE_NETWORK)
CURRENCY_CODE = re.compile(r"[A-Z]{3}")
MAX_TITLE = 120
MAX_DESCRIPTION = 4000
MAX_AREA = 120
MAX_PRICE = 1_000_000  # currency units; a bound every page can format
DAY = 86_400


class OfferStatus(StrEnum):
    """An offer's `status`, which its owner changes (TRANSITIONS); `hidden` is the admins'."""

    ACTIVE = "active"
    PAUSED = "paused"
    CLOSED = "closed"


def is_listed(offer: str) -> str:
    """The Cypher condition under which `offer` (a variable) is still listed by its owner,
    on show or paused: what a ban of the owner hides."""
    return f"{offer}.status IN {[str(OfferStatus.ACTIVE), str(OfferStatus.PAUSED)]!r}"


DISTANCES_KM = (5, 10, 25, 50)  # the feed's choices of distance from home


# action: (statuses it applies to, status it sets)
TRANSITIONS = {
    "pause": ((OfferStatus.ACTIVE,), OfferStatus.PAUSED),
    "resume": ((OfferStatus.PAUSED,), OfferStatus.ACTIVE),
    "close": ((OfferStatus.ACTIVE, OfferStatus.PAUSED), OfferStatus.CLOSED),
}

OFFER_PROJECTION = (
    "o {.id, .title, .description, .category, .area, .price, .price_unit, .currency, "
    ".visibility, "
    ".status, .hidden, .created_at, .updated_at, .available_from, .available_until, .photos, "
    "kind: coalesce(o.kind, 'offer')}"
)

# `o` is on show to everyone the owner chose, `degree` steps away; a null degree (not
# connected) sees only whole-network offers.
_ON_SHOW = f"o.status = '{OfferStatus.ACTIVE}' AND NOT o.hidden"
_WITHIN_REACH = "(o.visibility = 0 OR o.visibility >= degree)"

# Who may see what, answered for `me` ($member_id) from my circle: walked first, whatever
# is asked, so that a page about an offer or a member I may not see costs the same whether
# it exists, is out of my reach or its owner is banned (a faster "no" would tell them
# apart). The owner (`target`) sees their offer whatever its state.
_REACH_OF_TARGET = "[c IN circle WHERE c.n = target | c.degree][0]"
# OPTIONAL: the checks below run for an offer that does not exist too (the same cost).
_THE_OFFER = "\nOPTIONAL MATCH (target:Member)-[:OFFERS]->(o:Offer {id: $offer_id})\n"
_VISIBLE = """
WHERE me = target
   OR (""" + is_active("me") + """ AND """ + is_active("target") + """ AND """ + _ON_SHOW + """
       AND """ + _WITHIN_REACH + """ AND NOT blocked)
"""
# The rule, after a MATCH that binds an offer `o` and its owner `target`.
_SEEN_BY_ME = "WITH me, target, o, " + _REACH_OF_TARGET + " AS degree" \
    + with_blocked("me", "target", "blocked") + "WITH me, target, o, degree, blocked" + _VISIBLE
_VISIBLE_OFFER = _THE_OFFER + _SEEN_BY_ME
# A closed offer stays readable, marked closed, by the members who wrote to its owner about
# it: their conversation refers to it. Only the offer's page allows this case; asking about
# an offer (graph.conversations) still needs it on show.
_ASKED_ABOUT_CLOSED = """
   OR (""" + is_active("me") + " AND " + is_active("target") + f"""
       AND o.status = '{OfferStatus.CLOSED}' AND NOT o.hidden AND asked_about AND NOT blocked)
"""
_READABLE_OFFER = _THE_OFFER + """OPTIONAL MATCH (me)-[:ASKED]->(asked:Conversation)-[:ABOUT]->(o)
WITH me, target, o, """ + _REACH_OF_TARGET + """ AS degree, count(asked) > 0 AS asked_about""" \
    + with_blocked("me", "target", "blocked") + "WITH me, target, o, degree, asked_about, blocked" \
    + _VISIBLE.rstrip("\n") + _ASKED_ABOUT_CLOSED
# Who may see a member's profile (`target`) for `me`, `degree` steps away (null beyond my
# maximum degree): myself, a member of my circle, or an active member who wrote to me about
# one of my offers, so that an owner can see who writes to them.
# (Both subqueries also run for a member that does not exist: see above.)
_MAY_SEE_PROFILE = """
CALL {
  WITH me, target
  OPTIONAL MATCH (target)-[:ASKED]->(asked:Conversation)-[:ABOUT]->(:Offer)<-[:OFFERS]-(me)
  RETURN count(asked) > 0 AS wrote_to_me
}
""" + with_blocked("me", "target", "blocked") + """
WITH me, target, degree, blocked, wrote_to_me
WHERE target IS NOT NULL
  AND (me = target OR degree IS NOT NULL
       OR (""" + is_active("me") + " AND " + is_active("target") + """ AND wrote_to_me))
"""
_MEMBER_IN_REACH = """
OPTIONAL MATCH (target:Member {id: $profile_id})
WITH me, target, """ + _REACH_OF_TARGET + """ AS degree
""" + _MAY_SEE_PROFILE
_NOT_BLOCKED = "  AND (me = target OR NOT blocked)\n"


def with_profile_seen(tail: str, *, blocked_too: bool = False) -> dict[int, str]:
    """Statements binding `me` ($member_id), the member $profile_id as `target` and its
    `degree` only if I may see their profile (the rule of every page and action about one
    member, see _MAY_SEE_PROFILE), then running `tail` (per LEVELS). A member blocked
    either way is not seen, unless `blocked_too` (to block them)."""
    return with_circle(_MEMBER_IN_REACH + ("" if blocked_too else _NOT_BLOCKED) + tail)


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


# A whole-network offer's place is linked a second time, by WHOLE_NETWORK_AT: the feed within
# a distance finds the whole-network offers of the places in reach through it, without
# reading the place's offers of every other visibility (a big town holds thousands). The
# statements that set an offer's visibility set its place too (_SET_PLACE), so both links
# always change together.
WHOLE_NETWORK_AT = "WHOLE_NETWORK_AT"

# An offer's place ($place_id, none when null): its link to the place (and the second link
# of a whole-network offer, above) and a copy of the place's point (graph.places).
_SET_PLACE = """
WITH o
OPTIONAL MATCH (o)-[old:AT|""" + WHOLE_NETWORK_AT + """]->()
WITH o, collect(old) AS old
FOREACH (r IN old | DELETE r)
WITH o
""" + optional_by_id("p", "Place", "place_id") + """
FOREACH (x IN CASE WHEN p IS NULL THEN [] ELSE [p] END | CREATE (o)-[:AT]->(x))
FOREACH (x IN CASE WHEN p IS NULL OR o.visibility <> 0 THEN [] ELSE [p] END |
  CREATE (o)-[:""" + WHOLE_NETWORK_AT + """]->(x))
SET o.location = p.location
RETURN o.id AS id
"""

# $id comes from the form's idempotency key: the same form sent twice finds the offer its
# first sending made (the owner's lock makes a concurrent twin wait for it on Neo4j).
CREATE_OFFER = """
MATCH (owner:Member {id: $owner_id})
WHERE """ + is_active("owner") + """
""" + write_lock("owner") + """
WITH owner
MERGE (owner)-[:OFFERS]->(o:Offer {id: $id})
ON CREATE SET o.title = $title, o.description = $description, o.category = $category,
    o.area = $area, o.price = $price, o.price_unit = $price_unit, o.currency = $currency,
    o.search_text = $search_text, o.visibility = $visibility, o.kind = $kind,
    o.status = '""" + OfferStatus.ACTIVE \
    + """', o.hidden = false, o.created_at = $now, o.updated_at = $now,
    o.available_from = $available_from, o.available_until = $available_until
""" + _SET_PLACE

UPDATE_OFFER = """
MATCH (:Member {id: $owner_id})-[:OFFERS]->(o:Offer {id: $id})
SET o.title = $title, o.description = $description, o.category = $category, o.area = $area,
    o.price = $price, o.price_unit = $price_unit, o.currency = $currency,
    o.search_text = $search_text, o.visibility = $visibility, o.kind = $kind,
    o.available_from = $available_from, o.available_until = $available_until,
    o.updated_at = $now
""" + _SET_PLACE

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
OPTIONAL MATCH (m)<-[:ABOUT]-(told:Notification)
WITH o, collect(DISTINCT c) AS conversations,
     collect(DISTINCT m) + collect(DISTINCT told) AS messages
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
# hop), then, unless I filter by degree or hid them, whole-network offers of members beyond
# my circle (`far`). Each stream keeps only its newest $window offers, enough for the page
# asked. The near stream is walked first: while it holds $window offers, no far offer can
# be on the page, so the far stream is sought only for a circle with fewer. It is sought in
# widening time tiers (the last hour, 6 hours, day, month, then ever): a tier runs only
# while the narrower ones found too few, so a busy network reads its newest offers only,
# whatever their total (at a million members, a day holds ~220 whole-network offers).
# An owner who blocked me, or whom I blocked, has no offer in my feed (graph.blocks).
_NOT_BLOCKED_OWNER = "AND NOT " + blocked_between("me", "owner")
_FEED_FILTERS = """
  AND ($category IS NULL OR o.category = $category)
  AND ($radius IS NULL OR distance(o.location, me.location) <= $radius)
  AND ($kind IS NULL OR coalesce(o.kind, 'offer') = $kind)
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
# Before each level, the `floor`: once the levels before hold $window offers, an offer
# older than the oldest of the $window newest cannot be on the page (newest first), so the
# level skips such offers before finding their owners. It is what keeps a hub's large
# third level cheap: its first two levels already fill a page. None while they hold fewer,
# and none when the page is ordered by distance.
_FLOOR = """
CALL {
  WITH found
  UNWIND CASE WHEN $radius IS NULL AND size(found) >= $window THEN found ELSE [] END AS row
  WITH DISTINCT row.o AS o
  ORDER BY o.created_at DESC
  LIMIT $window
  RETURN CASE WHEN count(o) < $window THEN null ELSE min(o.created_at) END AS floor
}
"""
_OFFERS_FROM_FRONTIER = """
CALL {
  WITH me, frontier, depth, floor
  UNWIND CASE WHEN $max_degree IS NULL OR depth < $max_degree THEN frontier ELSE [] END AS f
  WITH me, floor, depth + 1 AS degree, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-()-[:OFFERS]->(o)
  WHERE (floor IS NULL OR o.created_at >= floor) AND """ + _ON_SHOW + " AND " + _WITHIN_REACH \
  + _FEED_FILTERS + """
  MATCH (owner)-[:OFFERS]->(o)
  WHERE """ + is_active("owner") + """ AND owner <> me """ + _NOT_BLOCKED_OWNER + """
  RETURN collect({o: o, owner: owner, degree: degree, via: coalesce(via, owner)}) AS offers
}
"""
_NEXT_FEED_LEVEL = next_level(
    "depth + 1 < $hops AND ($max_degree IS NULL OR depth + 1 < $max_degree)")
_FEED_LEVEL = _FLOOR + _OFFERS_FROM_FRONTIER + _NEXT_FEED_LEVEL + """
WITH me, next AS frontier, found + offers AS found, depth + 1 AS depth
"""


# The order of the page: my circle's offers first, then whole-network offers of members
# beyond it; each newest first, or within $radius by degree then distance (nearest first
# within a degree).
_BY_TRUST_AND_NEARNESS = """
  CASE WHEN degree IS NULL THEN 1 ELSE 0 END,
  CASE WHEN $radius IS NULL THEN 0 ELSE coalesce(degree, $hops + 1) END,
  CASE WHEN $radius IS NULL THEN 0 ELSE distance(me.location, o.location) END,
  o.created_at DESC, o.id DESC
"""
_FEED_NEAR = """
CALL {
  WITH me, found
  UNWIND found AS row
  WITH me, row.o AS o, row.owner AS owner, min(row.degree) AS degree,
       collect([row.degree, row.via]) AS vias
  WITH me, o, owner, degree, [v IN vias WHERE v[0] = degree][0][1] AS via
  ORDER BY """ + _BY_TRUST_AND_NEARNESS + """
  LIMIT $window
  RETURN collect({o: o, owner: owner, degree: degree, via: via}) AS near
}
WITH me, near
"""

def _owners_until_full(stream: str) -> str:
    """The end of a whole-network subquery: its candidate offers `o`, already in the page's
    order, keep their owner (active, not me, nobody blocked) until $window of them are found,
    returned as `stream` (a constant here). Owners are checked for the candidates that can
    still reach the page only, not for every offer the subquery read."""
    return """  WITH me, collect(o) AS candidates
  UNWIND candidates AS o
  MATCH (owner)-[:OFFERS]->(o)
  WHERE """ + is_active("owner") + """ AND owner <> me """ + _NOT_BLOCKED_OWNER + """
  WITH o, owner
  LIMIT $window
  RETURN collect({o: o, owner: owner}) AS """ + stream + "\n"


# Whether I want whole-network offers of members beyond my circle in my feed (a saved
# preference, shown unless I hid them).
_SHOWS_WHOLE_NETWORK = "NOT coalesce(me.hide_whole_network, false)"
# The far stream starts empty, knowing the near stream's offers: a whole-network offer of a
# member of my circle is among them already (with its degree), so the far stream skips it
# and counts only offers beyond my circle towards the $window it needs.
_FAR_START = "WITH me, near, [row IN near | row.o] AS near_offers, [] AS far\n"
_FAR_WANTED = "size(near_offers) + size(far) < $window"
_FAR_TIER = """
CALL {
  WITH me, far, near_offers
  UNWIND CASE WHEN $max_degree IS NULL AND """ + _SHOWS_WHOLE_NETWORK + """ AND $radius IS NULL
         AND """ + _FAR_WANTED + """ THEN [1] ELSE [] END AS tier
  MATCH (o:Offer)
  WHERE o.visibility = 0 AND SINCE AND """ + _ON_SHOW + _FEED_FILTERS + """
    AND NOT o IN near_offers
  WITH me, o
  ORDER BY o.created_at DESC, o.id DESC
""" + _owners_until_full("newest") + """}
WITH me, near, near_offers, CASE WHEN """ + _FAR_WANTED + """ THEN newest ELSE far END AS far
"""
_FAR_TIER_AGES = (3600, 6 * 3600, DAY, 30 * DAY)  # seconds; $since_<k> is now - the k-th
_FAR_TIERS = "".join(_FAR_TIER.replace("SINCE", since) for since in (
    *(f"o.created_at >= $since_{k}" for k in range(len(_FAR_TIER_AGES))), "o.created_at >= 0"))

# Within $radius metres of my home, whole-network offers are found from the places in
# reach, nearest first: the newest first would not be the ones a page ordered by distance
# shows. The places come first, from the points' spatial index, seeked from my home's point
# given as $here (read first: HOME_POINT), since FalkorDB seeks it from a parameter but
# scans every place for a point read in the statement; collected, so that the planner
# goes from them to their whole-network offers (WHOLE_NETWORK_AT: the way in; the offer's
# own visibility still decides) rather than from every whole-network offer to its place.
# A big town's place holds thousands of offers: they are put in the page's order first (an
# offer is at its place's point), and only then are their owners checked, one candidate
# after the other until $window pass, so that a page checks the owners of the offers it can
# show, not of every offer in reach.
_FAR_NEARBY = """
CALL {
  WITH me, near_offers
  UNWIND CASE WHEN $max_degree IS NULL AND """ + _SHOWS_WHOLE_NETWORK + """ AND $radius IS NOT NULL
         AND $here IS NOT NULL AND me.location IS NOT NULL AND size(near_offers) < $window
         THEN [1] ELSE [] END AS in_reach
  MATCH (p:Place)
  WHERE distance(p.location, point($here)) <= $radius
  WITH me, near_offers, collect(p) AS places
  UNWIND places AS p
  MATCH (p)<-[:""" + WHOLE_NETWORK_AT + """]-(o:Offer)
  WHERE o.visibility = 0 AND """ + _ON_SHOW + _FEED_FILTERS + """
    AND NOT o IN near_offers
  WITH me, o
  ORDER BY distance(o.location, me.location), o.created_at DESC, o.id DESC
""" + _owners_until_full("nearby") + """}
WITH me, near, far + nearby AS far
"""

_FEED_PAGE = """
UNWIND near + far AS row
WITH me, row.o AS o, row.owner AS owner, row.degree AS degree, row.via AS via
OPTIONAL MATCH (o)-[:AT]->(p:Place)
WITH me, o, owner, degree, via, p
ORDER BY """ + _BY_TRUST_AND_NEARNESS + """
SKIP $skip
LIMIT $limit
RETURN """ + OFFER_PROJECTION + """ AS offer, owner {.id, .name} AS owner, degree,
       CASE WHEN via IS NULL THEN null ELSE via {.id, .name} END AS via,
       CASE WHEN p IS NULL THEN null ELSE """ + PLACE_PROJECTION + """ END AS place,
       distance(me.location, o.location) AS distance
"""

# The feed searched by text starts from the engine's full-text index of the offers'
# `search_text` ($query: prefix terms, see search_query), never from a scan of their texts,
# then keeps what the feed's rules let me see: on show, of an active owner, within reach of
# my circle (an owner outside it: whole-network offers only, unless I hid them), nobody
# blocked either way, within the distance asked; ordered like the feed. The procedure
# differs per engine; the rest of the statement is the same text. The owner is found from
# the offer and named without a label, so that Neo4j's planner does not start from all
# members instead.
_SEARCH_FEED = """
WITH me, circle
CALL SEARCH YIELD node
WITH me, circle, node AS o
WHERE """ + _ON_SHOW + _FEED_FILTERS + """
MATCH (owner)-[:OFFERS]->(o)
WHERE """ + is_active("owner") + """ AND owner <> me """ + _NOT_BLOCKED_OWNER + """
WITH me, o, owner, [c IN circle WHERE c.n = owner][0] AS reach
WITH me, o, owner, reach.degree AS degree, reach.via AS via
WHERE """ + _WITHIN_REACH + """
  AND ($max_degree IS NULL OR degree <= $max_degree)
  AND (degree IS NOT NULL OR """ + _SHOWS_WHOLE_NETWORK + """)
OPTIONAL MATCH (o)-[:AT]->(p:Place)
WITH me, o, owner, degree, via, p
ORDER BY """ + _BY_TRUST_AND_NEARNESS + """
SKIP $skip
LIMIT $limit
RETURN """ + OFFER_PROJECTION + """ AS offer, owner {.id, .name} AS owner, degree,
       CASE WHEN via IS NULL THEN null ELSE via {.id, .name} END AS via,
       CASE WHEN p IS NULL THEN null ELSE """ + PLACE_PROJECTION + """ END AS place,
       distance(me.location, o.location) AS distance
"""
SEARCH_FEED = with_circle(_SEARCH_FEED.replace(
    "SEARCH", f"db.index.fulltext.queryNodes('{fulltext_index_name('Offer', 'search_text')}', "
              "$query)"))
SEARCH_FEED_FALKORDB = with_circle(_SEARCH_FEED.replace(
    "SEARCH", "db.idx.fulltext.queryNodes('Offer', $query)"))

FEED = {n: walk_start("found") + _FEED_LEVEL * n + _FEED_NEAR + _FAR_START + _FAR_TIERS
           + _FAR_NEARBY + _FEED_PAGE
        for n in LEVELS}

# My home's point as the feed within a distance takes it ($here), or nulls without a home.
HOME_POINT = """
MATCH (me:Member {id: $member_id})
RETURN me.location.latitude AS latitude, me.location.longitude AS longitude
"""

SET_WHOLE_NETWORK_SHOWN = """
MATCH (me:Member {id: $member_id})
SET me.hide_whole_network = NOT $shown
RETURN me.id AS id
"""

# After the visibility check, the path to the owner, how many of my contacts recommend
# them, whether I starred the offer (graph.favourites), its town and how far it is from
# mine: only for an offer I may see, or a closed one I asked about.
OFFER_PAGE = with_path(with_circle(_READABLE_OFFER + "WITH me, target\n", anyone=True),
                       recommending("me", "target") + """
MATCH (target)-[:OFFERS]->(o:Offer {id: $offer_id})
CALL {
  WITH me, o
  OPTIONAL MATCH (me)-[star:STARRED]->(o)
  RETURN count(star) > 0 AS starred
}
OPTIONAL MATCH (o)-[:AT]->(p:Place)
""" + path_links() + """
RETURN """ + OFFER_PROJECTION + """ AS offer, target {.id, .name} AS owner, degree, strength,
       [n IN path | n {.id, .name}] AS path, links, recommending, starred,
       CASE WHEN p IS NULL THEN null ELSE """ + PLACE_PROJECTION + """ END AS place,
       distance(me.location, o.location) AS distance
""")

# A member's profile, by the rule of _MAY_SEE_PROFILE, with the offers they let me see
# (only whole-network ones beyond my maximum degree) and the references about them; the
# same walk of my circle first as for an offer.
PROFILE = with_path(with_profile_seen("WITH me, target\n"), path_links() + """
WITH target, degree, path, strength, links
CALL {
  WITH target, degree
  MATCH (target)-[:OFFERS]->(o:Offer)
  WHERE """ + _ON_SHOW + " AND " + _WITHIN_REACH + """
  RETURN collect(""" + OFFER_PROJECTION + """) AS offers
}
""" + shown_about("target") + """
RETURN target {.id, .name, .created_at, .photo, .bio} AS member, degree, strength, offers,
       references, [n IN path | n {.id, .name}] AS path, links
""")


# Letters that Unicode does not decompose into a base letter and an accent.
_UNFOLDED = str.maketrans({"œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d", "ß": "ss"})
# A word, hyphenated or not ("baby-sitting"), once folded.
_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_SHORTEST_TERM = 2  # FalkorDB's full-text index expands prefixes of two letters or more


def _folded_words(text: str) -> list[str]:
    """The words of `text` in lower case, without accents, hyphenated ones kept whole."""
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_UNFOLDED))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _WORD.findall(plain.replace("\u2011", "-").replace("\u2010", "-"))


def search_text(*texts: str) -> str:
    """What the full-text index holds of an offer: its words folded (no accents, lower case),
    each hyphenated word both joined and in its parts ("baby-sitting" gives "babysitting
    baby sitting"), so that a search finds it however members write the word."""
    terms: list[str] = []
    for word in _folded_words(" ".join(texts)):
        parts = word.split("-")
        terms += ["".join(parts), *parts] if len(parts) > 1 else parts
    return " ".join(terms)


# Offers published before the full-text search have no search_text (start-up gives them one).
UNSEARCHABLE_OFFERS = """
MATCH (o:Offer)
WHERE o.search_text IS NULL
RETURN o.id AS id, o.title AS title, o.description AS description, o.area AS area
"""

SET_SEARCH_TEXTS = """
UNWIND $offers AS row
MATCH (o:Offer {id: row.id})
WHERE o.search_text IS NULL
SET o.search_text = row.text
RETURN count(o) AS indexed
"""
_SEARCHABLE = "offers_searchable"  # the marker of make_offers_searchable


def make_offers_searchable(engine: GraphEngine) -> int:
    """Give every offer published before the full-text search its search_text, so that the
    search finds it; run at start-up, before any request, and only until it ran once to its
    end (graph.migrations): offers published since have theirs. Returns how many it
    indexed."""
    if migrated(engine, _SEARCHABLE):
        return 0
    rows = engine.start_up_read(UNSEARCHABLE_OFFERS)
    texts = [{"id": row["id"], "text": search_text(row["title"] or "", row["description"] or "",
                                                   row["area"] or "")} for row in rows]
    write_in_batches(engine, SET_SEARCH_TEXTS, "offers", texts)
    mark_migrated(engine, _SEARCHABLE)
    return len(texts)


# The whole-network offers placed before WHOLE_NETWORK_AT existed, and their second link; an
# offer is locked before its visibility and place are read again (graph.locks), so that a
# worker starting at the same time links it once.
UNLINKED_WHOLE_NETWORK_OFFERS = """
MATCH (o:Offer)-[:AT]->(p:Place)
WHERE o.visibility = 0 AND NOT (o)-[:""" + WHOLE_NETWORK_AT + """]->(p)
RETURN o.id AS id
"""
LINK_WHOLE_NETWORK_OFFERS = """
UNWIND $ids AS offer_id
MATCH (o:Offer {id: offer_id})
""" + write_lock("o") + """
WITH o
MATCH (o)-[:AT]->(p:Place)
WHERE o.visibility = 0 AND NOT (o)-[:""" + WHOLE_NETWORK_AT + """]->(p)
CREATE (o)-[:""" + WHOLE_NETWORK_AT + """]->(p)
RETURN count(o) AS linked
"""
_LINKED = "whole_network_offers_linked"  # the marker of link_whole_network_offers


def link_whole_network_offers(engine: GraphEngine) -> int:
    """Link every whole-network offer placed before WHOLE_NETWORK_AT existed to its place a
    second time, so that the feed within a distance finds it; run at start-up, before any
    request, until it ran once to its end (graph.migrations): offers placed since have
    theirs. It writes only when some offer needs it (a start on a full disk still serves
    reads). Returns how many it linked."""
    if migrated(engine, _LINKED):
        return 0
    ids = [row["id"] for row in engine.start_up_read(UNLINKED_WHOLE_NETWORK_OFFERS)]
    linked = sum(int(row["linked"])
                 for row in write_in_batches(engine, LINK_WHOLE_NETWORK_OFFERS, "ids", ids))
    mark_migrated(engine, _LINKED)
    return linked


def search_query(text: str, dialect: str) -> str | None:
    """The full-text query finding offers whose words start with every word typed, folded
    like search_text (a hyphenated word joined); None when nothing typed can be searched.
    Terms are letters and digits only, so nothing typed is read as query syntax; FalkorDB
    joins terms with AND by default, Neo4j's Lucene with OR unless told."""
    terms = [word.replace("-", "") + "*" for word in _folded_words(text)
             if len(word.replace("-", "")) >= _SHORTEST_TERM]
    if not terms:
        return None
    return (" AND " if dialect == "neo4j" else " ").join(terms)


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
    price_unit: str = "once"
    place_id: str | None = None  # graph.places; none: the offer has no place
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
        if fields["price"] is None:
            fields["price_unit"] = None
        elif self.price_unit not in PRICE_UNITS:
            raise Invalid("say what the price is for: a night, a day, a week, an hour or once")
        for name in ("available_from", "available_until"):
            if fields[name] is not None:
                try:
                    dt.date.fromisoformat(fields[name])
                except ValueError:
                    raise Invalid("a date must be written YYYY-MM-DD") from None
        if self.available_from and self.available_until \
                and self.available_until < self.available_from:
            raise Invalid("the offer cannot end before it starts")
        fields["search_text"] = search_text(fields["title"], fields["description"],
                                            fields["area"])
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
    kind: str  # 'offer' or a 'request' for help
    price_unit: str | None = None  # None for a free offer and for those published before units
    photos: tuple[str, ...] = ()  # ids, the first one shown on feed cards (graph.photos)

    @classmethod
    def from_row(cls, row: dict) -> Offer:
        """Build from an OFFER_PROJECTION map."""
        return cls(**{**row, "photos": tuple(row.get("photos") or ())})

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
    place: Place | None = None
    distance: float | None = None  # metres from my home's town centre to the offer's place


@dataclass(frozen=True)
class FeedPage:
    """A page of the feed: my circle's offers, then whole-network ones; newest first."""

    items: list[FeedItem]
    page: int
    has_next: bool


@dataclass(frozen=True)
class OfferView:
    """An offer I may see, with the trust path from me to its owner."""

    offer: Offer
    owner: Person
    degree: int | None
    path: list[PathStep] | None
    strength: int
    recommending: int  # my contacts who left a positive reference about the owner
    starred: bool  # one of my favourites
    place: Place | None = None
    distance: float | None = None  # metres from my home's town centre to the offer's place


@dataclass(frozen=True)
class Profile:
    """A member I may see, how I reach them (degree None: beyond my maximum degree), and the
    offers they let me see."""

    member: Person
    member_since: float
    bio: str
    degree: int | None
    path: list[PathStep]
    strength: int
    offers: list[Offer]
    references: list[Reference]  # newest first
    photo: str | None = None  # the id of their profile photo (graph.photos)


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
         text: str | None = None, within_km: int | None = None,
         kind: str | None = None) -> FeedPage:
    """The offers and requests I may see, newest first, filtered, one page: a single query.

    max_degree None also shows whole-network offers of members beyond my circle, after all
    of my circle's, unless I hid them (show_whole_network); kind None shows both offers and
    requests. A `text`
    searches the full-text index (see search_query); one with no searchable word finds
    nothing. within_km keeps the offers placed that near my home (none if I have not set
    one), ordered by degree, then nearest first.
    """
    skip = (max(page, 1) - 1) * per_page
    filters = {"category": category, "max_degree": max_degree, "kind": kind,
               "radius": None if within_km is None else within_km * 1000}
    if text and text.strip():
        rows = _search_feed(engine, member_id, max_hops, text, filters, skip=skip,
                            limit=per_page + 1)
    else:
        rows = _plain_feed(engine, member_id, max_hops, filters, skip=skip, per_page=per_page)
    items = [
        FeedItem(offer=Offer.from_row(row["offer"]), owner=Person(**row["owner"]),
                 degree=row["degree"], via=Person(**row["via"]) if row["via"] else None,
                 place=Place(**row["place"]) if row["place"] else None,
                 distance=row["distance"])
        for row in rows[:per_page]
    ]
    return FeedPage(items=items, page=max(page, 1), has_next=len(rows) > per_page)


def _search_feed(engine: GraphEngine, member_id: str, max_hops: int, text: str,
                 filters: dict, *, skip: int, limit: int) -> list[dict]:
    """The feed's rows for a text search, from the engine's full-text index."""
    query = search_query(text, engine.dialect)
    if query is None:
        return []
    table = SEARCH_FEED if engine.dialect == "neo4j" else SEARCH_FEED_FALKORDB
    return engine.read(statement(table, max_hops), {
        "member_id": member_id, "hops": max_hops, "query": query, **filters,
        "skip": skip, "limit": limit,
    })


def _plain_feed(engine: GraphEngine, member_id: str, max_hops: int, filters: dict, *,
                skip: int, per_page: int) -> list[dict]:
    """The feed's rows without a text search (see FEED)."""
    return engine.read(statement(FEED, max_hops), feed_parameters(
        engine, member_id, max_hops, filters, skip=skip, per_page=per_page))


def feed_parameters(engine: GraphEngine, member_id: str, max_hops: int, filters: dict, *,
                    skip: int, per_page: int) -> dict:
    """FEED's parameters for one page (one more row than `per_page` tells whether a next
    page exists): `filters` are category, max_degree, kind and radius (metres, or None);
    within a radius, my home's point is read first (HOME_POINT: one short statement more),
    for the places in reach to come from the spatial index."""
    now = time.time()
    here = None
    if filters["radius"] is not None:
        home = engine.read(HOME_POINT, {"member_id": member_id})
        if home and home[0]["latitude"] is not None:
            here = {"latitude": home[0]["latitude"], "longitude": home[0]["longitude"]}
    return {"member_id": member_id, "hops": max_hops, **filters, "here": here,
            "skip": skip, "limit": per_page + 1, "window": skip + per_page + 1,
            **{f"since_{k}": now - age for k, age in enumerate(_FAR_TIER_AGES)}}


def show_whole_network(engine: GraphEngine, member_id: str, shown: bool) -> None:
    """Save whether my feed shows whole-network offers of members beyond my circle (shown
    unless I hid them; see members.Member.hides_whole_network)."""
    engine.write(SET_WHOLE_NETWORK_SHOWN, {"member_id": member_id, "shown": shown})


def offer_for(engine: GraphEngine, member_id: str, offer_id: str, max_hops: int) -> OfferView:
    """An offer with the trust path to its owner; NotFound unless I may see it (or it is
    closed and I asked about it)."""
    rows = engine.read(statement(OFFER_PAGE, max_hops),
                       {"member_id": member_id, "offer_id": offer_id, "hops": max_hops})
    if not rows:
        raise NotFound("no such offer")
    row = rows[0]
    return OfferView(offer=Offer.from_row(row["offer"]), owner=Person(**row["owner"]),
                     degree=row["degree"], path=path_steps(row["path"], row["links"]),
                     strength=int(row["strength"]), recommending=int(row["recommending"]),
                     starred=bool(row["starred"]),
                     place=Place(**row["place"]) if row["place"] else None,
                     distance=row["distance"])


def profile_for(engine: GraphEngine, member_id: str, profile_id: str,
                max_hops: int) -> Profile:
    """A member I may see (see _MAY_SEE_PROFILE) and their offers I may see; NotFound
    otherwise."""
    rows = engine.read(statement(PROFILE, max_hops),
                       {"member_id": member_id, "profile_id": profile_id, "hops": max_hops})
    if not rows:
        raise NotFound("no such member")
    row = rows[0]
    offers = sorted((Offer.from_row(o) for o in row["offers"]),
                    key=lambda offer: (offer.created_at, offer.id), reverse=True)
    member = row["member"]
    return Profile(member=Person(id=member["id"], name=member["name"]),
                   member_since=member["created_at"], bio=member.get("bio") or "",
                   degree=row["degree"],
                   path=path_steps(row["path"], row["links"]) or [],
                   strength=int(row["strength"]), offers=offers,
                   references=sorted((Reference.from_row(r) for r in row["references"]),
                                     key=lambda r: (r.created_at, r.id), reverse=True),
                   photo=member.get("photo"))
