"""The embedded FalkorDB server: start, sharing between processes, races, durability, crashes.

Every test runs real redis-server processes on its own data folder, and real Python
subprocesses where other processes matter. The `data_dir` fixture kills whatever server
a failing test left behind.
"""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from graph.embedded import EmbeddedServer, ensure_embedded_server

REPO_ROOT = Path(__file__).resolve().parents[2]

# A user process: waits for a line on stdin, takes the server and prints its pid, then
# waits for another line and releases it ("crash" exits at once without releasing).
USER_SCRIPT = """
import os, sys
from pathlib import Path
import redis
from graph.embedded import ensure_embedded_server

sys.stdin.readline()
server = ensure_embedded_server(Path(sys.argv[1]))
with redis.Redis(unix_socket_path=str(server.socket_path)) as client:
    print(client.info("server")["process_id"], flush=True)
if sys.argv[2] == "crash":
    os._exit(0)
sys.stdin.readline()
server.release()
"""


def server_processes(data_dir: Path) -> list[int]:
    """Pids of the running redis-server processes that serve data_dir (from /proc)."""
    socket_path = str(data_dir.absolute() / "graph.sock")
    pids = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            text = cmdline.read_bytes().decode(errors="replace")
        except OSError:
            continue  # the process ended while we looked
        if "redis-server" in text and socket_path in text:
            pids.append(int(cmdline.parent.name))
    return pids


def running(pid: int) -> bool:
    """Whether a thread of the process still runs.

    A zombie has exited, but after a kill -9 the main thread turns zombie while the
    others are still exiting and the socket still accepts connections.
    """
    states = []
    for task in Path(f"/proc/{pid}/task").glob("*/stat"):
        try:
            states.append(task.read_text().rsplit(")", 1)[1].split()[0])
        except (FileNotFoundError, ProcessLookupError):
            pass
    return any(state not in ("Z", "X") for state in states)


def client(server: EmbeddedServer) -> redis.Redis:
    return redis.Redis(unix_socket_path=str(server.socket_path), decode_responses=True)


def server_pid(server: EmbeddedServer) -> int:
    with client(server) as c:
        return int(c.info("server")["process_id"])


def count_nodes(server: EmbeddedServer) -> int:
    with client(server) as c:
        result = c.execute_command("GRAPH.RO_QUERY", "g", "MATCH (n:N) RETURN count(n)")
    return result[1][0][0]


def spawn_user(data_dir: Path, mode: str = "release") -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    return subprocess.Popen(
        [sys.executable, "-c", USER_SCRIPT, str(data_dir), mode],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO_ROOT,
        env=env,
    )


def take(user: subprocess.Popen[str]) -> int:
    """Let the user process take the server; return the server pid it reports."""
    user.stdin.write("go\n")
    user.stdin.flush()
    line = user.stdout.readline()
    assert line, "the user process died before taking the server"
    return int(line)


def finish(user: subprocess.Popen[str]) -> None:
    """Let the user process release the server and exit; check it exited cleanly."""
    user.communicate("release\n", timeout=30)
    assert user.returncode == 0


@pytest.fixture
def data_dir(tmp_path: Path) -> Iterator[Path]:
    """A fresh data folder; any server still serving it after the test is killed."""
    folder = tmp_path / "data"
    yield folder
    leftovers = server_processes(folder)
    for pid in leftovers:
        os.kill(pid, signal.SIGKILL)
    assert not leftovers, f"the test left servers running: {leftovers}"


@pytest.fixture
def users() -> Iterator[list[subprocess.Popen[str]]]:
    """Collects the user subprocesses of a test, and kills those still running after it."""
    started: list[subprocess.Popen[str]] = []
    yield started
    for user in started:
        if user.poll() is None:
            user.kill()
        user.communicate()


def test_start_serves_a_private_socket_with_the_configured_limits(data_dir: Path) -> None:
    server = ensure_embedded_server(data_dir, query_timeout_ms=1234, max_query_memory_mb=64)
    try:
        assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
        assert stat.S_IMODE(server.socket_path.stat().st_mode) == 0o700
        with client(server) as c:
            assert c.ping()
            assert c.execute_command("GRAPH.QUERY", "g", "RETURN 1 + 1")[1] == [[2]]
            assert c.execute_command("GRAPH.CONFIG", "GET", "TIMEOUT_DEFAULT") == [
                "TIMEOUT_DEFAULT",
                1234,
            ]
            assert c.execute_command("GRAPH.CONFIG", "GET", "TIMEOUT_MAX")[1] == 1234
            assert c.execute_command("GRAPH.CONFIG", "GET", "QUERY_MEM_CAPACITY")[1] == 64 << 20
    finally:
        server.release()
    assert not server.socket_path.exists()
    server.release()  # a second release does nothing


def test_a_failed_start_raises_with_the_server_log(data_dir: Path) -> None:
    # The limits are set once the server has replayed its AOF: one it refuses stops it.
    with pytest.raises(RuntimeError, match="refused TIMEOUT_MAX -5.*End of redis.log"):
        ensure_embedded_server(data_dir, query_timeout_ms=-5, startup_timeout_s=5)
    assert not (data_dir / "graph.sock").exists()


def test_processes_share_one_server_until_the_last_releases_it(
    data_dir: Path, users: list[subprocess.Popen[str]]
) -> None:
    first = ensure_embedded_server(data_dir)
    try:
        pid = server_pid(first)
        other = spawn_user(data_dir)
        users.append(other)
        assert take(other) == pid
    finally:
        first.release()
    assert running(pid)
    with client(first) as c:
        assert c.ping()
    finish(other)
    assert not running(pid)
    assert not first.socket_path.exists()


def test_two_servers_in_one_process_count_as_two_users(data_dir: Path) -> None:
    first = ensure_embedded_server(data_dir)
    second = ensure_embedded_server(data_dir)
    pid = server_pid(first)
    first.release()
    assert server_pid(second) == pid
    second.release()
    assert not running(pid)


def test_concurrent_starts_make_exactly_one_server(
    data_dir: Path, users: list[subprocess.Popen[str]]
) -> None:
    users.extend(spawn_user(data_dir) for _ in range(6))
    for user in users:  # all are waiting on stdin: let them go at once
        user.stdin.write("go\n")
        user.stdin.flush()
    pids = {int(user.stdout.readline()) for user in users}
    assert len(pids) == 1
    assert server_processes(data_dir) == list(pids)
    for user in users:
        finish(user)
    assert not running(pids.pop())


def test_data_survive_a_clean_restart(data_dir: Path) -> None:
    server = ensure_embedded_server(data_dir)
    try:
        with client(server) as c:
            c.execute_command("GRAPH.QUERY", "g", "CREATE (:N {name: 'kept'})")
    finally:
        server.release()
    server = ensure_embedded_server(data_dir)
    try:
        with client(server) as c:
            result = c.execute_command("GRAPH.RO_QUERY", "g", "MATCH (n:N) RETURN n.name")
        assert result[1] == [["kept"]]
    finally:
        server.release()


def test_acknowledged_writes_survive_kill_9(data_dir: Path) -> None:
    before = ensure_embedded_server(data_dir)
    after = None
    try:
        with client(before) as c:
            for i in range(100):
                c.execute_command("GRAPH.QUERY", "g", f"CREATE (:N {{i: {i}}})")
        pid = int((data_dir / "redis.pid").read_text())
        os.kill(pid, signal.SIGKILL)
        while running(pid):
            time.sleep(0.01)
        after = ensure_embedded_server(data_dir)
        assert server_pid(after) != pid
        assert count_nodes(after) == 100
    finally:
        before.release()
        if after is not None:
            after.release()
    assert server_processes(data_dir) == []


def test_a_crashed_user_does_not_keep_the_server_alive(
    data_dir: Path, users: list[subprocess.Popen[str]]
) -> None:
    crashed = spawn_user(data_dir, "crash")
    users.append(crashed)
    pid = take(crashed)
    assert crashed.wait(timeout=30) == 0
    server = ensure_embedded_server(data_dir)
    try:
        assert server_pid(server) == pid
    finally:
        server.release()
    assert not running(pid)
