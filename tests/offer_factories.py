"""Offers, and members in any status, for the trust and offer tests, in a line."""

from __future__ import annotations

from graph import offers
from graph.engine import GraphEngine
from graph.members import Member

# Bans and suspensions have their own verbs (graph.bans); here only the status matters.
SET_MEMBER_STATUS = "MATCH (m:Member {id: $id}) SET m.status = $status RETURN m.id AS id"


def offer(engine: GraphEngine, owner: Member, title: str = "A cordless drill", *,
          visibility: int = 2, category: str = "tools", now: float | None = None,
          **fields) -> str:
    """An active offer of owner, published through the real verb; returns its id."""
    draft = offers.OfferDraft(**{
        "title": title, "description": "With two batteries.", "category": category,
        "area": "Lyon", "price": None, "currency": "EUR", "visibility": visibility, **fields})
    return offers.create_offer(engine, owner.id, draft, now=now)


def set_status(engine: GraphEngine, member: Member, status: str) -> None:
    """Put member in status (pending, active, suspended, banned)."""
    assert engine.write(SET_MEMBER_STATUS, {"id": member.id, "status": status})
