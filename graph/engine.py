"""The engine protocol: the only door through which TrustNet talks to a graph database.

Every query returns rows of plain values (numbers, strings, booleans, None, lists and
maps), never engine-specific node objects, so both engines give the same Python data.
Reads and writes are separate calls so an engine can refuse a write in a read path.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any, Protocol

Row = dict[str, Any]


class EngineError(Exception):
    """The graph engine failed in a way the caller cannot fix by changing its input."""


class EngineUnavailable(EngineError):
    """The graph engine cannot be reached, is out of space, or timed out."""


class DiskFull(EngineUnavailable):
    """A write was refused before it was sent: the engine's disk is (nearly) full."""


class OutcomeUnknown(EngineUnavailable):
    """A write was sent but its reply never came back: it may or may not have run."""


class ConstraintViolation(EngineError):
    """A write broke a uniqueness constraint; nothing of that statement was kept."""


class GraphEngine(Protocol):
    """One graph of one database server, spoken to in Cypher with parameters only."""

    dialect: str

    def read(self, query: str, params: dict[str, Any] | None = None) -> list[Row]:
        """Run a read-only statement and return its rows."""
        ...

    def write(self, query: str, params: dict[str, Any] | None = None) -> list[Row]:
        """Run one statement that may change the graph, atomically, and return its rows."""
        ...

    def start_up_read(self, query: str, params: dict[str, Any] | None = None) -> list[Row]:
        """A read made once as the app starts (its schema, its stored address keys), outside
        the pages' time limit where the engine allows it: a short limit or a slow machine
        must not keep the site from starting."""
        ...

    def schema_present(self) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
        """The (label, prop) pairs with a range index on nodes, and those with a unique
        constraint (enforced or not yet), read without writing anything."""
        ...

    def ensure_index(self, label: str, prop: str) -> None:
        """Create a range index on label.prop unless it exists."""
        ...

    def ensure_point_index(self, label: str, prop: str) -> None:
        """Create the index that answers distance() filters on the points of label.prop,
        unless it exists."""
        ...

    def ensure_unique(self, label: str, prop: str) -> None:
        """Create a unique constraint on label.prop unless it exists."""
        ...

    def fulltext_present(self) -> set[tuple[str, str]]:
        """The (label, prop) pairs with a full-text index on nodes, read without writing."""
        ...

    def ensure_fulltext(self, label: str, prop: str) -> None:
        """Create a full-text index on label.prop (see fulltext_index_name) unless it exists."""
        ...

    def wait_for_constraints(self, required: list[tuple[str, str]], timeout_s: float) -> None:
        """Block until every (label, prop) unique constraint is enforced, or raise."""
        ...

    def ensure_property_keys(self, keys: Collection[str]) -> None:
        """Make these property names known to the graph unless they are, before any statement
        writes them (see graph.schema.bootstrap)."""
        ...

    def refresh_statistics(self) -> None:
        """After a bulk load: let the planner see the graph as it now is (Neo4j samples its
        indexes lazily and would keep planning for the empty graph it saw)."""
        ...

    def close(self) -> None:
        """Release the connection."""
        ...


def fulltext_index_name(label: str, prop: str) -> str:
    """The name of the full-text index of label.prop, for the engines that name them (Neo4j
    queries an index by name, FalkorDB by label)."""
    return f"fulltext_{label}_{prop}".lower()


_SCHEMA_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def check_schema_names(*names: str) -> None:
    """Refuse a label or property name that is not a plain identifier.

    Schema statements cannot take labels as parameters, so the few that are built from
    names check them here; the names come from `graph.schema`, never from input.
    """
    for name in names:
        if not _SCHEMA_NAME.match(name):
            raise ValueError(f"not a schema name: {name!r}")
