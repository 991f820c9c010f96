"""What the app holds for its lifetime: the graph connection and the attempt throttle."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import redis
from flask import current_app
from redis.backoff import NoBackoff
from redis.retry import Retry

from graph.connect import Connection
from graph.embedded import EmbeddedServer, ensure_embedded_server
from graph.engine import EngineUnavailable, GraphEngine
from graph.falkordb_engine import FalkorDBEngine, check_free_space
from trustnet.config import plus_apart_domains
from trustnet.throttle import Throttle

_STORE_TIMEOUT_S = 0.5


@dataclass
class Services:
    """Long-lived resources of one app, created by the factory."""

    connection: Connection
    throttle: Throttle
    throttle_server: EmbeddedServer | None = None  # the embedded server kept for the throttle

    def check_free_space(self) -> None:
        """Raise DiskFull while the embedded server's disk is below its reserve (the guard of
        its writes); for mail that a full disk could lose before it is sent, too."""
        engine_check = getattr(self.connection.engine, "check_free_space", None)
        (engine_check or self.throttle.check_free_space)()

    def close(self) -> None:
        """Close the graph connection (and release the embedded server), and the throttle's
        own store if it has one."""
        if self.throttle.store is not getattr(self.connection.engine, "redis", None):
            self.throttle.store.close()
        if self.throttle_server is not None:
            self.throttle_server.release()
        self.connection.close()


def build_services(config: Any, connection: Connection) -> Services:
    """The app's services on an open connection, with the login throttle's store.

    The store is TRUSTNET_RATELIMIT_URL; else the FalkorDB server itself; else (Neo4j) the
    embedded server of TRUSTNET_DATA_DIR, started for it, so that a single-host install on
    Neo4j needs nothing more. A store of its own answers within half a second or counts as
    down, and is never asked twice: sign-in then goes on unthrottled (see trustnet.throttle),
    instead of waiting on a store that does not answer (redis-py's defaults: no time limit,
    and ten retries).
    """
    url = config["TRUSTNET_RATELIMIT_URL"]
    prefix = f"trustnet:{config['TRUSTNET_GRAPH_NAME']}"
    min_free_bytes = config["TRUSTNET_MIN_FREE_DISK_MB"] * 1024 * 1024
    limits: dict[str, Any] = {"socket_timeout": _STORE_TIMEOUT_S,
                              "socket_connect_timeout": _STORE_TIMEOUT_S,
                              "retry": Retry(NoBackoff(), 0)}
    if url:
        return Services(connection, Throttle(redis.Redis.from_url(url, **limits), prefix))
    engine = connection.engine
    if isinstance(engine, FalkorDBEngine):  # a Redis server itself
        restart = connection.embedded.restart_if_dead if connection.embedded else None
        return Services(connection, Throttle(engine.redis, prefix, engine.check_free_space,
                                             restart))
    try:
        server = ensure_embedded_server(Path(config["TRUSTNET_DATA_DIR"]),
                                        query_timeout_ms=config["TRUSTNET_QUERY_TIMEOUT_MS"])
    except RuntimeError as error:
        raise EngineUnavailable(f"the login throttle's store: {error}") from error
    store = redis.Redis(unix_socket_path=str(server.socket_path), **limits)
    throttle = Throttle(store, prefix,
                        functools.partial(check_free_space, server.data_dir, min_free_bytes),
                        server.restart_if_dead)
    return Services(connection, throttle, throttle_server=server)


def services() -> Services:
    """The current app's services."""
    return current_app.extensions["trustnet"]


def graph_engine() -> GraphEngine:
    """The current app's graph engine."""
    return services().connection.engine


def plus_apart() -> frozenset[str]:
    """The current app's domains where user+tag@ is a mailbox of its own (see
    trustnet.config.plus_apart_domains)."""
    return plus_apart_domains(current_app.config)
