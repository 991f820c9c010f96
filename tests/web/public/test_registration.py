"""Registering through an invitation link: the form's rules, and an address taken meanwhile."""

from __future__ import annotations

import pytest
from conftest import join_path, post_form, text
from factories import count_nodes, founder, invitation, redeem

from graph import invitations, members

PASSWORD = "a long password"


@pytest.fixture
def alice(engine):
    return founder(engine)


@pytest.fixture
def join(app, engine, alice) -> str:
    """The path of Alice's invitation to bob@example.org, with a note."""
    _, secret = invitation(engine, alice, "bob@example.org", "Come lend us your drill")
    return join_path(app, secret)


def test_the_invitation_page_says_who_invites_whom(client, join):
    page = text(client.get(join))

    assert "Alice invites you and will be your sponsor." in page
    assert "Come lend us your drill" in page
    assert "You will sign in as bob@example.org." in page


def test_a_valid_registration_signs_the_newcomer_in_with_their_sponsor(
        client, engine, alice, join):
    response = post_form(client, join, {"name": " Bob ", "password": PASSWORD,
                                        "confirm": PASSWORD})

    assert (response.status_code, response.headers["Location"]) == (302, "/network")
    network = text(client.get("/network"))
    assert "Welcome to TrustNet, Bob! Alice is your sponsor." in network
    sponsors = network.split("Who sponsored me")[1].split("Whom I sponsored")[0]
    assert "Alice" in sponsors
    bob = members.find_member_by_email(engine, "bob@example.org")
    assert bob is not None and (bob.name, bob.status) == ("Bob", "active")
    sent = invitations.list_invitations(engine, alice.id)
    assert [(i.status, i.member_name) for i in sent] == [("redeemed", "Bob")]


@pytest.mark.parametrize(("name", "password", "confirm", "message"), [
    ("Bob", "too short", "too short", "Field must be between 10 and 1024 characters long."),
    ("Bob", PASSWORD, "another long password", "The passwords differ."),
    ("", PASSWORD, PASSWORD, "This field is required."),
    ("B" * 101, PASSWORD, PASSWORD, "Field cannot be longer than 100 characters."),
])
def test_a_refused_registration_shows_why_and_creates_nothing(
        client, engine, alice, join, name, password, confirm, message):
    before = count_nodes(engine)

    response = post_form(client, join, {"name": name, "password": password,
                                        "confirm": confirm})

    assert response.status_code == 200
    assert message in text(response)
    assert f'value="{name}"' in text(response)
    assert count_nodes(engine) == before
    assert [i.status for i in invitations.list_invitations(engine, alice.id)] == ["pending"]
    assert client.get("/network").headers["Location"].startswith("/login")


def test_an_address_registered_meanwhile_gets_a_conflict_page_and_the_invitation_stays_open(
        app, client, engine, alice):
    carol = founder(engine, "Carol")
    _, first = invitation(engine, alice, "dave@example.org")
    _, second = invitation(engine, carol, "Dave@Example.org")
    redeem(engine, first, "Dave")
    before = count_nodes(engine)

    response = post_form(client, join_path(app, second),
                         {"name": "Dave again", "password": PASSWORD, "confirm": PASSWORD})

    assert response.status_code == 409
    assert "this address is already registered: sign in instead" in text(response)
    assert count_nodes(engine) == before
    assert [i.status for i in invitations.list_invitations(engine, carol.id)] == ["pending"]
    assert client.get("/network").headers["Location"].startswith("/login")
