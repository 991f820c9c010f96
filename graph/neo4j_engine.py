"""Neo4j through the official driver: transport only, every statement shared with FalkorDB."""

from __future__ import annotations

import time
from typing import Any

import neo4j
from neo4j import GraphDatabase, RoutingControl
from neo4j.exceptions import ConstraintError, Neo4jError, ServiceUnavailable, SessionExpired

from graph.engine import (
    ConstraintViolation,
    EngineError,
    EngineUnavailable,
    Row,
    check_schema_names,
)


class Neo4jEngine:
    """One database of a Neo4j server (or cluster)."""

    dialect = "neo4j"

    def __init__(self, driver: neo4j.Driver, database: str | None = None) -> None:
        self.driver = driver
        self.database = database

    @classmethod
    def from_url(cls, url: str, user: str, password: str, database: str | None) -> Neo4jEngine:
        """Open a driver for a bolt/neo4j URL."""
        return cls(GraphDatabase.driver(url, auth=(user, password)), database)

    def read(self, query: str, params: dict[str, Any] | None = None) -> list[Row]:
        return self._run(query, params, RoutingControl.READ)

    def write(self, query: str, params: dict[str, Any] | None = None) -> list[Row]:
        return self._run(query, params, RoutingControl.WRITE)

    def _run(self, query: str, params: dict[str, Any] | None, routing: RoutingControl) -> list[Row]:
        try:
            records, _, _ = self.driver.execute_query(
                query, params or {}, routing_=routing, database_=self.database
            )
        except ConstraintError as error:
            raise ConstraintViolation(str(error)) from error
        except (ServiceUnavailable, SessionExpired, OSError) as error:
            raise EngineUnavailable(str(error)) from error
        except Neo4jError as error:
            if error.code and "TransactionTimedOut" in error.code:
                raise EngineUnavailable(str(error)) from error
            raise EngineError(str(error)) from error
        return [record.data() for record in records]

    def ensure_index(self, label: str, prop: str) -> None:
        """Create a range index on label.prop unless it exists."""
        check_schema_names(label, prop)
        self.write(f"CREATE INDEX IF NOT EXISTS FOR (n:{label}) ON (n.{prop})")

    def ensure_unique(self, label: str, prop: str) -> None:
        """Create a unique constraint on label.prop unless it exists."""
        check_schema_names(label, prop)
        self.write(f"CREATE CONSTRAINT IF NOT EXISTS FOR (n:{label}) REQUIRE n.{prop} IS UNIQUE")

    def wait_for_constraints(self, required: list[tuple[str, str]], timeout_s: float) -> None:
        """Block until the indexes backing the constraints are online, or raise."""
        deadline = time.monotonic() + timeout_s
        while True:
            rows = self.read(
                "SHOW CONSTRAINTS YIELD labelsOrTypes, properties, type "
                "RETURN labelsOrTypes, properties, type"
            )
            present = {
                (row["labelsOrTypes"][0], row["properties"][0])
                for row in rows
                if row["type"] == "UNIQUENESS" or row["type"] == "NODE_PROPERTY_UNIQUENESS"
            }
            missing = [c for c in required if c not in present]
            if not missing:
                self.write("CALL db.awaitIndexes(300)")
                return
            if time.monotonic() > deadline:
                raise EngineError(f"unique constraints missing: {missing}")
            time.sleep(0.1)

    def close(self) -> None:
        self.driver.close()

