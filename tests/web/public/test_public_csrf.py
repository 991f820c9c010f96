"""Public forms refuse a POST that did not come from their own page in the same browser."""

from __future__ import annotations

import pytest
from conftest import csrf_token, join_path, text
from factories import PASSWORD, count_nodes, founder, invitation

from graph import invitations


@pytest.fixture
def alice(engine):
    return founder(engine)


def assert_refused(response) -> None:
    assert response.status_code == 400
    assert "This form was too old or did not come from this site." in text(response)


def test_signing_in_without_the_token_is_refused_and_signs_nobody_in(client, alice):
    client.get("/login")

    assert_refused(client.post("/login", data={"email": "alice@example.org",
                                               "password": PASSWORD}))
    assert client.get("/network").headers["Location"].startswith("/login")


def test_registering_without_the_token_is_refused_and_creates_nothing(app, client, engine,
                                                                      alice):
    _, secret = invitation(engine, alice, "bob@example.org")
    path = join_path(app, secret)
    client.get(path)
    before = count_nodes(engine)

    assert_refused(client.post(path, data={"name": "Bob", "password": "a long password",
                                           "confirm": "a long password"}))
    assert count_nodes(engine) == before
    assert [i.status for i in invitations.list_invitations(engine, alice.id)] == ["pending"]


@pytest.mark.parametrize("victim_has_a_session", [True, False])
def test_a_token_from_another_browser_is_refused(app, alice, victim_has_a_session):
    attacker = app.test_client()
    token = csrf_token(text(attacker.get("/login")))
    victim = app.test_client()
    if victim_has_a_session:
        victim.get("/login")

    assert_refused(victim.post("/login", data={"email": "alice@example.org",
                                               "password": PASSWORD, "csrf_token": token}))
    assert victim.get("/network").headers["Location"].startswith("/login")
