"""My network, drawn: with JavaScript, Cytoscape.js (static/vendor/) draws me, my contacts
and the 2nd degree from the member blueprint's JSON endpoint, within the CSP (same-origin
scripts, no inline script or style); without it, the page keeps its lists only."""

from __future__ import annotations

from factories import PASSWORD, founder, sponsored
from playwright.sync_api import expect


def sign_in(visitor, email: str):
    page = visitor.open("/login")
    page.get_by_label("E-mail", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page).to_have_url(visitor.base_url + "/")
    return page


def network(engine) -> None:
    """Bob's contacts: Alice and Dan; his 2nd degree: Carol and Eve; Frank is 3 steps away."""
    alice = founder(engine, "Alice")
    bob = sponsored(engine, alice, "Bob")
    sponsored(engine, alice, "Carol")
    dan = sponsored(engine, bob, "Dan")
    eve = sponsored(engine, dan, "Eve")
    sponsored(engine, eve, "Frank")


def test_my_network_is_drawn_up_to_the_second_degree(engine, visit):
    network(engine)
    bob = visit("bob", "en", javascript=True)
    page = sign_in(bob, "bob@example.org")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My network").click()
    drawing = page.locator("#network-graph")
    expect(drawing).to_have_attribute("data-state", "drawn")
    expect(drawing).to_have_attribute("data-nodes", "5")  # Bob, Alice, Dan, Carol, Eve
    expect(drawing).to_have_attribute("data-edges", "4")
    expect(drawing.locator("canvas").first).to_be_visible()
    expect(page.get_by_role("img", name="A drawing of your network. The lists of this page "
                                       "say the same in words.")).to_be_visible()
    bob.step("my network, drawn")  # fails on a CSP violation or a JavaScript error


def test_without_javascript_my_network_keeps_its_lists(engine, visit):
    network(engine)
    bob = visit("bob", "en", javascript=False)
    page = sign_in(bob, "bob@example.org")
    page = bob.open("/network")
    expect(page.get_by_role("region", name="Who sponsored me")).to_contain_text("Alice")
    expect(page.get_by_role("heading", name="My network, drawn")).to_be_hidden()
    bob.step("my network, lists only")
