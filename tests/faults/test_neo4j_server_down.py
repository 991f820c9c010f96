"""A Neo4j server killed (SIGKILL) or stopped (SIGTERM) under the app, in the middle of a
request: that request and the pages after it get the plain 503 page, nothing hangs, and
the same app serves again, with the data, once the server is back on its port."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from engines import NEO4J_PASSWORD, engines_to_test
from factories import founder
from site_map import signed_in

from graph import members
from graph.engine import EngineUnavailable
from scripts.neo4j.server import start as start_neo4j

pytestmark = pytest.mark.skipif("neo4j" not in engines_to_test(),
                                reason="Neo4j is not among TRUSTNET_TEST_ENGINES")

# A read that runs for many seconds: the server goes away while it runs.
LONG_READ = "UNWIND range(1, 20000) AS x UNWIND range(1, 20000) AS y RETURN count(y) AS n"


def serves(browser, path: str, deadline_s: float = 30.0) -> int:
    """The status of path once the app answers anything but 503, or 503 at the deadline."""
    deadline = time.monotonic() + deadline_s
    while True:
        status = browser.get(path).status_code
        if status != 503 or time.monotonic() > deadline:
            return status
        time.sleep(0.5)


@pytest.mark.parametrize("how", ["killed", "stopped"])
def test_a_server_that_goes_away_mid_request_gives_503_then_the_app_serves_again(
        how, tmp_path: Path, app_on, graph_server):
    data_dir = tmp_path / "neo4j"
    server = start_neo4j(data_dir, password=NEO4J_PASSWORD, heap="512m", pagecache="64m")
    try:
        app = app_on(server.uri, TRUSTNET_NEO4J_PASSWORD=NEO4J_PASSWORD,
                     TRUSTNET_RATELIMIT_URL=f"unix://{graph_server.socket_path}")
        engine = app.extensions["trustnet"].connection.engine
        alice = founder(engine, "Alice")
        browser = signed_in(app.test_client(), alice)
        assert browser.get("/settings").status_code == 200

        failures: list[Exception] = []

        def long_read() -> None:
            try:
                engine.read(LONG_READ)
            except EngineUnavailable as error:
                failures.append(error)

        reader = threading.Thread(target=long_read)
        reader.start()
        time.sleep(1.0)  # the read is running on the server
        (server.kill if how == "killed" else server.stop)()
        reader.join(timeout=30)

        assert not reader.is_alive() and len(failures) == 1
        down = browser.get("/settings")
        assert down.status_code == 503
        assert "Temporarily unavailable" in down.get_data(as_text=True)

        server = start_neo4j(data_dir, port=server.port, password=NEO4J_PASSWORD,
                             heap="512m", pagecache="64m")
        assert serves(browser, "/settings") == 200
        assert members.get_member(engine, alice.id) == alice  # acknowledged, so kept
    finally:
        server.stop()
