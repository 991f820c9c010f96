"""The engine contract: the same verbs give the same answers on every engine (the `engine`
fixture runs each test on FalkorDB and on Neo4j)."""

from __future__ import annotations

import uuid

import pytest

from graph import invitations, members, schema, sponsorship
from graph.engine import DiskFull
from graph.errors import Conflict
from graph.falkordb_engine import FalkorDBEngine


def _address(name: str) -> str:
    return f"{name}-{uuid.uuid4().hex[:8]}@contract.test"


def test_invitation_journey_is_the_same_on_every_engine(engine):
    founder = members.create_founder(engine, _address("founder"), "Founder")
    token = f"contract-{uuid.uuid4().hex}"
    address = _address("newcomer")
    invitations.invite(engine, founder.id, address, "hello", token,
                       default_quota=5, lifetime_s=3600)
    member_id, status = invitations.redeem_invitation(engine, token, "Newcomer", "hash")
    assert status == "active"
    with pytest.raises(Conflict):
        invitations.redeem_invitation(engine, token, "Again", "hash")
    network = sponsorship.network_of(engine, member_id)
    assert [link.name for link in network.sponsors] == ["Founder"]
    assert [i.status for i in invitations.list_invitations(engine, founder.id)] == ["redeemed"]


def test_unique_constraint_refuses_a_second_member_with_the_same_mailbox(engine):
    address = _address("dup")
    members.create_founder(engine, address, "First")
    with pytest.raises(Conflict):
        members.create_founder(engine, address.upper(), "Second")


def test_schema_bootstrap_is_idempotent(engine):
    schema.bootstrap(engine)
    schema.bootstrap(engine)
    founder = members.create_founder(engine, _address("idem"), "Idem")
    assert members.get_member(engine, founder.id) == founder


def test_schema_bootstrap_on_a_graph_that_has_its_schema_writes_nothing(engine, tmp_path):
    """Every start of the app bootstraps: once the schema is there, that must not write (a
    start-up that writes fails while writes are refused, e.g. on a disk below its reserve)."""
    if engine.dialect == "neo4j":
        engine.carry_bookmarks([])  # what this context's writes leave is set again
        schema.bootstrap(engine)
        assert engine.written_bookmarks() == ()  # no write transaction was committed
    else:
        # The same graph through an engine that refuses every write: no disk is that large.
        refusing = FalkorDBEngine(engine.client, engine.graph_name, data_dir=tmp_path,
                                  min_free_bytes=2**62)
        with pytest.raises(DiskFull):
            refusing.write("CREATE (:Probe)")
        schema.bootstrap(refusing)
