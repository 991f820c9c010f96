"""A form whose token is older than WTF_CSRF_TIME_LIMIT is refused, public or members'."""

from __future__ import annotations

import time

import pytest
from conftest import csrf_token, text
from factories import PASSWORD, founder, reload
from itsdangerous import TimestampSigner

from graph import invitations


def token_of_page(make_client, url: str, seconds_ago: float):
    """A client, and the CSRF token of the form on url served to it seconds_ago.

    The clock moves for the whole visit (the session cookie is signed with it too, and a
    cookie signed in the future would not be read).
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(TimestampSigner, "get_timestamp",
                      lambda self: int(time.time() - seconds_ago))
        client = make_client()
        return client, csrf_token(text(client.get(url)))


def assert_refused(response) -> None:
    assert response.status_code == 400
    assert "This form was too old or did not come from this site." in text(response)


@pytest.mark.parametrize(("age", "accepted"), [("in time", True), ("late", False)])
def test_the_sign_in_form_expires_with_its_token(app, browser, engine, age, accepted):
    alice = founder(engine)
    limit = app.config["WTF_CSRF_TIME_LIMIT"]
    client, token = token_of_page(browser, "/login", limit + (60 if age == "late" else -60))

    response = client.post("/login", data={"email": alice.email, "password": PASSWORD,
                                           "csrf_token": token})

    if accepted:
        assert response.status_code == 302
        assert client.get("/settings").status_code == 200
    else:
        assert_refused(response)
        assert client.get("/settings").headers["Location"].startswith("/login")


def test_a_member_form_with_an_expired_token_is_refused_and_changes_nothing(
        app, browser, engine, mailbox):
    alice = founder(engine)
    client, token = token_of_page(lambda: browser(alice), "/invitations",
                                  app.config["WTF_CSRF_TIME_LIMIT"] + 60)

    assert_refused(client.post("/invitations", data={"email": "bob@example.org", "note": "hi",
                                                     "csrf_token": token}))
    assert invitations.list_invitations(engine, alice.id) == []
    assert mailbox.messages == []
    assert reload(engine, alice) == alice
