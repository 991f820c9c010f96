"""Offers on the web: publish, edit, pause, close, delete; the offer page and its trust path."""

from __future__ import annotations

import re

import pytest
from conftest import csrf_token, post_form, text, without_csrf
from factories import sponsor_chain
from offer_factories import offer, set_status

from graph import abuse_reports, offers
from graph.errors import Invalid

OFFER_FORM = {
    "title": "Cordless drill", "category": "tools", "description": "Two batteries.\nA case.",
    "area": "Lyon", "price": "", "available_from": "", "available_until": "",
    "visibility": "2",
}


@pytest.fixture
def chain(engine):
    """You -> Alice -> Bob -> Carol -> Dave, each sponsoring the next."""
    return tuple(sponsor_chain(engine, "You", "Alice", "Bob", "Carol", "Dave"))


def offer_id_of(response) -> str:
    return re.fullmatch(r"/offers/(\w+)", response.headers["Location"]).group(1)


def test_a_member_publishes_an_offer_that_their_chosen_circle_sees(browser, chain):
    you, alice, bob, carol, dave = chain
    bob_browser = browser(bob)
    form = text(bob_browser.get("/offers/new"))
    assert "Up to friends of friends (2nd degree)" in form and "The whole network" in form

    response = post_form(bob_browser, "/offers/new", {
        **OFFER_FORM, "price": "12.50", "visibility": "1", "available_from": "2030-01-01",
        "available_until": "2030-01-31"})

    assert response.status_code == 302
    page = text(bob_browser.get(response.headers["Location"]))
    assert "Your offer is published." in page
    assert "<p>Two batteries.</p>" in page and "<p>A case.</p>" in page
    assert "€12.50" in page and "My contacts only (1st degree)" in page
    assert "From Jan 1, 2030 to Jan 31, 2030" in page
    assert "Cordless drill" in text(browser(carol).get("/"))  # Bob's contact
    assert "Cordless drill" not in text(browser(you).get("/"))  # two steps away


def test_a_form_with_mistakes_is_shown_again_with_the_errors(browser, chain, engine):
    you, *_ = chain
    response = post_form(browser(you), "/offers/new", {
        **OFFER_FORM, "title": "", "price": "-3", "available_from": "2030-02-01",
        "available_until": "2030-01-01"})

    page = text(response)
    assert response.status_code == 200
    assert "This field is required." in page
    assert "This date is before the start date." in page
    assert offers.own_offers(engine, you.id) == []


def test_the_circles_offered_follow_the_maximum_degree(app, browser, chain):
    you, *_ = chain
    app.config["TRUSTNET_MAX_DEGREE"] = 1

    form = text(browser(you).get("/offers/new"))

    assert "My contacts only (1st degree)" in form and "The whole network" in form
    assert "2nd degree" not in form and "3rd degree" not in form


def test_the_offer_page_shows_the_trust_path_and_its_strength(browser, chain, engine):
    you, alice, bob, carol, dave = chain
    offer_id = offer(engine, bob, visibility=2)

    page = text(browser(you).get(f"/offers/{offer_id}"))

    assert "Offered by Bob" in page and "friend of a friend" in page
    assert "via 1 of your contacts" in page
    path = page.split('<ol class="path"')[1].split("</ol>")[0]
    assert [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", step)).strip()
            for step in path.split("<li>")[1:]] == [
        "you", "Alice invited by you", "Bob invited by Alice"]
    assert f'href="/members/{alice.id}"' in path
    assert "I'm interested" in page


def test_an_offer_outside_my_circle_of_a_banned_owner_or_unknown_is_the_same_404(
        browser, chain, engine):
    you, alice, bob, carol, dave = chain
    too_far = offer(engine, carol, visibility=2)
    banned = offer(engine, alice, visibility=0)
    set_status(engine, alice, "banned")
    you_browser = browser(you)

    answers = [you_browser.get(f"/offers/{offer_id}") for offer_id in
               (too_far, banned, "no-such-offer")]

    assert {response.status_code for response in answers} == {404}
    assert len({without_csrf(text(response)) for response in answers}) == 1
    assert you_browser.get(f"/offers/{too_far}/edit").status_code == 404


def test_reporting_an_offer_i_may_not_see_is_the_404_of_its_page_and_files_nothing(
        browser, chain, engine):
    you, alice, bob, carol, dave = chain
    too_far = offer(engine, carol, visibility=2)
    near = offer(engine, alice, visibility=1)
    you_browser = browser(you)
    not_found = without_csrf(text(you_browser.get("/offers/no-such-offer")))
    token = csrf_token(text(you_browser.get(f"/report/offer/{near}")))

    for offer_id in (too_far, "no-such-offer"):
        form = you_browser.get(f"/report/offer/{offer_id}")
        sent = you_browser.post(f"/report/offer/{offer_id}", data={
            "csrf_token": token, "reason": "scam", "text": "fishing"})
        assert (form.status_code, sent.status_code) == (404, 404)
        assert without_csrf(text(form)) == without_csrf(text(sent)) == not_found
    assert abuse_reports.open_reports(engine) == []

    sent = you_browser.post(f"/report/offer/{near}", data={
        "csrf_token": token, "reason": "scam", "text": "a real one"})
    assert sent.status_code == 302
    assert [report.text for report in abuse_reports.open_reports(engine)] == ["a real one"]


def test_the_owner_edits_pauses_resumes_closes_and_deletes_an_offer(browser, chain, engine):
    you, alice, *_ = chain
    offer_id = offer(engine, alice, visibility=1)
    alice_browser, you_browser = browser(alice), browser(you)
    edit_page = text(alice_browser.get(f"/offers/{offer_id}/edit"))
    assert 'value="A cordless drill"' in edit_page

    response = post_form(alice_browser, f"/offers/{offer_id}/edit",
                         {**OFFER_FORM, "title": "Hammer drill", "visibility": "1"})
    assert response.headers["Location"] == f"/offers/{offer_id}"
    assert "Hammer drill" in text(you_browser.get("/"))

    for action, visible in (("pause", False), ("resume", True), ("close", False)):
        post_form(alice_browser, f"/offers/{offer_id}/status/{action}", {},
                  page="/offers/mine")
        assert ("Hammer drill" in text(you_browser.get("/"))) is visible
    mine = text(alice_browser.get("/offers/mine"))
    assert "Hammer drill" in mine and "closed" in mine

    post_form(alice_browser, f"/offers/{offer_id}/delete", {},
              page=f"/offers/{offer_id}/edit")
    assert "Hammer drill" not in text(alice_browser.get("/offers/mine"))
    assert alice_browser.get(f"/offers/{offer_id}").status_code == 404


@pytest.mark.parametrize("price", ["1e26", "100000000000000000000000000", "1000000.01",
                                   "sNaN", "NaN", "Infinity", "-Infinity", "1e400", "-3"])
def test_a_price_out_of_bounds_is_a_form_error_and_nothing_is_published(
        browser, chain, engine, price):
    you, *_ = chain

    response = post_form(browser(you), "/offers/new", {**OFFER_FORM, "price": price})

    assert response.status_code == 200
    assert "A price is a number from 0 to 1000000." in text(response)
    assert offers.own_offers(engine, you.id) == []


def test_the_largest_price_allowed_shows_on_every_page_that_formats_it(browser, chain):
    you, alice, *_ = chain
    response = post_form(browser(alice), "/offers/new",
                         {**OFFER_FORM, "price": str(offers.MAX_PRICE), "visibility": "1"})

    for page, reader in ((response.headers["Location"], alice), ("/", you),
                         ("/offers/mine", alice), (response.headers["Location"], you)):
        shown = browser(reader).get(page)
        assert shown.status_code == 200 and "€1,000,000.00" in text(shown)


def test_the_graph_refuses_a_price_no_page_could_format(engine, chain):
    you, *_ = chain
    for price in (1e26, float("nan"), float("inf"), -1.0):
        with pytest.raises(Invalid):
            offer(engine, you, price=price)
    assert offers.own_offers(engine, you.id) == []
