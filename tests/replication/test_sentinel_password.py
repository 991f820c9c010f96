"""Sentinels with a password of their own (their `requirepass`), distinct from the data
servers' one: the app reaches them with the URL's `sentinel_password`, and says why it
cannot when that password is missing or wrong."""

from __future__ import annotations

import pytest
import redis
from conftest import csrf_token, text
from factories import founder
from site_map import signed_in

from graph.engine import EngineUnavailable
from replication.test_replica_reads import read_queries
from scripts.cluster import SERVICE

pytestmark = [
    pytest.mark.falkordb_only("replication of FalkorDB's redis-server"),
    pytest.mark.parametrize(
        "cluster", [{"password": "data-secret", "sentinel_password": "sentinel-secret"}],
        indirect=True),
]


def test_the_app_serves_through_sentinels_that_ask_for_their_own_password(app, cluster):
    with pytest.raises(redis.AuthenticationError):  # they do refuse a client without it
        redis.Redis(port=cluster.sentinels[0].port).sentinel_masters()
    alice = founder(app.extensions["trustnet"].connection.engine)
    cluster.settle()
    browser = signed_in(app.test_client(), alice)
    token = csrf_token(text(browser.get("/offers/new")))
    before = sum(read_queries(node) for node in cluster.replicas())

    posted = browser.post("/offers/new", data={
        "title": "A tandem", "category": "tools", "description": "For two.", "area": "Lyon",
        "price": "", "visibility": "0", "csrf_token": token})
    cluster.settle()
    pages = [text(browser.get("/offers/mine")) for _ in range(3)]

    assert posted.status_code == 302
    assert all("A tandem" in page for page in pages)
    assert sum(read_queries(node) for node in cluster.replicas()) > before


@pytest.mark.parametrize("given", ["", "&sentinel_password=data-secret"])
def test_without_the_sentinels_password_the_app_says_they_refused_it(
        cluster, other_app, given):
    url = (f"redis+sentinel://:data-secret@127.0.0.1:{cluster.sentinels[0].port}/{SERVICE}"
           f"?wait_replicas=1{given}")

    with pytest.raises(EngineUnavailable,
                       match="^TRUSTNET_GRAPH_URL: the sentinel at 127.0.0.1:[0-9]+ refused "
                             "the sentinel_password [^\n]+$"):
        other_app(url)
