"""The embedded FalkorDB keeps the plan of every statement of the app.

FalkorDB plans a statement the first time it sees its text and keeps the plan in a cache of
CACHE_SIZE statements per graph, the least recently used out (25 unless the module is told
otherwise). Planning the feed costs several times running it (scripts/profile_feed.py), and
the app has far more than 25 statements: with the default, a member going from page to page
would have their feed planned again and again.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from falkordb import FalkorDB

from graph import members, schema
from graph.cypher_catalog import all_statements
from graph.embedded import EmbeddedServer
from graph.engine import GraphEngine
from graph.falkordb_engine import FalkorDBEngine


@pytest.fixture
def falkordb_engine(graph_server: EmbeddedServer, graph_name: str) -> Iterator[GraphEngine]:
    """A graph of the test's own on the session's embedded server."""
    engine = FalkorDBEngine(FalkorDB(unix_socket_path=str(graph_server.socket_path)),
                            graph_name)
    schema.bootstrap(engine)
    yield engine
    engine.drop_graph()
    engine.close()


def test_a_page_statement_stays_planned_after_every_other_statement_of_the_app_ran(
        falkordb_engine: FalkorDBEngine) -> None:
    founder = members.create_founder(falkordb_engine, "ada@example.org", "Ada")
    graph = falkordb_engine.client.select_graph(falkordb_engine.graph_name)
    signed_in = {"id": founder.id, "newcomers_since": 0.0}
    assert not graph.ro_query(members.GET_SIGNED_IN_MEMBER, signed_in).cached_execution
    for number in range(len(all_statements())):  # as many other texts as the app has
        graph.ro_query(f"RETURN $n AS statement_{number}", {"n": number})
    again = graph.ro_query(members.GET_SIGNED_IN_MEMBER, signed_in)
    assert again.cached_execution, "the user loader's statement was planned again"
    assert again.result_set[0][0]["id"] == founder.id
