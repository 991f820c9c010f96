"""A frozen replica (SIGSTOP: alive, its socket open, silent) holds no member's read for
longer than the replicas' own timeout, and is used again once it answers (SIGCONT)."""

from __future__ import annotations

import os
import signal
import time

import pytest
from conftest import text
from factories import founder
from offer_factories import offer
from site_map import signed_in

from replication.test_replica_reads import read_queries

pytestmark = pytest.mark.falkordb_only("replication of FalkorDB's redis-server")

REPLICA_TIMEOUT_MS = 500
# Far below the socket timeout a read waited before (3 x 10 s query limit + 2 s), far above
# REPLICA_TIMEOUT_MS: a loose bound on purpose, on a shared machine.
PAGE_LIMIT_S = 6.0


def timed_page(browser, path: str) -> tuple[int, str, float]:
    """The page's status, text and how long it took."""
    started = time.monotonic()
    page = browser.get(path)
    return page.status_code, text(page), time.monotonic() - started


def test_a_frozen_replica_is_skipped_then_read_again_once_it_answers(
        engine, cluster, other_app):
    alice = founder(engine)
    offer(engine, alice, "A wheelbarrow")
    cluster.settle()  # written outside a request: no session carries its offset
    frozen, other = cluster.replicas()
    listed = other_app(f"redis://127.0.0.1:{cluster.primary().port}?replica=127.0.0.1:"
                       f"{frozen.port}&replica=127.0.0.1:{other.port}"
                       f"&replica_timeout_ms={REPLICA_TIMEOUT_MS}")
    browser = signed_in(listed.test_client(), alice)
    assert timed_page(browser, "/offers/mine")[0] == 200  # both replicas connected

    os.kill(frozen.process.pid, signal.SIGSTOP)
    try:
        pages = [timed_page(browser, "/offers/mine") for _ in range(10)]
    finally:
        os.kill(frozen.process.pid, signal.SIGCONT)

    assert [status for status, _, _ in pages] == [200] * 10
    assert all("A wheelbarrow" in page for _, page, _ in pages)
    assert max(took for _, _, took in pages) < PAGE_LIMIT_S, pages
    before = read_queries(frozen)
    time.sleep(2.5)  # past the time a replica that failed is set aside
    again = [timed_page(browser, "/offers/mine") for _ in range(6)]
    assert all(status == 200 and "A wheelbarrow" in page for status, page, _ in again)
    assert read_queries(frozen) > before, "the replica that answers again is not read"
