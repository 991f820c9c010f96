"""Hostile text in every field a person fills in is stored exactly as typed and shown back
exactly, escaped: quotes, backslashes, Cypher that would close a map or a pattern, Cypher
statements, parameters, markup, template syntax, right-to-left text, emoji and the longest
Unicode each field takes. Text longer than a field allows is refused with the reason; a
control character (a NUL, which FalkorDB cannot carry, a bell, an escape) is refused with a
clear 400 page; a line break in a one-line field (a name, a title: both go into mail
subjects) is a form error.

The fields: member name (registration), invitation note, vouch note, offer title,
description and area, message, and the feed's search box.
"""

from __future__ import annotations

import re

import pytest
from conftest import confirmation_path, text
from factories import PASSWORD, count_nodes, founder, password_hash, sponsored
from markupsafe import escape
from site_map import dump_graph, signed_in

import trustnet.auth.routes
from graph import conversations, invitations, members, offers, sponsorship
from graph.conversations import MAX_BODY

CLEF = "\U0001d11e"  # 𝄞: four bytes in UTF-8
HOSTILE = {
    "quotes": "She said \"it's mine\" — `really`, ''quoted''",
    "backslashes": r"C:\new\table \\server\share \" \' \u0041 \n \x00 end\\",
    "closing a map": "x'}) MATCH (n) DETACH DELETE n //",
    "always true": "' OR 1=1 //",
    "a statement": "MATCH (n) DETACH DELETE n",
    "parameters": "$param {name: $name} $0 $$",
    "markup": '<script>alert("x")</script><img src=x onerror=alert(1)>&amp;',
    "templates": "{{ 7*7 }} {% if true %}x{% endif %} %(name)s %s {0}",
    "right to left": "\u202eשלום עולם\u202c مرحبا بالعالم",
    "emoji": "👩‍👩‍👧‍👦 🏳️‍🌈 🇫🇷 e\u0301 \u200b",
    "longest": None,  # each field's maximum length, in four-byte characters
}
LIMITS = {"name": 100, "invitation note": 1000, "vouch note": 500,
          "title": offers.MAX_TITLE, "description": offers.MAX_DESCRIPTION,
          "area": offers.MAX_AREA, "message": MAX_BODY, "search": 100}
JOIN_LINK = re.compile(r"/join/[\w.-]+")


@pytest.fixture
def app_config(app_config):
    return {**app_config, "WTF_CSRF_ENABLED": False}  # CSRF has tests of its own


@pytest.fixture(autouse=True)
def quick_hashing(monkeypatch: pytest.MonkeyPatch):
    """Registration hashes the password (~0.5 s here): not what these tests are about."""
    monkeypatch.setattr(trustnet.auth.routes, "hash_password", lambda password: password_hash())


def shows(page: str, typed: str) -> bool:
    """Whether the page shows typed exactly, escaped as HTML text."""
    return str(escape(typed)) in page


def fill_everything(app, engine, mailbox, value) -> dict:
    """Type value(field) in every field, through the pages; return what the app answered."""
    alice = founder(engine, "Alice")
    carol = sponsored(engine, alice, "Carol")
    alice_browser = signed_in(app.test_client(), alice)
    sent = alice_browser.post("/invitations", data={
        "email": "bob@example.org", "note": value("invitation note")})
    assert sent.status_code == 200, text(sent)
    join = JOIN_LINK.search(text(sent)).group(0)
    visitor = app.test_client()
    join_page = text(visitor.get(join))
    joined = visitor.post(join, data={"name": value("name"), "password": PASSWORD,
                                      "confirm": PASSWORD})
    assert joined.status_code == 302, text(joined)
    confirm = confirmation_path(mailbox, "bob@example.org")
    confirm_page = text(visitor.get(confirm))
    assert visitor.post(confirm).status_code == 302
    bob = members.find_member_by_email(engine, "bob@example.org")
    bob_browser = signed_in(app.test_client(), bob)
    vouched = signed_in(app.test_client(), carol).post("/vouch", data={
        "email": "bob@example.org", "note": value("vouch note")}, follow_redirects=True)
    assert "will see your offer to vouch" in text(vouched)
    published = bob_browser.post("/offers/new", data={
        "title": value("title"), "description": value("description"), "area": value("area"),
        "category": "tools", "visibility": "0"})
    assert published.status_code == 302, text(published)
    offer_path = published.headers["Location"]
    asked = alice_browser.post(f"{offer_path}/interest", data={"body": value("message")})
    assert asked.status_code == 302, text(asked)
    return {
        "alice": alice, "bob": bob, "offer_id": offer_path.rsplit("/", 1)[1],
        "conversation_path": asked.headers["Location"], "join page": join_page,
        "confirm page": confirm_page,
        "alice network": text(alice_browser.get("/network")),
        "bob network": text(bob_browser.get("/network")),
        "offer page": text(alice_browser.get(offer_path)),
        "conversation page": text(alice_browser.get(asked.headers["Location"])),
        "feed": text(alice_browser.get("/", query_string={"q": value("search")})),
    }


@pytest.mark.parametrize("kind", HOSTILE)
def test_hostile_text_in_every_field_is_stored_exactly_and_shown_escaped(
        app, engine, mailbox, kind):
    def value(field: str) -> str:
        return HOSTILE[kind] or CLEF * LIMITS[field]

    seen = fill_everything(app, engine, mailbox, value)

    alice, bob = seen["alice"], seen["bob"]
    offer = offers.own_offer(engine, bob.id, seen["offer_id"])
    conversation_id = seen["conversation_path"].rsplit("/", 1)[1]
    stored = {
        "name": bob.name,
        "invitation note": invitations.list_invitations(engine, alice.id)[0].note,
        "vouch note": sponsorship.pending_vouches(engine, bob.id)[0].note,
        "title": offer.title, "description": offer.description, "area": offer.area,
        "message": conversations.conversation_for(engine, alice.id,
                                                  conversation_id).messages[0].body,
    }
    assert stored == {field: value(field) for field in stored}
    shown_in = {"name": "alice network", "invitation note": "join page",
                "vouch note": "bob network", "title": "offer page", "description": "offer page",
                "area": "offer page", "message": "conversation page", "search": "feed"}
    assert [field for field, page in shown_in.items() if not shows(seen[page], value(field))] == []
    assert shows(seen["confirm page"], value("name"))
    for page in shown_in.values():
        assert "<script>" not in seen[page] and "<img src=x" not in seen[page]


def test_ten_kilobytes_of_unicode_are_kept_where_they_fit_and_refused_with_why_elsewhere(
        app, engine):
    ten_kb = CLEF * 2560  # 10 240 bytes
    alice = founder(engine, "Alice")
    carol = sponsored(engine, alice, "Carol")
    bob = sponsored(engine, alice, "Bob")
    alice_browser = signed_in(app.test_client(), alice)
    before = count_nodes(engine)
    too_long = "cannot be longer than"

    refused = {
        "invitation note": alice_browser.post("/invitations", data={
            "email": "dan@example.org", "note": ten_kb}),
        "vouch note": signed_in(app.test_client(), carol).post("/vouch", data={
            "email": "bob@example.org", "note": ten_kb}, follow_redirects=True),
        "title": alice_browser.post("/offers/new", data={
            "title": ten_kb, "description": "d", "area": "a", "category": "tools",
            "visibility": "0"}),
    }
    assert {field: too_long in text(response) for field, response in refused.items()} == {
        field: True for field in refused}
    assert count_nodes(engine) == before

    published = signed_in(app.test_client(), bob).post("/offers/new", data={
        "title": "Ten kilobytes", "description": ten_kb, "area": "Lyon", "category": "tools",
        "visibility": "0"})
    assert published.status_code == 302
    offer_id = published.headers["Location"].rsplit("/", 1)[1]
    assert offers.own_offer(engine, bob.id, offer_id).description == ten_kb
    asked = alice_browser.post(f"/offers/{offer_id}/interest", data={"body": ten_kb})
    assert asked.status_code == 400 and too_long in text(asked)
    assert shows(text(alice_browser.get(f"/offers/{offer_id}")), ten_kb)


@pytest.mark.parametrize("nul", ["before\x00after", "bell\x07", "escape\x1b[31m", "del\x7f",
                                 "c1\x85next line"])
def test_a_control_character_is_refused_with_a_clear_page_and_nothing_is_stored(
        app, engine, nul):
    alice = founder(engine, "Alice")
    carol = sponsored(engine, alice, "Carol")
    alice_browser = signed_in(app.test_client(), alice)
    before = dump_graph(engine)

    answers = [
        alice_browser.post("/invitations", data={"email": "bob@example.org", "note": nul}),
        signed_in(app.test_client(), carol).post("/vouch", data={
            "email": "alice@example.org", "note": nul}),
        alice_browser.post("/offers/new", data={
            "title": nul, "description": "d", "area": "a", "category": "tools",
            "visibility": "0"}),
        alice_browser.post("/login", data={"email": nul, "password": nul}),
        alice_browser.get("/", query_string={"q": nul}),
        alice_browser.get("/members/x" + nul + "y"),
    ]

    for response in answers:
        assert response.status_code == 400
        assert "Text may not contain control characters" in text(response)
    assert dump_graph(engine) == before


@pytest.mark.parametrize("line_break", ["\r\n", "\n", "\r", "\t"])
def test_a_line_break_in_a_name_or_a_title_is_a_form_error_and_nothing_is_stored(
        app, engine, mailbox, line_break):
    alice = founder(engine, "Alice")
    alice_browser = signed_in(app.test_client(), alice)
    sent = alice_browser.post("/invitations", data={"email": "bob@example.org"})
    join = JOIN_LINK.search(text(sent)).group(0)
    before = dump_graph(engine)

    answers = [
        app.test_client().post(join, data={"name": f"Bob{line_break}Bcc: x@evil.example",
                                           "password": PASSWORD, "confirm": PASSWORD}),
        alice_browser.post("/offers/new", data={
            "title": f"Drill{line_break}Bcc: x@evil.example", "description": "d",
            "area": "Lyon", "category": "tools", "visibility": "0"}),
        alice_browser.post("/offers/new", data={
            "title": "Drill", "description": "d", "area": f"Lyon{line_break}x",
            "category": "tools", "visibility": "0"}),
    ]

    for response in answers:
        assert response.status_code == 200
        assert "Write it on one line." in text(response)
    assert dump_graph(engine) == before
