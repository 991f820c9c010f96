"""The engine contract: the same verbs give the same answers on every engine (the `engine`
fixture runs each test on FalkorDB and on Neo4j)."""

from __future__ import annotations

import uuid

import pytest

from graph import invitations, members, schema, sponsorship
from graph.errors import Conflict


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
