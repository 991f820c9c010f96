"""Every page of the app with real arguments, and a full dump of the graph to compare.

`world(app, engine)` makes, through the domain verbs, one real object of every kind a URL
can name; `pages(app, world)` fills every rule of `app.url_map` with them. A rule with an
argument this module has no example for fails loudly: a new page gets covered, not skipped.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from factories import founder, invitation, redeem, sponsored
from werkzeug.routing import Rule

from graph import abuse_reports, conversations, jobs, members, offers, roles, sponsorship
from graph.engine import GraphEngine
from graph.members import Member
from trustnet.links import (
    confirm_address_link,
    invitation_link,
    password_link,
    sponsor_me_link,
)

DUMP_NODES = "MATCH (n) RETURN id(n) AS node, labels(n) AS labels, properties(n) AS props"
DUMP_EDGES = """
MATCH (a)-[r]->(b)
RETURN id(a) AS source, type(r) AS type, properties(r) AS props, id(b) AS target
"""


def dump_graph(engine: GraphEngine) -> tuple[list, list]:
    """Every node with its labels and properties, and every edge with its properties."""
    nodes = sorted((row["node"], sorted(row["labels"]), sorted(row["props"].items()))
                   for row in engine.read(DUMP_NODES))
    edges = sorted((row["source"], row["type"], sorted(row["props"].items()), row["target"])
                   for row in engine.read(DUMP_EDGES))
    return nodes, edges


@dataclass
class World:
    """One real object of every kind a URL names, and who may see them."""

    alice: Member  # a founder and admin
    bob: Member  # sponsored by alice; owns an offer alice asked about
    carol: Member  # waiting for a second sponsor
    fred: Member  # registered through dan's invitation, address not yet confirmed
    offer_id: str
    conversation_id: str
    invitation_id: str
    invitation_secret: str
    vouch_id: str
    report_id: str
    job_id: str  # a ban preview queued for the background


def world(engine: GraphEngine) -> World:
    """A small network holding every kind of object, made through the domain verbs."""
    alice = founder(engine, "Alice")
    roles.set_admin(engine, None, alice.id, True)
    bob = sponsored(engine, alice, "Bob")
    dan = sponsored(engine, alice, "Dan")
    carol = sponsored(engine, bob, "Carol", sponsors_required=2)
    fred = redeem(engine, invitation(engine, dan, "fred@example.org")[1], "Fred",
                  confirmed=False)
    offer_id = offers.create_offer(engine, bob.id, offers.OfferDraft(
        title="A ladder", description="Three metres, aluminium.", category="tools",
        area="Lyon", price=None, currency="EUR", visibility=offers.WHOLE_NETWORK,
        available_from=None, available_until=None))
    sent = conversations.start_conversation(engine, alice.id, offer_id, "May I borrow it?", 3)
    invitation_id, secret = invitation(engine, alice, "erin@example.org", "Come!")
    vouch_id = sponsorship.offer_vouch(engine, dan.id, bob.email, "We climb together.")
    report_id = abuse_reports.report(engine, dan.id, "offer", offer_id, "other", "Odd.",
                                  max_hops=3)
    job_id = jobs.queue_preview(engine, alice.id, dan.id, "Sells fake bread")
    return World(
        alice=_reload(engine, alice), bob=_reload(engine, bob), carol=_reload(engine, carol),
        fred=fred,
        offer_id=offer_id, conversation_id=sent.conversation_id, invitation_id=invitation_id,
        invitation_secret=secret, vouch_id=vouch_id, report_id=report_id,
        job_id=job_id,
    )


def _reload(engine: GraphEngine, member: Member) -> Member:
    found = members.get_member(engine, member.id)
    assert found is not None
    return found


def _token(app, endpoint: str, found: World) -> str:
    """A genuine token of the link that opens endpoint."""
    from trustnet.auth.attempts import unlock_link
    from trustnet.moderation.appeal_links import appeal_link, reinstate_link

    makers = {
        "auth.join": lambda: invitation_link(found.invitation_secret),
        "auth.confirm": lambda: confirm_address_link(found.fred.id),
        "auth.reset": lambda: password_link(found.bob, claim=False),
        "auth.claim": lambda: password_link(found.bob, claim=True),
        "auth.unlock": lambda: unlock_link(found.bob),
        "member.sponsor": lambda: sponsor_me_link(found.carol.id),
        "moderation.appeal_ban": lambda: appeal_link(found.bob.id),
        "moderation.reinstate": lambda: reinstate_link(found.carol.id),
    }
    assert endpoint in makers, f"site_map: give an example token for {endpoint}"
    with app.test_request_context():
        return makers[endpoint]().rsplit("/", 1)[1]


def _arguments(app, rule: Rule, found: World) -> dict[str, str]:
    examples = {
        "member_id": found.bob.id,
        "offer_id": found.offer_id,
        "conversation_id": found.conversation_id,
        "invitation_id": found.invitation_id,
        "vouch_id": found.vouch_id,
        "report_id": found.report_id,
        "job_id": found.job_id,
        "appeal_id": "no-such-appeal",
        "notification_id": "no-such-notification",
        "subject_id": found.offer_id,
        "kind": "offer",
        "answer": "confirm",
        "action": "pause" if rule.endpoint == "offers.change_status" else "dismiss",
        "filename": "css/app.css",
        "photo_id": "no-such-photo",
    }
    values = {}
    for name in rule.arguments:
        if name == "token":
            values[name] = _token(app, rule.endpoint, found)
        else:
            assert name in examples, f"site_map: give an example <{name}> for {rule.rule}"
            values[name] = examples[name]
    return values


def pages(app, found: World, method: str) -> list[tuple[str, str]]:
    """(endpoint, path) of every rule that answers method, filled with real arguments."""
    found_pages = []
    with app.test_request_context():
        adapter = app.url_map.bind("localhost")
        for rule in sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule):
            if method in rule.methods:
                path = adapter.build(rule.endpoint, _arguments(app, rule, found))
                found_pages.append((rule.endpoint, path))
    return found_pages


def signed_in(client, member: Member):
    """The client signed in as member, just now (admin pages ask for a recent sign-in)."""
    with client.session_transaction() as session:
        session["_user_id"] = f"{member.id}:{member.session_version}"
        session["_fresh"] = True
        session["signed_in_at"] = time.time()
    return client
