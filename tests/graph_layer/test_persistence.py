"""Members and invitations outlive the embedded server; the schema keeps guarding them.

Raw restarts and kill -9 of the server are covered in test_embedded.py; this is the same
promise seen from the domain: what the verbs wrote is there, and usable, after a restart.
"""

from __future__ import annotations

import json
import os
import re
import signal
import threading
import time
from pathlib import Path

import pytest
from factories import count_sponsorships, founder, invitation, password_hash, sponsored

from graph import importer, invitations, members, schema, sponsorship
from graph.connect import open_graph
from graph.embedded import _alive
from graph.engine import ConstraintViolation
from graph.errors import Conflict
from trustnet.security import token_hash

# Each engine lists its enforced unique constraints its own way.
CONSTRAINTS = {
    "falkordb": "CALL db.constraints() YIELD type, label, properties, status "
                "WHERE type = 'UNIQUE' AND status = 'OPERATIONAL' "
                "RETURN label, properties[0] AS property",
    "neo4j": "SHOW CONSTRAINTS YIELD type, labelsOrTypes, properties "
             "WHERE type IN ['UNIQUENESS', 'NODE_PROPERTY_UNIQUENESS'] "
             "RETURN labelsOrTypes[0] AS label, properties[0] AS property",
}

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


def unique_constraints(engine) -> list[tuple[str, str]]:
    """The (label, property) of every enforced unique constraint of the engine."""
    return [(row["label"], row["property"]) for row in engine.read(CONSTRAINTS[engine.dialect])]


def test_schema_bootstrap_run_again_keeps_one_enforced_constraint_each_and_the_data(engine):
    alice = founder(engine)
    schema.bootstrap(engine)
    schema.bootstrap(engine)

    assert sorted(unique_constraints(engine)) == sorted(schema.UNIQUE)
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


PROPERTY_KEYS = "CALL db.propertyKeys() YIELD propertyKey RETURN propertyKey AS key"


@pytest.mark.falkordb_only("FalkorDB's own table of property names")
def test_a_fresh_graph_knows_the_names_its_first_members_are_written_with(engine):
    """Before any member exists, the names that creating one writes are known to the graph:
    two statements first writing them at once, one undone by the unique mailbox, would mix
    them up (the race above, 24 times in 300 before bootstrap registered them)."""
    known = {row["key"] for row in engine.read(PROPERTY_KEYS)}

    assert members.count_members(engine) == 0
    assert {"email", "email_key", "name", "status", "founder", "admin", "session_version",
            "created_at", "password_hash", "at", "action", "actor_id", "target_id",
            "reason"} <= known


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


def imported_community(size: int) -> list[str]:
    """JSON lines of `size` members: one founder, each other member sponsored by an earlier one."""
    lines = [json.dumps({"type": "member", "email": f"m{n}@example.org", "name": f"M {n}",
                         "founder": n == 0}) for n in range(size)]
    return lines + [json.dumps({"type": "sponsorship", "sponsor": f"m{n // 2}@example.org",
                                "sponsee": f"m{n}@example.org"}) for n in range(1, size)]


def log_parts(data_dir: Path) -> dict[str, int]:
    """Size of each part of the append-only file: the snapshot and the statements after it."""
    return {part.name.split(".", 3)[3]: part.stat().st_size
            for part in (data_dir / "appendonlydir").glob("appendonly.aof.*.*")}


def test_after_an_import_a_restart_loads_a_snapshot_holding_everything(tmp_path: Path):
    # Replaying an import's statements was quadratic (the schema's indexes, created by
    # statements of the same file, are not used during the replay): a restart after a
    # 100k import replayed for more than 13 minutes. The server now folds them away.
    data_dir = tmp_path / "graph"
    connection = open_graph(None, graph_name="trustnet", data_dir=data_dir)
    try:
        schema.bootstrap(connection.engine)
        importer.import_community(connection.engine, imported_community(3_000))
    finally:
        connection.close()
    parts = log_parts(data_dir)
    assert sorted(parts) == ["base.rdb", "incr.aof"] and parts["incr.aof"] == 0

    connection = open_graph(None, graph_name="trustnet", data_dir=data_dir)
    try:
        engine = connection.engine
        schema.bootstrap(engine)
        assert members.count_members(engine) == 3_000
        assert count_sponsorships(engine) == 2_999
        assert members.find_member_by_email(engine, "M2999@example.org").name == "M 2999"
        assert "DB loaded from incr file" not in (data_dir / "redis.log").read_text()
    finally:
        connection.close()


def folded_while_running(server, timeout_s: float = 30.0) -> None:
    """Wait until the server has folded its log into a snapshot on its own, and is done."""
    deadline = time.monotonic() + timeout_s
    while True:
        persistence = server.info("persistence")
        if persistence["aof_rewrites"] and not (persistence["aof_rewrite_in_progress"]
                                                or persistence["aof_rewrite_scheduled"]):
            return
        assert time.monotonic() < deadline, "the server never folded its log"
        time.sleep(0.01)


def test_a_crash_during_an_import_loses_no_written_batch_and_replays_from_a_snapshot(
        tmp_path: Path, monkeypatch):
    # A crash leaves no time to fold the statements, but the server folds them while it
    # runs, so the restart starts from a snapshot holding the schema and the first batches.
    monkeypatch.setattr(importer, "BATCH_SIZE", 300)
    data_dir = tmp_path / "graph"
    connection = open_graph(None, graph_name="trustnet", data_dir=data_dir)
    try:
        schema.bootstrap(connection.engine)
        importer.import_community(connection.engine, imported_community(3_000))
        folded_while_running(connection.engine.redis)
        pid = int((data_dir / "redis.pid").read_text())
        os.kill(pid, signal.SIGKILL)
        while _alive(pid):
            time.sleep(0.01)
    finally:
        connection.close()

    connection = open_graph(None, graph_name="trustnet", data_dir=data_dir)
    try:
        engine = connection.engine
        assert members.count_members(engine) == 3_000
        assert count_sponsorships(engine) == 2_999
        log = (data_dir / "redis.log").read_text().split("Redis is starting")[-1]
        assert re.search(r"Done loading RDB, keys loaded: [1-9]", log)
    finally:
        connection.close()
