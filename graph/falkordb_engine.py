"""FalkorDB through its native client: the embedded default and the engine every test runs on.

Faults become `EngineUnavailable`, which the app answers with 503:

- A write is sent once. Its client must not retry on a connection error (see
  `graph.connect`): a write whose reply was lost may have run, and running it again could
  make a second member or edge. Such a write raises `OutcomeUnknown`, so that the person is
  told to check rather than that nothing changed. Reads are retried once, since running one
  twice is harmless.
- Every query carries the configured time limit, so it holds on any server, not only on the
  embedded one (whose TIMEOUT_DEFAULT/TIMEOUT_MAX/QUERY_MEM_CAPACITY are set once it has
  replayed its append-only file: FalkorDB replays writes under those limits, without the
  TIMEOUT they were sent with, see graph.embedded. A server named by a URL that is started
  with such limits risks dropping acknowledged writes on restart: its operator's to avoid).
- On the embedded server, a lost connection first starts the server again if it is gone
  (`EmbeddedServer.restart_if_dead`): a killed engine comes back within seconds, without an
  operator. A read, or a write that was never sent, is then tried again; a write cut off
  after it was sent still raises `OutcomeUnknown`. A server that cannot be started is
  tried again at most once a second, each failure logged with the end of its log.
- With a local data folder (the embedded server), writes are refused while its disk has
  less free space than a reserve: with `appendfsync always`, redis exits when it cannot
  append a write to its AOF, which would stop the reads too. Refused writes keep it up,
  serving reads, and writes resume as soon as space is freed.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any

import redis
from falkordb import FalkorDB
from falkordb.helpers import stringify_param_value
from falkordb.query_result import parse_scalar

from graph.engine import (
    ConstraintViolation,
    DiskFull,
    EngineError,
    EngineUnavailable,
    OutcomeUnknown,
    Row,
    check_schema_names,
)

# What redis-py says when it could not connect: the statement was never sent.
_NEVER_SENT = "connecting to"
# After a failed restart of the embedded server, how long before the next try.
_RESTART_PAUSE_S = 1.0

log = logging.getLogger(__name__)

# Value types of FalkorDB's compact replies (see _value).
_NULL, _STRING, _INTEGER, _BOOLEAN, _DOUBLE, _ARRAY, _MAP = 1, 2, 3, 4, 5, 6, 10

# The schema as it is (see graph.schema.bootstrap).
_PROPERTY_KEYS = "CALL db.propertyKeys() YIELD propertyKey RETURN propertyKey AS key"
_INDEXES = "CALL db.indexes() YIELD label, types, entitytype RETURN label, types, entitytype"
_CONSTRAINTS = ("CALL db.constraints() YIELD type, label, properties, status "
                "RETURN type, label, properties, status")
# Error texts of a server that refuses writes because it cannot write to its disk.
_DISK_MARKERS = ("misconf", "no space")
# Error texts of the server that mean "the service cannot do this now", not "bad query".
_UNAVAILABLE_MARKERS = (
    "timed out",
    "timeout",
    "oom ",
    "loading",
    "query's mem consumption exceeded capacity",
)


class FalkorDBEngine:
    """One named graph on a FalkorDB (Redis) server."""

    dialect = "falkordb"

    def __init__(
        self,
        client: FalkorDB,
        graph_name: str,
        *,
        query_timeout_ms: int | None = None,
        data_dir: Path | None = None,
        min_free_bytes: int = 0,
        restart: Callable[[], None] | None = None,
    ) -> None:
        self.client = client
        self.graph_name = graph_name
        self._graph = client.select_graph(graph_name)
        self.query_timeout_ms = query_timeout_ms or None
        self.data_dir = data_dir
        self.min_free_bytes = min_free_bytes
        self._restart = restart
        self._next_restart = 0.0

    @property
    def redis(self) -> redis.Redis:
        """The underlying Redis connection, shared with the login throttle."""
        return self.client.connection

    def read(self, query: str, params: dict[str, Any] | None = None) -> list[Row]:
        return self._read(query, params, limited=True)

    def start_up_read(self, query: str, params: dict[str, Any] | None = None) -> list[Row]:
        """A read without the pages' time limit: the server's own default applies (none on
        the embedded server)."""
        return self._read(query, params, limited=False)

    def _read(self, query: str, params: dict[str, Any] | None, *, limited: bool) -> list[Row]:
        try:
            return self._run("GRAPH.RO_QUERY", query, params, limited=limited)
        except _ConnectionLost:
            self._restart_if_dead()
            return self._run("GRAPH.RO_QUERY", query, params, limited=limited)  # may run twice

    def write(self, query: str, params: dict[str, Any] | None = None) -> list[Row]:
        self.check_free_space()
        try:
            return self._run("GRAPH.QUERY", query, params)
        except _ConnectionLost as error:
            self._restart_if_dead()
            if _NEVER_SENT in str(error):
                return self._run("GRAPH.QUERY", query, params)
            raise OutcomeUnknown(f"the write's reply was lost: {error}") from error
        except _NoReplyInTime as error:
            if _NEVER_SENT in str(error):
                raise  # the connection timed out: the statement was not sent
            raise OutcomeUnknown(f"the write's reply was lost: {error}") from error

    def _restart_if_dead(self) -> None:
        """After a lost connection, start the embedded server again if it is gone.

        Raises EngineUnavailable when it cannot be started (logged, with the end of the
        server's log); for a second after that, the statement is simply tried again.
        """
        if self._restart is None or time.monotonic() < self._next_restart:
            return
        try:
            self._restart()
        except RuntimeError as error:
            self._next_restart = time.monotonic() + _RESTART_PAUSE_S
            log.error("the embedded graph engine is down and could not be started: %s", error)
            raise EngineUnavailable(f"the embedded graph engine is down: {error}") from error

    def _run(self, command: str, query: str, params: dict[str, Any] | None, *,
             limited: bool = True) -> list[Row]:
        """Send one statement as the client would (parameters in a CYPHER header, compact
        replies) and read its rows here: the client's reader makes three calls per value,
        which for a ban preview's ~40,000 values was a tenth of its time."""
        timeout = ["timeout", self.query_timeout_ms] if self.query_timeout_ms and limited else []
        arguments = (command, self.graph_name, _parameters(params) + query, "--compact", *timeout)
        try:
            reply = self._send(arguments)
        except (redis.ConnectionError, OSError) as error:
            raise _ConnectionLost(f"graph engine unreachable: {error}") from error
        except redis.TimeoutError as error:
            raise _NoReplyInTime(f"graph engine did not answer in time: {error}") from error
        except redis.ResponseError as error:
            raise _translate(error) from error
        for part in (reply[0], reply[-1]):
            if isinstance(part, redis.ResponseError):  # failed while running
                raise _translate(part)
        if len(reply) == 1:  # statistics only: a statement without RETURN
            return []
        names = [column[1] for column in reply[0]]
        return [dict(zip(names, [self._value(cell) for cell in row], strict=True))
                for row in reply[1]]

    def _send(self, arguments: tuple[Any, ...]) -> Any:
        """Send one graph command and return its reply (graph.replicated_engine adds to it)."""
        return self.redis.execute_command(*arguments)

    def _value(self, cell: list) -> Any:
        """One value of a compact reply, [type, value]: scalars, lists and maps here, nodes,
        edges and paths by the client, which knows the graph's labels."""
        kind, value = cell
        if kind in (_STRING, _INTEGER):
            return value
        if kind == _NULL:
            return None
        if kind == _ARRAY:
            return [self._value(item) for item in value]
        if kind == _MAP:
            return {key: self._value(item)
                    for key, item in zip(value[0::2], value[1::2], strict=True)}
        if kind == _BOOLEAN:
            return value == "true"
        if kind == _DOUBLE:
            return float(value)
        return parse_scalar(cell, self._graph)

    def check_free_space(self) -> None:
        """Refuse a write while the data folder has less free space than the reserve.

        Raises DiskFull. Every write to the embedded server, the login throttle's too,
        checks it first (see check_free_space).
        """
        if self.data_dir is not None:
            check_free_space(self.data_dir, self.min_free_bytes)

    def limit_query_time(self, timeout_ms: int) -> None:
        """Give every query `timeout_ms`, or the server's TIMEOUT_MAX when that is lower.

        A server refuses a query whose TIMEOUT exceeds its TIMEOUT_MAX (0: no maximum).
        """
        try:
            reply = self.redis.execute_command("GRAPH.CONFIG", "GET", "TIMEOUT_MAX")
            server_max = int(reply[1])
        except redis.ResponseError:
            server_max = 0  # a server that hides its configuration: trust ours
        except (redis.ConnectionError, redis.TimeoutError, OSError) as error:
            raise EngineUnavailable(f"graph engine unreachable: {error}") from error
        self.query_timeout_ms = min(timeout_ms, server_max) if server_max else timeout_ms

    def schema_present(self) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
        """The (label, prop) pairs with a range index on nodes, and with a unique constraint."""
        try:
            indexes = self.read(_INDEXES)
        except EngineError as error:
            if "empty key" not in str(error):
                raise
            return set(), set()  # the graph does not exist yet
        indexed = {(row["label"], prop) for row in indexes
                   if row["entitytype"] == "NODE"
                   for prop, kinds in row["types"].items() if "RANGE" in kinds}
        unique = {(row["label"], row["properties"][0]) for row in self.read(_CONSTRAINTS)
                  if row["type"] == "UNIQUE" and len(row["properties"]) == 1}
        return indexed, unique

    def ensure_index(self, label: str, prop: str) -> None:
        """Create a range index on label.prop unless it exists."""
        check_schema_names(label, prop)
        try:
            self.write(f"CREATE INDEX FOR (n:{label}) ON (n.{prop})")
        except EngineError as error:
            if "already indexed" not in str(error):
                raise

    def ensure_point_index(self, label: str, prop: str) -> None:
        """FalkorDB's range index on a point property is its spatial index."""
        self.ensure_index(label, prop)

    def ensure_unique(self, label: str, prop: str) -> None:
        """Create a unique constraint on label.prop (FalkorDB needs the index first)."""
        check_schema_names(label, prop)
        self.ensure_index(label, prop)
        if self._constraint_status(label, prop) is not None:
            return
        self.check_free_space()
        try:
            self.redis.execute_command(
                "GRAPH.CONSTRAINT", "CREATE", self.graph_name, "UNIQUE", "NODE", label,
                "PROPERTIES", "1", prop,
            )
        except redis.ResponseError as error:
            if "already exists" not in str(error).lower():
                raise _translate(error) from error

    def fulltext_present(self) -> set[tuple[str, str]]:
        """The (label, prop) pairs with a full-text index on nodes."""
        try:
            indexes = self.read(_INDEXES)
        except EngineError as error:
            if "empty key" not in str(error):
                raise
            return set()  # the graph does not exist yet
        return {(row["label"], prop) for row in indexes if row["entitytype"] == "NODE"
                for prop, kinds in row["types"].items() if "FULLTEXT" in kinds}

    def ensure_fulltext(self, label: str, prop: str) -> None:
        """Create a full-text index on label.prop, without stop words: a member searching
        "for" or "a" must not be told that nothing matches."""
        check_schema_names(label, prop)
        self.write(f"CALL db.idx.fulltext.createNodeIndex({{label: '{label}', stopwords: []}}, "
                   f"'{prop}')")

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
        for row in self.read(_CONSTRAINTS):
            if row["type"] == "UNIQUE" and row["label"] == label and row["properties"] == [prop]:
                return str(row["status"])
        return None

    def ensure_property_keys(self, keys: Collection[str]) -> None:
        """Register the property names the graph does not know yet, with one statement that
        writes them on a node it deletes again. FalkorDB adds a name to the graph the first
        time a statement writes it; when two statements first write the same new names at
        once and one of them is undone (a broken unique constraint), the names of the other
        get mixed up: measured, two founders created at once with one mailbox on a fresh
        graph left the member stored with `at` for `email`, `reason` for `session_version`
        (24 times in 300; never once the names were known)."""
        present = {row["key"] for row in self.start_up_read(_PROPERTY_KEYS)}
        missing = sorted(set(keys) - present)
        if missing:
            check_schema_names(*missing)
            names = ", ".join(f"{key}: 0" for key in missing)
            try:
                self.write(f"CREATE (n {{{names}}}) DELETE n")
            except DiskFull:  # the site still starts; the next start registers them
                log.warning("property names not registered: writes are refused")

    def refresh_statistics(self) -> None:
        """Nothing to do: FalkorDB plans from the graph as it is."""

    def drop_graph(self) -> None:
        """Delete this graph and everything in it (used by tests on their own graph)."""
        try:
            self._graph.delete()
        except redis.ResponseError as error:
            if "empty key" not in str(error).lower() and "invalid" not in str(error).lower():
                raise

    def close(self) -> None:
        self.client.connection.close()



def check_free_space(data_dir: Path, min_free_bytes: int) -> None:
    """Raise DiskFull while data_dir's disk has less than min_free_bytes free (0: no reserve).

    With `appendfsync always`, redis exits when it cannot append a write to its AOF: a
    write refused here keeps it up, serving reads.
    """
    if min_free_bytes <= 0:
        return
    try:
        stats = os.statvfs(data_dir)
    except OSError as error:
        raise EngineUnavailable(f"cannot check the engine's disk: {error}") from error
    free = stats.f_bavail * stats.f_frsize
    if free < min_free_bytes:
        raise DiskFull(f"writes refused: {free} bytes free under {data_dir}, "
                       f"fewer than the {min_free_bytes} bytes kept in reserve")


def _parameters(params: dict[str, Any] | None) -> str:
    """Parameters as the CYPHER header FalkorDB reads before a statement, quoted by the
    client's own function."""
    if not params:
        return ""
    return "CYPHER " + " ".join(f"`{name}`={stringify_param_value(value)}"
                                for name, value in params.items()) + " "


class _ConnectionLost(EngineUnavailable):
    """The connection failed or broke: a read may be tried again, a write never."""


class _NoReplyInTime(EngineUnavailable):
    """The socket waited longer than any query may run: the server is stuck or gone."""


def _translate(error: redis.ResponseError) -> EngineError:
    text = str(error)
    lowered = text.lower()
    if "unique constraint violation" in lowered:
        return ConstraintViolation(text)
    if any(marker in lowered for marker in _DISK_MARKERS):
        return DiskFull(text)
    if any(marker in lowered for marker in _UNAVAILABLE_MARKERS):
        return EngineUnavailable(text)
    return EngineError(text)
