"""Start a Neo4j Community DBMS for TrustNet: no Docker, only Maven Central artifacts.

The DBMS is Neo4j 5.26 (LTS) run embedded by a small Java launcher (see pom.xml and
src/main/java/org/trustnet/neo4j/Launcher.java) with Bolt on 127.0.0.1 only and authentication
on. This module builds the launcher with Maven, starts it as a child process and hands back its
``neo4j://127.0.0.1:PORT`` URI, for tests, benchmarks and local development.

    python -m scripts.neo4j.server      # foreground, data in instance/neo4j, port 7687
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
TARGET = HERE / "target"
CLASSES = TARGET / "classes"
LIB = TARGET / "lib"
JAR = TARGET / "trustnet-neo4j-1.jar"
STAMP = TARGET / ".built"
CDS_ARCHIVE = TARGET / "cds" / "neo4j.jsa"
MAIN_CLASS = "org.trustnet.neo4j.Launcher"

DEFAULT_PASSWORD = "trustnet-dev"
DEFAULT_PORT = 7687
MIN_PASSWORD_LENGTH = 8  # Neo4j's dbms.security.auth_minimum_password_length

# What Neo4j's own neo4j.conf passes to the JVM, less what only a big production server needs.
# Without the --add-opens Neo4j falls back to slower I/O paths and fills debug.log with warnings.
JVM_FLAGS = (
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-XX:+ExitOnOutOfMemoryError",
    "-XX:-OmitStackTraceInFastThrow",
    # The JVM's own warnings go to stdout by default; stdout is reserved for the URI line.
    "-Xlog:disable",
    "-Xlog:all=warning:stderr",
)


class Neo4jServerError(RuntimeError):
    """The launcher could not be built or the DBMS did not start."""


@dataclass
class Neo4jServer:
    """A running launcher process: ``uri`` is what TRUSTNET_GRAPH_URL should be set to."""

    uri: str
    port: int
    process: subprocess.Popen[bytes]
    data_dir: Path
    log_path: Path
    _stopped: bool = field(default=False, repr=False)

    def stop(self, timeout: float = 30.0) -> int:
        """Shut down cleanly (SIGTERM), SIGKILL if it takes longer than ``timeout``.

        Returns the exit code: 0 after a clean shutdown.
        """
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._close_pipes()
        return self.process.returncode

    def kill(self) -> int:
        """SIGKILL, no shutdown: for fault tests (the next start runs recovery)."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self._close_pipes()
        return self.process.returncode

    def _close_pipes(self) -> None:
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None:
                with contextlib.suppress(OSError):
                    pipe.close()

    def __enter__(self) -> Neo4jServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise Neo4jServerError(
            f"`{name}` is not on PATH: the Neo4j launcher needs a Java 17+ JDK and Maven "
            "(on Debian: apt-get install openjdk-17-jdk-headless maven)"
        )
    return path


def _java() -> str:
    java_home = os.environ.get("JAVA_HOME")
    if java_home and (Path(java_home) / "bin" / "java").is_file():
        return str(Path(java_home) / "bin" / "java")
    return _tool("java")


def _sources() -> list[Path]:
    return [HERE / "pom.xml", *sorted((HERE / "src").rglob("*.java"))]


def _up_to_date() -> bool:
    if not (STAMP.is_file() and JAR.is_file() and CLASSES.is_dir() and LIB.is_dir()):
        return False
    if not any(LIB.glob("neo4j-*.jar")):
        return False
    built = STAMP.stat().st_mtime
    return all(src.stat().st_mtime <= built for src in _sources())


@contextlib.contextmanager
def _build_lock() -> Iterator[None]:
    """Serialises builds, e.g. of parallel test workers."""
    TARGET.mkdir(parents=True, exist_ok=True)
    with open(TARGET / ".build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def build(*, cds: bool = False) -> None:
    """Build the launcher with Maven unless it is up to date (then this takes milliseconds).

    The first build downloads Neo4j's jars (about 125 MB) into ~/.m2. ``cds=True`` also makes a
    class-data-sharing archive (a training start and a dump, ~45 s once) that later starts use:
    it saves 2-3 s a start.
    """
    if not _up_to_date():
        mvn = _tool("mvn")
        _java()
        with _build_lock():
            if not _up_to_date():
                pom = HERE / "pom.xml"
                if not STAMP.is_file() or pom.stat().st_mtime > STAMP.stat().st_mtime:
                    # copy-dependencies never deletes: a jar left from another Neo4j version
                    # would shadow the new one on the class path. (Only the pom changes them.)
                    shutil.rmtree(LIB, ignore_errors=True)
                command = [mvn, "-q", "-B", "-f", str(HERE / "pom.xml"), "package"]
                done = subprocess.run(command, capture_output=True, text=True, check=False)
                if done.returncode != 0:
                    output = (done.stdout + done.stderr).strip().splitlines()
                    raise Neo4jServerError(
                        "Maven build of the Neo4j launcher failed:\n" + "\n".join(output[-40:])
                    )
                STAMP.touch()
    if cds and not _cds_usable():
        with _build_lock():
            if not _cds_usable():
                _make_cds_archive()


def classpath() -> str:
    """The launcher's class path: its jar, then Neo4j's jars, in a fixed order (CDS needs it)."""
    return os.pathsep.join([str(JAR), *(str(p) for p in sorted(LIB.glob("*.jar")))])


def _cds_usable() -> bool:
    return (CDS_ARCHIVE.is_file() and STAMP.is_file()
            and CDS_ARCHIVE.stat().st_mtime >= STAMP.stat().st_mtime)


def _make_cds_archive() -> None:
    """Records the classes one start loads, then dumps them into a shared archive."""
    CDS_ARCHIVE.parent.mkdir(parents=True, exist_ok=True)
    raw = CDS_ARCHIVE.with_name("classes.raw")
    listing = CDS_ARCHIVE.with_name("classes.lst")
    with tempfile.TemporaryDirectory(prefix="neo4j-cds-") as tmp:
        server = start(tmp, cds=False, build_first=False,
                       jvm_args=[f"-XX:DumpLoadedClassList={raw}"])
        server.stop()
    # The JVM writes lines its own dumper rejects (longer than 4096 characters): drop them.
    lines = raw.read_text().splitlines()
    listing.write_text("".join(line + "\n" for line in lines if len(line) < 4000))
    command = [_java(), "-Xshare:dump", f"-XX:SharedClassListFile={listing}",
               f"-XX:SharedArchiveFile={CDS_ARCHIVE}", "-Xlog:disable", "-cp", classpath()]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    raw.unlink(missing_ok=True)
    if done.returncode != 0 or not CDS_ARCHIVE.is_file():
        raise Neo4jServerError("CDS dump failed:\n" + (done.stdout + done.stderr)[-3000:])


def _tail(path: Path, offset: int = 0, lines: int = 30) -> str:
    """The last lines of a log, from ``offset`` (where this start began writing) on."""
    try:
        with open(path, "rb") as log:
            log.seek(offset)
            text = log.read().decode(errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


def start(
    data_dir: str | os.PathLike[str],
    port: int = 0,
    password: str = DEFAULT_PASSWORD,
    heap: str = "1g",
    pagecache: str = "512m",
    timeout: float = 120.0,
    *,
    cds: bool | None = None,
    build_first: bool = True,
    jvm_args: Sequence[str] = (),
) -> Neo4jServer:
    """Start Neo4j on ``data_dir`` (created if missing, reused if not) and wait until it serves.

    ``port=0`` lets the OS choose a free loopback port (no race: the launcher reports the port
    it bound). ``password`` is set on every start, so it may differ from the last one. The
    process runs in its own process group (Ctrl-C in a terminal does not reach it; ``stop()``
    does) and stops by itself when this Python process dies (its stdin closes). Its stderr goes
    to DATA_DIR/logs/launcher.log, Neo4j's own logs to DATA_DIR/logs/debug.log.
    ``cds=None`` uses the class-data-sharing archive when ``build(cds=True)`` made one.
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"Neo4j wants a password of at least {MIN_PASSWORD_LENGTH} characters")
    if build_first:
        build()
    java = _java()
    data = Path(data_dir).resolve()
    logs = data / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    log_path = logs / "launcher.log"

    command = [java, f"-Xmx{heap}", *JVM_FLAGS]
    if cds or (cds is None and _cds_usable()):
        command += [f"-XX:SharedArchiveFile={CDS_ARCHIVE}", "-Xshare:auto"]
    command += [*jvm_args, "-cp", classpath(), MAIN_CLASS, str(data), str(port)]
    env = dict(os.environ, NEO4J_PASSWORD=password, NEO4J_PAGECACHE=pagecache,
               NEO4J_EXIT_ON_STDIN_EOF="1")

    with open(log_path, "ab") as log:
        offset = log.tell()
        log.write(f"--- {time.strftime('%Y-%m-%d %H:%M:%S')} starting on port {port}\n".encode())
        log.flush()
        process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, env=env,
            cwd=data, start_new_session=True,
        )
    try:
        uri = _read_uri(process, time.monotonic() + timeout)
    except Neo4jServerError as error:
        if process.poll() is None:
            process.kill()
        process.wait()
        detail = _tail(log_path, offset)
        raise Neo4jServerError(f"{error}\n--- {log_path} (tail):\n{detail}") from None
    return Neo4jServer(uri=uri, port=int(uri.rsplit(":", 1)[1]), process=process,
                       data_dir=data, log_path=log_path)


def _read_uri(process: subprocess.Popen[bytes], deadline: float) -> str:
    """Reads the launcher's one stdout line, ``neo4j://127.0.0.1:PORT``."""
    assert process.stdout is not None
    fd = process.stdout.fileno()
    buffer = b""
    while b"\n" not in buffer:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise Neo4jServerError("Neo4j did not report ready in time")
        ready, _, _ = select.select([fd], [], [], min(remaining, 1.0))
        if ready:
            chunk = os.read(fd, 4096)
            if not chunk:
                raise Neo4jServerError(f"Neo4j exited during start-up (code {process.wait()})")
            buffer += chunk
    line = buffer.split(b"\n", 1)[0].decode().strip()
    if not line.startswith("neo4j://"):
        raise Neo4jServerError(f"unexpected output from the launcher: {line!r}")
    return line


def main() -> int:
    """Run Neo4j in the foreground until SIGTERM or Ctrl-C (configured by environment)."""
    data_dir = Path(os.environ.get("NEO4J_DATA_DIR") or ROOT / "instance" / "neo4j")
    port = int(os.environ.get("NEO4J_PORT") or DEFAULT_PORT)
    password = os.environ.get("TRUSTNET_NEO4J_PASSWORD") or ""
    if not password:
        password = DEFAULT_PASSWORD
        print(f"TRUSTNET_NEO4J_PASSWORD is not set: using the development default {password!r}")
    print(f"Building the launcher and starting Neo4j (data in {data_dir}) ...", flush=True)
    try:
        server = start(data_dir, port=port, password=password,
                       heap=os.environ.get("NEO4J_HEAP") or "1g",
                       pagecache=os.environ.get("NEO4J_PAGECACHE") or "512m")
    except (Neo4jServerError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1

    print(server.uri)
    print("Point TrustNet at it with:")
    print(f"  export TRUSTNET_GRAPH_URL={server.uri}")
    if os.environ.get("TRUSTNET_NEO4J_PASSWORD") != password:
        print(f"  export TRUSTNET_NEO4J_PASSWORD={password}")
    print(f"Logs: {server.log_path.parent}/. Stop with Ctrl-C or SIGTERM.", flush=True)

    def on_signal(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        server.process.wait()
        print(f"Neo4j exited by itself (code {server.process.returncode})", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Stopping Neo4j ...", flush=True)
        return 0 if server.stop() == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
