"""The engines a test session runs on: a real FalkorDB server, and a real Neo4j server
started from the project's launcher (scripts/neo4j). Tests ask for a graph of their own
through a Backend and never name an engine.

TRUSTNET_TEST_ENGINES (comma-separated, default "falkordb,neo4j") says which engines run.
"""

from __future__ import annotations

import os
import re
import uuid
from dataclasses import dataclass
from typing import Any, Protocol

from falkordb import FalkorDB

from graph.embedded import EmbeddedServer
from graph.engine import GraphEngine
from graph.falkordb_engine import FalkorDBEngine
from graph.neo4j_engine import Neo4jEngine, neo4j_text
from scripts.neo4j.server import Neo4jServer

ENGINES = ("falkordb", "neo4j")
NEO4J_PASSWORD = "trustnet-tests"


def engines_to_test() -> list[str]:
    """The engines of this run, from TRUSTNET_TEST_ENGINES."""
    chosen = os.environ.get("TRUSTNET_TEST_ENGINES", ",".join(ENGINES))
    names = [name.strip() for name in chosen.split(",") if name.strip()]
    unknown = set(names) - set(ENGINES)
    if unknown or not names:
        raise ValueError(f"TRUSTNET_TEST_ENGINES: unknown engine(s) {sorted(unknown)}")
    return names


def new_graph_name() -> str:
    """A graph name of the test's own."""
    return f"test_{uuid.uuid4().hex[:12]}"


class Backend(Protocol):
    """Where a test's graph lives. A test empties its graph first (`drop_graph`): on Neo4j
    the graph of every test is the same database."""

    name: str

    def open_engine(self, graph_name: str) -> GraphEngine:
        """A new client on the graph of that name."""
        ...

    def app_settings(self, graph_name: str) -> dict[str, Any]:
        """The app configuration that serves that graph."""
        ...


@dataclass
class FalkorDBBackend:
    """Graphs of one FalkorDB server: each test gets a graph name of its own."""

    server: EmbeddedServer
    name: str = "falkordb"

    def open_engine(self, graph_name: str) -> GraphEngine:
        return FalkorDBEngine(FalkorDB(unix_socket_path=str(self.server.socket_path)), graph_name)

    def app_settings(self, graph_name: str) -> dict[str, Any]:
        return {"TRUSTNET_GRAPH_URL": f"unix://{self.server.socket_path}",
                "TRUSTNET_GRAPH_NAME": graph_name}


@dataclass
class Neo4jBackend:
    """The one database of a Neo4j Community server, emptied for each test.

    Community has a single user database, so tests on Neo4j take turns on it (the suite
    runs one test at a time); the login throttle keeps its counters on the FalkorDB server,
    under the test's graph name.
    """

    server: Neo4jServer
    throttle_store: EmbeddedServer
    name: str = "neo4j"

    @property
    def uri(self) -> str:
        return self.server.uri

    def open_engine(self, graph_name: str) -> GraphEngine:
        return Neo4jEngine.from_url(self.uri, "neo4j", NEO4J_PASSWORD, None)

    def app_settings(self, graph_name: str) -> dict[str, Any]:
        return {"TRUSTNET_GRAPH_URL": self.uri, "TRUSTNET_GRAPH_NAME": graph_name,
                "TRUSTNET_NEO4J_USER": "neo4j", "TRUSTNET_NEO4J_PASSWORD": NEO4J_PASSWORD,
                "TRUSTNET_RATELIMIT_URL": f"unix://{self.throttle_store.socket_path}"}


def rows_produced(engine: GraphEngine, query: str, params: dict[str, Any],
                  naming: str | None = None) -> int:
    """The work of one read statement as its engine counts it: the rows that every operator
    of its plan produced (FalkorDB's GRAPH.PROFILE, Neo4j's PROFILE), or only the operators
    whose description names the variable `naming` (those that read or test it). Unlike a
    time, the same on any machine under any load; unlike a total, the same whichever way
    the planner chose to read the rest."""
    names = re.compile(rf"\b{naming}\b") if naming else None
    if isinstance(engine, FalkorDBEngine):
        plan = engine.client.select_graph(engine.graph_name).profile(query, params).plan
        return sum(int(n) for line in plan if names is None or names.search(line)
                   for n in re.findall(r"Records produced: (\d+)", line))
    assert isinstance(engine, Neo4jEngine)
    with engine.driver.session(database=engine.database) as session:
        profile = session.run("PROFILE " + neo4j_text(query), params).consume().profile

    def rows(operator: dict) -> int:
        described = f"{operator['operatorType']} {operator.get('args', {}).get('Details', '')}"
        counted = names is None or names.search(described)
        return (int(operator.get("rows", 0)) if counted else 0) + sum(
            rows(child) for child in operator.get("children", []))

    return rows(profile)
