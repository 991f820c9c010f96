"""The feed with a distance filter against the feed without one, at a big town's density.

    python scripts/profile_nearby.py [--size 100000] [--seed 7] [--members 40] [--rounds 3]
                                     [--baseline REV]

At 1,000,000 members the benchmark's generator (scripts/benchlib.py) puts tens of thousands
of members, and thousands of offers, in the biggest town, all at one point: a radius around
a home there reaches thousands of whole-network offers. This script reproduces that density
at `--size` members: the same generator, but with the towns restricted to those within 10 km
of the biggest town and the largest others, as few as it takes for that neighbourhood to
hold as many members and offers as at 1,000,000 (see dense_towns). It loads that
network into an embedded FalkorDB, then measures interleaved in this one process (A, B, A,
B, ... on the same members) the feed's first page without a filter and within 10 km, with
`--baseline REV` also the feed within 10 km as graph/offers.py was at git revision REV (the
A/B of a change), and prints GRAPH.PROFILE of the statement for a member of the biggest town
(rows read by each step). Absolute times on a shared machine are noisy: read the ratios.
"""

from __future__ import annotations

import importlib.util
import math
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import benchlib  # noqa: E402
from profile_feed import ab_table, interleaved  # noqa: E402

from graph import offers, schema  # noqa: E402
from graph.connect import open_graph  # noqa: E402
from graph.falkordb_engine import FalkorDBEngine, _parameters  # noqa: E402
from graph.trust import statement  # noqa: E402
from trustnet.progress import progress  # noqa: E402

HOPS = 3
NEARBY_KM = 10
REFERENCE_SIZE = 1_000_000  # the benchmark's network, whose density is reproduced


def dense_towns(towns: list[dict], size: int) -> list[dict]:
    """The towns within NEARBY_KM of the biggest one, and the largest others, as few as keep
    that neighbourhood's share of the population at or under its share among all towns
    scaled by REFERENCE_SIZE / size: members draw towns by population, so at `size` members
    the neighbourhood holds as many members and offers as at REFERENCE_SIZE, at as many
    places."""
    ordered = sorted(towns, key=lambda town: town["population"], reverse=True)
    kept = [town for town in ordered if kilometres(ordered[0], town) <= NEARBY_KM]
    near = sum(town["population"] for town in kept)
    wanted = min(1.0, near / sum(t["population"] for t in towns) * REFERENCE_SIZE / size)
    total = near
    for town in ordered:
        if near / total <= wanted:
            break
        if town not in kept:
            kept.append(town)
            total += town["population"]
    return kept


def kilometres(a: dict, b: dict) -> float:
    """The great-circle distance between two towns."""
    lat_a, lat_b = math.radians(a["latitude"]), math.radians(b["latitude"])
    half = (math.sin((lat_b - lat_a) / 2) ** 2 + math.cos(lat_a) * math.cos(lat_b)
            * math.sin(math.radians(b["longitude"] - a["longitude"]) / 2) ** 2)
    return 2 * 6371 * math.asin(math.sqrt(half))


def dense_community(size: int, seed: int) -> benchlib.Community:
    """The benchmark's network of `size` members living in dense_towns only (the same
    sponsorships and offers; homes drawn again, as the generator draws them); every town of
    the gazetteer stays a place, so a radius reads as many places as at REFERENCE_SIZE."""
    community = benchlib.generate(size, seed, time.time())
    dense = dense_towns(community.towns, size)
    index = {town["id"]: number for number, town in enumerate(community.towns)}
    community.homes = [index[dense[home]["id"]] for home in benchlib._homes(
        random.Random(seed), size, community.sponsorships, dense)]
    for offer in community.offers:
        offer["place"] = community.towns[community.homes[offer["owner"]]]["id"]
    return community


def density_report(community: benchlib.Community) -> str:
    """How many members and offers the biggest towns hold."""
    lines = [f"{len(set(community.homes))} towns with members. The biggest ones:", "",
             "| town | members | offers | whole-network offers |", "|---|---:|---:|---:|"]
    counts = [0] * len(community.towns)
    for home in community.homes:
        counts[home] += 1
    by_place: dict[str, list[dict]] = {}
    for offer in community.offers:
        by_place.setdefault(offer["place"], []).append(offer)
    for index in sorted(range(len(counts)), key=counts.__getitem__, reverse=True)[:5]:
        town = community.towns[index]
        held = by_place.get(town["id"], [])
        lines.append(f"| {town['name']} | {counts[index]:,} | {len(held):,} | "
                     f"{sum(o['visibility'] == 0 for o in held):,} |")
    return "\n".join(lines)


def baseline_offers(revision: str) -> ModuleType:
    """graph/offers.py as it was at git `revision`, imported as a module of its own."""
    source = subprocess.run(["git", "show", f"{revision}:graph/offers.py"], cwd=ROOT,
                            check=True, capture_output=True, text=True).stdout
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as file:
        file.write(source)
    spec = importlib.util.spec_from_file_location("offers_baseline", file.name)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    os.unlink(file.name)
    return module


def timed_feed(engine: FalkorDBEngine, module: ModuleType,
               radius_km: int | None) -> Callable[[str], float]:
    """A first page of `module.feed` (graph.offers, or its baseline), wall time in ms."""
    def call(member_id: str) -> float:
        started = time.perf_counter()
        module.feed(engine, member_id, HOPS, within_km=radius_km)
        return (time.perf_counter() - started) * 1000

    return call


def same_answers(engine: FalkorDBEngine, old: ModuleType, members: list[str]) -> bool:
    """Whether the baseline's and the current feed's first pages within NEARBY_KM are the
    same, in the same order."""
    def page(module: ModuleType, member_id: str) -> list[tuple[str, Any]]:
        found = module.feed(engine, member_id, HOPS, within_km=NEARBY_KM)
        return [(item.offer.id, item.degree) for item in found.items]

    return all(page(old, m) == page(offers, m) for m in members)


def profile_report(engine: FalkorDBEngine, member_id: str) -> str:
    """GRAPH.PROFILE of the feed within NEARBY_KM for one member: each step's rows."""
    filters = {"category": None, "max_degree": None, "kind": None,
               "radius": NEARBY_KM * 1000}
    parameters = offers.feed_parameters(engine, member_id, HOPS, filters, skip=0, per_page=20)
    lines = engine.redis.execute_command(
        "GRAPH.PROFILE", engine.graph_name,
        _parameters(parameters) + statement(offers.FEED, HOPS))
    return "\n".join(line if isinstance(line, str) else line.decode() for line in lines)


def main(argv: list[str] | None = None) -> None:
    parser = benchlib.network_parser(__doc__, 100_000)
    parser.add_argument("--members", type=int, default=40, help="ordinary members sampled")
    parser.add_argument("--rounds", type=int, default=3, help="calls per member and variant")
    parser.add_argument("--baseline", help="git revision of graph/offers.py to compare with")
    args = parser.parse_args(argv)
    baseline = baseline_offers(args.baseline) if args.baseline else None
    community = dense_community(args.size, args.seed)
    print(density_report(community), "\n")
    with progress(f"loading {args.size:,} members") as report, \
            tempfile.TemporaryDirectory(prefix="trustnet-nearby-") as folder:
        connection = open_graph(None, graph_name="bench", data_dir=Path(folder) / "graph",
                                query_timeout_ms=60_000)
        try:
            engine = connection.engine
            assert isinstance(engine, FalkorDBEngine)
            schema.bootstrap(engine)
            ids = benchlib.load(engine, community, report)
            measure(engine, community, ids, args, baseline)
        finally:
            connection.close()


def measure(engine: FalkorDBEngine, community: benchlib.Community, ids: dict[int, str],
            args: Any, baseline: ModuleType | None) -> None:
    """Print the interleaved timings, the answers' check against `baseline` (the feed
    statements at --baseline) and the profile."""
    rng = random.Random(args.seed)
    members = [ids[rng.randrange(args.size)] for _ in range(args.members)]
    variants = {"feed": timed_feed(engine, offers, None),
                f"feed within {NEARBY_KM} km": timed_feed(engine, offers, NEARBY_KM)}
    if baseline:
        variants[f"feed within {NEARBY_KM} km at {args.baseline}"] = timed_feed(
            engine, baseline, NEARBY_KM)
        print(f"Same pages within {NEARBY_KM} km as at {args.baseline}: "
              f"{same_answers(engine, baseline, members)}\n")
    for call in variants.values():  # warm: plans cached, the client connected
        for member_id in members[:5]:
            call(member_id)
    times = interleaved(variants, members, args.rounds)
    print(ab_table(f"Wall time of the feed's first page, {len(members)} ordinary members x "
                   f"{args.rounds} rounds, interleaved (load average "
                   f"{os.getloadavg()[0]:.2f} at the end):", times), "\n")
    biggest = Counter(community.homes).most_common(1)[0][0]
    dweller = ids[community.homes.index(biggest)]
    print(f"GRAPH.PROFILE of the feed within {NEARBY_KM} km, a member of "
          f"{community.towns[biggest]['name']}:\n")
    print(profile_report(engine, dweller))


if __name__ == "__main__":
    main()
