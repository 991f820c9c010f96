"""A member leaving TrustNet."""

from __future__ import annotations

from graph import departure
from trustnet.photos import album
from trustnet.services import graph_engine


def leave(member_id: str) -> None:
    """The member deletes their account. Effects: one statement (graph.departure.leave):
    everything personal erased, their address freed, their offers, conversations, open
    vouches, appeals and notifications gone, every session of theirs ended, the members
    they sponsored notified ('sponsor_left'), an audit entry; the node stays, departed, so
    the chains through them hold. Then their photo files are removed. Conflict when the
    account cannot be deleted (banned, or already gone)."""
    departure.leave(graph_engine(), member_id)
    album.remove_member_photos(album.photos_root(), member_id)
