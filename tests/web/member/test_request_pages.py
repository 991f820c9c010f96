"""Requests for help in the pages: asked from the feed's "Ask for help", found with the
feed's filter, answered with "Offer help", which the mails word as such."""

from __future__ import annotations

from email.header import decode_header, make_header

import pytest
from conftest import mail_body, post_form, text
from factories import founder, sponsored
from offer_factories import offer

REQUEST_FORM = {"kind": "request", "title": "Help moving boxes on Saturday?",
                "category": "services", "description": "Third floor, no lift.",
                "area": "Lyon", "visibility": "1"}


def subject(mail) -> str:
    """A mail's subject, decoded (the quotes around a title are not ASCII)."""
    return str(make_header(decode_header(mail["Subject"])))


@pytest.fixture
def people(engine):
    """Alice sponsored Bob, who lends a drill."""
    alice = founder(engine, "Alice")
    bob = sponsored(engine, alice, "Bob")
    offer(engine, bob, "Cordless drill", visibility=1)
    return alice, bob


def test_a_request_is_posted_found_with_the_filter_and_answered(browser, people, mailbox):
    alice, bob = people
    alice_browser, bob_browser = browser(alice), browser(bob)
    assert 'href="/offers/new?kind=request"' in text(alice_browser.get("/"))
    assert '<input checked id="kind-1" name="kind" type="radio" value="request">' in (
        text(alice_browser.get("/offers/new?kind=request")))

    posted = post_form(alice_browser, "/offers/new", REQUEST_FORM,
                       page="/offers/new?kind=request", follow_redirects=True)
    assert "Your request is published." in text(posted)
    assert "Your request" in text(posted)

    requests_only = text(bob_browser.get("/?kind=request"))
    assert "Help moving boxes on Saturday?" in requests_only
    assert "Cordless drill" not in requests_only and "Asked by" in requests_only
    assert "Help moving boxes" not in text(bob_browser.get("/?kind=offer"))
    both = text(bob_browser.get("/"))
    assert "Help moving boxes" in both and "Request for help" in both

    offer_id = posted.request.path.rsplit("/", 1)[1]
    page = text(bob_browser.get(f"/offers/{offer_id}"))
    assert "Alice asks for help" in page and "Offer help to Alice" in page
    post_form(bob_browser, f"/offers/{offer_id}/interest", {"body": "I have a van."},
              page=f"/offers/{offer_id}")
    mailbox.wait_for(2)
    [to_alice], [to_bob] = mailbox.to("alice@example.org"), mailbox.to("bob@example.org")
    assert subject(to_alice) == "Bob offers to help with “Help moving boxes on Saturday?”"
    assert "Bob offers to help with" in mail_body(to_alice)
    assert subject(to_bob) == "You offered Alice your help with “Help moving boxes on Saturday?”"


def test_an_unknown_kind_is_refused_with_the_form_shown_again(browser, people, engine):
    alice, bob = people

    response = post_form(browser(alice), "/offers/new", {**REQUEST_FORM, "kind": "demand"})

    assert response.status_code == 200 and "Not a valid choice" in text(response)
    assert "Help moving boxes" not in text(browser(bob).get("/"))


def test_a_form_without_a_kind_still_publishes_an_offer(browser, people):
    alice, bob = people
    form = {key: value for key, value in REQUEST_FORM.items() if key != "kind"}

    posted = post_form(browser(alice), "/offers/new", form, follow_redirects=True)

    assert "Your offer is published." in text(posted)
    assert "Request for help" not in text(browser(bob).get("/"))
