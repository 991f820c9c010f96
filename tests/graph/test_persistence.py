"""Members and invitations outlive the embedded server; the schema keeps guarding them.

Raw restarts and kill -9 of the server are covered in test_embedded.py; this is the same
promise seen from the domain: what the verbs wrote is there, and usable, after a restart.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from factories import founder, invitation, password_hash, sponsored

from graph import invitations, members, schema, sponsorship
from graph.connect import open_graph
from graph.engine import ConstraintViolation
from graph.errors import Conflict
from trustnet.security import token_hash

CONSTRAINTS = "CALL db.constraints() YIELD type, label, properties, status RETURN *"

CREATE_MEMBER = "CREATE (:Member {id: $id, email_key: $email_key})"


def test_members_and_invitations_survive_a_restart_of_the_embedded_engine(tmp_path: Path):
    data_dir = tmp_path / "graph"
    connection = open_graph(None, graph_name="trustnet", data_dir=data_dir)
    try:
        engine = connection.engine
        schema.bootstrap(engine)
        alice = founder(engine)
        bob = sponsored(engine, alice, "Bob")
        _, secret = invitation(engine, alice, "carol@example.org", "see you inside")
    finally:
        connection.close()  # the last user: the server shuts down
    assert not (data_dir / "graph.sock").exists()

    connection = open_graph(None, graph_name="trustnet", data_dir=data_dir)
    try:
        engine = connection.engine
        schema.bootstrap(engine)
        assert members.get_member(engine, alice.id) == alice
        assert members.find_member_by_email(engine, "BOB@example.org") == bob
        assert [link.name for link in sponsorship.network_of(engine, bob.id).sponsors] == [
            "Alice"]
        pending, sponsor_name, _ = invitations.invitation_for_token(engine, token_hash(secret))
        assert (pending.status, pending.note, sponsor_name) == ("pending", "see you inside",
                                                                "Alice")
        carol_id, status = invitations.redeem_invitation(engine, token_hash(secret), "Carol",
                                                         password_hash())
        assert status == "active"
        with pytest.raises(Conflict):
            members.create_founder(engine, "alice@example.org", "Alice again")
        assert members.count_members(engine) == 3
        assert [i.member_id for i in invitations.list_invitations(engine, alice.id)
                if i.status == "redeemed"] == [carol_id, bob.id]
    finally:
        connection.close()


def test_schema_bootstrap_run_again_keeps_one_enforced_constraint_each_and_the_data(engine):
    alice = founder(engine)
    schema.bootstrap(engine)
    schema.bootstrap(engine)

    unique = [(row["label"], row["properties"][0], row["status"])
              for row in engine.read(CONSTRAINTS) if row["type"] == "UNIQUE"]
    assert sorted(unique) == sorted((label, prop, "OPERATIONAL")
                                    for label, prop in schema.UNIQUE)
    assert members.get_member(engine, alice.id) == alice


def test_a_second_write_of_the_same_mailbox_is_refused_and_leaves_nothing(engine):
    engine.write(CREATE_MEMBER, {"id": "first", "email_key": "dup@example.org"})
    with pytest.raises(ConstraintViolation):
        engine.write(CREATE_MEMBER, {"id": "second", "email_key": "dup@example.org"})
    assert members.count_members(engine) == 1


def test_founders_created_at_once_with_one_mailbox_make_one_member(engine):
    outcomes: list[object] = []
    barrier = threading.Barrier(2)

    def create(address: str) -> None:
        barrier.wait()
        try:
            outcomes.append(members.create_founder(engine, address, "Dup"))
        except Conflict as error:
            outcomes.append(error)

    threads = [threading.Thread(target=create, args=(address,))
               for address in ("dup@example.org", "DUP@Example.org")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(type(outcome).__name__ for outcome in outcomes) == ["Conflict", "Member"]
    assert members.count_members(engine) == 1


BULK_MEMBERS = "UNWIND range(1, $count) AS k CREATE (:Member {id: 'bulk-' + toString(k)})"


def test_an_acknowledged_large_write_survives_a_restart_under_a_shorter_query_limit(
        tmp_path: Path):
    # FalkorDB logs a write in its AOF without the client's TIMEOUT and replays it under
    # the server's limits: started with them, the server dropped this write ("Query timed
    # out" in its log) when its replay took longer than the limit of the new start.
    data_dir = tmp_path / "graph"
    connection = open_graph(None, graph_name="trustnet", data_dir=data_dir,
                            query_timeout_ms=10_000)
    try:
        connection.engine.write(BULK_MEMBERS, {"count": 300_000})  # ~0.2 s: acknowledged
    finally:
        connection.close()

    connection = open_graph(None, graph_name="trustnet", data_dir=data_dir,
                            query_timeout_ms=20)  # replaying it takes far longer
    try:
        engine = connection.engine
        assert engine.read("MATCH (m:Member) RETURN count(m) AS n") == [{"n": 300_000}]
        log = (data_dir / "redis.log").read_text()
        assert "timed out" not in log and "exceeded capacity" not in log
        # and the limits hold again once the file is replayed
        limits = engine.redis.execute_command("GRAPH.CONFIG", "GET", "TIMEOUT_MAX")
        assert limits[1] == 20
    finally:
        connection.close()
