"""Open the graph engine a URL names, or the embedded FalkorDB server when none is set.

    (none)                      embedded FalkorDB under the instance folder
    unix:///path/graph.sock     FalkorDB over a unix socket
    redis://[:password@]host:port   FalkorDB over TCP (rediss:// for TLS)
    redis://host:port?replica=host:port&replica=host:port   a primary and its read replicas
    redis+sentinel://host:port,host:port,host:port/service   the primary and replicas that
                                Redis Sentinel names for `service` (?sentinel_password=...
                                for sentinels with a password of their own)
    (the last two take ?wait_replicas=1&wait_timeout_ms=1000&max_lag_bytes=1048576
    &replica_timeout_ms=1000, see graph.replicated_engine)
    neo4j://host:7687, neo4j+s://..., bolt://...   Neo4j through the official driver
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import SplitResult, parse_qs, urlsplit

import redis
from falkordb import FalkorDB
from redis.backoff import NoBackoff
from redis.retry import Retry
from redis.sentinel import Sentinel, SentinelConnectionPool

from graph.embedded import EmbeddedServer, ensure_embedded_server
from graph.engine import EngineUnavailable, GraphEngine
from graph.falkordb_engine import FalkorDBEngine
from graph.neo4j_engine import Neo4jEngine
from graph.replicated_engine import (
    ReplicatedEngine,
    ReplicationOptions,
    SentinelReplicas,
    StaticReplicas,
)

NEO4J_SCHEMES = ("neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc")
_CONNECT_TIMEOUT_S = 5.0


@dataclass
class Connection:
    """An open engine, plus the embedded server it runs on when there is one."""

    engine: GraphEngine
    embedded: EmbeddedServer | None = None

    def close(self) -> None:
        """Close the client, then release the embedded server (stopped if we were last)."""
        self.engine.close()
        if self.embedded is not None:
            self.embedded.release()


def open_graph(
    url: str | None,
    *,
    graph_name: str,
    data_dir: Path,
    query_timeout_ms: int = 10_000,
    min_free_disk_mb: int = 0,
    neo4j_user: str = "neo4j",
    neo4j_password: str = "",
) -> Connection:
    """Connect to the engine named by url (None: start or reuse the embedded server).

    Raises EngineUnavailable, saying why, when the engine cannot be reached or started.
    `min_free_disk_mb` is the disk reserve below which the embedded engine refuses writes
    (see graph.falkordb_engine); the disk of a server named by a URL is its operator's to watch.
    """
    if not url:
        try:
            server = ensure_embedded_server(data_dir, query_timeout_ms=query_timeout_ms)
        except RuntimeError as error:
            raise EngineUnavailable(str(error)) from error
        try:
            client = _falkordb(str(server.socket_path), query_timeout_ms,
                               unix_socket_path=str(server.socket_path))
            engine = _falkordb_engine(client, graph_name, query_timeout_ms,
                                      data_dir=server.data_dir,
                                      min_free_bytes=min_free_disk_mb * 1024 * 1024,
                                      restart=server.restart_if_dead)
        except BaseException:
            server.release()
            raise
        return Connection(engine, server)
    parts = urlsplit(url)
    if parts.scheme == "unix":
        client = _falkordb(url, query_timeout_ms, unix_socket_path=parts.path)
        return Connection(_falkordb_engine(client, graph_name, query_timeout_ms))
    if parts.scheme == "redis+sentinel":
        return Connection(_sentinel_engine(parts, graph_name, query_timeout_ms))
    if parts.scheme in ("redis", "rediss") and "replica" in parse_qs(parts.query):
        return Connection(_replicated_engine(parts, graph_name, query_timeout_ms))
    if parts.scheme in ("redis", "rediss"):
        client = _falkordb(
            f"{parts.scheme}://{parts.hostname}:{parts.port or 6379}",
            query_timeout_ms,
            host=parts.hostname or "localhost",
            port=parts.port or 6379,
            password=parts.password,
            username=parts.username or None,
            ssl=parts.scheme == "rediss",
        )
        return Connection(_falkordb_engine(client, graph_name, query_timeout_ms))
    if parts.scheme in NEO4J_SCHEMES:
        database = parts.path.lstrip("/") or None
        base = f"{parts.scheme}://{parts.hostname}:{parts.port or 7687}"
        return Connection(Neo4jEngine.from_url(base, neo4j_user, neo4j_password, database,
                                               query_timeout_ms=query_timeout_ms))
    raise ValueError(f"unsupported graph URL scheme {parts.scheme!r} in TRUSTNET_GRAPH_URL")


def _falkordb(where: str, query_timeout_ms: int, timeout_s: float | None = None,
              **address: Any) -> FalkorDB:
    """A FalkorDB client that never retries a command and gives up on a silent server.

    redis-py can resend a command after a connection error; for a write whose reply was
    lost, that would run it twice (a second member, a second edge). So the client sends
    every command once (FalkorDB's own default happens to be the same today: this makes it
    explicit), and FalkorDBEngine.read retries reads itself. The socket timeout turns a
    server that stopped answering into a 503 instead of a request that hangs forever; it
    leaves the server time to stop a query itself (a write that runs too long was seen
    to take a second or more to be undone, whatever its limit). `timeout_s`, when given,
    bounds both the connection and every reply (a replica's, see _tcp_engine).
    """
    try:
        return FalkorDB(
            retry=Retry(NoBackoff(), 0),
            socket_connect_timeout=timeout_s or _CONNECT_TIMEOUT_S,
            socket_timeout=timeout_s or _socket_timeout_s(query_timeout_ms),
            **address,
        )
    except (redis.ConnectionError, redis.TimeoutError, OSError) as error:
        raise EngineUnavailable(f"cannot reach the graph engine at {where}: {error}") from error


def _socket_timeout_s(query_timeout_ms: int) -> float | None:
    """How long a socket waits for a reply: long enough for the server to stop a query."""
    return 3 * query_timeout_ms / 1000 + 2 if query_timeout_ms > 0 else None


def _falkordb_engine(client: FalkorDB, graph_name: str, query_timeout_ms: int,
                     **options: Any) -> FalkorDBEngine:
    """The engine of one graph, whose every query carries our time limit."""
    engine = FalkorDBEngine(client, graph_name, **options)
    engine.limit_query_time(query_timeout_ms)
    return engine


def _replication_options(parts: SplitResult) -> ReplicationOptions:
    """The URL's wait_replicas, wait_timeout_ms, max_lag_bytes and replica_timeout_ms
    (defaults otherwise)."""
    query = parse_qs(parts.query)
    try:
        values = {name: int(query[name][-1]) for name in
                  ("wait_replicas", "wait_timeout_ms", "max_lag_bytes", "replica_timeout_ms")
                  if name in query}
    except ValueError as error:
        raise ValueError(f"TRUSTNET_GRAPH_URL: {error}") from error
    return replace(ReplicationOptions(), **values)


def _address(text: str) -> tuple[str, int]:
    """host:port as a pair; a missing port is Redis's 6379."""
    host, _, port = text.rpartition(":") if ":" in text else (text, "", "6379")
    if not host or not port.isdigit():
        raise ValueError(f"TRUSTNET_GRAPH_URL: not a host:port: {text!r}")
    return host, int(port)


def _tcp_engine(parts: SplitResult, host: str, port: int, graph_name: str,
                query_timeout_ms: int, replica_timeout_ms: int) -> FalkorDBEngine:
    """The engine of one replica, with the URL's credentials, that gives up after
    replica_timeout_ms (connecting or waiting for a reply): a frozen replica then costs a
    read that long, and the read goes to another replica or the primary."""
    client = _falkordb(f"{host}:{port}", query_timeout_ms, host=host, port=port,
                       password=parts.password, username=parts.username or None,
                       ssl=parts.scheme == "rediss", timeout_s=replica_timeout_ms / 1000)
    return _falkordb_engine(client, graph_name, query_timeout_ms)


def _replicated_engine(parts: SplitResult, graph_name: str,
                       query_timeout_ms: int) -> ReplicatedEngine:
    """A primary (the URL's host) and the replicas of its `replica` parameters."""
    options = _replication_options(parts)
    replicas = [functools.partial(_tcp_engine, parts, *_address(text), graph_name,
                                  query_timeout_ms, options.replica_timeout_ms)
                for text in parse_qs(parts.query)["replica"]]
    client = _falkordb(parts.netloc, query_timeout_ms, host=parts.hostname or "localhost",
                       port=parts.port or 6379, password=parts.password,
                       username=parts.username or None, ssl=parts.scheme == "rediss")
    engine = ReplicatedEngine(client, graph_name, StaticReplicas(replicas), options)
    engine.limit_query_time(query_timeout_ms)
    return engine


def _sentinel_engine(parts: SplitResult, graph_name: str,
                     query_timeout_ms: int) -> ReplicatedEngine:
    """The primary and replicas that the URL's sentinels name for its service.

    The URL's password is the data servers' one; `sentinel_password` in its query string is
    the sentinels' own (their `requirepass`), when they have one.

    The primary's connections come from a pool that asks the sentinels for the primary each
    time it opens one: after a failover, the first command on a broken connection fails
    (a 503, or OutcomeUnknown for a write), and the next ones go to the promoted replica.
    """
    service = parts.path.strip("/")
    if not service:
        raise ValueError("TRUSTNET_GRAPH_URL: redis+sentinel:// needs the service name as path")
    hosts = parts.netloc.rpartition("@")[2]
    timeouts: dict[str, Any] = {"socket_connect_timeout": _CONNECT_TIMEOUT_S,
                "socket_timeout": _socket_timeout_s(query_timeout_ms)}
    sentinel_password = parse_qs(parts.query).get("sentinel_password", [None])[-1]
    sentinel = Sentinel([_address(host) for host in hosts.split(",")],
                        sentinel_kwargs={**timeouts, "socket_timeout": _CONNECT_TIMEOUT_S,
                                         "password": sentinel_password},
                        **timeouts)
    pool = SentinelConnectionPool(service, sentinel, decode_responses=True,
                                  retry=Retry(NoBackoff(), 0), password=parts.password,
                                  username=parts.username or None, **timeouts)
    options = _replication_options(parts)
    replicas = SentinelReplicas(sentinel, service, lambda host, port: _tcp_engine(
        parts, host, port, graph_name, query_timeout_ms, options.replica_timeout_ms))
    try:
        client = _falkordb(f"sentinel service {service}", query_timeout_ms,
                           connection_pool=pool)
        engine = ReplicatedEngine(client, graph_name, replicas, options)
        engine.limit_query_time(query_timeout_ms)
    except EngineUnavailable:
        _check_sentinel_password(sentinel)
        raise
    return engine


def _check_sentinel_password(sentinel: Sentinel) -> None:
    """Raise EngineUnavailable, in one line, when a sentinel refuses the URL's
    sentinel_password (missing or wrong): redis-py's own error buries it in a dump of its
    connection pool."""
    for server in sentinel.sentinels:
        try:
            server.ping()
        except redis.AuthenticationError as error:
            where = server.get_connection_kwargs()
            raise EngineUnavailable(
                f"TRUSTNET_GRAPH_URL: the sentinel at {where['host']}:{where['port']} refused "
                f"the sentinel_password (missing or wrong): {error}") from None
        except (redis.RedisError, OSError):
            continue  # down: the error raised by the caller says so
