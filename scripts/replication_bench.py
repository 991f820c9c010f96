"""What one primary writes and one replica reads per second, for docs/scale-out.md.

    python scripts/replication_bench.py [--size 10000] [--budget-s 5]

Starts a primary (scripts.cluster, no sentinel) in a temporary folder, loads a generated
community on it (scripts/benchlib.py, the benchmark's generator), then starts one replica
and waits for its first full synchronisation (a progress line, then its time: ~900 MB at
--size 1000000, so plan 2 GB of memory for both and as much free disk for the replica's
copy), then measures, closed loop, with the project's own verbs: sign-ups
(invite + redeem), offers and messages per second on the primary, each with writes
acknowledged after WAIT 1 and without; and the feed (first page, 3 hops) per second on the
replica alone, 1 and 2 clients. Prints one line per measure. Short on purpose: the machine
is shared.
"""

from __future__ import annotations

import argparse
import random
import secrets
import sys
import tempfile
import time
from pathlib import Path

import redis

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import benchlib  # noqa: E402

from graph import conversations, invitations, offers, schema  # noqa: E402
from graph.connect import open_graph  # noqa: E402
from scripts.cluster import Cluster, Node, linked  # noqa: E402
from trustnet.security import hash_password, token_hash  # noqa: E402

# As scripts/benchmark.py: at 1M members a load batch or the read of every member's id
# takes longer than the app's 10 s.
QUERY_TIMEOUT_MS = 120_000
# A replica loading a ~900 MB data set does not answer its primary meanwhile: redis's
# default 60 s could drop it and start the synchronisation over.
REPL_TIMEOUT_S = 600

DRAFT = offers.OfferDraft(title="A drill", description="Lent for a weekend.",
                          category=offers.CATEGORIES[0], area="Lyon", price=None,
                          currency="EUR", visibility=offers.WHOLE_NETWORK)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--budget-s", type=float, default=5.0)
    args = parser.parse_args(argv)
    cluster = Cluster(Path(tempfile.mkdtemp(prefix="trustnet-repl-bench-")),
                      replica_count=1, sentinel_count=0, repl_timeout_s=REPL_TIMEOUT_S)
    primary = cluster._server("primary", None)
    primary.start()
    cluster.servers.append(primary)
    try:
        community, ids = load(args.size, primary.port)
        replica = attach_replica(cluster)
        measure(args, primary.port, replica.port, community, ids)
    finally:
        cluster.stop()


def load(size: int, primary: int) -> tuple[benchlib.Community, dict[int, str]]:
    """Generate the community and load it on the primary alone: a replica attached
    meanwhile would replay every batch on the same two cores."""
    connection = open_graph(f"redis://127.0.0.1:{primary}", graph_name="bench",
                            data_dir=Path("."), query_timeout_ms=QUERY_TIMEOUT_MS)
    schema.bootstrap(connection.engine)
    community = benchlib.generate(size, 7, time.time())
    started = time.perf_counter()
    ids = benchlib.load(connection.engine, community, lambda done, total: print(
        f"\rloading {done}/{total}", end="", flush=True))
    used = int(connection.engine.redis.info("memory")["used_memory"])
    print(f"\nloaded {size} members in {time.perf_counter() - started:.1f} s, "
          f"primary used_memory {used / 2**20:.0f} MB", flush=True)
    connection.close()
    return community, ids


def attach_replica(cluster: Cluster) -> Node:
    """Start the replica and wait for its first full synchronisation of the loaded graph,
    however long it takes (~900 MB at 1M members), with a progress line; raise if the
    replica dies meanwhile (its log says why: memory, disk)."""
    node = cluster._server("replica1", cluster.primary())
    node.start()
    cluster.servers.append(node)
    started = time.monotonic()
    while not linked(node):
        if node.process is not None and node.process.poll() is not None:
            raise RuntimeError(f"the replica exited during its first synchronisation: see "
                               f"{node.folder / 'server.log'}")
        print(f"\rreplica: {sync_progress(node)}, {time.monotonic() - started:.0f} s   ",
              end="", flush=True)
        time.sleep(1)
    print(f"\rreplica in sync after {time.monotonic() - started:.1f} s" + " " * 30, flush=True)
    return node


def sync_progress(node: Node) -> str:
    """Where the replica's first synchronisation is: receiving the data set, or loading it."""
    try:
        replication, persistence = node.info("replication"), node.info("persistence")
    except (redis.RedisError, OSError):
        return "busy loading (not answering)"
    if persistence.get("loading"):
        return f"loading {float(persistence.get('loading_loaded_perc', 0)):.0f}%"
    if replication.get("master_sync_in_progress"):
        received = int(replication.get("master_sync_read_bytes", 0)) / 2**20
        return f"receiving the data set, {received:.0f} MB"
    return "waiting for the primary's data set"


def measure(args: argparse.Namespace, primary: int, replica: int,
            community: benchlib.Community, ids: dict[int, str]) -> None:
    """Time writes (with and without WAIT) on the primary and feed reads on the replica."""
    rng = random.Random(7)
    base = f"redis://127.0.0.1:{primary}?replica=127.0.0.1:{replica}"
    waiting = open_graph(base + "&wait_replicas=1", graph_name="bench", data_dir=Path("."),
                         query_timeout_ms=QUERY_TIMEOUT_MS)
    engine = waiting.engine
    asynchronous = open_graph(base + "&wait_replicas=0", graph_name="bench",
                              data_dir=Path("."), query_timeout_ms=QUERY_TIMEOUT_MS)
    members = [ids[n] for n in rng.sample(sorted(ids), min(len(ids), 5000))]
    public = [o["id"] for o in community.offers if o["visibility"] == offers.WHOLE_NETWORK]
    password_hash = hash_password("benchmark-password-1")

    def sign_up(target, sponsor: str) -> None:
        secret = secrets.token_urlsafe(16)
        invitations.invite(target, sponsor, f"n-{secret[:10]}@bench.example", "",
                           token_hash(secret), default_quota=10**6, lifetime_s=86_400)
        invitations.redeem_invitation(target, token_hash(secret), "Newcomer", password_hash)

    def message(target, member: str) -> None:
        try:
            conversations.start_conversation(target, member, rng.choice(public), "Hello", 3)
        except Exception as error:  # noqa: BLE001 (its own offer: not a write, say so)
            if "no such offer" not in str(error):
                raise

    for label, target in (("WAIT 1", engine), ("no WAIT", asynchronous.engine)):
        for name, call in (("sign-up (invite + redeem)", lambda m, t=target: sign_up(t, m)),
                           ("offer", lambda m, t=target: offers.create_offer(t, m, DRAFT)),
                           ("message", lambda m, t=target: message(t, m))):
            timing = benchlib.closed_loop(call, members, clients=1, budget_s=args.budget_s)
            show(f"primary, {name}, {label}", timing)
    reader = open_graph(f"redis://127.0.0.1:{replica}", graph_name="bench", data_dir=Path("."),
                        query_timeout_ms=QUERY_TIMEOUT_MS)
    primary_only = open_graph(f"redis://127.0.0.1:{primary}", graph_name="bench",
                              data_dir=Path("."), query_timeout_ms=QUERY_TIMEOUT_MS)
    wait_for_indexes(reader.engine)
    for clients in (1, 2):
        for where, connection in (("primary", primary_only), ("replica", reader)):
            timing = benchlib.closed_loop(lambda m, e=connection.engine: offers.feed(e, m, 3),
                                          members, clients=clients, budget_s=args.budget_s)
            show(f"{where}, feed, {clients} client(s)", timing)
    used = int(reader.engine.redis.info("memory")["used_memory"])
    print(f"replica used_memory {used / 2**20:.0f} MB for {args.size} members")
    for connection in (reader, primary_only, asynchronous, waiting):
        connection.close()


def wait_for_indexes(engine) -> None:
    """Wait until the replica has built its indexes again: after loading the primary's data
    set it rebuilds them in the background, and a feed read meanwhile scans every member."""
    started = time.monotonic()
    while any(row["status"] != "OPERATIONAL"
              for row in engine.read("CALL db.indexes() YIELD status RETURN status")):
        time.sleep(1)
    print(f"replica indexes operational after {time.monotonic() - started:.1f} s more",
          flush=True)


def show(what: str, timing: benchlib.Timing) -> None:
    summary = timing.summary()
    print(f"{what}: {summary['per_s']:.0f}/s, p50 {summary['p50']:.2f} ms, "
          f"p99 {summary['p99']:.2f} ms ({summary['calls']} calls)", flush=True)


if __name__ == "__main__":
    main()
