"""When a sponsor leaves, the members they sponsored stay members and are told: the leave
page says so, and each sponsee with an account gets a 'sponsor_left' notification."""

from __future__ import annotations

import re

from conftest import csrf_token, sign_in, text
from factories import PASSWORD, reload, sponsorship_tree


def test_the_members_a_leaving_sponsor_brought_in_are_told(app, engine, browser):
    family = sponsorship_tree(engine, "Alice -> Bob", "Bob -> Carol", "Bob -> Dave")
    bob, carol = family["bob"], family["carol"]
    client = app.test_client()
    sign_in(client, "bob@example.org")

    page = client.get("/account/leave")
    assert "The members you sponsored stay members and are told that you left" in text(page)
    gone = client.post("/account/leave", data={"csrf_token": csrf_token(text(page)),
                                               "password": PASSWORD})
    assert gone.headers["Location"] == "/login"
    assert reload(engine, bob).status == "departed"

    carols = browser(carol)
    assert reload(engine, carol).status == "active"
    assert 'class="badge count"' in text(carols.get("/"))  # an unread notification
    notifications = text(carols.get("/notifications"))
    assert "A member who sponsored you left TrustNet. You stay a member" in notifications
    opened = carols.post(re.search(r'action="(/notifications/[^/"]+/open)"', notifications)[1],
                         data={"csrf_token": csrf_token(notifications)})
    assert opened.headers["Location"] == "/network"  # where her other contacts are
    assert 'class="badge count"' not in text(carols.get("/"))
    assert "A member who sponsored you left" in text(browser(family["dave"]).get("/notifications"))
    assert "A member who sponsored you left" not in text(
        browser(family["alice"]).get("/notifications"))


def test_the_notice_reads_in_french(app, engine, browser):
    family = sponsorship_tree(engine, "Alice -> Bob", "Bob -> Carol")
    client = app.test_client()
    sign_in(client, "bob@example.org")
    page = client.get("/account/leave")
    client.post("/account/leave", data={"csrf_token": csrf_token(text(page)),
                                        "password": PASSWORD})
    carols = browser(family["carol"])
    french = text(carols.get("/notifications", headers={"Accept-Language": "fr"}))
    assert "Un membre qui vous a parrainé" in french
