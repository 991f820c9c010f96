"""What the app holds for its lifetime: the graph connection and the login throttle."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import redis
from flask import current_app
from redis.backoff import NoBackoff
from redis.retry import Retry

from graph.connect import Connection
from graph.engine import GraphEngine
from trustnet.throttle import LoginThrottle

_STORE_TIMEOUT_S = 0.5


@dataclass
class Services:
    """Long-lived resources of one app, created by the factory."""

    connection: Connection
    throttle: LoginThrottle

    def close(self) -> None:
        """Close the graph connection (and release the embedded server), and the throttle's
        own store if it has one."""
        if self.throttle.store is not getattr(self.connection.engine, "redis", None):
            self.throttle.store.close()
        self.connection.close()


def build_throttle(config: Any, connection: Connection) -> LoginThrottle:
    """Use TRUSTNET_RATELIMIT_URL, else the FalkorDB server itself as the shared store.

    A store of its own answers within half a second or counts as down, and is never asked
    twice: sign-in then goes on unthrottled (see trustnet.throttle), instead of waiting on
    a store that does not answer (redis-py's defaults: no time limit, and ten retries).
    """
    url = config["TRUSTNET_RATELIMIT_URL"]
    store = (redis.Redis.from_url(url, socket_timeout=_STORE_TIMEOUT_S,
                                  socket_connect_timeout=_STORE_TIMEOUT_S,
                                  retry=Retry(NoBackoff(), 0))
             if url else getattr(connection.engine, "redis", None))
    if store is None:
        raise RuntimeError("TRUSTNET_RATELIMIT_URL must name a Redis server with this engine")
    return LoginThrottle(store, prefix=f"trustnet:{config['TRUSTNET_GRAPH_NAME']}")


def services() -> Services:
    """The current app's services."""
    return current_app.extensions["trustnet"]


def graph() -> GraphEngine:
    """The current app's graph engine."""
    return services().connection.engine
