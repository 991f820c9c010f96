"""The engine contract: the same verbs give the same answers on every engine.

FalkorDB runs always. Neo4j runs when TRUSTNET_TEST_NEO4J_URI names a server (no Neo4j
server can run on the CI machine), and is skipped with that reason otherwise.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

from graph import invitations, members, schema, sponsorship
from graph.engine import GraphEngine
from graph.errors import Conflict
from graph.neo4j_engine import Neo4jEngine

NEO4J_URI = os.environ.get("TRUSTNET_TEST_NEO4J_URI")

DELETE_TEST_NODES = """
MATCH (n)
WHERE n.email_key ENDS WITH $domain OR n.token_hash STARTS WITH $prefix
DETACH DELETE n
"""


@pytest.fixture(params=["falkordb", "neo4j"])
def any_engine(request, engine) -> Iterator[GraphEngine]:
    """Each engine in turn; Neo4j only where a server is configured."""
    if request.param == "falkordb":
        yield engine
        return
    if not NEO4J_URI:
        pytest.skip("Neo4j contract: set TRUSTNET_TEST_NEO4J_URI to run against a Neo4j server")
    neo4j = Neo4jEngine.from_url(
        NEO4J_URI,
        os.environ.get("TRUSTNET_TEST_NEO4J_USER", "neo4j"),
        os.environ.get("TRUSTNET_TEST_NEO4J_PASSWORD", ""),
        None,
    )
    schema.bootstrap(neo4j)
    yield neo4j
    neo4j.write(DELETE_TEST_NODES, {"domain": "@contract.test", "prefix": "contract-"})
    neo4j.close()


def _address(name: str) -> str:
    return f"{name}-{uuid.uuid4().hex[:8]}@contract.test"


def test_invitation_journey_is_the_same_on_every_engine(any_engine):
    founder = members.create_founder(any_engine, _address("founder"), "Founder")
    token = f"contract-{uuid.uuid4().hex}"
    address = _address("newcomer")
    invitations.invite(any_engine, founder.id, address, "hello", token,
                       default_quota=5, lifetime_s=3600)
    member_id, status = invitations.redeem_invitation(any_engine, token, "Newcomer", "hash")
    assert status == "active"
    with pytest.raises(Conflict):
        invitations.redeem_invitation(any_engine, token, "Again", "hash")
    network = sponsorship.network_of(any_engine, member_id)
    assert [link.name for link in network.sponsors] == ["Founder"]
    assert [i.status for i in invitations.list_invitations(any_engine, founder.id)] == ["redeemed"]


def test_unique_constraint_refuses_a_second_member_with_the_same_mailbox(any_engine):
    address = _address("dup")
    members.create_founder(any_engine, address, "First")
    with pytest.raises(Conflict):
        members.create_founder(any_engine, address.upper(), "Second")


def test_schema_bootstrap_is_idempotent(any_engine):
    schema.bootstrap(any_engine)
    schema.bootstrap(any_engine)
    founder = members.create_founder(any_engine, _address("idem"), "Idem")
    assert members.get_member(any_engine, founder.id) == founder
