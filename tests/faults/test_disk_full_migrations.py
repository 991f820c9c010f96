"""The first start after the migration markers came in (graph.migrations) may find the disk
below its reserve: the worker still starts and serves reads, and a later start records the
marker."""

from __future__ import annotations

from site_map import signed_in

from .test_disk_full import MB, fill, small_disk, world  # noqa: F401 (small_disk: a fixture)

MARKERS = "MATCH (d:Migration) RETURN d.name AS name ORDER BY name"
FORGET_MARKERS = "MATCH (d:Migration) DELETE d"


def test_a_worker_first_started_with_migrations_on_a_full_disk_serves_reads(
        small_disk, own_engine, app_on):  # noqa: F811 (the fixture imported above)
    server = own_engine(data_dir=small_disk / "graph")
    app = app_on(server, TRUSTNET_MIN_FREE_DISK_MB=4, TRUSTNET_GRAPH_NAME="site")
    engine = app.extensions["trustnet"].connection.engine
    alice, _, offer_id = world(engine)
    engine.write(FORGET_MARKERS)  # as a graph from before the markers
    filler = fill(small_disk, leave_bytes=1 * MB)

    worker = app_on(server, TRUSTNET_MIN_FREE_DISK_MB=4, TRUSTNET_GRAPH_NAME="site")

    assert signed_in(worker.test_client(), alice).get(f"/offers/{offer_id}").status_code == 200
    assert engine.read(MARKERS) == []
    filler.unlink()
    app_on(server, TRUSTNET_MIN_FREE_DISK_MB=4, TRUSTNET_GRAPH_NAME="site")
    assert [row["name"] for row in engine.read(MARKERS)] == [
        "addresses_rekeyed", "offers_searchable", "whole_network_offers_linked"]
