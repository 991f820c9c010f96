"""Benchmark the ban cascade: preview, ban and unban of a member with many descendants in a
large generated community, with the embedded engine.

    python scripts/bench_ban.py [--members 100000] [--descendants 10000] [--outside 0.1]

With a fixed seed: founders, then members sponsored by 1 to 3 earlier members; the banned
member B's block of `descendants` members are sponsored inside the block (B or earlier block
members), and a share `outside` of them also from outside, so that the ban suspends some of
them and keeps the others (their other chain). Loaded with graph.importer; once the server
has settled, one warm-up preview, then: the preview (median of `repeat` runs), the ban
(planning again and the one checked write), the unban. Prints sizes and timings in ms.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph import bans, importer, members, schema  # noqa: E402
from graph.connect import open_graph  # noqa: E402

FOUNDERS = 10
EMAIL = "member{}@bench.example".format


def community(size: int, banned: int, block: int, outside: float,
              rng: random.Random) -> list[str]:
    """JSON lines: member `banned` has the `block` members after it as descendants."""
    inside = range(banned + 1, banned + 1 + block)
    lines = [json.dumps({"type": "member", "email": EMAIL(n), "name": f"Member {n}",
                         "founder": n < FOUNDERS}) for n in range(size)]
    for n in range(FOUNDERS, size):
        wanted = rng.choices((1, 2, 3), weights=(6, 3, 1))[0]
        if n in inside:
            sponsors = {rng.randrange(banned, n) for _ in range(wanted)}
            if rng.random() < outside:
                sponsors.add(rng.randrange(0, banned))
        else:
            sponsors = set()
            while len(sponsors) < min(wanted, n):
                pick = rng.randrange(n)
                if pick not in inside and pick != banned:
                    sponsors.add(pick)
        lines += [json.dumps({"type": "sponsorship", "sponsor": EMAIL(s), "sponsee": EMAIL(n)})
                  for s in sorted(sponsors)]
    return lines


def settle(engine) -> None:
    """Wait until the server has finished rewriting its append-only file after the import,
    which competes with the queries for the CPU and the disk."""
    while engine.redis.info("persistence").get("aof_rewrite_in_progress"):
        time.sleep(0.5)
    time.sleep(1)


def ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def main() -> None:
    """Build the community, then time preview, ban and unban."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--descendants", type=int, default=10_000)
    parser.add_argument("--outside", type=float, default=0.1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    banned_number = args.members // 5
    with tempfile.TemporaryDirectory() as data_dir:
        connection = open_graph(None, graph_name="bench", data_dir=Path(data_dir),
                                query_timeout_ms=60_000)
        engine = connection.engine
        try:
            schema.bootstrap(engine)
            started = time.perf_counter()
            importer.import_community(
                engine, community(args.members, banned_number, args.descendants, args.outside,
                                  rng))
            print(f"{args.members:,} members loaded in {ms(started) / 1000:.0f} s",
                  file=sys.stderr)
            settle(engine)
            target = members.find_member_by_email(engine, EMAIL(banned_number))
            assert target is not None
            bans.plan_ban(engine, target.id)  # warm-up: the engine caches query plans
            previews = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                plan = bans.plan_ban(engine, target.id)
                previews.append(ms(started))
            started = time.perf_counter()
            done = bans.ban(engine, None, target.id, "benchmark", strike_threshold=2)
            ban_ms = ms(started)
            started = time.perf_counter()
            back = bans.unban(engine, None, target.id, "benchmark", strike_threshold=2)
            unban_ms = ms(started)
        finally:
            connection.close()
    print(f"members: {args.members:,}; descendants of the banned member (candidates): "
          f"{len(plan.candidates):,}; suspended: {len(done.suspended):,}; kept (another "
          f"chain): {len(plan.candidates) - len(done.suspended):,}; strikes: "
          f"{len(done.strikes)}; re-activated by the unban: {len(back.reactivated):,}")
    print(f"preview: median {statistics.median(previews):.0f} ms of {args.repeat} "
          f"({', '.join(f'{p:.0f}' for p in previews)})")
    print(f"ban (plan again + checked write): {ban_ms:.0f} ms")
    print(f"unban (walk + checked write): {unban_ms:.0f} ms")


if __name__ == "__main__":
    main()
