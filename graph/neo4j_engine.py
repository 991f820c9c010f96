"""Neo4j through the official driver: transport only, every statement shared with FalkorDB
(one function named as Neo4j names it: `neo4j_text`).

- Each state change is one statement in one explicit write transaction, sent once: the
  driver's managed transactions retry on a lost connection, which for a write whose
  commit went through would run it twice. A commit whose reply was lost raises
  `OutcomeUnknown`; a failure before the commit was sent means nothing changed.
- Reads run in auto-commit read transactions, so that a cluster routes them to its
  followers, and are tried a second time on a lost connection (running a read twice is
  harmless).
- Every transaction of this process chains on the bookmarks of the writes before it, and
  on those a request carries from its member's session (written there after each write,
  trustnet.bookmarks): a member's next page reads their own writes even on a cluster
  follower, whichever worker serves it.
- Every transaction carries the configured time limit; the driver gives up on a server
  that does not answer within the connection timeout. A write the server undid to break a
  deadlock is run again (up to 3 times): nothing of it was kept.
"""

from __future__ import annotations

import re
import time
from collections.abc import Collection
from contextvars import ContextVar
from typing import Any

import neo4j
from neo4j import Bookmarks, GraphDatabase
from neo4j.exceptions import (
    ConstraintError,
    IncompleteCommit,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
    TransientError,
)

from graph.engine import (
    ConstraintViolation,
    EngineError,
    EngineUnavailable,
    OutcomeUnknown,
    Row,
    check_schema_names,
    fulltext_index_name,
)

_CONNECT_TIMEOUT_S = 5.0
# Error codes of the server that mean "the service cannot do this now", not "bad query".
_UNAVAILABLE_CODES = ("TransactionTimedOut", "MemoryPoolOutOfMemoryError", "DatabaseUnavailable",
                      "OutOfMemory", "Terminated")
_LOST = (ServiceUnavailable, SessionExpired, OSError)
# Of the request being served (trustnet.bookmarks): the bookmarks its member's earlier writes
# left, wherever they were served, and those of its own writes.
_carried: ContextVar[tuple[str, ...]] = ContextVar("carried_bookmarks", default=())
_written: ContextVar[tuple[str, ...]] = ContextVar("written_bookmarks", default=())
# The schema as it is (see graph.schema.bootstrap).
_INDEXES = ("SHOW INDEXES YIELD labelsOrTypes, properties, type, entityType "
            "RETURN labelsOrTypes, properties, type, entityType")
_CONSTRAINTS = ("SHOW CONSTRAINTS YIELD labelsOrTypes, properties, type "
                "RETURN labelsOrTypes, properties, type")
# The one function the engines name apart: FalkorDB's distance() is Neo4j 5's point.distance().
_DISTANCE = re.compile(r"(?<![.\w])distance\(")
# Two statements that lock the same nodes in another order: the server rolls one back.
_DEADLOCK_ATTEMPTS = 3


def neo4j_text(query: str) -> str:
    """A statement of graph/ (written as FalkorDB reads it) as Neo4j reads it."""
    return _DISTANCE.sub("point.distance(", query)


class Neo4jEngine:
    """One database of a Neo4j server (or cluster)."""

    dialect = "neo4j"

    def __init__(self, driver: neo4j.Driver, database: str | None = None, *,
                 query_timeout_ms: int = 0) -> None:
        self.driver = driver
        self.database = database
        self.query_timeout_s = query_timeout_ms / 1000 if query_timeout_ms > 0 else None
        self.bookmarks = GraphDatabase.bookmark_manager()

    @classmethod
    def from_url(cls, url: str, user: str, password: str, database: str | None, *,
                 query_timeout_ms: int = 0) -> Neo4jEngine:
        """Open a driver for a bolt/neo4j URL, with a time limit on connecting (and without
        the server's notices on every statement: the Cypher linter of the tests has them)."""
        driver = GraphDatabase.driver(url, auth=(user, password),
                                      connection_timeout=_CONNECT_TIMEOUT_S,
                                      notifications_min_severity="OFF")
        return cls(driver, database, query_timeout_ms=query_timeout_ms)

    def read(self, query: str, params: dict[str, Any] | None = None) -> list[Row]:
        try:
            return self._run(query, params, neo4j.READ_ACCESS, self.query_timeout_s)
        except _Lost:  # a read may run twice
            return self._run(query, params, neo4j.READ_ACCESS, self.query_timeout_s)

    def write(self, query: str, params: dict[str, Any] | None = None) -> list[Row]:
        attempt = 1
        while True:
            try:
                return self._run(query, params, neo4j.WRITE_ACCESS, self.query_timeout_s)
            except _Deadlock:  # the server rolled it back: running it again is safe
                if attempt == _DEADLOCK_ATTEMPTS:
                    raise
                time.sleep(0.01 * attempt)
                attempt += 1

    def _run(self, query: str, params: dict[str, Any] | None, access: str,
             timeout_s: float | None) -> list[Row]:
        """One statement in one transaction of that access mode: a write in an explicit
        transaction committed once, a read in an auto-commit one (a round trip less: 0.6
        instead of 1.0 ms for `RETURN 1` on a warm server here; docs/benchmarks.md)."""
        committing = False
        try:
            with self.driver.session(database=self.database, default_access_mode=access,
                                     bookmark_manager=self.bookmarks,
                                     bookmarks=Bookmarks.from_raw_values(_carried.get()),
                                     ) as session:
                query = neo4j_text(query)
                if access == neo4j.READ_ACCESS:
                    statement = neo4j.Query(query, timeout=timeout_s)
                    return [record.data() for record in session.run(statement, params or {})]
                tx = session.begin_transaction(timeout=timeout_s)
                try:
                    rows = [record.data() for record in tx.run(query, params or {})]
                    committing = True
                    tx.commit()
                finally:
                    tx.close()  # rolls back what was not committed (as a context, it commits)
                _written.set(tuple(session.last_bookmarks().raw_values))
            return rows
        except ConstraintError as error:
            raise ConstraintViolation(str(error)) from error
        except IncompleteCommit as error:
            raise OutcomeUnknown(f"the write's commit reply was lost: {error}") from error
        except _LOST as error:
            if committing:
                raise OutcomeUnknown(f"the write's commit reply was lost: {error}") from error
            raise _Lost(f"graph engine unreachable: {error}") from error
        except TransientError as error:
            if error.code and "DeadlockDetected" in error.code:
                raise _Deadlock(str(error)) from error
            raise EngineUnavailable(str(error)) from error
        except Neo4jError as error:
            if error.code and any(code in error.code for code in _UNAVAILABLE_CODES):
                raise EngineUnavailable(str(error)) from error
            raise EngineError(str(error)) from error

    def schema_present(self) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
        """The (label, prop) pairs with a range index on nodes, and with a unique constraint."""
        indexed = {(row["labelsOrTypes"][0], row["properties"][0])
                   for row in self.start_up_read(_INDEXES)
                   if row["type"] == "RANGE" and row["entityType"] == "NODE"
                   and len(row["properties"]) == 1}
        return indexed, self._unique_constraints()

    def _unique_constraints(self) -> set[tuple[str, str]]:
        return {(row["labelsOrTypes"][0], row["properties"][0])
                for row in self.start_up_read(_CONSTRAINTS)
                if row["type"] in ("UNIQUENESS", "NODE_PROPERTY_UNIQUENESS")
                and len(row["properties"]) == 1}

    def ensure_index(self, label: str, prop: str) -> None:
        """Create a range index on label.prop unless it exists."""
        check_schema_names(label, prop)
        self._schema(f"CREATE INDEX IF NOT EXISTS FOR (n:{label}) ON (n.{prop})")

    def ensure_point_index(self, label: str, prop: str) -> None:
        """A point index: Neo4j's range indexes do not answer distance() filters."""
        check_schema_names(label, prop)
        self._schema(f"CREATE POINT INDEX IF NOT EXISTS FOR (n:{label}) ON (n.{prop})")

    def ensure_unique(self, label: str, prop: str) -> None:
        """Create a unique constraint on label.prop unless it exists (it brings its index)."""
        check_schema_names(label, prop)
        self._schema(
            f"CREATE CONSTRAINT IF NOT EXISTS FOR (n:{label}) REQUIRE n.{prop} IS UNIQUE")

    def fulltext_present(self) -> set[tuple[str, str]]:
        """The (label, prop) pairs with a full-text index on nodes, one property each."""
        return {(row["labelsOrTypes"][0], row["properties"][0])
                for row in self.start_up_read(_INDEXES)
                if row["type"] == "FULLTEXT" and row["entityType"] == "NODE"
                and len(row["labelsOrTypes"]) == 1 and len(row["properties"]) == 1}

    def ensure_fulltext(self, label: str, prop: str) -> None:
        """Create a full-text index on label.prop unless it exists (Neo4j's default analyzer:
        no stop words)."""
        check_schema_names(label, prop)
        self._schema(f"CREATE FULLTEXT INDEX {fulltext_index_name(label, prop)} IF NOT EXISTS "
                     f"FOR (n:{label}) ON EACH [n.{prop}]")

    def wait_for_constraints(self, required: list[tuple[str, str]], timeout_s: float) -> None:
        """Block until the constraints exist and every index is online, or raise."""
        deadline = time.monotonic() + timeout_s
        while True:
            present = self._unique_constraints()
            missing = [c for c in required if c not in present]
            if not missing:
                self._schema(f"CALL db.awaitIndexes({max(1, int(timeout_s))})",
                             neo4j.READ_ACCESS)
                return
            if time.monotonic() > deadline:
                raise EngineError(f"unique constraints missing: {missing}")
            time.sleep(0.1)

    def start_up_read(self, query: str, params: dict[str, Any] | None = None) -> list[Row]:
        """A read made as the app starts, outside the pages' time limit."""
        return self._run(query, params, neo4j.READ_ACCESS, None)

    def _schema(self, query: str, access: str = neo4j.WRITE_ACCESS) -> list[Row]:
        """A schema statement, outside the pages' time limit: it runs at start-up, once, and
        a short limit (a hurried site, a slow machine) must not keep the site from starting."""
        return self._run(query, None, access, None)

    def carry_bookmarks(self, bookmarks: list[str] | tuple[str, ...]) -> None:
        """Make this request's transactions wait for these writes (from a member's session)."""
        _carried.set(tuple(bookmarks))
        _written.set(())

    def written_bookmarks(self) -> tuple[str, ...]:
        """The bookmarks of this request's last write, if it wrote."""
        return _written.get()

    def ensure_property_keys(self, keys: Collection[str]) -> None:
        """Nothing to do: Neo4j makes a new property name in a transaction of its own, apart
        from the statement that first writes it."""

    def refresh_statistics(self) -> None:
        """Resample every index, wait for it, and drop the cached plans (made on old counts)."""
        self.write("CALL db.prepareForReplanning()")

    def drop_graph(self) -> None:
        """Delete every node and relationship of this database (tests, on a scratch server).

        Neo4j Community has one user database: a test's fresh graph is that database emptied,
        in batches so that a large graph does not need one huge transaction.
        """
        try:
            with self.driver.session(database=self.database,
                                     bookmark_manager=self.bookmarks) as session:
                session.run("MATCH (n) CALL { WITH n DETACH DELETE n } "
                            "IN TRANSACTIONS OF 10000 ROWS").consume()
        except _LOST as error:
            raise EngineUnavailable(f"graph engine unreachable: {error}") from error

    def close(self) -> None:
        self.driver.close()


class _Deadlock(EngineUnavailable):
    """The server chose this write to undo, to break a deadlock: nothing of it was kept."""


class _Lost(EngineUnavailable):
    """The connection failed or broke before a commit: nothing changed; a read may be retried."""
