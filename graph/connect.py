"""Open the graph engine a URL names, or the embedded FalkorDB server when none is set.

    (none)                      embedded FalkorDB under the instance folder
    unix:///path/graph.sock     FalkorDB over a unix socket
    redis://[:password@]host:port   FalkorDB over TCP (rediss:// for TLS)
    neo4j://host:7687, neo4j+s://..., bolt://...   Neo4j through the official driver
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from falkordb import FalkorDB

from graph.embedded import EmbeddedServer, ensure_embedded_server
from graph.engine import GraphEngine
from graph.falkordb_engine import FalkorDBEngine
from graph.neo4j_engine import Neo4jEngine

NEO4J_SCHEMES = ("neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc")


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
    neo4j_user: str = "neo4j",
    neo4j_password: str = "",
) -> Connection:
    """Connect to the engine named by url (None: start or reuse the embedded server)."""
    if not url:
        server = ensure_embedded_server(data_dir, query_timeout_ms=query_timeout_ms)
        client = FalkorDB(unix_socket_path=str(server.socket_path))
        return Connection(FalkorDBEngine(client, graph_name), server)
    parts = urlsplit(url)
    if parts.scheme == "unix":
        client = FalkorDB(unix_socket_path=parts.path)
        return Connection(FalkorDBEngine(client, graph_name))
    if parts.scheme in ("redis", "rediss"):
        client = FalkorDB(
            host=parts.hostname or "localhost",
            port=parts.port or 6379,
            password=parts.password,
            username=parts.username or None,
            ssl=parts.scheme == "rediss",
        )
        return Connection(FalkorDBEngine(client, graph_name))
    if parts.scheme in NEO4J_SCHEMES:
        database = parts.path.lstrip("/") or None
        base = f"{parts.scheme}://{parts.hostname}:{parts.port or 7687}"
        return Connection(Neo4jEngine.from_url(base, neo4j_user, neo4j_password, database))
    raise ValueError(f"unsupported graph URL scheme {parts.scheme!r} in TRUSTNET_GRAPH_URL")
