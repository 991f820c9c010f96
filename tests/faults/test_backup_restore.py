"""`trustnet backup` and `trustnet restore` on the embedded engine: a backup taken while
members keep writing holds every write acknowledged before it began; restored into an
empty data folder, the app serves it again. Each test runs an engine of its own."""

from __future__ import annotations

import re
import shutil
import threading
import time

import pytest
import redis

from graph import members
from tests.faults.conftest import wait_until
from trustnet.cli import main

pytestmark = pytest.mark.falkordb_only("backs up the embedded FalkorDB's own data folder")

WRITERS = 4
BALLAST_NODES = 300_000  # so that the engine takes a while to write its snapshot


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch):
    """Run `trustnet ARGS...` on an app (its runner: the app built by the test)."""
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "")  # FlaskGroup sets it; undone after the test

    def invoke(app, *args: str):
        return app.test_cli_runner().invoke(main, list(args))

    return invoke


class Writers:
    """Threads that create founders one after another, noting when each was acknowledged."""

    def __init__(self, engine) -> None:
        self.engine = engine
        self.acknowledged: list[tuple[str, float]] = []  # (e-mail, monotonic time)
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._write, args=(n,)) for n in range(WRITERS)]

    def _write(self, writer: int) -> None:
        count = 0
        while not self._stop.is_set():
            email = f"w{writer}-{count}@example.org"
            members.create_founder(self.engine, email, f"Writer {writer} {count}")
            self.acknowledged.append((email, time.monotonic()))
            count += 1

    def __enter__(self) -> Writers:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join()

    def before(self, moment: float) -> list[str]:
        return [email for email, at in self.acknowledged if at < moment]


def test_a_backup_under_load_restored_into_an_empty_folder_has_every_earlier_write(
        app_on, run, tmp_path_factory, tmp_path, monkeypatch):
    data_dir = tmp_path_factory.mktemp("engine")
    app = app_on(data_dir)
    graph_name = app.config["TRUSTNET_GRAPH_NAME"]
    engine = app.extensions["trustnet"].connection.engine
    ballast = redis.Redis(unix_socket_path=str(data_dir / "graph.sock"))
    ballast.execute_command("GRAPH.QUERY", "ballast",
                            f"UNWIND range(1, {BALLAST_NODES}) AS n CREATE (:Ballast {{n: n}})")
    ballast.close()
    backup = tmp_path / "community.backup"

    with Writers(engine) as writers:
        wait_until(lambda: len(writers.acknowledged) >= 50, "the first writes")
        began = time.monotonic()
        result = run(app, "backup", str(backup))
        ended = time.monotonic()
        wait_until(lambda: writers.before(time.monotonic()) != writers.before(ended),
                   "a write after the backup")

    assert result.exit_code == 0, result.output
    assert re.search(rf"^Backup written to {re.escape(str(backup))} \(\d+ bytes\)\.$",
                     result.stdout, re.M)
    assert "Writing the snapshot: " in result.stderr and "(100%)" in result.stderr
    assert "Copying the snapshot: " in result.stderr
    during = [email for email, at in writers.acknowledged if began <= at < ended]
    assert during, "the members went on writing while the backup ran"
    earlier = writers.before(began)

    app.extensions["trustnet"].close()  # the last user: the engine shuts down
    shutil.rmtree(data_dir)
    monkeypatch.setenv("TRUSTNET_DATA_DIR", str(data_dir))
    restored = run(app, "restore", str(backup))

    assert restored.exit_code == 0, restored.output
    assert "Copying the backup: " in restored.stderr
    assert "Writing the append-only file: " in restored.stderr
    assert f"into {data_dir}: graphs " in restored.stdout
    assert {"ballast", graph_name} <= set(restored.stdout.strip(".\n").split(": graphs ")[1]
                                             .split(", "))
    again = app_on(data_dir, TRUSTNET_GRAPH_NAME=graph_name)
    engine = again.extensions["trustnet"].connection.engine
    missing = [email for email in earlier if members.find_member_by_email(engine, email) is None]
    assert missing == [], f"{len(missing)} of {len(earlier)} acknowledged writes lost"
    # what the restored folder holds survives a restart of its engine (its append-only file)
    again.extensions["trustnet"].close()
    once_more = app_on(data_dir, TRUSTNET_GRAPH_NAME=graph_name)
    engine = once_more.extensions["trustnet"].connection.engine
    assert members.count_members(engine) >= len(earlier)
    assert members.find_member_by_email(engine, earlier[-1]) is not None


def test_restore_refuses_a_folder_that_is_not_empty_and_leaves_it_alone(
        app_on, run, tmp_path_factory, tmp_path, monkeypatch):
    data_dir = tmp_path_factory.mktemp("engine")
    app = app_on(data_dir)
    engine = app.extensions["trustnet"].connection.engine
    members.create_founder(engine, "kept@example.org", "Kept")
    backup = tmp_path / "community.backup"
    assert run(app, "backup", str(backup)).exit_code == 0
    members.create_founder(engine, "later@example.org", "Later")
    app.extensions["trustnet"].close()
    monkeypatch.setenv("TRUSTNET_DATA_DIR", str(data_dir))

    result = run(app, "restore", str(backup))

    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: the data folder {data_dir} is not empty (")
    again = app_on(data_dir, TRUSTNET_GRAPH_NAME=app.config["TRUSTNET_GRAPH_NAME"])
    engine = again.extensions["trustnet"].connection.engine
    assert members.find_member_by_email(engine, "later@example.org") is not None


def test_restore_refuses_a_file_that_is_not_a_backup(app_on, run, tmp_path, monkeypatch):
    data_dir = tmp_path / "data"
    not_a_backup = tmp_path / "community.jsonl"
    not_a_backup.write_text('{"type": "member"}\n', encoding="utf-8")
    monkeypatch.setenv("TRUSTNET_DATA_DIR", str(data_dir))
    app = app_on(tmp_path / "other")

    result = run(app, "restore", str(not_a_backup))

    assert result.exit_code == 2
    assert result.stderr == (f"error: {not_a_backup} is not a backup made by "
                             f"'trustnet backup'\n")
    assert not data_dir.exists() or not any(data_dir.iterdir())


def test_a_damaged_backup_is_refused_and_the_folder_is_left_empty(app_on, run, tmp_path,
                                                                  tmp_path_factory, monkeypatch):
    data_dir = tmp_path_factory.mktemp("engine")
    app = app_on(data_dir)
    members.create_founder(app.extensions["trustnet"].connection.engine, "a@example.org", "A")
    backup = tmp_path / "community.backup"
    assert run(app, "backup", str(backup)).exit_code == 0
    app.extensions["trustnet"].close()
    shutil.rmtree(data_dir)
    damaged = tmp_path / "damaged.backup"
    damaged.write_bytes(backup.read_bytes()[: backup.stat().st_size // 2])
    monkeypatch.setenv("TRUSTNET_DATA_DIR", str(data_dir))

    result = run(app, "restore", str(damaged))

    assert result.exit_code == 2
    assert f"error: FalkorDB server for {data_dir}: the server " in result.stderr, result.stderr
    assert [entry.name for entry in data_dir.iterdir()] == ["start.lock"]
    assert run(app, "restore", str(backup)).exit_code == 0  # the folder can take the good one
