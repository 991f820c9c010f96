"""Benchmark the trust queries (the feed, the offer page's path and strength, the trust path)
on generated communities, with the embedded engine.

    python scripts/bench_trust.py [--sizes 10000 100000] [--calls 300] [--seed 7]

For each size, with a fixed seed: founders, then members sponsored by 1 to 3 earlier members,
mostly recent ones (people invite the acquaintances of their own generation), loaded with
graph.importer; one member in ten publishes an offer through graph.offers (visibility 1, 2,
3 or the whole network). Then, for random members: the feed's first page, the feed filtered
by category, the offer page of an offer of their feed (path and strength to its owner), and
the trust path to another random member (most are not connected: the costliest case).
Prints a markdown table of latencies in milliseconds; results go in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph import importer, members, offers, schema, trust  # noqa: E402
from graph.connect import open_graph  # noqa: E402
from graph.engine import GraphEngine  # noqa: E402

FOUNDERS = 10
LOCAL_WINDOW = 200
MAX_HOPS = 3
DAY = 86_400
EMAIL = "member{}@bench.example".format


def community(size: int, rng: random.Random) -> list[str]:
    """JSON lines of a community of `size` members, for graph.importer."""
    lines = [json.dumps({"type": "member", "email": EMAIL(n), "name": f"Member {n}",
                         "founder": n < FOUNDERS}) for n in range(size)]
    for n in range(FOUNDERS, size):
        wanted = min(n, rng.choices((1, 2, 3), weights=(6, 3, 1))[0])
        sponsors: set[int] = set()
        while len(sponsors) < wanted:
            local = rng.random() < 0.8
            sponsors.add(rng.randrange(max(0, n - LOCAL_WINDOW), n) if local
                         else rng.randrange(n))
        lines += [json.dumps({"type": "sponsorship", "sponsor": EMAIL(s), "sponsee": EMAIL(n)})
                  for s in sorted(sponsors)]
    return lines


def member_ids(engine: GraphEngine, numbers: list[int]) -> list[str]:
    """The ids of the generated members with these numbers."""
    found = [members.find_member_by_email(engine, EMAIL(n)) for n in numbers]
    return [member.id for member in found if member is not None]


def publish_offers(engine: GraphEngine, owner_ids: list[str], rng: random.Random) -> None:
    """One offer for each owner, created over the last 90 days."""
    now = time.time()
    for owner_id in owner_ids:
        draft = offers.OfferDraft(
            title="Cordless drill", description="Lent for a weekend, with two batteries.",
            category=rng.choice(offers.CATEGORIES), area="Lyon", price=None, currency="EUR",
            visibility=rng.choices(offers.VISIBILITIES, weights=(3, 3, 2, 2))[0],
        )
        offers.create_offer(engine, owner_id, draft, now=now - rng.random() * 90 * DAY)


def timed(calls: int, call: Callable[[], object]) -> list[float]:
    """Latencies of `calls` calls, in milliseconds, after a short warm-up."""
    for _ in range(20):
        call()
    latencies = []
    for _ in range(calls):
        start = time.perf_counter()
        call()
        latencies.append((time.perf_counter() - start) * 1000)
    return latencies


def percentile(values: list[float], share: float) -> float:
    """The value under which `share` of the values lie."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def bench_size(size: int, calls: int, seed: int) -> list[tuple[str, list[float]]]:
    """Build a community of `size` members and time each query on it."""
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as data_dir:
        connection = open_graph(None, graph_name="bench", data_dir=Path(data_dir),
                                query_timeout_ms=60_000)
        engine = connection.engine
        try:
            schema.bootstrap(engine)
            started = time.perf_counter()
            importer.import_community(engine, community(size, rng))
            publish_offers(engine, member_ids(engine, rng.sample(range(size), size // 10)), rng)
            print(f"{size:,} members loaded in {time.perf_counter() - started:.0f} s",
                  file=sys.stderr)
            viewers = member_ids(engine, rng.sample(range(size), 500))
            shown = [(viewer, rng.choice(page.items).offer.id) for viewer in viewers
                     if (page := offers.feed(engine, viewer, MAX_HOPS)).items]

            def anyone() -> str:
                return rng.choice(viewers)

            return [
                ("feed, first page", timed(calls, lambda: offers.feed(
                    engine, anyone(), MAX_HOPS))),
                ("feed, one category", timed(calls, lambda: offers.feed(
                    engine, anyone(), MAX_HOPS, category="tools"))),
                ("offer page (path + strength)", timed(calls, lambda: offers.offer_for(
                    engine, *rng.choice(shown), MAX_HOPS))),
                ("trust path, random pair", timed(calls, lambda: trust.trust_path(
                    engine, anyone(), anyone(), MAX_HOPS))),
            ]
        finally:
            connection.close()


def main() -> None:
    """Run the benchmark for each size and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    print(f"| members | query (max degree {MAX_HOPS}) | p50 ms | p95 ms | p99 ms | mean ms |")
    print("|---:|---|---:|---:|---:|---:|")
    for size in args.sizes:
        for label, latencies in bench_size(size, args.calls, args.seed):
            print(f"| {size:,} | {label} | {percentile(latencies, 0.5):.2f} | "
                  f"{percentile(latencies, 0.95):.2f} | {percentile(latencies, 0.99):.2f} | "
                  f"{statistics.mean(latencies):.2f} |", flush=True)


if __name__ == "__main__":
    main()
