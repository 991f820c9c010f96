"""Photos: up to MAX_OFFER_PHOTOS per offer (`o.photos`, a list of ids, the first one the
feed's thumbnail) and one per member (`m.photo`).

The graph holds only the ids; the files live on disk (trustnet.photos), named from the ids.
Recording a photo is one statement that refuses when the offer is not the member's or is
full, so two uploads racing for the last slot record one photo; its caller then puts the
files in place, or removes them. Who may see a photo is who may see its offer
(offers.with_visible_offer) or its member's profile (offers.with_profile_seen).
"""

from __future__ import annotations

from graph.engine import GraphEngine
from graph.errors import Conflict, NotFound
from graph.ids import new_id
from graph.locks import write_lock
from graph.members import is_active
from graph.offers import own_offer, with_profile_seen, with_visible_offer
from graph.trust import statement

MAX_OFFER_PHOTOS = 6

# The offer's lock first: on Neo4j, two uploads for the last slot would both read 5.
ADD_OFFER_PHOTO = """
MATCH (owner:Member {id: $owner_id})-[:OFFERS]->(o:Offer {id: $offer_id})
WHERE """ + is_active("owner") + """
""" + write_lock("o") + """
WITH o
WHERE size(coalesce(o.photos, [])) < $max_photos
SET o.photos = coalesce(o.photos, []) + [$photo_id]
RETURN size(o.photos) AS photos
"""

REMOVE_OFFER_PHOTO = """
MATCH (:Member {id: $owner_id})-[:OFFERS]->(o:Offer {id: $offer_id})
WHERE $photo_id IN coalesce(o.photos, [])
SET o.photos = [p IN o.photos WHERE p <> $photo_id]
RETURN size(o.photos) AS photos
"""

SET_MEMBER_PHOTO = """
MATCH (m:Member {id: $member_id})
WHERE """ + is_active("m") + """
SET m.photo = $photo_id
RETURN m.id AS id
"""

MEMBER_PHOTO = "MATCH (m:Member {id: $member_id}) RETURN m.photo AS photo"

# Served only with its offer's page: the owner's id says where its files are.
VISIBLE_OFFER_PHOTO = with_visible_offer("""
WITH target, o
WHERE $photo_id IN coalesce(o.photos, [])
RETURN target.id AS owner_id
""")

VISIBLE_MEMBER_PHOTO = with_profile_seen("""
WITH target
WHERE target.photo = $photo_id
RETURN target.id AS member_id
""")


def add_offer_photo(engine: GraphEngine, owner_id: str, offer_id: str) -> str:
    """Record a new photo of one of my offers; return its id. NotFound when the offer is
    not mine, Conflict when it already has MAX_OFFER_PHOTOS."""
    photo_id = new_id()
    if engine.write(ADD_OFFER_PHOTO, {"owner_id": owner_id, "offer_id": offer_id,
                                      "photo_id": photo_id,
                                      "max_photos": MAX_OFFER_PHOTOS}):
        return photo_id
    own_offer(engine, owner_id, offer_id)  # NotFound for an offer that is not mine
    raise Conflict("an offer has at most %(count)d photos", count=MAX_OFFER_PHOTOS)


def remove_offer_photo(engine: GraphEngine, owner_id: str, offer_id: str,
                       photo_id: str) -> None:
    """Take a photo off one of my offers; NotFound unless it is one of its photos."""
    if not engine.write(REMOVE_OFFER_PHOTO, {"owner_id": owner_id, "offer_id": offer_id,
                                             "photo_id": photo_id}):
        raise NotFound("no such photo")


def set_member_photo(engine: GraphEngine, member_id: str, photo_id: str | None) -> None:
    """Make `photo_id` my profile photo (None: no photo); the previous one is dropped."""
    if not engine.write(SET_MEMBER_PHOTO, {"member_id": member_id, "photo_id": photo_id}):
        raise Conflict("only an active member can change their photo")


def member_photo(engine: GraphEngine, member_id: str) -> str | None:
    """The id of a member's profile photo, if they have one."""
    rows = engine.read(MEMBER_PHOTO, {"member_id": member_id})
    return rows[0]["photo"] if rows else None


def offer_photo_owner(engine: GraphEngine, member_id: str, offer_id: str, photo_id: str,
                      max_hops: int) -> str:
    """The owner of the offer a photo shows, if I may see that offer; NotFound otherwise
    (the offer's own 404)."""
    rows = engine.read(statement(VISIBLE_OFFER_PHOTO, max_hops), {
        "member_id": member_id, "offer_id": offer_id, "photo_id": photo_id,
        "hops": max_hops})
    if not rows:
        raise NotFound("no such offer")
    return str(rows[0]["owner_id"])


def check_member_photo(engine: GraphEngine, member_id: str, profile_id: str, photo_id: str,
                       max_hops: int) -> None:
    """NotFound unless `photo_id` is the photo of a member whose profile I may see."""
    if not engine.read(statement(VISIBLE_MEMBER_PHOTO, max_hops), {
            "member_id": member_id, "profile_id": profile_id, "photo_id": photo_id,
            "hops": max_hops}):
        raise NotFound("no such member")
