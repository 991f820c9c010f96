"""Where one call of graph.offers.feed spends its time on the embedded FalkorDB.

    python scripts/profile_feed.py [--size 100000] [--seed 7] [--members 40] [--rounds 5]

Generates the benchmark's network (scripts/benchlib.py), loads it once into an embedded
FalkorDB in a temporary folder, then calls `offers.feed` (first page, 3 hops) for a sample
of ordinary members, `--rounds` times each, and splits every call into:

- build: our Python before the command leaves (the statement, its parameters, the CYPHER
  header of the parameters);
- server: FalkorDB's own execution time, as its reply's statistics report it;
- client: the command's round trip less the server's time and the reply's parsing (redis-py
  sending, the socket, waiting);
- parse: hiredis reading the reply's bytes into Python lists (timed on the same bytes);
- rows: our conversion of those lists into values and FeedItems.

It prints a table of p50s and shares of the total, the statement's size, FalkorDB's plan
cache (its size, the hits seen, what a miss costs: the same statement planned again), and
interleaved A/Bs (variant A, variant B, A, B, ... on the same members, in this one process)
of what could be cut. Absolute times on a shared machine are noisy: read the shares and the
A/Bs.
"""

from __future__ import annotations

import os
import random
import socket
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import benchlib  # noqa: E402
import hiredis  # noqa: E402

from graph import members as members_module  # noqa: E402
from graph import offers  # noqa: E402
from graph.falkordb_engine import FalkorDBEngine, _parameters  # noqa: E402
from graph.trust import statement  # noqa: E402
from trustnet.progress import progress  # noqa: E402

HOPS = 3
NO_FILTERS = {"category": None, "max_degree": None, "kind": None, "radius": None}
PHASES = ("build", "client", "server", "parse", "rows")


class ProfiledEngine(FalkorDBEngine):
    """The app's FalkorDB engine, recording when each command leaves and its reply is back,
    the server's statistics, and the command itself (to replay it for its raw bytes)."""

    def __init__(self, engine: FalkorDBEngine) -> None:
        super().__init__(engine.client, engine.graph_name,
                         query_timeout_ms=engine.query_timeout_ms)
        self.last: dict[str, Any] = {}

    def _send(self, arguments: tuple[Any, ...]) -> Any:
        sent = time.perf_counter()
        reply = super()._send(arguments)
        self.last = {"sent": sent, "back": time.perf_counter(), "arguments": arguments,
                     "stats": reply[-1]}
        return reply


def statistic(stats: list[str], name: str) -> str:
    """One entry of a reply's statistics ("Cached execution: 1" -> "1")."""
    return next(line.split(": ", 1)[1] for line in stats if line.startswith(name))


def server_ms(stats: list[str]) -> float:
    return float(statistic(stats, "Query internal execution time").split()[0])


def raw_reply(socket_path: str, arguments: tuple[Any, ...]) -> bytes:
    """The bytes the server sends back for `arguments`, read on a connection of our own."""
    command = b"".join(
        b"$%d\r\n%s\r\n" % (len(part), part)
        for part in (str(a).encode() for a in arguments))
    reader = hiredis.Reader()
    chunks = []
    with socket.socket(socket.AF_UNIX) as connection:
        connection.connect(socket_path)
        connection.sendall(b"*%d\r\n" % len(arguments) + command)
        while True:
            chunk = connection.recv(1 << 16)
            chunks.append(chunk)
            reader.feed(chunk)
            if reader.gets() is not False:
                return b"".join(chunks)


def parse_ms(raw: bytes, repeat: int = 20) -> float:
    """hiredis' time to read `raw` into Python (as redis-py does, decoding to str), best of
    `repeat`."""
    best = float("inf")
    for _ in range(repeat):
        reader = hiredis.Reader(encoding="utf-8")
        started = time.perf_counter()
        reader.feed(raw)
        reader.gets()
        best = min(best, time.perf_counter() - started)
    return best * 1000


def profiled_feed(engine: ProfiledEngine, socket_path: str, member_id: str) -> dict:
    """One feed call split into PHASES (ms), with what the command and reply weighed."""
    started = time.perf_counter()
    offers.feed(engine, member_id, HOPS)
    ended = time.perf_counter()
    last = engine.last
    raw = raw_reply(socket_path, last["arguments"])
    server, parse = server_ms(last["stats"]), parse_ms(raw)
    round_trip = (last["back"] - last["sent"]) * 1000
    return {"build": (last["sent"] - started) * 1000,
            "client": max(round_trip - server - parse, 0.0),
            "server": server, "parse": parse, "rows": (ended - last["back"]) * 1000,
            "total": (ended - started) * 1000,
            "cached": statistic(last["stats"], "Cached execution") == "1",
            "command_bytes": len(last["arguments"][2].encode()), "reply_bytes": len(raw)}


def median(values: list[float]) -> float:
    return benchlib.percentile(values, 0.5)


def phase_table(calls: list[dict]) -> str:
    """p50 of each phase, and its share of the summed time of all calls."""
    total = sum(call["total"] for call in calls)
    lines = ["| phase | p50 ms | share of the time |", "|---|---:|---:|"]
    for phase in (*PHASES, "total"):
        values = [call[phase] for call in calls]
        lines.append(f"| {phase} | {median(values):.3f} | {sum(values) / total:.1%} |")
    return "\n".join(lines)


def interleaved(variants: dict[str, Callable[[str], float]], members: list[str],
                rounds: int) -> dict[str, list[float]]:
    """Each variant's times (ms) over the same members, called A, B, A, B, ... in turn; a
    variant returns the time it measured itself (server time, or wall time)."""
    times: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(rounds):
        for member_id in members:
            for name, variant in variants.items():
                times[name].append(variant(member_id))
    return times


def ab_table(title: str, times: dict[str, list[float]]) -> str:
    lines = [f"{title}", "", "| variant | calls | p50 ms | p90 ms | mean ms |",
             "|---|---:|---:|---:|---:|"]
    for name, values in times.items():
        lines.append(f"| {name} | {len(values)} | {median(values):.3f} | "
                     f"{benchlib.percentile(values, 0.9):.3f} | "
                     f"{sum(values) / len(values):.3f} |")
    return "\n".join(lines)


def feed_params(engine: ProfiledEngine, member_id: str) -> dict[str, Any]:
    """The parameters graph.offers.feed sends for a first page without filters."""
    return offers.feed_parameters(engine, member_id, HOPS, NO_FILTERS, skip=0, per_page=20)


def plan_cache_report(engine: ProfiledEngine, members: list[str], rounds: int) -> str:
    """The plan cache: its size, and what a miss costs, by running the feed statement as it
    is (cached) and with its text made new on each call (a few trailing newlines: planned
    again), interleaved."""
    query = statement(offers.FEED, HOPS)
    size = engine.redis.execute_command("GRAPH.CONFIG", "GET", "CACHE_SIZE")[1]
    fresh = iter(range(1, 10**9))  # trailing newlines: each text new, never cached

    def run(text: str, member_id: str) -> float:
        engine.read(text, feed_params(engine, member_id))
        return server_ms(engine.last["stats"])

    times = interleaved({
        "cached plan (the same text)": lambda m: run(query, m),
        "planned again (a new text)": lambda m: run(query + "\n" * next(fresh), m),
    }, members, rounds)
    feed_kb = plan_kb(engine, lambda: run(query + "\n" * next(fresh), members[0]))
    loader_kb = plan_kb(engine, lambda: engine.read(
        members_module.GET_SIGNED_IN_MEMBER + "\n" * next(fresh),
        {"id": members[0], "newcomers_since": 0.0}))
    return (f"FalkorDB's plan cache: CACHE_SIZE {size} statements (kept per graph, least "
            f"recently used out; set only when the module loads), keyed by the statement's "
            f"text without its CYPHER header of parameters. A cached plan weighs about "
            f"{feed_kb:.0f} KB of engine memory for the feed, {loader_kb:.0f} KB for the "
            f"user loader's statement.\n\n"
            + ab_table("Server time of the feed statement, cached or planned again:", times))


def plan_kb(engine: ProfiledEngine, plan_new_text: Callable[[], object]) -> float:
    """The engine memory (KB) that one more cached plan takes, over 20 new texts (while the
    cache has room)."""
    before = engine.redis.info("memory")["used_memory"]
    for _ in range(20):
        plan_new_text()
    return (engine.redis.info("memory")["used_memory"] - before) / 20 / 1024


def floor_report(engine: ProfiledEngine, rounds: int = 200) -> str:
    """What any command costs: a PING (the socket and redis' main thread) and the smallest
    graph query (FalkorDB hands every query to a worker thread and its reply back)."""
    def timed(call: Callable[[], object]) -> float:
        started = time.perf_counter()
        call()
        return (time.perf_counter() - started) * 1000

    times = {"PING": [], "GRAPH.RO_QUERY RETURN 1": []}
    for _ in range(rounds):
        times["PING"].append(timed(engine.redis.ping))
        times["GRAPH.RO_QUERY RETURN 1"].append(timed(lambda: engine.read("RETURN 1 AS one")))
    return ab_table("The floor of any command (wall time, interleaved):", times)


def fixed_cost_report(engine: ProfiledEngine, members: list[str], rounds: int) -> str:
    """What the feed statement costs the server before any work: run for a member who does
    not exist (no row past its first MATCH), beside a real member, interleaved; and how many
    operators its plan has (FalkorDB clones a cached plan for every run)."""
    query = statement(offers.FEED, HOPS)

    def run(member_id: str) -> float:
        engine.read(query, feed_params(engine, member_id))
        return server_ms(engine.last["stats"])

    times = interleaved({"a member's feed": run, "nobody's feed (no row)": lambda _: run("-")},
                        members, rounds)
    operators = len(engine.redis.execute_command(
        "GRAPH.EXPLAIN", engine.graph_name, _parameters(feed_params(engine, "-")) + query))
    return (f"The feed statement's plan has {operators} operators.\n\n"
            + ab_table("Server time of the feed statement, with and without work:", times))


def size_report(engine: ProfiledEngine, calls: list[dict]) -> str:
    query = statement(offers.FEED, HOPS)
    compact = " ".join(query.split())
    return (f"The feed statement: {len(query.encode()):,} bytes, {query.count(chr(10))} lines "
            f"({len(compact.encode()):,} bytes with its white space collapsed); the command "
            f"with its parameters: p50 {median([c['command_bytes'] for c in calls]):,.0f} "
            f"bytes; the reply: p50 {median([c['reply_bytes'] for c in calls]):,.0f} bytes. "
            f"Plan cache hits: {sum(c['cached'] for c in calls)} of {len(calls)} calls.")


def main(argv: list[str] | None = None) -> None:
    parser = benchlib.network_parser(__doc__, 100_000)
    parser.add_argument("--members", type=int, default=40, help="ordinary members sampled")
    parser.add_argument("--rounds", type=int, default=5, help="calls per member and variant")
    args = parser.parse_args(argv)
    with progress(f"loading {args.size:,} members") as report, \
            benchlib.embedded_graph(args.size, args.seed, report) as (connection, ids, _):
        assert isinstance(connection.engine, FalkorDBEngine)
        engine = ProfiledEngine(connection.engine)
        socket_path = engine.redis.connection_pool.connection_kwargs["path"]
        members = [ids[n] for n in random.Random(args.seed).sample(sorted(ids), args.members)]
        for member_id in members[:5]:  # warm: the plan cached, the client connected
            offers.feed(engine, member_id, HOPS)
        calls = [profiled_feed(engine, socket_path, member_id)
                 for _ in range(args.rounds) for member_id in members]
        print(f"## One feed call at {args.size:,} members ({len(calls)} calls, "
              f"load average {os.getloadavg()[0]:.2f} at the end)\n")
        print(phase_table(calls), "\n")
        print(size_report(engine, calls), "\n")
        print(floor_report(engine), "\n")
        print(fixed_cost_report(engine, members, args.rounds), "\n")
        print(plan_cache_report(engine, members, args.rounds))

if __name__ == "__main__":
    main()
