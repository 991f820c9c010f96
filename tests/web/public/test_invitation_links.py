"""Invitation links that cannot be used: each gets a page that says why, and creates nothing."""

from __future__ import annotations

import time

import pytest
from conftest import csrf_token, join_path, signed_token, text
from factories import count_nodes, founder, invitation, redeem
from itsdangerous import URLSafeTimedSerializer

from graph import invitations
from trustnet.links import DAY
from trustnet.security import PURPOSE_INVITATION, PURPOSE_PASSWORD

REGISTRATION = {"name": "Mallory", "password": "a long password", "confirm": "a long password"}


def tampered(token: str) -> str:
    """The token with one character of its signature changed."""
    return token[:-3] + ("A" if token[-3] != "A" else "B") + token[-2:]


def try_to_join(app, path: str):
    """Open the link, then submit the registration form to it; return both answers."""
    browser = app.test_client()
    opened = browser.get(path)
    token = csrf_token(text(browser.get("/login")))
    submitted = browser.post(path, data={**REGISTRATION, "csrf_token": token})
    return opened, submitted


@pytest.fixture
def alice(engine):
    return founder(engine)


@pytest.fixture
def secret(engine, alice) -> str:
    """The secret of a pending invitation from Alice to bob@example.org."""
    return invitation(engine, alice, "bob@example.org")[1]


FORGERIES = {
    "not a token": lambda app, secret: "not-a-token",
    "tampered signature": lambda app, secret: tampered(join_path(app, secret).rsplit("/")[-1]),
    "signed with another key": lambda app, secret: URLSafeTimedSerializer(
        "another key", salt=f"trustnet.{PURPOSE_INVITATION}").dumps(secret),
    "signed for another purpose": lambda app, secret: signed_token(
        app, PURPOSE_PASSWORD, secret, 0),
    "genuine, but no such invitation": lambda app, secret: signed_token(
        app, PURPOSE_INVITATION, "never-issued", 0),
}


@pytest.mark.parametrize("forge", FORGERIES.values(), ids=FORGERIES.keys())
def test_a_forged_or_unknown_link_gets_the_not_valid_page_and_creates_nothing(
        app, engine, secret, forge):
    before = count_nodes(engine)

    opened, submitted = try_to_join(app, f"/join/{forge(app, secret)}")

    for response in (opened, submitted):
        assert response.status_code == 404
        assert "This invitation link is not valid" in text(response)
    assert count_nodes(engine) == before


def expire_signature(app, engine, alice) -> str:
    _, secret = invitation(engine, alice, "bob@example.org")
    too_old = app.config["TRUSTNET_INVITE_DAYS"] * DAY + 60
    return "/join/" + signed_token(app, PURPOSE_INVITATION, secret, too_old)


def expire_in_graph(app, engine, alice) -> str:
    _, secret = invitation(engine, alice, "bob@example.org", lifetime_s=60,
                           now=time.time() - 120)
    return join_path(app, secret)


def revoke(app, engine, alice) -> str:
    invitation_id, secret = invitation(engine, alice, "bob@example.org")
    invitations.revoke_invitation(engine, alice.id, invitation_id)
    return join_path(app, secret)


def use(app, engine, alice) -> str:
    _, secret = invitation(engine, alice, "bob@example.org")
    redeem(engine, secret, "Bob")
    return join_path(app, secret)


CLOSED = [  # (how the link was closed, what its page says)
    (expire_signature, "This invitation has expired. Ask Alice for a new one."),
    (expire_in_graph, "This invitation has expired. Ask Alice for a new one."),
    (revoke, "This invitation was withdrawn by the member who sent it."),
    (use, "This invitation has already been used. If it was you, sign in."),
]


@pytest.mark.parametrize(("close", "message"), CLOSED, ids=[c.__name__ for c, _ in CLOSED])
def test_a_closed_link_gets_a_gone_page_saying_why_and_creates_nothing(
        app, engine, alice, close, message):
    path = close(app, engine, alice)
    before = count_nodes(engine)

    opened, submitted = try_to_join(app, path)

    for response in (opened, submitted):
        assert response.status_code == 410
        assert message in text(response)
        assert "This invitation cannot be used" in text(response)
    assert count_nodes(engine) == before


def test_a_link_signed_a_day_before_it_expires_still_opens_the_form(app, engine, alice):
    _, secret = invitation(engine, alice, "bob@example.org", lifetime_s=14 * DAY)
    almost_too_old = (app.config["TRUSTNET_INVITE_DAYS"] - 1) * DAY
    response = app.test_client().get(
        "/join/" + signed_token(app, PURPOSE_INVITATION, secret, almost_too_old))
    assert response.status_code == 200
    assert "Alice invites you and will be your sponsor." in text(response)
