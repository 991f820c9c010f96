"""The engine is down or unreachable: every page answers 503 with the plain error page, no
trace of the failure leaks, nothing is written, and the same app serves again by itself as
soon as the engine is back. An app cannot start without its engine, and says why.
"""

from __future__ import annotations

import os
import signal
import time

import pytest
from click.testing import CliRunner
from factories import PASSWORD, founder, password_hash, sponsored
from site_map import dump_graph, pages, signed_in, world

import trustnet.auth.routes
from graph.engine import EngineUnavailable
from trustnet import create_app
from trustnet.cli import main

from .conftest import free_port

UNAVAILABLE = "Temporarily unavailable"
VIEWERS = ("visitor", "member", "pending newcomer", "admin")


def viewer_browser(app, found, viewer: str):
    member = {"visitor": None, "member": found.bob, "pending newcomer": found.carol,
              "admin": found.alice}[viewer]
    client = app.test_client()
    return signed_in(client, member) if member is not None else client


def answer(response) -> tuple[int, str]:
    body = response.get_data(as_text=True)
    response.close()  # a static file is streamed from an open file
    return response.status_code, body


def writes_that_matter(found, join_path: str) -> list[tuple[str, str, str, dict]]:
    """(viewer, method, path, form): forms filled in as a person would, one of each kind."""
    return [
        ("visitor", "POST", join_path, {"name": "Erin", "password": PASSWORD,
                                        "confirm": PASSWORD}),
        ("visitor", "POST", "/login", {"email": "bob@example.org", "password": PASSWORD}),
        ("visitor", "POST", "/forgot", {"email": "bob@example.org"}),
        ("member", "POST", "/invitations", {"email": "fay@example.org", "note": "Hi"}),
        ("member", "POST", "/vouch", {"email": "alice@example.org", "note": "Yes"}),
        ("member", "POST", "/offers/new", {"title": "A tent", "category": "tools",
                                           "description": "For two.", "area": "Lyon",
                                           "visibility": "0"}),
        ("admin", "POST", f"/offers/{found.offer_id}/interest", {"body": "Still free?"}),
        ("member", "POST", f"/vouches/{found.vouch_id}/confirm", {}),
        ("member", "POST", "/logout", {}),
    ]


def test_every_page_answers_503_while_the_engine_is_down_and_service_resumes_by_itself(
        own_engine, app_on, mailbox, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(trustnet.auth.routes, "hash_password", lambda password: password_hash())
    server = own_engine()
    app = app_on(server)
    engine = app.extensions["trustnet"].connection.engine
    found = world(engine)
    every_page = [("GET", path) for _, path in pages(app, found, "GET")]
    every_page += [("POST", path) for _, path in pages(app, found, "POST")]
    visitor = app.test_client()
    # What a visitor gets with the engine up: a page that needs no engine answers the same.
    with_engine = {("GET", path): answer(visitor.get(path)) for method, path in every_page
                   if method == "GET"}
    join_path = next(path for _, path in pages(app, found, "GET") if path.startswith("/join/"))
    browsers = {viewer: viewer_browser(app, found, viewer) for viewer in VIEWERS}
    before = dump_graph(engine)
    sent_before = len(mailbox.messages)

    server.kill(keep_down=True)

    requests = [(viewer, method, path, {}) for viewer in VIEWERS for method, path in every_page]
    requests += writes_that_matter(found, join_path)
    unavailable = 0
    for viewer, method, path, form in requests:
        status, body = answer(browsers[viewer].open(path, method=method, data=form))
        where = f"{viewer}: {method} {path} -> {status}"
        assert "Traceback" not in body and "redis" not in body.lower(), where
        if status == 503:
            assert UNAVAILABLE in body and "cannot reach its database" in body, where
            unavailable += 1
        elif path.startswith("/static/"):
            assert status == 200, where  # files need no engine
        elif viewer == "visitor" and method == "GET":
            assert (status, body) == with_engine[(method, path)], where  # needed no engine
        elif viewer == "visitor":  # refused before the engine: sign in first, or no page
            assert status in (302, 404) or path == "/forgot", where  # (its form is invalid)
        else:
            pytest.fail(f"a signed-in {where}: every page of a member needs the engine")

    server.start()

    assert dump_graph(engine) == before  # nothing was written while the engine was down
    assert len(mailbox.messages) == sent_before  # and no mail announced a change
    assert browsers["member"].get("/network").status_code == 200  # still signed in
    assert "Sign in" in browsers["visitor"].get("/login").get_data(as_text=True)
    print(f"\nengine down: {unavailable} of {len(requests)} requests answered 503, "
          "the others needed no engine; nothing written; served again after restart")


def test_a_server_that_stops_answering_gets_a_503_soon_not_a_hung_request(
        tcp_server, lossy_proxy, app_on):
    proxy = lossy_proxy(tcp_server())
    app = app_on(f"redis://127.0.0.1:{proxy.port}", TRUSTNET_QUERY_TIMEOUT_MS=250)
    engine = app.extensions["trustnet"].connection.engine
    bob = sponsored(engine, founder(engine), "Bob")
    browser = signed_in(app.test_client(), bob)
    assert browser.get("/network").status_code == 200

    proxy.silent = True
    started = time.monotonic()
    response = browser.get("/network")
    waited = time.monotonic() - started

    assert response.status_code == 503
    assert UNAVAILABLE in response.get_data(as_text=True)
    assert waited < 6  # the socket gives up after three times the query limit and 2 s
    proxy.silent = False
    assert browser.get("/network").status_code == 200


def test_an_app_cannot_start_without_its_engine_and_says_why(tmp_path, monkeypatch):
    monkeypatch.setenv("TRUSTNET_INSTANCE_PATH", str(tmp_path / "instance"))
    dead = f"unix://{tmp_path}/no-server.sock"

    with pytest.raises(EngineUnavailable, match=f"cannot reach the graph engine at {dead}"):
        create_app({"SECRET_KEY": "x", "TRUSTNET_GRAPH_URL": dead})
    with pytest.raises(EngineUnavailable, match="(?s)FalkorDB server for .*refused TIMEOUT_MAX -5"):
        create_app({"SECRET_KEY": "x", "TRUSTNET_DATA_DIR": str(tmp_path / "graph"),
                    "TRUSTNET_QUERY_TIMEOUT_MS": -5})  # a setting the server refuses

    monkeypatch.setenv("TRUSTNET_GRAPH_URL", dead)
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "")  # FlaskGroup sets it; undone after the test
    result = CliRunner().invoke(main, ["founder", "create", "a@example.org", "--name", "A"])

    assert result.exit_code == 2
    assert f"Error: cannot reach the graph engine at {dead}" in result.output
    assert "Traceback" not in result.output


@pytest.mark.falkordb_only("the embedded FalkorDB server the CLI starts or joins")
def test_trustnet_run_on_a_frozen_engine_says_so_and_gives_up_at_once(
        own_engine, tmp_path, monkeypatch):
    server = own_engine()
    monkeypatch.setenv("TRUSTNET_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("TRUSTNET_DATA_DIR", str(server.data_dir))
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "")  # FlaskGroup sets it; undone after the test
    os.kill(server.pid, signal.SIGSTOP)
    try:
        started = time.monotonic()
        result = CliRunner().invoke(main, ["run", "--port", str(free_port())])
        waited = time.monotonic() - started
    finally:
        os.kill(server.pid, signal.SIGCONT)

    assert result.exit_code == 2
    assert "is stopped" in result.output and f"kill -CONT {server.pid}" in result.output
    assert "Traceback" not in result.output
    assert waited < 10
