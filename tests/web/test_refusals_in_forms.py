"""A form the app refuses (a domain error of its verb: Invalid, Conflict, Forbidden) comes
back as the same page, saying why, with what was typed still in it: nothing is lost, and the
refusal is never a bare error page or a redirect that drops the input (the rule of
trustnet/errors.py). One test per form whose verb can refuse what a member typed."""

from __future__ import annotations

import pytest
from conftest import text
from factories import founder, sponsored
from markupsafe import escape
from offer_factories import offer, set_status
from site_map import signed_in

from graph import conversations, roles, sanction_appeals
from trustnet.moderation.appeal_links import appeal_link

NOTE = "We climb together on Sundays"


@pytest.fixture
def app_config(app_config):
    return {**app_config, "WTF_CSRF_ENABLED": False}  # CSRF has tests of its own


@pytest.fixture
def alice(engine):
    return founder(engine, "Alice")


def shown_again(response, *typed: str) -> str:
    """The page of a refused form: the form's own page again (no redirect), with what was
    typed in it."""
    assert response.status_code in (400, 409), response.status_code
    page = text(response)
    for value in typed:
        assert str(escape(value)) in page, value
    return page


def test_an_invitation_to_an_address_that_is_not_one(browser, alice):
    response = browser(alice).post("/invitations", data={"email": "bob@", "note": NOTE})

    page = text(response)
    assert "This is not a valid e-mail address." in page
    assert 'value="bob@"' in page and NOTE in page


def test_a_vouch_for_an_address_that_is_not_one(browser, engine, alice):
    bob = sponsored(engine, alice, "Bob")

    response = browser(bob).post("/vouch", data={"email": "carol@", "note": NOTE})

    page = shown_again(response, NOTE)
    assert "This is not a valid e-mail address." in page and 'value="carol@"' in page


def test_a_second_appeal_of_a_suspension(browser, engine, alice):
    bob = sponsored(engine, alice, "Bob")
    set_status(engine, bob, "suspended")
    sanction_appeals.file_appeal(engine, bob.id, "I did nothing wrong.")

    response = browser(bob).post("/suspended/appeal", data={"text": "Please, again."})

    assert "already" in shown_again(response)


def test_a_second_appeal_of_a_ban(app, browser, engine, alice):
    bob = sponsored(engine, alice, "Bob")
    set_status(engine, bob, "banned")
    sanction_appeals.file_appeal(engine, bob.id, "I did nothing wrong.")
    with app.test_request_context():
        link = appeal_link(bob.id)

    response = browser().post(link, data={"text": "Please, again."})

    assert response.status_code == 200  # the appeal page, saying why
    assert "already" in text(response)


def test_a_reference_before_the_exchange_is_done(browser, engine, alice):
    bob = sponsored(engine, alice, "Bob")
    offer_id = offer(engine, bob)
    sent = conversations.start_conversation(engine, alice.id, offer_id, "May I borrow it?", 3)

    response = browser(alice).post(f"/conversations/{sent.conversation_id}/reference",
                                   data={"rating": "positive", "text": "Lovely drill."})

    page = shown_again(response)
    assert "a reference follows an exchange its owner marked as done" in page
    assert "May I borrow it?" in page  # the conversation itself, not an error page


def test_an_appeal_decision_that_decides_nothing(app, engine, alice):
    roles.set_admin(engine, None, alice.id, True)
    bob = sponsored(engine, alice, "Bob")
    set_status(engine, bob, "banned")
    appeal_id = sanction_appeals.file_appeal(engine, bob.id, "I did nothing wrong.")
    admin = signed_in(app.test_client(), alice)

    response = admin.post(f"/admin/appeals/{appeal_id}", data={f"{appeal_id}-note": "Hm."},
                          follow_redirects=True)

    assert "decide granted or rejected" in text(response)
    assert [a.id for a in sanction_appeals.open_appeals(engine)] == [appeal_id]  # still open
