"""Processes die under load through the real app: the primary (kill -9, Sentinel promotes a
replica) and a replica (killed, then started again). Members get 503 at most for the
failover's time, never an error page, and every write they were told is saved is there."""

from __future__ import annotations

import threading
import time

import pytest
from conftest import csrf_token, text
from factories import founder
from site_map import signed_in

from scripts.cluster import Cluster

pytestmark = pytest.mark.falkordb_only("replication of FalkorDB's redis-server")

WRITERS = 3
FAILOVER_LIMIT_S = 10.0  # down-after 1 s, then the sentinels' election and the promotion
TITLES = "MATCH (o:Offer) RETURN o.title AS title"


def offer_form(title: str, token: str) -> dict:
    return {"title": title, "category": "tools", "description": "Posted under load.",
            "area": "Lyon", "price": "", "visibility": "0", "csrf_token": token}


class Load:
    """Browsers that post (or read) in a loop and keep what each answer said."""

    def __init__(self) -> None:
        self.acknowledged: list[str] = []
        self.refused_at: list[float] = []
        self.others: list[str] = []
        self.stop = threading.Event()
        self.lock = threading.Lock()

    def keep(self, status: int, title: str = "") -> None:
        with self.lock:
            if status in (200, 302):
                self.acknowledged.append(title)
            elif status == 503:
                self.refused_at.append(time.monotonic())
            else:
                self.others.append(f"{status} {title}")

    def run(self, work, count: int) -> list[threading.Thread]:
        threads = [threading.Thread(target=work, args=(number,)) for number in range(count)]
        for thread in threads:
            thread.start()
        return threads

    def wait_for(self, acks: int, timeout_s: float = 30.0) -> None:
        deadline = time.monotonic() + timeout_s
        while len(self.acknowledged) < acks and time.monotonic() < deadline:
            time.sleep(0.05)


def test_kill_9_of_the_primary_under_writes_then_the_promoted_replica_serves_every_write(
        app, engine, cluster: Cluster):
    alice = founder(engine)
    cluster.settle()  # written outside a request: no session carries its offset
    load = Load()

    def post_offers(number: int) -> None:
        browser = signed_in(app.test_client(), alice)
        token = csrf_token(text(browser.get("/offers/new")))
        for sequence in range(10_000):
            if load.stop.is_set():
                return
            title = f"Offer {number}-{sequence}"
            load.keep(browser.post("/offers/new", data=offer_form(title, token)).status_code,
                      title)

    threads = load.run(post_offers, WRITERS)
    load.wait_for(15)
    killed_at = time.monotonic()
    cluster.primary().kill()
    load.wait_for(len(load.acknowledged) + 15)
    load.stop.set()
    for thread in threads:
        thread.join()

    assert load.others == []
    assert load.refused_at, "the kill was not seen"
    assert max(load.refused_at) - killed_at < FAILOVER_LIMIT_S
    assert len(load.acknowledged) >= 30, "the promoted replica did not serve"
    promoted = cluster.primary()
    saved = {row[0] for row in promoted.ask("GRAPH.RO_QUERY", app.config["TRUSTNET_GRAPH_NAME"],
                                            TITLES)[1]}
    assert set(load.acknowledged) <= saved


def test_a_write_no_replica_confirms_in_time_is_not_said_to_be_saved(
        app_config, cluster: Cluster, other_app):
    app = other_app(cluster.url(wait_timeout_ms=300))
    engine = app.extensions["trustnet"].connection.engine
    alice = founder(engine)
    cluster.settle()  # written outside a request: no session carries its offset
    browser = signed_in(app.test_client(), alice)
    token = csrf_token(text(browser.get("/offers/new")))
    for node in cluster.replicas():  # they neither apply nor confirm the stream for 2 s
        node.ask("CLIENT", "PAUSE", 2000, "WRITE")

    response = browser.post("/offers/new", data=offer_form("Unconfirmed", token))

    assert response.status_code == 503


def test_a_replica_killed_and_started_again_under_reads_shows_no_error_page(
        app, engine, cluster: Cluster):
    alice = founder(engine)
    cluster.settle()  # written outside a request: no session carries its offset
    load = Load()

    def read_pages(number: int) -> None:
        browser = signed_in(app.test_client(), alice)
        while not load.stop.is_set():
            load.keep(browser.get("/offers/mine").status_code, "/offers/mine")

    threads = load.run(read_pages, WRITERS)
    load.wait_for(20)
    replica = cluster.replicas()[0]
    replica.kill()
    load.wait_for(len(load.acknowledged) + 50)
    replica.start()
    load.wait_for(len(load.acknowledged) + 50)
    load.stop.set()
    for thread in threads:
        thread.join()

    assert load.others == [] and load.refused_at == []
