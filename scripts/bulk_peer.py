"""The load's peer in the benchmark (scripts/benchmark.py): FalkorDB's own bulk loader.

`falkordb-bulk-insert` (the `falkordb-bulk-loader` package) builds a new graph from CSV
files in binary batches, with no Cypher and no check beyond the files' own. The benchmark
writes the generated community to its CSV format (members, sponsorships and offers with the
properties graph.importer and benchlib.BULK_OFFERS write, the members' ids those of the
imported graph), runs it against a fresh graph of the same server, creates the indexes the
imported graph's reads need and waits until they serve: what `trustnet import` does, from a
file that nobody checked. Places, homes and offers' locations are left out: the loader
writes no points, and the importer writes none either.
"""

from __future__ import annotations

import csv
import subprocess
import sys
import time
from pathlib import Path

import benchlib

from graph import offers
from graph.falkordb_engine import FalkorDBEngine
from graph.members import Status

GRAPH = "bench_bulk"
# The indexes of graph.schema that the loaded data's reads use (the loader makes range
# indexes; its graph has no unique constraint).
INDEXES = ("Member:id", "Member:email_key", "Member:status", "Offer:id", "Offer:visibility",
           "Offer:created_at")
MEMBER_HEADER = [":ID(Member)", "id:STRING", "email:STRING", "email_key:STRING",
                 "name:STRING", "founder:BOOL", "status:STRING", "admin:BOOL",
                 "session_version:INT", "created_at:DOUBLE", "imported:BOOL"]
SPONSORED_HEADER = [":START_ID(Member)", ":END_ID(Member)", "via:STRING", "at:DOUBLE"]
OFFER_HEADER = [":ID(Offer)", "id:STRING", "title:STRING", "description:STRING",
                "category:STRING", "area:STRING", "currency:STRING", "visibility:INT",
                "status:STRING", "hidden:BOOL", "created_at:DOUBLE", "updated_at:DOUBLE"]
OFFERS_HEADER = [":START_ID(Member)", ":END_ID(Offer)"]

UNDER_CONSTRUCTION = """
CALL db.indexes() YIELD status
WHERE status <> 'OPERATIONAL'
RETURN count(*) AS building
"""
COUNTS = """
MATCH (m:Member)
WITH count(m) AS members
OPTIONAL MATCH (:Member)-[s:SPONSORED]->(:Member)
WITH members, count(s) AS sponsorships
OPTIONAL MATCH (:Member)-[:OFFERS]->(o:Offer)
RETURN members, sponsorships, count(o) AS offers
"""
DEGREES = """
UNWIND $ids AS id
MATCH (m:Member {id: id})
OPTIONAL MATCH (m)-[s:SPONSORED]-(:Member)
RETURN id, count(s) AS degree
ORDER BY id
"""


def write_csv(community: benchlib.Community, ids: dict[int, str], now: float,
              folder: Path) -> list[str]:
    """The community as the loader's CSV files in `folder`; return its arguments for them."""
    tables = [
        ("--nodes-with-label", "Member", MEMBER_HEADER, (
            [n, ids[n], benchlib.EMAIL(n), benchlib.EMAIL(n), f"Member {n}",
             str(n < benchlib.FOUNDERS).lower(), Status.ACTIVE, "false", 1, now, "true"]
            for n in range(community.size))),
        ("--relations-with-type", "SPONSORED", SPONSORED_HEADER,
         ([a, b, "import", now] for a, b in community.sponsorships)),
        ("--nodes-with-label", "Offer", OFFER_HEADER, (
            [o["number"], o["id"], o["title"], o["description"], o["category"], "Lyon",
             "EUR", o["visibility"], "active", "false", o["at"], o["at"]]
            for o in community.offers)),
        ("--relations-with-type", "OFFERS", OFFERS_HEADER,
         ([o["owner"], o["number"]] for o in community.offers)),
    ]
    arguments: list[str] = []
    for option, name, header, rows in tables:
        path = folder / f"{name}.csv"
        with path.open("w", newline="") as file:
            writer = csv.writer(file)
            writer.writerow(header)
            writer.writerows(rows)
        arguments += [option, name, str(path)]
    return arguments


def load(engine: FalkorDBEngine, community: benchlib.Community, ids: dict[int, str], now: float,
         folder: Path) -> dict:
    """Write the CSV files, bulk-load them into GRAPH on `engine`'s server, wait for its
    indexes; return the seconds of each step and the loaded graph's engine."""
    started = time.perf_counter()
    files = write_csv(community, ids, now, folder)
    csv_s = time.perf_counter() - started
    socket = engine.redis.connection_pool.connection_kwargs["path"]
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "falkordb_bulk_loader.bulk_insert", GRAPH,
                    "--server-url", f"unix://{socket}", "--enforce-schema", *files,
                    *(option for index in INDEXES for option in ("--index", index))],
                   check=True, capture_output=True, text=True)
    bulk = FalkorDBEngine(engine.client, GRAPH)
    while bulk.read(UNDER_CONSTRUCTION)[0]["building"]:
        time.sleep(0.05)
    return {"csv_s": csv_s, "load_s": time.perf_counter() - started, "engine": bulk}


def compare(engine: FalkorDBEngine, bulk: FalkorDBEngine, ids: dict[int, str],
            sample: list[int], hops: int) -> list:
    """What differs between the imported graph and the bulk-loaded one: the counts of
    members, sponsorships and offers, the degrees and the feeds of the `sample`."""
    mismatch: list = []
    if engine.read(COUNTS) != bulk.read(COUNTS):
        mismatch.append(("counts", engine.read(COUNTS), bulk.read(COUNTS)))
    chosen = sorted({ids[n] for n in sample})
    if engine.read(DEGREES, {"ids": chosen}) != bulk.read(DEGREES, {"ids": chosen}):
        mismatch.append(("degrees",))
    for n in sample:
        ours, theirs = (offers.feed(graph, ids[n], hops) for graph in (engine, bulk))
        if [(i.offer.id, i.degree) for i in ours.items] \
                != [(i.offer.id, i.degree) for i in theirs.items]:
            mismatch.append(("feed", n))
    return mismatch
