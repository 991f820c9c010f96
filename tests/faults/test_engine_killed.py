"""The engine is SIGKILLed in the middle of a burst of writes from several browsers at once:
registrations through invitations, confirmed vouches and new offers. After a restart,
every write the app acknowledged is there, and nothing is half made.

The app is not restarted: the same app object starts the engine again and serves again.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field

import pytest
from conftest import join_path
from factories import PASSWORD, founder, invitation, password_hash, sponsored
from site_map import signed_in

import trustnet.auth.routes
from graph import sponsorship

ROUNDS = 5  # kill, restart and check, five times over
PER_KIND = 16  # writes of each kind per round
THREADS_PER_KIND = 2
KILL_AFTER_ACKS = 24  # the kill comes once this many writes of the round were acknowledged

# Every member but a founder was admitted through an invitation that is marked redeemed,
# points to them, and whose sender sponsors them: one statement made all three.
HALF_MADE_MEMBERS = """
MATCH (m:Member {founder: false})
OPTIONAL MATCH (s:Member)-[:SENT]->(:Invitation {status: 'redeemed'})-[:REDEEMED_BY]->(m)
OPTIONAL MATCH (s)-[r:SPONSORED {via: 'invitation'}]->(m)
WITH m, count(r) AS sponsorships
WHERE sponsorships <> 1
RETURN m.name AS name
"""
BROKEN_INVITATIONS = """
MATCH (i:Invitation)
OPTIONAL MATCH (i)-[r:REDEEMED_BY]->(:Member)
WITH i, count(r) AS members
WHERE (i.status = 'redeemed') <> (members = 1) OR members > 1
RETURN i.email AS email, i.status AS status, members
"""
# A vouch is confirmed exactly when its SPONSORED edge exists.
BROKEN_VOUCHES = """
MATCH (v:Member)-[:OFFERED]->(vouch:Vouch)-[:FOR]->(m:Member)
OPTIONAL MATCH (v)-[r:SPONSORED {via: 'vouch'}]->(m)
WITH vouch, count(r) AS edges
WHERE (vouch.status = 'confirmed') <> (edges = 1) OR edges > 1
RETURN vouch.id AS vouch, vouch.status AS status, edges
"""
ORPHAN_OFFERS = """
MATCH (o:Offer)
OPTIONAL MATCH (owner:Member)-[r:OFFERS]->(o)
WITH o, count(r) AS owners
WHERE owners <> 1
RETURN o.title AS title, owners
"""
NAMES = "MATCH (m:Member) RETURN m.name AS name"
REGISTERED = """
MATCH (:Member {id: $sponsor_id})-[:SPONSORED {via: 'invitation'}]->(m:Member {name: $name})
RETURN m.status AS status
"""
CONFIRMED = """
MATCH (v:Member)-[:OFFERED]->(:Vouch {id: $vouch_id, status: 'confirmed'})-[:FOR]->(m:Member)
MATCH (v)-[r:SPONSORED {via: 'vouch'}]->(m)
RETURN count(r) AS edges
"""
OFFER = "MATCH (:Member {id: $owner_id})-[:OFFERS]->(o:Offer {id: $id}) RETURN o.title AS title"


@dataclass
class Ledger:
    """What the browsers were told: acknowledged writes, and refusals (503)."""

    acknowledged: list[tuple[str, dict]] = field(default_factory=list)
    refused: int = 0
    failures: list[BaseException] = field(default_factory=list)  # anything else, in a thread
    changed: threading.Condition = field(default_factory=threading.Condition)

    def record(self, kind: str, response, expected_location: str, **facts) -> None:
        with self.changed:
            if response.status_code == 302:
                assert response.headers["Location"].startswith(expected_location), kind
                location = response.headers["Location"]
                self.acknowledged.append((kind, {**facts, "location": location}))
            else:
                assert response.status_code == 503, (kind, response.status_code)
                assert "Temporarily unavailable" in response.get_data(as_text=True)
                self.refused += 1
            self.changed.notify_all()

    def wait_for_acknowledged(self, count: int) -> None:
        with self.changed:
            assert self.changed.wait_for(
                lambda: len(self.acknowledged) >= count or self.failures, timeout=30)
            assert not self.failures, self.failures


def registrations(app, engine, alice, round_number: int):
    """Invitations from alice, and the registration each newcomer will post."""
    for index in range(PER_KIND):
        name = f"Newcomer {round_number}-{index}"
        _, secret = invitation(engine, alice, f"newcomer{round_number}.{index}@example.org")
        path = join_path(app, secret)

        def post(ledger: Ledger, path=path, name=name) -> None:
            response = app.test_client().post(path, data={
                "name": name, "password": PASSWORD, "confirm": PASSWORD})
            ledger.record("registration", response, "/login", name=name)

        yield post


def vouches(app, engine, alice, round_number: int):
    """Pairs of members where one offered to vouch for the other, who will confirm it."""
    for index in range(PER_KIND):
        voucher = sponsored(engine, alice, f"Voucher {round_number}-{index}",
                            f"voucher{round_number}.{index}@example.org")
        vouched = sponsored(engine, alice, f"Vouched {round_number}-{index}",
                            f"vouched{round_number}.{index}@example.org")
        vouch_id = sponsorship.offer_vouch(engine, voucher.id, vouched.email)
        browser = signed_in(app.test_client(), vouched)

        def post(ledger: Ledger, browser=browser, vouch_id=vouch_id) -> None:
            response = browser.post(f"/vouches/{vouch_id}/confirm")
            ledger.record("vouch", response, "/network", vouch_id=vouch_id)

        yield post


def offers(app, alice, round_number: int):
    """Offers alice will publish."""
    for index in range(PER_KIND):
        title = f"Offer {round_number}-{index}"

        def post(ledger: Ledger, title=title) -> None:
            browser = signed_in(app.test_client(), alice)
            response = browser.post("/offers/new", data={
                "title": title, "category": "tools", "description": "Free to borrow.",
                "area": "Lyon", "visibility": "0"})
            ledger.record("offer", response, "/offers/", title=title)

        yield post


def run_in_threads(writes: list, ledger: Ledger) -> list[threading.Thread]:
    """Post the writes from THREADS_PER_KIND threads per kind, interleaved."""
    def post_all(mine: list) -> None:
        try:
            for post in mine:
                post(ledger)
        except BaseException as error:  # the test fails on it, in its own thread
            with ledger.changed:
                ledger.failures.append(error)
                ledger.changed.notify_all()

    threads = []
    for chunk in range(THREADS_PER_KIND):
        thread = threading.Thread(target=post_all, args=(writes[chunk::THREADS_PER_KIND],))
        threads.append(thread)
        thread.start()
    return threads


def assert_acknowledged_writes_are_there(engine, alice, acknowledged) -> None:
    for kind, facts in acknowledged:
        if kind == "registration":
            rows = engine.read(REGISTERED, {"sponsor_id": alice.id, "name": facts["name"]})
            assert rows == [{"status": "active"}], facts
        elif kind == "vouch":
            assert engine.read(CONFIRMED, {"vouch_id": facts["vouch_id"]}) == [{"edges": 1}]
        else:
            offer_id = facts["location"].rsplit("/", 1)[1]
            rows = engine.read(OFFER, {"owner_id": alice.id, "id": offer_id})
            assert rows == [{"title": facts["title"]}], facts


def assert_nothing_half_made(engine) -> None:
    assert engine.read(HALF_MADE_MEMBERS) == []
    assert engine.read(BROKEN_INVITATIONS) == []
    assert engine.read(BROKEN_VOUCHES) == []
    assert engine.read(ORPHAN_OFFERS) == []
    names = Counter(row["name"] for row in engine.read(NAMES))
    assert [name for name, count in names.items() if count > 1] == []


def test_acknowledged_writes_survive_sigkill_mid_burst_and_nothing_is_half_made(
        own_engine, app_on, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture):
    # Hashing a password takes ~0.5 s here; it is not what this test is about.
    monkeypatch.setattr(trustnet.auth.routes, "hash_password", lambda password: password_hash())
    server = own_engine()
    app = app_on(server)
    engine = app.extensions["trustnet"].connection.engine
    alice = founder(engine)
    alice_browser = signed_in(app.test_client(), alice)
    ledger = Ledger()

    for round_number in range(ROUNDS):
        acknowledged_before = len(ledger.acknowledged)
        kinds = [list(registrations(app, engine, alice, round_number)),
                 list(vouches(app, engine, alice, round_number)),
                 list(offers(app, alice, round_number))]
        threads = [thread for writes in kinds for thread in run_in_threads(writes, ledger)]

        ledger.wait_for_acknowledged(acknowledged_before + KILL_AFTER_ACKS)
        server.kill()
        answered_at_kill = len(ledger.acknowledged) + ledger.refused
        for thread in threads:
            thread.join(timeout=60)
        assert not ledger.failures, ledger.failures
        # The kill landed mid-burst: writes were answered after it, refused (503) or
        # acknowledged once the app had started the engine again.
        assert len(ledger.acknowledged) + ledger.refused > answered_at_kill

        # The app started the engine again (replaying its append-only file) by itself.
        assert alice_browser.get("/network").status_code == 200  # same app, same session
        assert_acknowledged_writes_are_there(engine, alice, ledger.acknowledged)
        assert_nothing_half_made(engine)

    cut = sum("reading from" in r.message or "closed by server" in r.message
              for r in caplog.records)
    print(f"\n{ROUNDS} SIGKILLs survived: {len(ledger.acknowledged)} writes acknowledged "
          f"and all found again, {ledger.refused} refused with 503 ({cut} cut mid-request), "
          "nothing half made")
    kinds_acknowledged = Counter(kind for kind, _ in ledger.acknowledged)
    assert set(kinds_acknowledged) == {"registration", "vouch", "offer"}
