"""Favourites: a member stars offers (and requests) they may see, to find them again.

    (me:Member)-[:STARRED {at}]->(o:Offer)

A star is set or removed by one statement that checks, like the offer's page, that I may see
the offer (graph.offers.with_visible_offer): starring an offer out of my reach is "not
found". The favourites page lists only the starred offers I may still see: a paused, hidden,
deleted or narrowed offer drops out, and comes back if it is shown to me again. The offer's
page says whether I starred it (graph.offers.OFFER_PAGE).
"""

from __future__ import annotations

import time

from graph.engine import GraphEngine
from graph.errors import NotFound
from graph.locks import write_lock
from graph.offers import (
    OFFER_PROJECTION,
    FeedItem,
    Offer,
    Person,
    with_visible_offer,
    with_visible_offers,
)
from graph.trust import statement

# My lock first, then the check: two stars of the same offer at once make one edge. The
# check walks from me to each offer I starred: on FalkorDB, a MERGE of the edge, or a match
# of it between the two bound nodes, missed an edge a concurrent star had just made.
STAR = with_visible_offer("""
WITH me, target, o
WHERE me <> target
""" + write_lock("me") + """
WITH me, o
OPTIONAL MATCH (me)-[:STARRED]->(earlier:Offer)
WITH me, o, sum(CASE WHEN earlier = o THEN 1 ELSE 0 END) AS stars
FOREACH (_ IN CASE WHEN stars = 0 THEN [1] ELSE [] END |
  CREATE (me)-[:STARRED {at: $now}]->(o))
RETURN o.id AS id
""")

UNSTAR = with_visible_offer("""
WITH me, o
OPTIONAL MATCH (me)-[star:STARRED]->(o)
DELETE star
RETURN o.id AS id
""")

FAVOURITES = with_visible_offers("""
MATCH (me)-[:STARRED]->(o:Offer)<-[:OFFERS]-(target:Member)
WITH me, circle, o, target
""", """
MATCH (me)-[star:STARRED]->(o)
RETURN """ + OFFER_PROJECTION + """ AS offer, target {.id, .name} AS owner, degree,
       star.at AS starred_at
ORDER BY starred_at DESC, offer.id
""")

def set_star(engine: GraphEngine, member_id: str, offer_id: str, starred: bool, max_hops: int,
             now: float | None = None) -> None:
    """Star or unstar an offer of someone else that I may see; NotFound otherwise. Setting
    the same state again changes nothing (a form sent twice)."""
    params = {"member_id": member_id, "offer_id": offer_id, "hops": max_hops,
              "now": time.time() if now is None else now}
    if not engine.write(statement(STAR if starred else UNSTAR, max_hops), params):
        raise NotFound("no such offer")


def favourites(engine: GraphEngine, member_id: str, max_hops: int) -> list[FeedItem]:
    """The offers I starred and may still see, last starred first, as feed cards."""
    rows = engine.read(statement(FAVOURITES, max_hops),
                       {"member_id": member_id, "hops": max_hops})
    return [FeedItem(offer=Offer.from_row(row["offer"]), owner=Person(**row["owner"]),
                     degree=row["degree"], via=None) for row in rows]
