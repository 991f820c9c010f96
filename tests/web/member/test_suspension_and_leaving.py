"""A suspended member's way back (a vouch through their link), and leaving TrustNet."""

from __future__ import annotations

import json
import re

import pytest
from conftest import csrf_token, path_of, sign_in, text
from factories import PASSWORD, invitation, reload, sponsorship_tree

from graph import bans, members
from trustnet.moderation.appeal_links import reinstate_link, reinstate_member

OFFER = """
MATCH (m:Member {id: $owner_id})
CREATE (m)-[:OFFERS]->(:Offer {id: $id, title: 'Bike', status: 'active', hidden: false,
                               visibility: 0, created_at: 0})
"""
OFFERS = "MATCH (o:Offer) RETURN count(o) AS offers"


@pytest.fixture
def family(engine):
    """alice -> bob -> carol -> dave; alice -> erin."""
    return sponsorship_tree(engine, "Alice -> Bob", "Bob -> Carol", "Carol -> Dave",
                            "Alice -> Erin")


def test_a_vouch_through_the_link_brings_the_suspended_back(app, engine, family, browser):
    bans.ban(engine, None, family["bob"].id, "spam", strike_threshold=2)
    carol = browser(reload(engine, family["carol"]))
    page = text(carol.get("/suspended"))
    assert "Alice" in page  # her sponsor's sponsor is an active member she knows
    shown = re.search(r"/vouch-for/([^\s\"<]+)", page)
    assert shown, "the suspension page shows no vouch-for-me link"
    link = shown.group(0)
    with app.test_request_context():  # signed links carry their time: compare what they name
        assert reinstate_member(shown.group(1)) == family["carol"].id

    erin = browser(family["erin"])
    form = erin.get(link)
    assert "Vouch for Carol?" in text(form)
    done = erin.post(link, data={"csrf_token": csrf_token(text(form))})
    assert done.status_code == 302
    assert reload(engine, family["carol"]).status == "active"
    assert reload(engine, family["dave"]).status == "active"  # anchored again with her
    assert carol.get("/network").status_code == 200
    assert "does not need a vouch" in text(erin.get(link))


def test_a_suspended_member_cannot_vouch_or_report(app, engine, family, browser):
    bans.ban(engine, None, family["bob"].id, "spam", strike_threshold=2)
    carol = browser(reload(engine, family["carol"]))
    with app.test_request_context():
        link = path_of(reinstate_link(family["dave"].id))
    assert carol.get(link).headers["Location"] == "/suspended"
    assert carol.get(f"/report/member/{family['bob'].id}").headers["Location"] == "/suspended"


def test_strikes_are_shown_where_the_sponsor_invites(app, engine, family, browser):
    bans.ban(engine, None, family["carol"].id, "spam", strike_threshold=1)
    page = text(browser(reload(engine, family["bob"])).get("/invitations"))
    assert "Your right to invite is suspended" in page and "Carol" in page


def test_leaving_erases_the_member_but_keeps_the_chain(app, engine, family, client, browser):
    bob = family["bob"]
    engine.write(OFFER, {"owner_id": bob.id, "id": "bike"})
    invitation_id, _ = invitation(engine, bob, "friend@example.org")
    sign_in(client, "bob@example.org")
    exported = client.get("/account/export")
    data = json.loads(exported.get_data(as_text=True))
    assert data["member"]["email"] == "bob@example.org"
    assert [o["title"] for o in data["offers"]] == ["Bike"]
    assert {i["email"] for i in data["invitations"]} >= {"friend@example.org"}

    page = client.get("/account/leave")
    wrong = client.post("/account/leave", data={"csrf_token": csrf_token(text(page)),
                                                "password": "not it"})
    assert "This is not your password" in text(wrong)
    gone = client.post("/account/leave", data={"csrf_token": csrf_token(text(page)),
                                               "password": PASSWORD})
    assert gone.headers["Location"] == "/login"

    left = reload(engine, bob)
    assert (left.status, left.name, left.password_hash) == ("departed", "", None)
    assert engine.read(OFFERS)[0]["offers"] == 0
    assert members.find_member_by_email(engine, "bob@example.org") is None  # address freed
    sponsor_list = text(browser(family["alice"]).get("/invitations"))
    assert "bob@example.org" not in sponsor_list and "(a member who left)" in sponsor_list
    assert reload(engine, family["carol"]).status == "active"  # nobody suspended by leaving
    # The departed member still carries the chain: banning alice's other branch changes
    # nothing for carol, and banning carol's own chain above bob does.
    assert bans.plan_ban(engine, family["erin"].id).suspended == []
    plan = bans.plan_ban(engine, family["alice"].id)
    assert {s.name for s in plan.suspended} >= {"Carol", "Dave"}
    assert sign_in(app.test_client(), "bob@example.org").status_code == 200  # cannot sign in
