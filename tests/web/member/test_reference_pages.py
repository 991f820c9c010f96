"""References in the pages: the owner marks an exchange done from the conversation, each side
leaves a reference there, which shows on the profile, and on the owner's offers as the
number of the reader's contacts who recommend them."""

from __future__ import annotations

import time

import pytest
from conftest import csrf_token, post_form, text
from factories import founder, reload, sponsored
from offer_factories import offer

from graph import abuse_reports, conversations, roles


@pytest.fixture
def exchange(engine):
    """Alice sponsored Bob and Carol; Bob lends a drill to everyone, Alice asked about it."""
    alice = founder(engine, "Alice")
    bob = sponsored(engine, alice, "Bob")
    carol = sponsored(engine, alice, "Carol")
    offer_id = offer(engine, bob, "Cordless drill", visibility=0)
    sent = conversations.start_conversation(engine, alice.id, offer_id, "May I borrow it?", 3)
    return alice, bob, carol, offer_id, f"/conversations/{sent.conversation_id}"


def test_a_reference_after_a_done_exchange_shows_on_the_profile_and_the_offer(
        browser, exchange):
    alice, bob, carol, offer_id, conversation = exchange
    alice_browser, bob_browser = browser(alice), browser(bob)
    assert "Once Bob marks the exchange as done" in text(alice_browser.get(conversation))
    assert 'name="rating"' not in text(alice_browser.get(conversation))

    done = post_form(bob_browser, f"{conversation}/done", {"exchange": "lent"}, page=conversation)
    assert done.headers["Location"] == conversation
    page = text(alice_browser.get(conversation))
    assert "Done: Lent." in page and 'name="rating"' in page

    left = post_form(alice_browser, f"{conversation}/reference",
                     {"rating": "positive", "text": "Great drill, lent with a smile."},
                     page=conversation)
    assert left.headers["Location"] == conversation
    assert "You left your reference about Bob." in text(alice_browser.get(conversation))

    profile = text(browser(carol).get(f"/members/{bob.id}"))
    assert "Great drill, lent with a smile." in profile and "Positive" in profile
    assert "1 of your contacts recommends Bob" in text(browser(carol).get(f"/offers/{offer_id}"))
    assert "recommend" not in text(bob_browser.get(f"/offers/{offer_id}"))


def test_a_reference_is_refused_before_the_exchange_is_done_and_a_second_one_too(
        browser, engine, exchange):
    alice, bob, carol, offer_id, conversation = exchange
    alice_browser = browser(alice)

    early = post_form(alice_browser, f"{conversation}/reference",
                      {"rating": "negative", "text": "Too early."}, page=conversation,
                      follow_redirects=True)
    assert "marked as done" in text(early)
    assert "Too early." not in text(browser(carol).get(f"/members/{bob.id}"))
    refused = post_form(alice_browser, f"{conversation}/done", {"exchange": "lent"},
                        page=conversation, follow_redirects=True)
    assert "only the member who offers" in text(refused)

    post_form(browser(bob), f"{conversation}/done", {"exchange": "lent"}, page=conversation)
    post_form(alice_browser, f"{conversation}/reference",
              {"rating": "negative", "text": "Broken drill."}, page=conversation)
    again = alice_browser.post(f"{conversation}/reference", data={
        "rating": "positive", "text": "Fine after all.",
        "csrf_token": _token(alice_browser, f"/offers/{offer_id}")}, follow_redirects=True)

    assert "you already left your reference" in text(again)
    profile = text(browser(carol).get(f"/members/{bob.id}"))
    assert "Broken drill." in profile and "Fine after all." not in profile
    assert [r.text for r in abuse_reports.open_reports(engine)] == ["Broken drill."]


def test_a_reference_without_text_is_shown_again_with_its_error(browser, exchange):
    alice, bob, carol, offer_id, conversation = exchange
    post_form(browser(bob), f"{conversation}/done", {"exchange": "given"}, page=conversation)

    response = post_form(browser(alice), f"{conversation}/reference",
                         {"rating": "positive", "text": "  "}, page=conversation)

    assert response.status_code == 400
    assert "This field is required." in text(response)
    assert "No reference yet." in text(browser(carol).get(f"/members/{bob.id}"))


def test_outsiders_cannot_mark_done_nor_leave_a_reference(browser, exchange):
    alice, bob, carol, offer_id, conversation = exchange
    carol_browser = browser(carol)
    token = _token(carol_browser, f"/offers/{offer_id}")

    assert carol_browser.post(f"{conversation}/done", data={
        "exchange": "lent", "csrf_token": token}).status_code == 404
    post_form(browser(bob), f"{conversation}/done", {"exchange": "lent"}, page=conversation)
    assert carol_browser.post(f"{conversation}/reference", data={
        "rating": "negative", "text": "Never met him.", "csrf_token": token}).status_code == 404


def _token(client, page: str) -> str:
    """The CSRF token of a page the client may see, to post a form it was never shown."""
    return csrf_token(text(client.get(page)))


def test_a_negative_reference_waits_in_the_admins_report_queue(browser, engine, exchange):
    alice, bob, carol, offer_id, conversation = exchange
    roles.set_admin(engine, None, carol.id, True)
    post_form(browser(bob), f"{conversation}/done", {"exchange": "lent"}, page=conversation)
    post_form(browser(alice), f"{conversation}/reference",
              {"rating": "negative", "text": "The drill was broken."}, page=conversation)

    admin = browser(reload(engine, carol))
    with admin.session_transaction() as session:
        session["signed_in_at"] = time.time()
    queue = text(admin.get("/admin/reports"))

    assert "Negative reference about Bob" in queue and "The drill was broken." in queue
    assert "by Alice" in queue
