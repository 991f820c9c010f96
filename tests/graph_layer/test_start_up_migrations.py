"""Start-up migrations scan every offer or member once: the graph keeps a marker, and later
starts skip the scan (what a start finds to migrate after the marker is left as it is),
unless the configuration they ran with changed. Two starts at once leave one marker."""

from __future__ import annotations

import threading

from factories import founder
from offer_factories import offer

from graph import members, offers

UNSEARCHABLE = "MATCH (o:Offer {id: $id}) REMOVE o.search_text RETURN o.id AS id"
SEARCH_TEXT = "MATCH (o:Offer {id: $id}) RETURN o.search_text AS text"
MARKERS = "MATCH (d:Migration) RETURN d.name AS name, d.version AS version ORDER BY name"
# A member whose stored key follows another rule than today's (a +tag kept, or dropped).
HAND_MADE_MEMBER = """
CREATE (m:Member {id: $id, email: $email, email_key: $key, name: $id, status: 'active',
                  founder: true, admin: false, session_version: 1, created_at: 0.0})
RETURN m.id AS id
"""
KEY = "MATCH (m:Member {id: $id}) RETURN m.email_key AS key"


def unsearchable_offer(engine, owner, title: str) -> str:
    """An offer as stored before the full-text search: without search_text."""
    offer_id = offer(engine, owner, title)
    engine.write(UNSEARCHABLE, {"id": offer_id})
    return offer_id


def search_text_of(engine, offer_id: str) -> str | None:
    return engine.read(SEARCH_TEXT, {"id": offer_id})[0]["text"]


def key_of(engine, member_id: str) -> str:
    return engine.read(KEY, {"id": member_id})[0]["key"]


def test_offers_are_scanned_once_then_a_start_leaves_them_be(engine):
    alice = founder(engine)
    old = unsearchable_offer(engine, alice, "Vélo")

    assert offers.make_offers_searchable(engine) == 1  # a graph never migrated is
    late = unsearchable_offer(engine, alice, "Canoë")  # by hand, after the marker
    assert offers.make_offers_searchable(engine) == 0

    assert search_text_of(engine, old).startswith("velo ")
    assert search_text_of(engine, late) is None
    assert engine.read(MARKERS) == [{"name": "offers_searchable", "version": ""}]


def test_addresses_are_rekeyed_once_per_list_of_domains_apart(engine):
    engine.write(HAND_MADE_MEMBER, {"id": "ann", "email": "ann+shop@example.org",
                                    "key": "ann+shop@example.org"})

    members.rekey_addresses(engine, ())  # a graph never migrated is
    engine.write(HAND_MADE_MEMBER, {"id": "bob", "email": "bob+x@example.org",
                                    "key": "bob+x@example.org"})
    members.rekey_addresses(engine, ())  # the same domains: no scan

    assert (key_of(engine, "ann"), key_of(engine, "bob")) == (
        "ann@example.org", "bob+x@example.org")
    members.rekey_addresses(engine, {"example.org"})  # other domains: scanned again
    assert (key_of(engine, "ann"), key_of(engine, "bob")) == (
        "ann+shop@example.org", "bob+x@example.org")
    assert engine.read(MARKERS) == [{"name": "addresses_rekeyed", "version": "example.org"}]


def test_two_workers_starting_at_once_migrate_every_offer_and_leave_one_marker(engine):
    alice = founder(engine)
    ids = [unsearchable_offer(engine, alice, f"Offre {number}") for number in range(20)]
    counts: list[int] = []
    starts = [threading.Thread(target=lambda: counts.append(
        offers.make_offers_searchable(engine))) for _ in range(2)]

    for start in starts:
        start.start()
    for start in starts:
        start.join()

    assert sum(counts) >= 20
    assert all(search_text_of(engine, offer_id) for offer_id in ids)
    assert engine.read(MARKERS) == [{"name": "offers_searchable", "version": ""}]
