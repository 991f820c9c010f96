"""Deleting an offer, with its photo files."""

from __future__ import annotations

from graph import offers
from trustnet.photos import album
from trustnet.services import graph_engine


def delete_offer(owner_id: str, offer_id: str) -> None:
    """The owner deletes one of their offers. Effects: the offer, the conversations about it
    and their messages gone (one statement, graph.offers.delete_offer), then the offer's
    photo files removed. NotFound when it is not the owner's offer."""
    offers.delete_offer(graph_engine(), owner_id, offer_id)
    album.remove_offer_photos(album.photos_root(), owner_id, offer_id)
