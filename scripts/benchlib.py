"""What the benchmark harness (scripts/benchmark.py) is made of: the generator of sponsorship
networks, the loader, the timing loops and percentiles, and the in-memory peers (networkx and
a scipy CSR traversal) that answer the same questions on the same graph.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
import numpy as np
from scipy import sparse

from graph import importer, offers, places, schema
from graph.connect import Connection, open_graph
from graph.engine import GraphEngine
from graph.ids import new_id

FOUNDERS = 10
LOCAL_WINDOW = 200  # a newcomer's local community: the members who joined just before
POPULAR_SHARE = 0.5  # sponsors chosen by popularity (preferential attachment)
VOUCH_SHARE = 0.2  # later vouches (extra sponsorships), per member
OFFER_SHARE = 0.1
OFFER_BATCH = 5_000
NEIGHBOUR_TOWN_SHARE = 0.7  # members who live in the town of one of their sponsors
DAY = 86_400
EMAIL = "member{}@bench.example".format

# Offers of the generated members, one UNWIND statement per batch (the app has no bulk path
# for offers; the properties and the place, with a whole-network offer's second link, are
# those of graph.offers.CREATE_OFFER).
BULK_OFFERS = """
UNWIND $rows AS row
MATCH (owner:Member {email_key: row.owner})
MATCH (p:Place {id: row.place})
CREATE (owner)-[:OFFERS]->(o:Offer {id: row.id, title: row.title,
        description: row.description, category: row.category, area: 'Lyon', price: null,
        currency: 'EUR', visibility: row.visibility, status: 'active', hidden: false,
        created_at: row.at, updated_at: row.at, available_from: null, available_until: null,
        location: p.location})-[:AT]->(p)
FOREACH (x IN CASE WHEN row.visibility = 0 THEN [p] ELSE [] END |
  CREATE (o)-[:WHOLE_NETWORK_AT]->(x))
"""
# Members' towns, as graph.places.SET_HOME sets one.
BULK_HOMES = """
UNWIND $rows AS row
MATCH (m:Member {email_key: row.member})
MATCH (p:Place {id: row.place})
CREATE (m)-[:LIVES_IN]->(p)
SET m.location = p.location
"""


@dataclass
class Community:
    """A generated network: members are numbered 0..size-1 in joining order."""

    size: int
    sponsorships: list[tuple[int, int]]  # (sponsor, sponsee), sponsee-ordered
    offers: list[dict] = field(default_factory=list)  # {number, id, owner, visibility, at, ...}
    towns: list[dict] = field(default_factory=list)  # graph.places.gazetteer's rows
    homes: list[int] = field(default_factory=list)  # member number -> index in towns

    def lines(self) -> Iterator[str]:
        """The community as graph.importer's JSON lines."""
        for n in range(self.size):
            yield json.dumps({"type": "member", "email": EMAIL(n), "name": f"Member {n}",
                              "founder": n < FOUNDERS})
        for sponsor, sponsee in self.sponsorships:
            yield json.dumps({"type": "sponsorship", "sponsor": EMAIL(sponsor),
                              "sponsee": EMAIL(sponsee)})


def generate(size: int, seed: int, now: float) -> Community:
    """A sponsorship network grown over time, with a fixed seed.

    Founders first; then each newcomer gets 1-3 sponsors (weights 6:3:1), each chosen by
    popularity (an end of a random existing edge: preferential attachment, so degrees are
    heavy-tailed) or else within the local community (the members who joined just before).
    Then later vouches: a member also sponsors a newer member of their community (so
    sponsorships stay acyclic, and descendant trees shrink with the joining order). Then about one
    offer per ten members, visibility 1, 2, 3 or the whole network (3:3:2:2), over 90 days.
    Each member lives in a town of the gazetteer: most in the town of one of their sponsors,
    the others (and founders) in a town drawn by population; an offer is at its owner's.
    """
    rng = random.Random(seed)
    links: list[tuple[int, int]] = []
    ends: list[int] = list(range(min(FOUNDERS, size)))  # every edge end, for popularity
    for n in range(FOUNDERS, size):
        wanted = min(n, rng.choices((1, 2, 3), weights=(6, 3, 1))[0])
        sponsors: set[int] = set()
        while len(sponsors) < wanted:
            if rng.random() < POPULAR_SHARE:
                sponsors.add(rng.choice(ends))
            else:
                sponsors.add(rng.randrange(max(0, n - LOCAL_WINDOW), n))
        for s in sorted(sponsors):
            links.append((s, n))
            ends += (s, n)
    existing = set(links)
    for _ in range(int(size * VOUCH_SHARE)):
        member = rng.randrange(FOUNDERS + 1, size)
        voucher = rng.randrange(max(0, member - 5 * LOCAL_WINDOW), member)
        if (voucher, member) not in existing:
            existing.add((voucher, member))
            links.append((voucher, member))
    community = Community(size, links, towns=list(places.gazetteer()))
    community.homes = _homes(rng, size, links, community.towns)
    for number, owner in enumerate(rng.sample(range(size), int(size * OFFER_SHARE))):
        community.offers.append({
            "number": number, "id": new_id(), "owner": owner,
            "owner_key": EMAIL(owner), "title": f"Offer {number}",
            "description": "Lent for a weekend.", "category": rng.choice(offers.CATEGORIES),
            "visibility": rng.choices(offers.VISIBILITIES, weights=(3, 3, 2, 2))[0],
            "at": now - rng.random() * 90 * DAY,
            "place": community.towns[community.homes[owner]]["id"]})
    return community


def _homes(rng: random.Random, size: int, links: list[tuple[int, int]],
           towns: list[dict]) -> list[int]:
    """Each member's town (an index in towns): local communities, as members invite people
    who live near them."""
    sponsors: list[list[int]] = [[] for _ in range(size)]
    for sponsor, sponsee in links:  # a sponsor always joined before
        sponsors[sponsee].append(sponsor)
    weights = [town["population"] for town in towns]
    drawn = iter(rng.choices(range(len(towns)), weights=weights, k=size))
    homes: list[int] = []
    for n in range(size):
        near = sponsors[n] and rng.random() < NEIGHBOUR_TOWN_SHARE
        homes.append(homes[rng.choice(sponsors[n])] if near else next(drawn))
    return homes


def load(engine: GraphEngine, community: Community,
         report: Callable[[int, int], None], timings: dict | None = None) -> dict[int, str]:
    """Load the community through graph.importer and its offers in UNWIND batches; return
    member number -> member id. `timings` receives `members_s`, the importer's time, and
    `offers_s`, the offers' batches' (the bulk loader's peer writes both, scripts/bulk_peer.py)."""
    total = community.size + len(community.offers)
    started = time.perf_counter()
    importer.import_community(engine, community.lines(),
                              progress=lambda done, _: report(done, total))
    if timings is not None:
        timings["members_s"] = time.perf_counter() - started
    places.load_places(engine, community.towns)
    for start in range(0, community.size, OFFER_BATCH):
        engine.write(BULK_HOMES, {"rows": [
            {"member": EMAIL(n), "place": community.towns[community.homes[n]]["id"]}
            for n in range(start, min(start + OFFER_BATCH, community.size))]})
    started = time.perf_counter()
    for start in range(0, len(community.offers), OFFER_BATCH):
        batch = community.offers[start:start + OFFER_BATCH]
        engine.write(BULK_OFFERS, {"rows": [
            {"owner": o["owner_key"], "id": o["id"], "title": o["title"],
             "description": o["description"], "category": o["category"],
             "visibility": o["visibility"], "at": o["at"], "place": o["place"]}
            for o in batch]})
        report(community.size + start + len(batch), total)
    if timings is not None:
        timings["offers_s"] = time.perf_counter() - started
    engine.refresh_statistics()  # as the importer does: the offers came after it
    ids: dict[int, str] = {}
    rows = engine.read("MATCH (m:Member) RETURN m.email AS email, m.id AS id")
    for row in rows:
        local = row["email"].split("@")[0]
        if local.startswith("member"):
            ids[int(local[len("member"):])] = row["id"]
    return ids


def network_parser(doc: str, size: int) -> argparse.ArgumentParser:
    """The command line of a profiling script: its --size (members) and --seed."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=size, help="members")
    parser.add_argument("--seed", type=int, default=7)
    return parser


@contextmanager
def embedded_graph(size: int, seed: int,
                   report: Callable[[int, int], None] = lambda done, total: None,
                   ) -> Iterator[tuple[Connection, dict[int, str], Path]]:
    """The network of `size` members generated with `seed`, loaded into an embedded FalkorDB
    (graph `bench`) in the `graph` folder of a temporary folder; yields the connection,
    member number -> id, and the temporary folder (removed afterwards, the engine stopped)."""
    community = generate(size, seed, time.time())
    with tempfile.TemporaryDirectory(prefix="trustnet-profile-") as folder:
        connection = open_graph(None, graph_name="bench", data_dir=Path(folder) / "graph",
                                query_timeout_ms=60_000)
        try:
            schema.bootstrap(connection.engine)
            yield connection, load(connection.engine, community, report), Path(folder)
        finally:
            connection.close()


# --- timing -----------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    """The value under which `share` of the values lie (nearest rank)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


@dataclass
class Timing:
    """Latencies (ms) of one operation and the wall time they took, for throughput."""

    latencies: list[float]
    wall_s: float
    clients: int

    def summary(self) -> dict:
        lat = self.latencies
        return {"calls": len(lat), "clients": self.clients,
                "p50": percentile(lat, 0.50), "p95": percentile(lat, 0.95),
                "p99": percentile(lat, 0.99), "max": max(lat) if lat else float("nan"),
                "per_s": len(lat) / self.wall_s if self.wall_s else float("nan")}


def closed_loop(call: Callable[[object], object], inputs: list, clients: int = 1,
                budget_s: float = 60.0, warmup: int = 5) -> Timing:
    """Run `call(input)` over `inputs`, split among `clients` threads, each calling as soon
    as its previous call returned (closed loop); stop a thread when the budget is spent."""
    for item in inputs[:warmup]:
        call(item)
    latencies: list[float] = []
    lock = threading.Lock()
    deadline = time.perf_counter() + budget_s

    def client(share: list) -> None:
        mine = []
        for item in share:
            start = time.perf_counter()
            call(item)
            mine.append((time.perf_counter() - start) * 1000)
            if time.perf_counter() > deadline:
                break
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client, args=(inputs[i::clients],))
               for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Timing(latencies, time.perf_counter() - started, clients)


# --- peers --------------------------------------------------------------------------------


class Peers:
    """The same questions answered in memory: networkx BFS and a CSR BFS with numpy."""

    def __init__(self, community: Community, page_size: int = 20) -> None:
        self.page_size = page_size
        self.nx = nx.Graph()
        self.nx.add_nodes_from(range(community.size))
        self.nx.add_edges_from(community.sponsorships)
        pairs = np.array(community.sponsorships, dtype=np.int32).reshape(-1, 2)
        rows = np.concatenate([pairs[:, 0], pairs[:, 1]])
        cols = np.concatenate([pairs[:, 1], pairs[:, 0]])
        matrix = sparse.csr_matrix((np.ones(len(rows), dtype=np.int8), (rows, cols)),
                                   shape=(community.size, community.size))
        self.indptr, self.indices = matrix.indptr, matrix.indices
        down = sparse.csr_matrix((np.ones(len(pairs), dtype=np.int8),
                                  (pairs[:, 0], pairs[:, 1])),
                                 shape=(community.size, community.size))
        self.down_indptr, self.down_indices = down.indptr, down.indices
        self.degrees = np.diff(self.indptr)
        # Offers by owner, and whole-network offers newest first.
        self.offers_of: dict[int, list[dict]] = {}
        for o in community.offers:
            self.offers_of.setdefault(o["owner"], []).append(o)
        self.whole = sorted((o for o in community.offers if o["visibility"] == 0),
                            key=lambda o: (o["at"], o["id"]), reverse=True)
        self._dist = threading.local()
        self.size = community.size

    # networkx: what a Python developer would write.
    def nx_circle(self, me: int, hops: int) -> dict[int, int]:
        circle = nx.single_source_shortest_path_length(self.nx, me, cutoff=hops)
        del circle[me]
        return circle

    def nx_feed(self, me: int, hops: int) -> list[tuple[str, int | None]]:
        return self._page(me, self.nx_circle(me, hops))

    def nx_path(self, a: int, b: int, hops: int) -> tuple[int | None, int]:
        if a == b:
            return 0, 1
        from_b = nx.single_source_shortest_path_length(self.nx, b, cutoff=hops)
        degree = from_b.get(a)
        if degree is None:
            return None, 0
        if degree == 1:
            return 1, 1
        return degree, sum(1 for x in self.nx[a] if from_b.get(x) == degree - 1)

    # CSR: level by level with numpy over the adjacency arrays.
    def _neighbours(self, frontier: np.ndarray, indptr=None, indices=None) -> np.ndarray:
        indptr = self.indptr if indptr is None else indptr
        indices = self.indices if indices is None else indices
        starts, ends = indptr[frontier], indptr[frontier + 1]
        lengths = ends - starts
        total = int(lengths.sum())
        if total == 0:
            return np.empty(0, dtype=indices.dtype)
        offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
        return indices[offsets + np.arange(total)]

    def _levels(self, me: int, hops: int) -> tuple[np.ndarray, list[np.ndarray]]:
        dist = getattr(self._dist, "array", None)
        if dist is None:
            dist = self._dist.array = np.full(self.size, -1, dtype=np.int8)
        dist[me] = 0
        levels = []
        frontier = np.array([me], dtype=self.indices.dtype)
        for depth in range(1, hops + 1):
            reached = self._neighbours(frontier)
            reached = np.unique(reached[dist[reached] < 0])
            if reached.size == 0:
                break
            dist[reached] = depth
            levels.append(reached)
            frontier = reached
        return dist, levels

    def _reset(self, dist: np.ndarray, me: int, levels: list[np.ndarray]) -> None:
        dist[me] = -1
        for level in levels:
            dist[level] = -1

    def csr_circle(self, me: int, hops: int) -> list[int]:
        """The members within `hops` of `me`."""
        dist, levels = self._levels(me, hops)
        self._reset(dist, me, levels)
        return [int(n) for level in levels for n in level]

    def csr_feed(self, me: int, hops: int) -> list[tuple[str, int | None]]:
        dist, levels = self._levels(me, hops)
        try:
            circle = {int(n): d for d, level in enumerate(levels, 1) for n in level
                      if int(n) in self.offers_of}
        finally:
            self._reset(dist, me, levels)
        return self._page(me, circle)

    def csr_path(self, a: int, b: int, hops: int) -> tuple[int | None, int]:
        if a == b:
            return 0, 1
        dist, levels = self._levels(b, hops)
        try:
            degree = int(dist[a])
            if degree < 0:
                return None, 0
            if degree == 1:
                return 1, 1
            around = self.indices[self.indptr[a]:self.indptr[a + 1]]
            return degree, int(np.count_nonzero(dist[around] == degree - 1))
        finally:
            self._reset(dist, b, levels)

    def _page(self, me: int, circle: dict[int, int]) -> list[tuple[str, int | None]]:
        """The feed's first page: (offer id, degree), the circle's offers first, newest
        first, as graph.offers.feed."""
        seen: dict[str, tuple[dict, int | None]] = {}
        for owner, degree in circle.items():
            for o in self.offers_of.get(owner, ()):
                if o["visibility"] == 0 or o["visibility"] >= degree:
                    seen[o["id"]] = (o, degree)
        taken = 0
        for o in self.whole:
            if taken > self.page_size:
                break
            if o["owner"] != me and o["owner"] not in circle:
                taken += 1
                seen[o["id"]] = (o, None)
        page = sorted(seen.values(), reverse=True, key=lambda item: (
            item[1] is not None, item[0]["at"], item[0]["id"]))[:self.page_size]
        return [(o["id"], degree) for o, degree in page]

    def descendants(self, root: int, cap: int) -> int:
        """How many members are below `root` along sponsorships (stops past `cap`)."""
        seen = np.zeros(self.size, dtype=bool)
        seen[root] = True
        frontier = np.array([root], dtype=self.down_indices.dtype)
        count = 0
        while frontier.size and count <= cap:
            reached = self._neighbours(frontier, self.down_indptr, self.down_indices)
            reached = np.unique(reached[~seen[reached]])
            seen[reached] = True
            count += reached.size
            frontier = reached
        return count


def hubs(peers: Peers, count: int) -> list[int]:
    """The best-connected members."""
    return [int(n) for n in np.argsort(peers.degrees)[::-1][:count]]


def chunks(items: Iterable, size: int) -> Iterator[list]:
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
