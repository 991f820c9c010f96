"""Reads go to the replicas and answer as the primary would; a replica in its first full
synchronisation is never asked."""

from __future__ import annotations

import time

import pytest
from conftest import text, without_csrf
from factories import founder
from falkordb import FalkorDB
from offer_factories import offer
from site_map import signed_in

from graph import members
from graph.cypher_catalog import all_statements

pytestmark = pytest.mark.falkordb_only("replication of FalkorDB's redis-server")

PAGES = ["/", "/offers", "/offers/mine", "/network", "/invitations"]


def read_queries(node) -> int:
    """How many GRAPH.RO_QUERY this server has run."""
    stats = node.info("commandstats").get("cmdstat_graph.RO_QUERY", {})
    return int(stats.get("calls", 0))


def test_pages_are_read_on_the_replicas_with_the_primarys_answers(
        app, engine, cluster, other_app):
    alice = founder(engine)
    for number in range(3):
        offer(engine, alice, f"Offer {number}")
    cluster.settle()  # written outside a request: no session carries their offset
    on_primary = other_app(f"redis://127.0.0.1:{cluster.primary().port}")
    replicas = cluster.replicas()
    before = [read_queries(node) for node in [cluster.primary(), *replicas]]

    replicated = [without_csrf(text(signed_in(app.test_client(), alice).get(page)))
                  for page in PAGES]

    after = [read_queries(node) for node in [cluster.primary(), *replicas]]
    assert after[0] == before[0], "the primary ran reads"
    assert all(later > earlier for earlier, later in zip(before[1:], after[1:], strict=True)), \
        f"the reads were not spread over both replicas: {before} {after}"
    direct = [without_csrf(text(signed_in(on_primary.test_client(), alice).get(page)))
              for page in PAGES]
    assert replicated == direct
    assert "Offer 2" in replicated[2]


def test_a_replica_in_its_first_full_synchronisation_is_not_read(
        app, engine, cluster, other_app):
    alice = founder(engine)
    offer(engine, alice, "A ladder")
    cluster.settle()  # written outside a request: no session carries its offset
    # The primary waits 3 s before it sends its data set: meanwhile the new replica has no
    # graph, and every read sent to it fails with "Invalid graph operation on empty key".
    primary = cluster.primary()
    primary.ask("CONFIG", "SET", "repl-diskless-sync-delay", 3)
    newcomer = cluster._server("replica3", primary)
    newcomer.start()
    cluster.servers.append(newcomer)
    listed = other_app(f"redis://127.0.0.1:{primary.port}?replica=127.0.0.1:{newcomer.port}")
    browser = signed_in(listed.test_client(), alice)

    pages = [browser.get("/offers/mine") for _ in range(20)]

    assert {page.status_code for page in pages} == {200}
    assert all("A ladder" in text(page) for page in pages)


def test_a_replica_too_far_behind_the_primary_is_not_read(cluster, other_app):
    lagging = other_app(cluster.url(wait_replicas=0, max_lag_bytes=100))
    engine = lagging.extensions["trustnet"].connection.engine
    alice = founder(engine)
    cluster.settle()
    for node in cluster.replicas():  # they stop applying the stream for 3 s
        node.ask("CLIENT", "PAUSE", 3000, "WRITE")
    offer(engine, alice, "A canoe")  # by another member's hand, as it were: no bookmark
    time.sleep(0.6)  # what the app knew of the replicas' offsets is now out of date

    page = text(signed_in(lagging.test_client(), alice).get("/offers/mine"))

    assert "A canoe" in page


def test_a_replica_keeps_the_plan_of_a_page_statement_after_every_other_statement_ran(
        engine, cluster):
    """The replicas run the pages' reads: like the embedded engine (graph_layer's
    test_plan_cache), each keeps the plans of all the app's statements, not FalkorDB's
    default 25, so that no page's statement is planned again because others ran meanwhile."""
    alice = founder(engine)
    cluster.settle()
    for replica in cluster.replicas():
        client = FalkorDB(host="127.0.0.1", port=replica.port)
        graph = client.select_graph(engine.graph_name)
        signed_in = {"id": alice.id, "newcomers_since": 0.0}
        graph.ro_query(members.GET_SIGNED_IN_MEMBER, signed_in)
        for number in range(len(all_statements())):  # as many other texts as the app has
            graph.ro_query(f"RETURN $n AS statement_{number}", {"n": number})
        again = graph.ro_query(members.GET_SIGNED_IN_MEMBER, signed_in)
        assert again.cached_execution, f"planned again on the replica at {replica.port}"
        assert again.result_set[0][0]["id"] == alice.id
        client.connection.close()
