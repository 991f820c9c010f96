"""A closed offer stays readable, marked closed, by the members who wrote about it, and by
nobody else who is not its owner."""

from __future__ import annotations

import pytest
from conftest import post_form, text
from factories import founder, sponsored
from offer_factories import offer

from graph import conversations, offers


@pytest.fixture
def people(engine):
    """Alice sponsored Bob, who offers a drill to his contacts; Carol is Bob's other contact;
    Alice wrote to Bob about the drill."""
    alice = founder(engine, "Alice")
    bob = sponsored(engine, alice, "Bob")
    carol = sponsored(engine, bob, "Carol")
    offer_id = offer(engine, bob, "Cordless drill", visibility=1)
    conversations.start_conversation(engine, alice.id, offer_id, "Free on Sunday?", 3)
    offers.change_status(engine, bob.id, offer_id, "close")
    return alice, bob, carol, offer_id


def test_a_member_who_wrote_about_a_closed_offer_still_reads_it_marked_closed(browser,
                                                                             people):
    alice, bob, carol, offer_id = people

    response = browser(alice).get(f"/offers/{offer_id}")

    page = text(response)
    assert response.status_code == 200
    assert "Cordless drill" in page and '<span class="tag">closed</span>' in page
    assert "Bob closed this offer: it takes no more requests." in page
    assert "Send to Bob" not in page
    french = text(browser(alice).get(f"/offers/{offer_id}",
                                     headers={"Accept-Language": "fr"}))
    assert "Bob a clos cette offre" in french


def test_a_closed_offer_is_still_404_for_members_who_did_not_write_about_it(browser,
                                                                           people):
    alice, bob, carol, offer_id = people

    assert browser(carol).get(f"/offers/{offer_id}").status_code == 404


def test_writing_about_a_closed_offer_again_is_refused(browser, people, engine):
    alice, bob, carol, offer_id = people

    response = post_form(browser(alice), f"/offers/{offer_id}/interest",
                         {"body": "Still there?"})

    assert response.status_code == 404
    [asked] = conversations.requests_for(engine, bob.id, offer_id)
    assert len(conversations.conversation_for(engine, bob.id, asked.id).messages) == 1
