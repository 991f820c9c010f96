"""A write reaches the engine, which runs it, but its reply is lost on the way back. The client
must not send it again (redis-py can retry on connection errors): the app answers 503 saying
the change may or may not have been saved, and once the connection is back there is exactly
one member, edge, invitation, offer or message, never two. And were a statement ever run
twice, the domain writes would still not duplicate anything: each is guarded, or carries an
id a unique constraint protects.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
import redis
from conftest import join_path
from factories import PASSWORD, founder, invitation, password_hash, redeem, sponsored
from site_map import signed_in

import trustnet.auth.routes
from faults.conftest import BOLT_COMMIT
from graph import conversations, invitations, offers, schema, sponsorship
from graph.engine import EngineError
from graph.errors import DomainError
from trustnet.security import new_invitation_token, token_hash

COUNT = {
    "members": "MATCH (m:Member {email: 'erin@example.org'}) RETURN count(m) AS n",
    "sponsorships": "MATCH (:Member)-[r:SPONSORED]->(:Member {email: $email}) RETURN count(r) AS n",
    "invitations": "MATCH (i:Invitation {email: 'fay@example.org'}) RETURN count(i) AS n",
    "offers": "MATCH (o:Offer {title: 'A tent'}) RETURN count(o) AS n",
    "messages": "MATCH (m:Message {body: 'Still free?'}) RETURN count(m) AS n",
}


@dataclass
class Write:
    """A form a person posts, what must exist exactly once after it, and how a retry ends."""

    post: Callable  # (app, browsers) -> response
    counts: dict[str, tuple[dict, int]]  # COUNT name -> (parameters, count before)
    retried: int | None  # the status a second post of the same form gets; None: not tried


def world(app, engine):
    alice = founder(engine, "Alice")
    bob = sponsored(engine, alice, "Bob")
    dan = sponsored(engine, alice, "Dan")
    _, erin_secret = invitation(engine, alice, "erin@example.org")
    offer_id = offers.create_offer(engine, bob.id, offers.OfferDraft(
        title="A ladder", description="Three metres.", category="tools", area="Lyon",
        price=None, currency="EUR", visibility=offers.WHOLE_NETWORK, available_from=None,
        available_until=None))
    vouch_id = sponsorship.offer_vouch(engine, dan.id, bob.email)
    browsers = {"visitor": app.test_client(), "alice": signed_in(app.test_client(), alice),
                "bob": signed_in(app.test_client(), bob)}
    return {"join": join_path(app, erin_secret), "offer_id": offer_id, "vouch_id": vouch_id,
            "browsers": browsers}


WRITES = {
    "registration": Write(
        lambda w: w["browsers"]["visitor"].post(w["join"], data={
            "name": "Erin", "password": PASSWORD, "confirm": PASSWORD}),
        {"members": ({}, 0), "sponsorships": ({"email": "erin@example.org"}, 0)},
        retried=410),  # the invitation is used: sign in instead
    "invitation": Write(
        lambda w: w["browsers"]["alice"].post("/invitations", data={
            "email": "fay@example.org", "note": "Join us"}),
        {"invitations": ({}, 0)}, retried=200),  # the form again: already invited
    "vouch": Write(
        lambda w: w["browsers"]["bob"].post(f"/vouches/{w['vouch_id']}/confirm"),
        {"sponsorships": ({"email": "bob@example.org"}, 1)}, retried=404),  # no longer open
    "offer": Write(
        lambda w: w["browsers"]["alice"].post("/offers/new", data={
            "title": "A tent", "category": "tools", "description": "For two.",
            "area": "Lyon", "visibility": "0"}),
        {"offers": ({}, 0)}, retried=None),
    "message": Write(
        lambda w: w["browsers"]["alice"].post(f"/offers/{w['offer_id']}/interest",
                                              data={"body": "Still free?"}),
        {"messages": ({}, 0)}, retried=None),
}


def counts(engine, write: Write) -> dict[str, int]:
    return {name: engine.read(COUNT[name], params)[0]["n"]
            for name, (params, _) in write.counts.items()}


@pytest.fixture
def lossy_app(backend, tcp_server, lossy_proxy, app_on):
    """An app whose engine (the backend's) is reached through a LossyProxy: (app, proxy)."""
    if backend.name == "neo4j":  # bolt://, not neo4j://: no routing around the proxy
        server = backend.server
        proxy = lossy_proxy(server.port, BOLT_COMMIT)
        app = app_on(f"bolt://127.0.0.1:{proxy.port}",
                     **{**backend.app_settings("lossy"), "TRUSTNET_GRAPH_URL":
                        f"bolt://127.0.0.1:{proxy.port}"})
        engine = app.extensions["trustnet"].connection.engine
        engine.drop_graph()  # what an earlier test left in Neo4j's one database
        schema.bootstrap(engine)
    else:
        proxy = lossy_proxy(tcp_server())
        app = app_on(f"redis://127.0.0.1:{proxy.port}")
    return app, proxy


@pytest.mark.parametrize("kind", WRITES)
def test_a_write_whose_reply_is_lost_is_made_once_and_answered_503(
        kind, lossy_app, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(trustnet.auth.routes, "hash_password", lambda password: password_hash())
    app, proxy = lossy_app
    engine = app.extensions["trustnet"].connection.engine
    found = world(app, engine)
    write = WRITES[kind]
    before = {name: count for name, (_, count) in write.counts.items()}
    assert counts(engine, write) == before

    proxy.lose_next_write_reply()
    response = write.post(found)

    assert proxy.replies_lost == 1
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert "Temporarily unavailable" in page
    # It did run: the page must not say that nothing changed, but to check.
    assert "may or may not have been saved" in page and "Nothing was changed" not in page
    after = counts(engine, write)  # the connection is back: the engine ran the write once
    assert after == {name: count + 1 for name, count in before.items()}
    if write.retried is not None:  # the person tries again: refused, still one
        assert write.post(found).status_code == write.retried
        assert counts(engine, write) == after


def test_the_lossy_proxy_makes_a_retrying_client_write_twice(tcp_server, lossy_proxy):
    """The hazard is real: redis-py's default client resends a write whose reply was lost."""
    proxy = lossy_proxy(tcp_server())
    retrying = redis.Redis(port=proxy.port)  # redis-py's default retry policy
    try:
        proxy.lose_next_write_reply()
        retrying.execute_command("GRAPH.QUERY", "g", "CREATE (:Member {name: 'Twice'})")
        rows = retrying.execute_command("GRAPH.RO_QUERY", "g", "MATCH (m:Member) RETURN count(m)")
    finally:
        retrying.close()
    assert proxy.replies_lost == 1
    assert rows[1] == [[2]]


class ReplayingEngine:
    """An engine that runs every write twice, as a client retrying after a lost reply would,
    and answers with the second run's rows."""

    def __init__(self, engine) -> None:
        self.engine = engine
        self.replayed = 0

    def read(self, query, params=None):
        return self.engine.read(query, params)

    def write(self, query, params=None):
        self.engine.write(query, params)
        self.replayed += 1
        return self.engine.write(query, params)


def test_every_domain_write_run_twice_still_makes_one_of_each(engine):
    alice = founder(engine, "Alice")
    bob = sponsored(engine, alice, "Bob")
    dan = sponsored(engine, alice, "Dan")
    _, carol_secret = invitation(engine, bob, "carol@example.org")
    carol = redeem(engine, carol_secret, "Carol", sponsors_required=2)
    offer_id = offers.create_offer(engine, bob.id, offers.OfferDraft(
        title="A ladder", description="Three metres.", category="tools", area="Lyon",
        price=None, currency="EUR", visibility=offers.WHOLE_NETWORK, available_from=None,
        available_until=None))
    conversation = conversations.start_conversation(engine, alice.id, offer_id, "Hello", 3)
    vouch_id = sponsorship.offer_vouch(engine, dan.id, bob.email)
    replaying = ReplayingEngine(engine)
    secret, digest = new_invitation_token()
    draft = offers.OfferDraft(title="A tent", description="For two.", category="tools",
                              area="Lyon", price=None, currency="EUR", visibility=1,
                              available_from=None, available_until=None)
    verbs = {
        "invite": lambda: invitations.invite(replaying, alice.id, "erin@example.org", "", digest,
                                             default_quota=5, lifetime_s=3600),
        "redeem": lambda: invitations.redeem_invitation(replaying, token_hash(secret), "Erin",
                                                        password_hash()),
        "offer to vouch": lambda: sponsorship.offer_vouch(replaying, alice.id, dan.email),
        "confirm a vouch": lambda: sponsorship.confirm_vouch(replaying, bob.id, vouch_id),
        "sponsor a newcomer": lambda: sponsorship.sponsor_pending_member(
            replaying, alice.id, carol.id, required=2),
        "publish an offer": lambda: offers.create_offer(replaying, alice.id, draft),
        "start a conversation": lambda: conversations.start_conversation(
            replaying, dan.id, offer_id, "Is it free?", 3),
        "reply": lambda: conversations.reply(replaying, bob.id, conversation.conversation_id,
                                             "Yes, come by."),
    }
    outcomes = {}
    for name, verb in verbs.items():
        try:
            verb()
            outcomes[name] = "done"
        except (DomainError, EngineError) as error:  # the second run refused: fine
            outcomes[name] = type(error).__name__

    assert replaying.replayed == len(verbs)
    duplicates = engine.read("""
        MATCH (n) WHERE n.id IS NOT NULL
        WITH labels(n)[0] AS label, n.id AS id, count(n) AS copies WHERE copies > 1
        RETURN label, id""")
    assert duplicates == []
    edges = engine.read("""
        MATCH (a:Member)-[r:SPONSORED]->(b:Member)
        WITH a, b, count(r) AS copies WHERE copies > 1
        RETURN a.name AS sponsor, b.name AS sponsee""")
    assert edges == []
    messages = engine.read("""
        MATCH (m:Message) WITH m.body AS body, count(m) AS copies WHERE copies > 1
        RETURN body""")
    assert messages == [], outcomes
    kinds = engine.read("""
        MATCH (:Member {name: 'Erin'}) WITH count(*) AS members
        MATCH (:Invitation {email: 'erin@example.org'}) WITH members, count(*) AS invitations
        MATCH (:Offer {title: 'A tent'})
        RETURN members, invitations, count(*) AS offers""")
    assert kinds == [{"members": 1, "invitations": 1, "offers": 1}], outcomes
