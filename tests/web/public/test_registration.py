"""Registering through an invitation link: the form's rules, the address confirmed by mail,
and an address taken meanwhile."""

from __future__ import annotations

import pytest
from conftest import (
    confirmation_path,
    join_path,
    login_as,
    post_form,
    sign_in,
    signed_token,
    text,
)
from factories import count_nodes, founder, invitation, redeem

from graph import invitations, members
from trustnet.links import CONFIRM_ADDRESS_DAYS
from trustnet.security import PURPOSE_CONFIRM_ADDRESS, PURPOSE_INVITATION

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


def test_a_registration_is_active_once_the_mailed_link_is_followed(
        app, client, engine, alice, join, mailbox):
    response = post_form(client, join, {"name": " Bob ", "password": PASSWORD,
                                        "confirm": PASSWORD})

    assert (response.status_code, response.headers["Location"]) == (302, "/login")
    assert "To activate it, open the link we have sent to bob@example.org" in text(
        client.get("/login"))
    assert client.get("/network").headers["Location"].startswith("/login")
    first = confirmation_path(mailbox, "bob@example.org")
    mailed = len(mailbox.messages)
    refused = sign_in(app.test_client(), "bob@example.org", PASSWORD)
    assert "Confirm your address first: we have sent a new link to bob@example.org." in text(
        refused)
    confirm = confirmation_path(mailbox, "bob@example.org", since=mailed)  # a new one
    assert client.get(first).status_code == 200  # both work until one is used

    page = client.get(confirm)
    assert "Activate the account of Bob, which signs in as bob@example.org." in text(page)
    assert client.get("/network").headers["Location"].startswith("/login")  # a GET confirms nothing
    done = post_form(client, confirm, {})

    assert (done.status_code, done.headers["Location"]) == (302, "/")
    feed = text(client.get("/"))
    assert "Welcome to TrustNet, Bob! Alice is your sponsor." in feed
    assert "Welcome! Three first steps" in feed
    network = text(client.get("/network"))
    sponsors = network.split("Who sponsored me")[1].split("Whom I sponsored")[0]
    assert "Alice" in sponsors
    bob = members.find_member_by_email(engine, "bob@example.org")
    assert bob is not None and (bob.name, bob.status, bob.confirmed) == ("Bob", "active", True)
    sent = invitations.list_invitations(engine, alice.id)
    assert [(i.status, i.member_name) for i in sent] == [("redeemed", "Bob")]
    again = app.test_client().get(confirm)  # single use: the link now only says so
    assert again.headers["Location"] == "/login"
    assert sign_in(app.test_client(), "bob@example.org", PASSWORD).headers["Location"] == "/"


def test_the_inviter_who_registers_in_the_invitees_place_gets_no_account(
        app, client, engine, alice, join, mailbox):
    post_form(client, join, {"name": "Not Bob", "password": "the inviter's password",
                             "confirm": "the inviter's password"})

    confirmation_path(mailbox, "bob@example.org")  # the only way in went to Bob's mailbox
    assert all(m["To"] == "bob@example.org" for m in mailbox.messages)
    assert client.get("/network").headers["Location"].startswith("/login")
    refused = sign_in(app.test_client(), "bob@example.org", "the inviter's password")
    assert refused.status_code == 200 and "Confirm your address first" in text(refused)


def test_a_stale_or_forged_confirmation_link_confirms_nothing(app, engine, alice):
    _, secret = invitation(engine, alice, "bob@example.org")
    bob = redeem(engine, secret, "Bob", confirmed=False)
    stale = signed_token(app, PURPOSE_CONFIRM_ADDRESS, bob.id,
                         seconds_ago=CONFIRM_ADDRESS_DAYS * 86_400 + 60)
    forged = signed_token(app, PURPOSE_INVITATION, bob.id)
    for token in (stale, forged):
        client = app.test_client()
        response = client.get(f"/confirm/{token}")
        assert response.status_code == 404
        assert "Sign in with your address and password: we will send you a new link." in text(
            response)
    assert members.get_member(engine, bob.id).confirmed is False


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


def test_no_session_works_for_an_account_whose_address_is_not_confirmed(app, engine, alice):
    _, secret = invitation(engine, alice, "bob@example.org")
    bob = redeem(engine, secret, "Bob", confirmed=False)
    client = login_as(app.test_client(), bob)
    assert client.get("/network").headers["Location"].startswith("/login")
    members.confirm_address(engine, bob.id)
    assert client.get("/network").status_code == 200
