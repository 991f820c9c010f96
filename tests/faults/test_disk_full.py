"""The disk under the engine fills up (a small tmpfs as its data folder): pages keep being
read, every write answers 503 and changes nothing, and writes work again once space is
freed, with the same app.

With `appendfsync always` (the embedded engine), redis EXITS when it cannot append a write
to its AOF ("Can't recover from AOF write error when the AOF fsync policy is 'always'"),
so the app refuses writes itself while less than TRUSTNET_MIN_FREE_DISK_MB is free: the
engine stays up and keeps serving reads. A server the app does not own, with `appendfsync
everysec`, refuses writes with MISCONF instead: that answer is a 503 too.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from factories import PASSWORD, founder, sponsored
from site_map import dump_graph, signed_in

from graph import offers
from graph.embedded import _alive

from .conftest import wait_until

MB = 1024 * 1024
OUT_OF_SPACE = "out of disk space"


@pytest.fixture
def small_disk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A 16 MB tmpfs, unmounted after the test (request it first: it must outlive servers)."""
    mount_point = tmp_path_factory.mktemp("disk")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs",
                              str(mount_point)], capture_output=True, text=True, check=False)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {mounted.stderr.strip()}")
    yield mount_point
    subprocess.run(["umount", str(mount_point)], check=True)


def fill(disk: Path, leave_bytes: int) -> Path:
    """Take all the free space of disk but leave_bytes, in one file; return it."""
    stats = os.statvfs(disk)
    filler = disk / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        os.posix_fallocate(fd, 0, max(1, stats.f_bavail * stats.f_frsize - leave_bytes))
    finally:
        os.close(fd)
    return filler


def publish(browser, title: str):
    return browser.post("/offers/new", data={
        "title": title, "category": "tools", "description": "To borrow.", "area": "Lyon",
        "visibility": "0"})


def world(engine):
    alice = founder(engine, "Alice")
    bob = sponsored(engine, alice, "Bob")
    offer_id = offers.create_offer(engine, bob.id, offers.OfferDraft(
        title="A ladder", description="Three metres.", category="tools", area="Lyon",
        price=None, currency="EUR", visibility=offers.WHOLE_NETWORK, available_from=None,
        available_until=None))
    return alice, bob, offer_id


def assert_reads_served_and_writes_refused(app, engine, alice, offer_id) -> None:
    browser = signed_in(app.test_client(), alice)
    before = dump_graph(engine)
    for page in ("/", "/network", f"/offers/{offer_id}", "/invitations", "/offers/mine"):
        assert browser.get(page).status_code == 200, page
    for response in (
        publish(browser, "A tent"),
        browser.post("/invitations", data={"email": "erin@example.org", "note": "Come"}),
        browser.post(f"/offers/{offer_id}/interest", data={"body": "Still free?"}),
        browser.post("/vouch", data={"email": "bob@example.org", "note": "I know Bob"}),
    ):
        assert response.status_code == 503
        assert OUT_OF_SPACE in response.get_data(as_text=True)
    assert dump_graph(engine) == before


def test_the_embedded_engine_on_a_full_disk_serves_reads_and_resumes_writes(
        small_disk, own_engine, app_on):
    server = own_engine(data_dir=small_disk / "graph")
    app = app_on(server, TRUSTNET_MIN_FREE_DISK_MB=4)
    engine = app.extensions["trustnet"].connection.engine
    alice, _, offer_id = world(engine)
    filler = fill(small_disk, leave_bytes=1 * MB)

    assert_reads_served_and_writes_refused(app, engine, alice, offer_id)
    assert _alive(server.pid)  # the engine never saw a write it could not store

    filler.unlink()

    response = publish(signed_in(app.test_client(), alice), "A tent")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/offers/")


def test_an_engine_refusing_writes_for_its_disk_gets_503_and_resumes(
        small_disk, tcp_server, app_on):
    port = tcp_server("--appendonly", "yes", "--appendfsync", "everysec",
                      data_dir=small_disk)
    app = app_on(f"redis://127.0.0.1:{port}")
    engine = app.extensions["trustnet"].connection.engine
    alice, _, offer_id = world(engine)
    filler = fill(small_disk, leave_bytes=0)
    raw = redis.Redis(port=port)
    try:
        big = "x" * 64 * 1024  # larger than what is left of the AOF's last page
        with pytest.raises(redis.ResponseError, match="MISCONF"):
            for _ in range(3):  # the first append may be answered before it fails
                raw.execute_command("GRAPH.QUERY", "scratch", f"CREATE (:N {{v: '{big}'}})")

        assert_reads_served_and_writes_refused(app, engine, alice, offer_id)

        filler.unlink()

        def writes_accepted() -> bool:
            try:
                raw.execute_command("GRAPH.QUERY", "scratch", "CREATE (:N)")
            except redis.ResponseError:
                return False
            return True

        wait_until(writes_accepted, "redis to retry its AOF and accept writes")
    finally:
        raw.close()
    assert publish(signed_in(app.test_client(), alice), "A tent").status_code == 302


def test_failed_sign_ins_on_a_full_disk_are_refused_and_leave_the_engine_up(
        small_disk, own_engine, app_on):
    server = own_engine(data_dir=small_disk / "graph")
    app = app_on(server, TRUSTNET_MIN_FREE_DISK_MB=4)
    engine = app.extensions["trustnet"].connection.engine
    alice, _, offer_id = world(engine)
    filler = fill(small_disk, leave_bytes=0)
    visitor = app.test_client()

    for _ in range(3):
        response = visitor.post("/login", data={"email": "alice@example.org",
                                                "password": "not the password"})
        assert response.status_code == 503
        assert OUT_OF_SPACE in response.get_data(as_text=True)

    assert _alive(server.pid)  # the throttle never wrote what the disk could not hold
    assert signed_in(app.test_client(), alice).get(f"/offers/{offer_id}").status_code == 200
    filler.unlink()
    response = visitor.post("/login", data={"email": "alice@example.org",
                                            "password": PASSWORD})
    assert response.status_code == 302


def test_a_reset_request_on_a_full_disk_says_so_and_claims_no_mail(
        small_disk, own_engine, app_on, mailbox):
    server = own_engine(data_dir=small_disk / "graph")
    app = app_on(server, TRUSTNET_MIN_FREE_DISK_MB=4)
    world(app.extensions["trustnet"].connection.engine)
    fill(small_disk, leave_bytes=1 * MB)

    for address in ("alice@example.org", "nobody@example.org"):  # the same answer for both
        response = app.test_client().post("/forgot", data={"email": address})
        body = response.get_data(as_text=True)
        assert response.status_code == 503, address
        assert OUT_OF_SPACE in body and "we have sent" not in body
    assert mailbox.wait_for(1, timeout=1.0) == []


def test_a_new_worker_starts_on_a_full_disk_and_serves_reads(small_disk, own_engine, app_on):
    server = own_engine(data_dir=small_disk / "graph")
    app = app_on(server, TRUSTNET_MIN_FREE_DISK_MB=4, TRUSTNET_GRAPH_NAME="site")
    alice, _, offer_id = world(app.extensions["trustnet"].connection.engine)
    fill(small_disk, leave_bytes=1 * MB)

    # As gunicorn starts a worker in place of one that died: same engine, same graph.
    worker = app_on(server, TRUSTNET_MIN_FREE_DISK_MB=4, TRUSTNET_GRAPH_NAME="site")

    assert signed_in(worker.test_client(), alice).get(f"/offers/{offer_id}").status_code == 200
    assert _alive(server.pid)
