"""Leaving erases where a member lives: their town and its point."""

from __future__ import annotations

from factories import founder, sponsored
from place_factories import load_towns

from graph import departure, places


def test_leaving_erases_the_members_town(engine):
    lyon = load_towns(engine, "Lyon")["Lyon"]
    alice = founder(engine)
    bob = sponsored(engine, alice, "Bob")
    places.set_home(engine, bob.id, lyon)

    departure.leave(engine, bob.id)

    assert places.home_of(engine, bob.id) is None
    assert engine.read("MATCH (m:Member {id: $id}) RETURN m.location AS location",
                       {"id": bob.id}) == [{"location": None}]
    assert engine.read("MATCH (p:Place) RETURN count(p) AS n") == [{"n": 1}]  # the town stays
