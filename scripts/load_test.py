"""Load test: the app under gunicorn, readers and writers at once, then check nothing was lost.

    python scripts/load_test.py [--size 10000] [--seconds 180] [--readers 24] [--writers 4]

Generates a network with the benchmark's generator and loader (scripts/benchlib.py) in a
temporary embedded engine, serves the app with gunicorn (2 workers, 8 threads) on loopback,
signs real members in through the login form, then for a bounded time: reader threads
(one keep-alive http.client connection each) fetch the feed page and an offer page of their
feed, back to back, while writer threads post offers and send invitations through the
forms. Afterwards, with gunicorn stopped and the engine restarted (its append-only file
replayed), every acknowledged offer and invitation must be in the graph. Prints the requests
by status, the latency percentiles (ms), and exits 1 on any error response or lost write.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import benchlib  # noqa: E402
from benchmark import PASSWORD, free_port, sign_in  # noqa: E402

from graph import members, offers, schema  # noqa: E402
from graph.connect import open_graph  # noqa: E402
from graph.engine import EngineUnavailable  # noqa: E402
from trustnet.security import hash_password  # noqa: E402

GRAPH = "load"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
JOIN = re.compile(r"/join/[A-Za-z0-9_.\-]+")
OFFERS_FOUND = "UNWIND $ids AS id MATCH (o:Offer {id: id}) RETURN count(o) AS n"
INVITATIONS_FOUND = "UNWIND $emails AS e MATCH (i:Invitation {email: e}) RETURN count(i) AS n"


class Client:
    """One signed-in member on one keep-alive connection; keeps its session cookie fresh."""

    def __init__(self, port: int, cookie: str) -> None:
        self.port = port
        self.cookie = cookie
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(self, method: str, path: str, form: dict | None = None):
        headers = {"Cookie": self.cookie}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        page = response.read().decode(errors="replace")
        for value in response.headers.get_all("Set-Cookie") or []:
            if value.startswith("session="):
                self.cookie = value.split(";")[0]
        if response.will_close:
            self.connection.close()
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        return response.status, response.getheader("Location", ""), page


class Tally:
    """Statuses and latencies of every request, and every acknowledged write."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.statuses: Counter[tuple[str, int]] = Counter()
        self.latencies: dict[str, list[float]] = {}
        self.offers: list[str] = []
        self.invitations: list[str] = []
        self.failures: list[str] = []

    def timed(self, label: str, client: Client, method: str, path: str, form=None,
              expected: int = 200):
        started = time.perf_counter()
        try:
            status, location, page = client.request(method, path, form)
        except (OSError, http.client.HTTPException) as error:
            status, location, page = 0, "", str(error)
        elapsed = (time.perf_counter() - started) * 1000
        with self.lock:
            self.statuses[(label, status)] += 1
            self.latencies.setdefault(label, []).append(elapsed)
            if status != expected:
                self.failures.append(f"{label} {path}: {status} {page[:200]!r}")
        return status, location, page


def reader(client: Client, offer_path: str, deadline: float, tally: Tally) -> None:
    while time.monotonic() < deadline:
        tally.timed("GET / (feed)", client, "GET", "/")
        tally.timed("GET /offers/<id>", client, "GET", offer_path)


def writer(client: Client, number: int, deadline: float, tally: Tally) -> None:
    sent = 0
    while time.monotonic() < deadline:
        sent += 1
        _, _, page = tally.timed("GET /offers/new", client, "GET", "/offers/new")
        token = CSRF.search(page)
        status, location, _ = tally.timed("POST /offers/new", client, "POST", "/offers/new", {
            "csrf_token": token.group(1) if token else "", "title": f"Load {number}-{sent}",
            "category": "tools", "description": "Lent for a weekend.", "area": "Lyon",
            "price": "", "available_from": "", "available_until": "", "visibility": "2",
        }, expected=302)
        if status == 302:
            with tally.lock:
                tally.offers.append(location.rsplit("/", 1)[1])
        _, _, page = tally.timed("GET /invitations", client, "GET", "/invitations")
        token = CSRF.search(page)
        email = f"load-{number}-{sent}@invited.example"
        status, _, page = tally.timed("POST /invitations", client, "POST", "/invitations", {
            "csrf_token": token.group(1) if token else "", "email": email, "note": "Join us"})
        if status == 200 and JOIN.search(page):
            with tally.lock:
                tally.invitations.append(email)
        elif status == 200:
            with tally.lock:
                tally.failures.append(f"invitation to {email} not sent")


def start_gunicorn(data_dir: Path, port: int) -> subprocess.Popen:
    instance = data_dir / "instance"
    instance.mkdir(exist_ok=True)
    env = {**os.environ, "TRUSTNET_DATA_DIR": str(data_dir), "TRUSTNET_GRAPH_NAME": GRAPH,
           "TRUSTNET_INSTANCE_PATH": str(instance), "TRUSTNET_SECRET_KEY": "load-secret",
           "TRUSTNET_LOGIN_LIMIT_IP": "100000", "TRUSTNET_INVITE_QUOTA": "100000",
           "TRUSTNET_OUTBOX_DIR": str(instance / "outbox")}
    env.pop("TRUSTNET_GRAPH_URL", None)
    env.pop("TRUSTNET_SMTP_HOST", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "2", "--threads", "8",
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "trustnet:create_app()"],
        cwd=ROOT, env=env, start_new_session=True)
    deadline = time.monotonic() + 60
    while True:
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=1).connect()
            return server
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError("gunicorn did not start") from None
            time.sleep(0.2)


def run(args: argparse.Namespace) -> dict:
    rng = random.Random(args.seed)
    data_dir = Path(tempfile.mkdtemp(prefix="trustnet-load-"))
    connection = open_graph(None, graph_name=GRAPH, data_dir=data_dir, query_timeout_ms=60_000)
    engine = connection.engine
    schema.bootstrap(engine)
    community = benchlib.generate(args.size, args.seed, time.time())
    ids = benchlib.load(engine, community, lambda done, total: None)
    chosen = rng.sample(sorted(ids), args.readers + args.writers)
    digest = hash_password(PASSWORD)
    for n in chosen:
        members.set_password(engine, ids[n], digest, 1)
    port = free_port()
    server = start_gunicorn(data_dir, port)
    tally = Tally()
    try:
        clients = [Client(port, sign_in(port, benchlib.EMAIL(n))) for n in chosen]
        threads = []
        deadline = time.monotonic() + args.seconds
        for i, n in enumerate(chosen[:args.readers]):
            feed = offers.feed(engine, ids[n], 3)
            path = f"/offers/{feed.items[0].offer.id}" if feed.items else "/"
            threads.append(threading.Thread(target=reader, args=(clients[i], path, deadline,
                                                                  tally)))
        for i in range(args.writers):
            threads.append(threading.Thread(target=writer, args=(
                clients[args.readers + i], i, deadline, tally)))
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.monotonic() - started
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
    connection.close()  # the last user: the server shuts down; reopening replays its AOF
    replay_started = time.monotonic()
    while True:  # the replay of a large AOF outlasts open_graph's 10 s wait: wait on
        try:
            connection = open_graph(None, graph_name=GRAPH, data_dir=data_dir,
                                    query_timeout_ms=60_000)
            break
        except EngineUnavailable:
            if time.monotonic() - replay_started > 600:
                raise
    replay_s = time.monotonic() - replay_started
    try:
        found_offers = connection.engine.read(OFFERS_FOUND, {"ids": tally.offers})[0]["n"]
        found_invitations = connection.engine.read(
            INVITATIONS_FOUND, {"emails": tally.invitations})[0]["n"]
    finally:
        connection.close()
    everything = [x for values in tally.latencies.values() for x in values]
    result = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
                   f"{platform.python_version()}",
        "members": args.size, "sponsorships": len(community.sponsorships),
        "generated_offers": len(community.offers), "readers": args.readers,
        "writers": args.writers, "seconds": round(wall, 1),
        "requests": sum(tally.statuses.values()),
        "per_s": round(sum(tally.statuses.values()) / wall, 1),
        "statuses": {f"{label} -> {status}": count
                     for (label, status), count in sorted(tally.statuses.items())},
        "errors": len(tally.failures), "first_errors": tally.failures[:5],
        "latency_ms": {label: {"calls": len(values),
                               **{p: round(benchlib.percentile(values, share), 1)
                                  for p, share in (("p50", .5), ("p95", .95), ("p99", .99))}}
                       for label, values in sorted(tally.latencies.items())},
        "all_ms": {p: round(benchlib.percentile(everything, share), 1)
                   for p, share in (("p50", .5), ("p95", .95), ("p99", .99))},
        "offers_acknowledged": len(tally.offers), "offers_found_after_restart": found_offers,
        "invitations_acknowledged": len(tally.invitations),
        "invitations_found_after_restart": found_invitations,
        "restart_with_replay_s": round(replay_s, 1),
    }
    result["lost_writes"] = (len(tally.offers) - found_offers
                             + len(tally.invitations) - found_invitations)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000, help="members generated")
    parser.add_argument("--seconds", type=float, default=180.0, help="duration of the load")
    parser.add_argument("--readers", type=int, default=24)
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    result = run(args)
    print(json.dumps(result, indent=2))
    return 1 if result["errors"] or result["lost_writes"] else 0


if __name__ == "__main__":
    sys.exit(main())
