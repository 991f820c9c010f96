"""Query limits: the engine runs with a time limit and a memory cap, every query carries the
app's time limit (on servers the app did not start too), and a query that runs away is
cut short and answered with the plain 503 page.

(`tests/graph_layer/test_embedded.py::test_start_serves_a_private_socket_with_the_configured_limits`
checks that `ensure_embedded_server` passes its limits to the server.)
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from factories import founder, sponsored
from site_map import signed_in

from graph.connect import open_graph
from graph.engine import EngineUnavailable
from trustnet import create_app

# One statement to give bob many offers: a member's list of offers then takes a while.
MANY_OFFERS = """
MATCH (owner:Member {id: $owner_id})
UNWIND range(1, $count) AS k
CREATE (owner)-[:OFFERS]->(:Offer {id: 'bulk-' + toString(k), title: 'Offer ' + toString(k),
        description: 'Something to lend.', category: 'tools', area: 'Lyon', price: null,
        currency: 'EUR', visibility: 0, status: 'active', hidden: false,
        created_at: 1000.0 + k, updated_at: 1000.0 + k, available_from: null,
        available_until: null})
"""
RUNAWAY_MEMORY = "UNWIND range(1, 10000000) AS x RETURN collect(x) AS xs"
RUNAWAY_TIME = "UNWIND range(1, 100000) AS x UNWIND range(1, 100000) AS y RETURN count(y) AS n"
# A write that creates members slowly (a sum per row), so that it has created some when it is
# cut short but not so many that undoing them outlasts the client's socket timeout on a
# loaded machine (3M fast creations took seconds to undo there).
RUNAWAY_WRITE = """
UNWIND range(1, 1000) AS x
UNWIND range(1, 1000) AS y
WITH x, y, reduce(total = 0, z IN range(1, 1000) | total + z) AS total
CREATE (:Runaway {x: x, y: y, total: total})
"""


def config_value(engine, name: str) -> int:
    return int(engine.redis.execute_command("GRAPH.CONFIG", "GET", name)[1])


def test_the_app_starts_its_engine_with_a_time_limit_and_a_memory_cap(app_on, tmp_path_factory):
    # The app starts the embedded server itself, from its configuration.
    app = app_on(tmp_path_factory.mktemp("limits"), TRUSTNET_QUERY_TIMEOUT_MS=1500)
    engine = app.extensions["trustnet"].connection.engine

    assert config_value(engine, "TIMEOUT_DEFAULT") == 1500
    assert config_value(engine, "TIMEOUT_MAX") == 1500
    assert config_value(engine, "QUERY_MEM_CAPACITY") == 1024 * 1024 * 1024
    assert engine.query_timeout_ms == 1500


@pytest.mark.falkordb_only("a FalkorDB server's TIMEOUT_MAX")
@pytest.mark.parametrize(("ours", "sent"), [(500, 500), (60_000, 10_000)])
def test_every_query_carries_our_time_limit_within_what_the_server_allows(
        graph_server, engine, graph_name, tmp_path: Path, ours: int, sent: int):
    # The session's server was started with TIMEOUT_MAX 10 000 ms, as someone else's may be.
    connection = open_graph(f"unix://{graph_server.socket_path}", graph_name=graph_name,
                            data_dir=tmp_path, query_timeout_ms=ours)
    try:
        assert connection.engine.query_timeout_ms == sent
        assert connection.engine.read("RETURN 1 AS one") == [{"one": 1}]
    finally:
        connection.close()


def test_a_runaway_query_is_cut_short_as_unavailable_and_leaves_nothing(own_engine, app_on):
    server = own_engine(query_timeout_ms=500, max_query_memory_mb=16)
    app = app_on(server, TRUSTNET_QUERY_TIMEOUT_MS=500)
    engine = app.extensions["trustnet"].connection.engine

    for query, cause in ((RUNAWAY_MEMORY, "mem consumption exceeded"),
                         (RUNAWAY_TIME, "timed out"),
                         (RUNAWAY_WRITE, "timed out")):  # and undone
        started = time.monotonic()
        with pytest.raises(EngineUnavailable, match=cause):
            (engine.write if "CREATE" in query else engine.read)(query)
        assert time.monotonic() - started < 5, query
    assert engine.read("MATCH (n:Runaway) RETURN count(n) AS n") == [{"n": 0}]
    assert engine.read("RETURN 1 AS one") == [{"one": 1}]  # and the engine goes on


def test_a_page_whose_query_runs_too_long_answers_the_plain_503_page(
        engine, app_config, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    alice = founder(engine, "Alice")
    bob = sponsored(engine, alice, "Bob")
    engine.write(MANY_OFFERS, {"owner_id": bob.id, "count": 30_000})
    monkeypatch.setenv("TRUSTNET_INSTANCE_PATH", str(tmp_path / "instance"))
    # A site that has run a while has planned its statements (Neo4j spends tens of ms
    # planning one the first time, and counts it in the transaction's time).
    warm = create_app({**app_config, "TRUSTNET_QUERY_TIMEOUT_MS": 60_000})
    try:
        for path in ("/settings", "/offers/mine"):
            assert signed_in(warm.test_client(), bob).get(path).status_code == 200
    finally:
        warm.extensions["trustnet"].close()
    # A hurried engine: its schema check at start-up is not held to the limit, small page
    # queries take a few ms, and listing 30 000 offers more than a second on either engine.
    app = create_app({**app_config, "TRUSTNET_QUERY_TIMEOUT_MS": 300})
    try:
        browser = signed_in(app.test_client(), bob)
        assert browser.get("/settings").status_code == 200  # small queries fit in 300 ms

        response = browser.get("/offers/mine")  # 30 000 offers do not

        assert response.status_code == 503
        page = response.get_data(as_text=True)
        assert "Temporarily unavailable" in page and "Traceback" not in page
        assert browser.get("/settings").status_code == 200  # and nothing else suffers
    finally:
        app.extensions["trustnet"].close()



def test_a_query_limit_shorter_than_the_schema_statements_still_lets_the_site_start(
        backend, graph_name: str, app_config, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    # A slow machine took more than 20 ms to list Neo4j's constraints at start-up, and the
    # site refused to start: the schema statements are not page queries. Making the schema
    # on an empty database takes longer than 1 ms on any machine.
    empty = backend.open_engine(graph_name)
    try:
        empty.drop_graph()  # type: ignore[attr-defined]
        drop_schema(empty)
    finally:
        empty.close()
    monkeypatch.setenv("TRUSTNET_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app({**app_config, "TRUSTNET_QUERY_TIMEOUT_MS": 1})
    app.extensions["trustnet"].close()


def drop_schema(engine) -> None:
    """Drop every constraint and index of a Neo4j database (deleting a FalkorDB graph, as
    `drop_graph` does, already drops its indexes)."""
    if engine.dialect != "neo4j":
        return
    for row in engine.read("SHOW CONSTRAINTS YIELD name RETURN name"):
        engine.write(f"DROP CONSTRAINT `{row['name']}`")
    for row in engine.read("SHOW INDEXES YIELD name, type WHERE type = 'RANGE' RETURN name"):
        engine.write(f"DROP INDEX `{row['name']}`")
