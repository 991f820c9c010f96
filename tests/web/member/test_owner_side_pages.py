"""The owner's side of a conversation and blocks, through the pages: the owner sees how they
know whoever writes to them and opens their profile; a member reports or blocks another from
where they meet them, and lifts the block from their list."""

from __future__ import annotations

import re

import pytest
from conftest import post_form, text
from factories import founder, sponsor_chain, sponsored
from offer_factories import offer

from graph import abuse_reports, conversations, sponsorship
from graph.offers import WHOLE_NETWORK


@pytest.fixture
def network(engine):
    """Alice invited Bob and Carol; Bob vouched for Carol, who invited Erin. Bob offers a
    drill to friends of friends, and Erin wrote to him about it."""
    alice = founder(engine, "Alice")
    bob = sponsored(engine, alice, "Bob")
    carol = sponsored(engine, alice, "Carol")
    vouch_id = sponsorship.offer_vouch(engine, bob.id, "carol@example.org")
    assert vouch_id is not None
    sponsorship.confirm_vouch(engine, carol.id, vouch_id)
    erin = sponsored(engine, carol, "Erin")
    drill = offer(engine, bob, "Cordless drill", visibility=2)
    talk = conversations.start_conversation(engine, erin.id, drill, "Free on Sunday?", 3)
    return bob, carol, erin, drill, f"/conversations/{talk.conversation_id}"


def test_the_owner_sees_how_they_know_the_writer_and_opens_their_profile(browser, network):
    bob, carol, erin, drill, conversation = network
    bob_browser = browser(bob)

    page = text(bob_browser.get(conversation))
    listed = text(bob_browser.get("/conversations"))

    assert "How you know Erin" in page and "friend of a friend" in page
    assert f'href="/members/{carol.id}">Carol</a>' in page and "vouched for by you" in page
    assert f'href="/members/{erin.id}">Erin</a>' in page and "invited by Carol" in page
    assert "friend of a friend, via Carol" in listed
    profile = bob_browser.get(f"/members/{erin.id}")
    assert profile.status_code == 200 and "<h1>Erin</h1>" in text(profile)
    writer_page = text(browser(erin).get(conversation))
    assert "invited you" in writer_page and "vouched for Carol" in writer_page


def test_a_writer_beyond_the_owners_circle_opens_their_profile_to_the_owner_only(
        browser, engine):
    you, *_, far = sponsor_chain(engine, "You", "Alice", "Bob", "Carol", "Dave")
    you_browser, far_browser = browser(you), browser(far)
    assert you_browser.get(f"/members/{far.id}").status_code == 404
    tent = offer(engine, you, "A tent", visibility=WHOLE_NETWORK)

    talk = post_form(far_browser, f"/offers/{tent}/interest", {"body": "Still free?"},
                     page=f"/offers/{tent}").headers["Location"]

    page = text(you_browser.get(talk))
    assert "further than 3 steps" in page and f'href="/members/{far.id}"' in page
    profile = text(you_browser.get(f"/members/{far.id}"))
    assert "Dave wrote to you about one of your offers." in profile
    assert far_browser.get(f"/members/{you.id}").status_code == 404


def test_a_member_blocked_from_a_conversation_no_longer_reaches_me_until_i_lift_it(
        browser, network):
    bob, carol, erin, drill, conversation = network
    bob_browser, erin_browser = browser(bob), browser(erin)
    assert "Cordless drill" in text(erin_browser.get("/"))

    response = post_form(bob_browser, f"/members/{erin.id}/block", {}, page=conversation)

    assert response.headers["Location"] == "/blocks"
    assert "Erin" in text(bob_browser.get("/blocks"))
    assert "Cordless drill" not in text(erin_browser.get("/"))
    assert erin_browser.get(f"/offers/{drill}").status_code == 404
    assert erin_browser.get(f"/members/{bob.id}").status_code == 404
    assert bob_browser.get(f"/members/{erin.id}").status_code == 404
    closed = post_form(erin_browser, conversation, {"body": "Hello?"})
    assert "this conversation is closed to new messages" in text(closed)
    assert "one of you blocked the other" in text(erin_browser.get(conversation))

    post_form(bob_browser, f"/blocks/{erin.id}/lift", {}, page="/blocks")

    assert "You have blocked nobody." in text(bob_browser.get("/blocks"))
    assert "Cordless drill" in text(erin_browser.get("/"))


def test_offers_profiles_and_conversations_link_to_the_report_form(browser, network):
    bob, carol, erin, drill, conversation = network
    erin_browser = browser(erin)

    offer_page = text(erin_browser.get(f"/offers/{drill}"))
    profile = text(erin_browser.get(f"/members/{carol.id}"))
    talk = text(erin_browser.get(conversation))

    assert f'href="/report/offer/{drill}"' in offer_page
    assert f'href="/report/member/{carol.id}"' in profile
    assert f'href="/report/member/{bob.id}"' in talk
    assert erin_browser.get(f"/report/member/{carol.id}").status_code == 200


def test_a_message_is_reported_from_the_conversation(browser, network, engine):
    bob, carol, erin, drill, conversation = network
    bob_browser = browser(bob)
    page = text(bob_browser.get(conversation))
    [message_id] = re.findall(r'href="/report/message/([^"]+)"', page)

    response = post_form(bob_browser, f"/report/message/{message_id}",
                         {"reason": "spam", "text": "adverts"})

    assert response.status_code == 302
    [report] = abuse_reports.open_reports(engine)
    assert (report.kind, report.member_name, report.message) == (
        "message", "Erin", "Free on Sunday?")
    assert post_form(browser(carol), f"/report/message/{message_id}",
                     {"reason": "spam"}).status_code == 404
