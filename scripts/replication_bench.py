"""What one primary writes and one replica reads per second, for docs/scale-out.md.

    python scripts/replication_bench.py [--size 10000] [--budget-s 5]

Starts a primary and one replica (scripts.cluster, no sentinel) in a temporary folder,
loads a generated community (scripts/benchlib.py, the benchmark's generator) through the
replicated engine, then measures, closed loop, with the project's own verbs: sign-ups
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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import benchlib  # noqa: E402

from graph import conversations, invitations, offers, schema  # noqa: E402
from graph.connect import open_graph  # noqa: E402
from scripts.cluster import Cluster  # noqa: E402
from trustnet.security import hash_password, token_hash  # noqa: E402

DRAFT = offers.OfferDraft(title="A drill", description="Lent for a weekend.",
                          category=offers.CATEGORIES[0], area="Lyon", price=None,
                          currency="EUR", visibility=offers.WHOLE_NETWORK)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--budget-s", type=float, default=5.0)
    args = parser.parse_args(argv)
    cluster = Cluster(Path(tempfile.mkdtemp(prefix="trustnet-repl-bench-")),
                      replica_count=1, sentinel_count=0)
    primary = cluster._server("primary", None)
    primary.start()
    cluster.servers.append(primary)
    replica = cluster.add_replica("replica1")
    try:
        measure(args, primary.port, replica.port)
    finally:
        cluster.stop()


def measure(args: argparse.Namespace, primary: int, replica: int) -> None:
    """Load the community, then time writes (with and without WAIT) and replica reads."""
    rng = random.Random(7)
    base = f"redis://127.0.0.1:{primary}?replica=127.0.0.1:{replica}"
    waiting = open_graph(base + "&wait_replicas=1", graph_name="bench", data_dir=Path("."))
    engine = waiting.engine
    asynchronous = open_graph(base + "&wait_replicas=0", graph_name="bench", data_dir=Path("."))
    schema.bootstrap(asynchronous.engine)
    community = benchlib.generate(args.size, 7, time.time())
    started = time.perf_counter()
    # Loaded without WAIT: a replica replays each 5,000-member batch, longer than WAIT's 1 s.
    ids = benchlib.load(asynchronous.engine, community, lambda done, total: None)
    print(f"loaded {args.size} members in {time.perf_counter() - started:.1f} s")
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
    reader = open_graph(f"redis://127.0.0.1:{replica}", graph_name="bench", data_dir=Path("."))
    for clients in (1, 2):
        timing = benchlib.closed_loop(lambda m: offers.feed(reader.engine, m, 3), members,
                                      clients=clients, budget_s=args.budget_s)
        show(f"replica, feed, {clients} client(s)", timing)
    used = int(reader.engine.redis.info("memory")["used_memory"])
    print(f"replica used_memory {used / 2**20:.0f} MB for {args.size} members")
    for connection in (reader, asynchronous, waiting):
        connection.close()


def show(what: str, timing: benchlib.Timing) -> None:
    summary = timing.summary()
    print(f"{what}: {summary['per_s']:.0f}/s, p50 {summary['p50']:.2f} ms, "
          f"p99 {summary['p99']:.2f} ms ({summary['calls']} calls)", flush=True)


if __name__ == "__main__":
    main()
