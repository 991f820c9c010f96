"""Leaving TrustNet: the export holds everything about the member, erasure leaves nothing."""

from __future__ import annotations

import pytest
from factories import founder, invitation, redeem, reload, sponsored
from offer_factories import offer

from graph import abuse_reports, bans, conversations, departure, sanction_appeals, sponsorship

EVERY_NODE = "MATCH (n) RETURN labels(n) AS labels, properties(n) AS properties"
EVERY_EDGE = "MATCH ()-[r]->() RETURN type(r) AS type, properties(r) AS properties"

# Everything personal of Bob's that the graph held before he left: what he wrote, what others
# wrote to or about him, his name and his address.
BOBS_TRACES = (
    "bob@example.org", "Bob", "Welcome, baker", "Ladder of the baker", "Two metres, wooden",
    "Is the ladder free?", "Yes, come on Sunday", "Is the tent waterproof?",
    "Please bring it back", "Note to my friend", "friend@example.org", "Erin is reliable",
    "A colleague of mine", "Carol spams everyone", "He sells fake bread", "I did nothing wrong",
)


@pytest.fixture
def bob_did_everything(engine):
    """Bob, invited by Xavier with a note, has used every feature; then Xavier is banned, which
    suspends Bob, and Bob appeals. Returns (members by name, Bob's offer id)."""
    alice = founder(engine, "Alice")
    xavier = sponsored(engine, alice, "Xavier")
    carol = sponsored(engine, alice, "Carol")
    erin = sponsored(engine, alice, "Erin")
    _, secret = invitation(engine, xavier, "bob@example.org", "Welcome, baker")
    bob = redeem(engine, secret, "Bob")

    ladder = offer(engine, bob, "Ladder of the baker", description="Two metres, wooden",
                   visibility=3)
    asked = conversations.start_conversation(engine, carol.id, ladder, "Is the ladder free?",
                                             max_hops=3)
    conversations.reply(engine, bob.id, asked.conversation_id, "Yes, come on Sunday")
    sponsorship.offer_vouch(engine, bob.id, erin.email, "Erin is reliable")
    vouch = sponsorship.pending_vouches(engine, erin.id)[0].id
    sponsorship.confirm_vouch(engine, erin.id, vouch)
    tent = offer(engine, erin, "Tent", visibility=1)
    mine = conversations.start_conversation(engine, bob.id, tent, "Is the tent waterproof?",
                                            max_hops=3)
    conversations.reply(engine, erin.id, mine.conversation_id, "Please bring it back")
    sponsorship.offer_vouch(engine, carol.id, bob.email, "A colleague of mine")
    sponsorship.decline_vouch(engine, bob.id, sponsorship.pending_vouches(engine, bob.id)[0].id)
    invitation(engine, bob, "friend@example.org", "Note to my friend")
    abuse_reports.report(engine, bob.id, "member", carol.id, "spam", "Carol spams everyone",
                      max_hops=3)
    abuse_reports.report(engine, carol.id, "offer", ladder, "scam", "He sells fake bread",
                      max_hops=3)
    abuse_reports.report(engine, erin.id, "member", bob.id, "other", "He sells fake bread",
                      max_hops=3)

    bans.ban(engine, alice.id, xavier.id, "spam", strike_threshold=10)
    assert reload(engine, bob).status == "suspended"
    sanction_appeals.file_appeal(engine, bob.id, "I did nothing wrong")
    people = {"alice": alice, "xavier": xavier, "carol": carol, "erin": erin, "bob": bob}
    return people, ladder


def _strings(value: object) -> list[str]:
    """Every string inside a property value (lists included)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [text for item in value for text in _strings(item)]
    return []


def _traces_left(engine, traces: tuple[str, ...]) -> list[str]:
    """Where in the graph any of the traces is still found, as readable lines."""
    found = []
    for query, kind in ((EVERY_NODE, "labels"), (EVERY_EDGE, "type")):
        for row in engine.read(query):
            for key, value in row["properties"].items():
                for text in _strings(value):
                    found += [f"{row[kind]}.{key} = {text!r}" for trace in traces
                              if trace.lower() in text.lower()]
    return found


def test_the_export_holds_every_kind_of_record(engine, bob_did_everything):
    people, _ = bob_did_everything
    data = departure.export_data(engine, people["bob"].id)

    assert data["member"]["email"] == "bob@example.org"
    assert data["invited_by"] == {"name": "Xavier", "email": "bob@example.org",
                                  "note": "Welcome, baker",
                                  "created_at": data["invited_by"]["created_at"]}
    assert [(s["name"], s["via"]) for s in data["sponsors"]] == [("Xavier", "invitation")]
    assert [(s["name"], s["via"]) for s in data["sponsees"]] == [("Erin", "vouch")]
    assert [(i["email"], i["note"]) for i in data["invitations"]] == [
        ("friend@example.org", "Note to my friend")]
    assert [(o["title"], o["description"]) for o in data["offers"]] == [
        ("Ladder of the baker", "Two metres, wooden")]
    assert sorted((m["offer"], m["body"]) for m in data["messages"]) == [
        ("Ladder of the baker", "Yes, come on Sunday"), ("Tent", "Is the tent waterproof?")]
    assert [(v["member"], v["note"], v["status"]) for v in data["vouches_given"]] == [
        ("Erin", "Erin is reliable", "confirmed")]
    assert [(v["voucher"], v["note"], v["status"]) for v in data["vouches_received"]] == [
        ("Carol", "A colleague of mine", "declined")]
    assert [(r["kind"], r["reason"], r["text"], r["about"]) for r in data["reports_filed"]] == [
        ("member", "spam", "Carol spams everyone", "Carol")]
    assert [(a["kind"], a["text"], a["status"]) for a in data["appeals"]] == [
        ("suspended", "I did nothing wrong", "open")]


def test_leaving_leaves_nothing_personal_anywhere_in_the_graph(engine, bob_did_everything):
    people, _ = bob_did_everything
    assert len(_traces_left(engine, BOBS_TRACES)) > len(BOBS_TRACES)  # the walk sees them

    departure.leave(engine, people["bob"].id)

    assert _traces_left(engine, BOBS_TRACES) == []
    # The anonymous anchor stays: Bob's node still links Xavier and Erin in the tree.
    left = reload(engine, people["bob"])
    assert left.status == "suspended" and left.name == ""
    network = sponsorship.network_of(engine, left.id)
    assert [s.name for s in network.sponsors] == ["Xavier"]
    assert [s.name for s in network.sponsees] == ["Erin"]
