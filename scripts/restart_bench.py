"""How long the embedded engine takes to start again with a loaded graph (issue #16, target 5).

    python scripts/restart_bench.py [--size 100000] [--seed 7] [--kills 2]

Loads the benchmark's network (scripts/benchlib.py) into an embedded FalkorDB, folds its
append-only file as `trustnet import` does after its writes, reads one member's feed, then
kills the server (SIGKILL) `--kills` times and stops it cleanly once, starting it again
after each (graph.embedded.ensure_embedded_server, until it answers), and prints the wall
time of each start, the server process' CPU time until then, and whether the member's
feed is the same afterwards.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import benchlib  # noqa: E402

from graph import offers  # noqa: E402
from graph.connect import open_graph  # noqa: E402
from graph.embedded import EmbeddedServer, ensure_embedded_server  # noqa: E402
from trustnet.progress import progress  # noqa: E402

HOPS = 3
START_TIMEOUT_S = 900.0


def server_pid(data_dir: Path) -> int:
    return int((data_dir / "redis.pid").read_text())


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start(data_dir: Path, case: str) -> EmbeddedServer:
    """Start the server of data_dir, print how long it took; the caller releases it."""
    started = time.perf_counter()
    server = ensure_embedded_server(data_dir, query_timeout_ms=60_000,
                                    startup_timeout_s=START_TIMEOUT_S)
    wall = time.perf_counter() - started
    print(f"{case}: ready in {wall:.1f} s, server CPU {cpu_seconds(server_pid(data_dir)):.1f} s",
          flush=True)
    return server


def kill(data_dir: Path) -> None:
    """SIGKILL the server and wait until its process is gone."""
    pid = server_pid(data_dir)
    os.kill(pid, signal.SIGKILL)
    while Path(f"/proc/{pid}").exists():
        time.sleep(0.05)


def first_page(connection, member_id: str) -> list[str]:
    return [item.offer.id for item in offers.feed(connection.engine, member_id, HOPS).items]


def main(argv: list[str] | None = None) -> None:
    parser = benchlib.network_parser(__doc__, 100_000)
    parser.add_argument("--kills", type=int, default=2)
    args = parser.parse_args(argv)
    with progress(f"loading {args.size:,} members") as report, \
            benchlib.embedded_graph(args.size, args.seed, report) as (connection, ids, folder):
        data_dir = folder / "graph"
        started = time.perf_counter()
        connection.embedded.fold_log()
        info = connection.engine.redis.info("memory")
        files = sum(p.stat().st_size for p in data_dir.rglob("*") if p.is_file())
        print(f"{args.size:,} members: folded in {time.perf_counter() - started:.1f} s; "
              f"used_memory {info['used_memory'] / 2**20:,.0f} MB, data folder "
              f"{files / 2**20:,.0f} MB", flush=True)
        member_id = ids[args.size // 2]
        before = first_page(connection, member_id)
        for number in range(1, args.kills + 1):
            kill(data_dir)
            start(data_dir, f"after SIGKILL {number}").release()  # the connection's use stays
        connection.engine.close()
        connection.embedded.release()  # the last user: a clean stop
        server = start(data_dir, "after a clean stop")
        again = open_graph(None, graph_name="bench", data_dir=data_dir, query_timeout_ms=60_000)
        try:
            print(f"the same feed page afterwards: {first_page(again, member_id) == before}")
        finally:
            again.close()
            server.release()


if __name__ == "__main__":
    main()
