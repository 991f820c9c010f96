"""A member reads their own writes on their next page, whichever worker serves it, while the
replicas lag behind the primary: the session carries the write's replication offset
(trustnet.bookmarks), and reads go where that offset is reached."""

from __future__ import annotations

import pytest
from conftest import confirmation_path, join_path, post_form, text
from factories import founder, invitation
from site_map import signed_in

from scripts.cluster import Cluster

pytestmark = pytest.mark.falkordb_only("replication of FalkorDB's redis-server")

OFFER = {"title": "A tent for two", "category": "tools", "description": "With its pegs.",
         "area": "Lyon", "price": "", "visibility": "0"}


@pytest.fixture
def app_config(app_config: dict, cluster: Cluster) -> dict:
    """Writes wait for no replica here: the replicas are held back on purpose."""
    return {**app_config, "TRUSTNET_GRAPH_URL": cluster.url(wait_replicas=0)}


def hold_back(cluster: Cluster, seconds: float) -> None:
    """The replicas apply no replication stream for a while (reads still answered)."""
    for node in cluster.replicas():
        node.ask("CLIENT", "PAUSE", int(seconds * 1000), "WRITE")


def test_a_member_sees_the_offer_they_just_posted_while_the_replicas_lag(
        app, engine, cluster, other_app):
    alice = founder(engine)
    cluster.settle()  # written outside a request: no session carries its offset
    browser = signed_in(app.test_client(), alice)
    browser.get("/offers/new")
    hold_back(cluster, 3)

    assert post_form(browser, "/offers/new", OFFER).status_code == 302
    assert "A tent for two" in text(browser.get("/offers/mine"))
    other_worker = other_app(cluster.url(wait_replicas=0))  # only the session carries it
    with browser.session_transaction() as session:
        cookie = dict(session)
    with other_worker.test_client() as second:
        with second.session_transaction() as session:
            session.update(cookie)
        assert "A tent for two" in text(second.get("/offers/mine"))


def test_a_newcomer_who_just_redeemed_an_invitation_is_signed_in_while_the_replicas_lag(
        app, engine, cluster, mailbox):
    alice = founder(engine)
    _, secret = invitation(engine, alice, "dan@example.org")
    cluster.settle()  # written outside a request: no session carries their offset
    browser = app.test_client()
    post_form(browser, join_path(app, secret),
              {"name": "Dan", "password": "a long password", "confirm": "a long password"})
    confirm = confirmation_path(mailbox, "dan@example.org")
    browser.get(confirm)
    hold_back(cluster, 3)

    response = post_form(browser, confirm, {})

    assert response.status_code == 302
    assert browser.get(response.headers["Location"]).status_code == 200
