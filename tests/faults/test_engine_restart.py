"""The embedded engine is killed: the app starts it again by itself, within seconds, with
no operator. Several processes (apps) sharing it start one server, not one each; one that
cannot start is tried again and its log says why.
"""

from __future__ import annotations

import threading
import time

import pytest
from factories import founder, sponsored
from site_map import signed_in

from .conftest import wait_until

pytestmark = pytest.mark.falkordb_only("the embedded FalkorDB server the app manages")


def servers_started(server) -> int:
    """How many times a server was started on this data folder, from its log."""
    return (server.data_dir / "redis.log").read_text().count("Ready to accept connections")


def test_a_killed_engine_is_started_again_by_the_app_within_seconds(own_engine, app_on):
    server = own_engine()
    app = app_on(server)
    engine = app.extensions["trustnet"].connection.engine
    bob = sponsored(engine, founder(engine), "Bob")
    browser = signed_in(app.test_client(), bob)
    killed_pid = server.pid

    server.kill()
    started = time.monotonic()
    response = browser.get("/network")
    waited = time.monotonic() - started

    assert response.status_code == 200
    assert "Sign out" in response.get_data(as_text=True)  # the same member, still signed in
    assert waited < 5
    assert server.pid != killed_pid
    published = browser.post("/offers/new", data={
        "title": "A tent", "category": "tools", "description": "For two.", "area": "Lyon",
        "visibility": "0"})
    assert published.status_code == 302


def test_apps_sharing_a_killed_engine_start_one_server_between_them(own_engine, app_on):
    server = own_engine()
    apps = [app_on(server) for _ in range(4)]  # as gunicorn's workers: one server, shared
    browsers = []
    for app in apps:
        engine = app.extensions["trustnet"].connection.engine
        browsers.append(signed_in(app.test_client(), sponsored(engine, founder(engine), "Bob")))
    assert servers_started(server) == 1
    answers: list[int] = []

    server.kill()
    threads = [threading.Thread(target=lambda b=b: answers.append(b.get("/network").status_code))
               for b in browsers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert answers == [200] * len(browsers)
    assert servers_started(server) == 2  # one restart for all of them


def test_an_engine_that_cannot_start_answers_503_says_why_and_is_tried_again(
        own_engine, app_on, caplog: pytest.LogCaptureFixture):
    server = own_engine()
    app = app_on(server)
    engine = app.extensions["trustnet"].connection.engine
    browser = signed_in(app.test_client(), sponsored(engine, founder(engine), "Bob"))

    server.kill(keep_down=True)  # its append-only file cannot be read

    assert browser.get("/network").status_code == 503
    failures = [r.getMessage() for r in caplog.records if "could not be started" in r.message]
    assert len(failures) == 1
    assert "AOF MANIFEST" in failures[0] and "redis.log" in failures[0]

    server.start()  # the operator repaired it (and started it: the app would have, too)
    wait_until(lambda: browser.get("/network").status_code == 200, "the site to serve again")


def test_a_restart_removes_the_rewrite_file_a_killed_server_left(own_engine, app_on):
    server = own_engine()
    app = app_on(server)
    engine = app.extensions["trustnet"].connection.engine
    browser = signed_in(app.test_client(), sponsored(engine, founder(engine), "Bob"))
    server.kill()
    # What a server killed while folding its log leaves: the new snapshot it was writing.
    leftover = server.data_dir / f"temp-rewriteaof-bg-{server.pid}.aof"
    leftover.write_bytes(b"\0" * 1024 * 1024)

    assert browser.get("/network").status_code == 200

    assert not leftover.exists()
