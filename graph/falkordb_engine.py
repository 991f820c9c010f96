"""FalkorDB through its native client: the embedded default and the engine every test runs on."""

from __future__ import annotations

import time
from typing import Any

import redis
from falkordb import FalkorDB

from graph.engine import (
    ConstraintViolation,
    EngineError,
    EngineUnavailable,
    Row,
    check_schema_names,
)

# Error texts of the server that mean "the service cannot do this now", not "bad query".
_UNAVAILABLE_MARKERS = (
    "timed out",
    "timeout",
    "oom ",
    "misconf",
    "no space",
    "loading",
    "query's mem consumption exceeded capacity",
)


class FalkorDBEngine:
    """One named graph on a FalkorDB (Redis) server."""

    dialect = "falkordb"

    def __init__(self, client: FalkorDB, graph_name: str) -> None:
        self.client = client
        self.graph_name = graph_name
        self._graph = client.select_graph(graph_name)

    @property
    def redis(self) -> redis.Redis:
        """The underlying Redis connection, shared with the login throttle."""
        return self.client.connection

    def read(self, query: str, params: dict[str, Any] | None = None) -> list[Row]:
        return self._run(self._graph.ro_query, query, params)

    def write(self, query: str, params: dict[str, Any] | None = None) -> list[Row]:
        return self._run(self._graph.query, query, params)

    def _run(self, call: Any, query: str, params: dict[str, Any] | None) -> list[Row]:
        try:
            result = call(query, params or {})
        except (redis.ConnectionError, redis.TimeoutError, OSError) as error:
            raise EngineUnavailable(f"graph engine unreachable: {error}") from error
        except redis.ResponseError as error:
            raise _translate(error) from error
        names = [column[1] for column in result.header]
        return [dict(zip(names, row, strict=True)) for row in result.result_set]

    def ensure_index(self, label: str, prop: str) -> None:
        """Create a range index on label.prop unless it exists."""
        check_schema_names(label, prop)
        try:
            self.write(f"CREATE INDEX FOR (n:{label}) ON (n.{prop})")
        except EngineError as error:
            if "already indexed" not in str(error):
                raise

    def ensure_unique(self, label: str, prop: str) -> None:
        """Create a unique constraint on label.prop (FalkorDB needs the index first)."""
        check_schema_names(label, prop)
        self.ensure_index(label, prop)
        if self._constraint_status(label, prop) is not None:
            return
        try:
            self.redis.execute_command(
                "GRAPH.CONSTRAINT", "CREATE", self.graph_name, "UNIQUE", "NODE", label,
                "PROPERTIES", "1", prop,
            )
        except redis.ResponseError as error:
            if "already exists" not in str(error).lower():
                raise _translate(error) from error

    def wait_for_constraints(self, required: list[tuple[str, str]], timeout_s: float) -> None:
        """Block until every required unique constraint is enforced, or raise."""
        deadline = time.monotonic() + timeout_s
        while True:
            pending = [c for c in required if self._constraint_status(*c) != "OPERATIONAL"]
            if not pending:
                return
            if time.monotonic() > deadline:
                raise EngineError(f"unique constraints not operational: {pending}")
            time.sleep(0.02)

    def _constraint_status(self, label: str, prop: str) -> str | None:
        rows = self.read(
            "CALL db.constraints() YIELD type, label, properties, status "
            "RETURN type, label, properties, status"
        )
        for row in rows:
            if row["type"] == "UNIQUE" and row["label"] == label and row["properties"] == [prop]:
                return str(row["status"])
        return None

    def drop_graph(self) -> None:
        """Delete this graph and everything in it (used by tests on their own graph)."""
        try:
            self._graph.delete()
        except redis.ResponseError as error:
            if "empty key" not in str(error).lower() and "invalid" not in str(error).lower():
                raise

    def close(self) -> None:
        self.client.connection.close()



def _translate(error: redis.ResponseError) -> EngineError:
    text = str(error)
    lowered = text.lower()
    if "unique constraint violation" in lowered:
        return ConstraintViolation(text)
    if any(marker in lowered for marker in _UNAVAILABLE_MARKERS):
        return EngineUnavailable(text)
    return EngineError(text)
