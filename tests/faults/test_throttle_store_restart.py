"""On Neo4j without TRUSTNET_RATELIMIT_URL, the login throttle's store is the embedded
FalkorDB server of TRUSTNET_DATA_DIR, which the app starts: killed, it is started again by
the next sign-in, which stays throttled (on FalkorDB the store is the engine itself:
tests/faults/test_engine_restart.py)."""

from __future__ import annotations

import os
import signal

import pytest
from conftest import sign_in, text
from factories import founder

from graph.embedded import _alive

from .conftest import wait_until

LIMIT = 2


@pytest.fixture
def app_config(app_config, tmp_path_factory: pytest.TempPathFactory):
    return {**app_config, "TRUSTNET_RATELIMIT_URL": "",
            "TRUSTNET_DATA_DIR": str(tmp_path_factory.mktemp("store")),
            "TRUSTNET_LOGIN_LIMIT_ACCOUNT": LIMIT, "TRUSTNET_LOGIN_LIMIT_IP": LIMIT}


def test_a_killed_throttle_store_is_started_again_and_sign_in_stays_throttled(app, engine):
    if engine.dialect != "neo4j":
        pytest.skip("on FalkorDB the throttle's store is the engine itself")
    founder(engine, "Alice")
    store_dir = app.extensions["trustnet"].throttle_server.data_dir
    pid = int((store_dir / "redis.pid").read_text())
    os.kill(pid, signal.SIGKILL)
    wait_until(lambda: not _alive(pid), "the killed store to exit")
    browser = app.test_client()

    for _ in range(LIMIT):
        assert sign_in(browser, "alice@example.org", "not the password").status_code == 200
    response = sign_in(browser, "alice@example.org")  # the right password, too late

    assert response.status_code == 429
    assert "Too many failed attempts" in text(response)
    assert int((store_dir / "redis.pid").read_text()) != pid
