"""FalkorDB with read replicas: listed beside the primary, or followed through Redis Sentinel.

Writes go to the primary; reads go to the replicas (GRAPH.RO_QUERY), one after the other.

- Read your own writes. After a write, the primary's replication offset is the write's
  bookmark: trustnet.bookmarks keeps it in the member's session, and while no replica has
  reached it the member's reads go to a replica that has, or to the primary.
- A replica is used only while it is linked to its primary, not in a full synchronisation,
  and no more than `max_lag_bytes` of replication stream behind the primary (what it says
  of itself, asked at most every _CHECK_EVERY_S). A replica in its first full
  synchronisation still serves its own data set, which has no graph yet: each read would
  fail with "Invalid graph operation on empty key" (seen on the replica, never on the
  primary: tests/replication/test_replica_reads.py). A read that fails on a replica goes
  to another one, then to the primary: a replica down, loading or behind is no error page.
- A frozen replica (its process stopped, its socket open, nothing answering) holds no
  read: replicas are asked with their own short socket timeout, `replica_timeout_ms`, after
  which the read goes elsewhere. A replica that failed a read or a check, down or silent, is
  skipped for _SET_ASIDE_S, then checked again.
- Acknowledged writes survive a failover. A write is sent with `WAIT wait_replicas
  wait_timeout_ms` on the same connection: when fewer replicas confirm it in time, the
  member is told that the outcome is unknown (OutcomeUnknown), not that it is saved.
- With Sentinel, every new connection asks the sentinels for the primary, and the replicas
  are the ones the sentinels list as healthy: a promotion is followed without a restart.
"""

from __future__ import annotations

import functools
import itertools
import threading
import time
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import redis
from falkordb import FalkorDB
from redis.sentinel import MasterNotFoundError, Sentinel

from graph.engine import EngineError, EngineUnavailable, OutcomeUnknown, Row
from graph.falkordb_engine import FalkorDBEngine

# How long what a replica said of itself (linked, offset) is trusted.
_CHECK_EVERY_S = 0.5
# How long the replicas the sentinels listed are trusted.
_DISCOVER_EVERY_S = 1.0
# How long a replica that failed a read or a check is skipped before it is checked again:
# a silent one costs a read its replica_timeout_ms at most once in that time.
_SET_ASIDE_S = 2.0
# Within this, a replica behind a member's write is not asked again (the read goes elsewhere).
_RECHECK_BEHIND_S = 0.01

# Of the request being served (trustnet.bookmarks): the replication offset its member's
# last write reached, and the offset of this request's own last write.
_carried: ContextVar[int] = ContextVar("carried_offset", default=0)
_written: ContextVar[int] = ContextVar("written_offset", default=0)


@dataclass(frozen=True)
class ReplicationOptions:
    """What a write waits for, how far behind a replica may be and still serve reads, and
    how long a replica may take to answer before the read goes elsewhere."""

    wait_replicas: int = 1
    wait_timeout_ms: int = 1000
    max_lag_bytes: int = 1024 * 1024
    replica_timeout_ms: int = 1000


class Replica:
    """One read replica, opened when first checked, and what it last said of itself."""

    def __init__(self, open_engine: Callable[[], FalkorDBEngine]) -> None:
        self.open_engine = open_engine
        self.engine: FalkorDBEngine | None = None
        self.linked = False
        self.offset = -1
        self.checked_at = float("-inf")
        self.aside_until = float("-inf")

    def check(self) -> None:
        """Ask the replica whether it is linked to its primary and how far it got."""
        self.checked_at = time.monotonic()
        try:
            if self.engine is None:
                self.engine = self.open_engine()
            info = self.engine.redis.info("replication")
        except (EngineUnavailable, redis.RedisError, OSError):
            self.set_aside()
            return
        self.linked = (info.get("role") == "slave" and info.get("master_link_status") == "up"
                       and not info.get("master_sync_in_progress"))
        self.offset = int(info.get("slave_repl_offset", -1))

    def serves(self, needed: int, primary_offset: int, max_lag_bytes: int) -> bool:
        """Whether this replica may answer a read that must see offset `needed`."""
        now = time.monotonic()
        if now < self.aside_until:
            return False
        if now - self.checked_at > _CHECK_EVERY_S or (
                self.linked and self.offset < needed and now - self.checked_at > _RECHECK_BEHIND_S):
            self.check()
        return (self.engine is not None and self.linked and self.offset >= needed
                and primary_offset - self.offset <= max_lag_bytes)

    def set_aside(self) -> None:
        """A read or a check failed here: skip this replica for _SET_ASIDE_S."""
        self.linked = False
        self.aside_until = time.monotonic() + _SET_ASIDE_S


class ReplicatedEngine(FalkorDBEngine):
    """A FalkorDB primary (self) and its read replicas."""

    def __init__(self, client: FalkorDB, graph_name: str,
                 replicas: Callable[[], list[Replica]], options: ReplicationOptions) -> None:
        super().__init__(client, graph_name)
        self._replicas = replicas
        self.options = options
        self._turn = itertools.count()
        self._primary_offset = 0
        self._primary_checked_at = float("-inf")

    def read(self, query: str, params: dict[str, Any] | None = None) -> list[Row]:
        """Read on a replica that serves this member (in turn), else on the primary."""
        replicas = self._replicas()
        if replicas:
            needed, primary_offset = _carried.get(), self._offset_of_primary()
            start = next(self._turn)
            for index in range(len(replicas)):
                replica = replicas[(start + index) % len(replicas)]
                if not replica.serves(needed, primary_offset, self.options.max_lag_bytes):
                    continue
                try:
                    return replica.engine.read(query, params)  # type: ignore[union-attr]
                except EngineUnavailable:
                    replica.set_aside()
                except EngineError as error:
                    if "empty key" not in str(error):
                        raise
                    break  # no graph here yet: the primary's answer says whether it exists
        return super().read(query, params)

    def _offset_of_primary(self) -> int:
        """The primary's replication offset, as last seen (at most _CHECK_EVERY_S ago)."""
        if time.monotonic() - self._primary_checked_at > _CHECK_EVERY_S:
            try:
                self._primary_offset = int(self.redis.info("replication")["master_repl_offset"])
            except (redis.RedisError, OSError, KeyError):
                pass  # the next write says it soon enough
            self._primary_checked_at = time.monotonic()
        return self._primary_offset

    def _send(self, arguments: tuple[Any, ...]) -> Any:
        """A write goes with WAIT and the primary's offset, on one connection; reads as is."""
        try:
            if arguments[0] != "GRAPH.QUERY":
                return super()._send(arguments)
            pipe = self.redis.pipeline(transaction=False)
            pipe.execute_command(*arguments)
            if self.options.wait_replicas:
                pipe.execute_command("WAIT", self.options.wait_replicas,
                                     self.options.wait_timeout_ms)
            pipe.info("replication")
            replies = pipe.execute(raise_on_error=False)
        except MasterNotFoundError as error:  # nothing was sent
            raise EngineUnavailable(f"no graph engine primary at the moment: {error}") from error
        reply, info = replies[0], replies[-1]
        if isinstance(reply, redis.ResponseError):
            raise reply
        if self.options.wait_replicas and replies[1] < self.options.wait_replicas:
            raise OutcomeUnknown(
                f"the write is on the primary, but {replies[1]} replicas of the "
                f"{self.options.wait_replicas} awaited confirmed it within "
                f"{self.options.wait_timeout_ms} ms: a failover could lose it")
        if isinstance(info, dict):
            self._primary_offset = int(info["master_repl_offset"])
            _written.set(self._primary_offset)
            _carried.set(max(_carried.get(), self._primary_offset))  # this request reads it too
        return reply

    def carry_bookmarks(self, bookmarks: list[str] | tuple[str, ...]) -> None:
        """The offsets of the member's last write, from their session (trustnet.bookmarks)."""
        _carried.set(max((int(mark) for mark in bookmarks if mark.isdigit()), default=0))
        _written.set(0)

    def written_bookmarks(self) -> tuple[str, ...]:
        """The offset this request's last write reached, if it wrote."""
        written = _written.get()
        return (str(written),) if written else ()

    def close(self) -> None:
        for replica in self._replicas():
            if replica.engine is not None:
                replica.engine.close()
        super().close()


class StaticReplicas:
    """Replicas named in the URL, beside the primary."""

    def __init__(self, openers: Sequence[Callable[[], FalkorDBEngine]]) -> None:
        self.replicas = [Replica(open_engine) for open_engine in openers]

    def __call__(self) -> list[Replica]:
        return self.replicas


class SentinelReplicas:
    """The replicas the sentinels list as healthy for the service, asked again every second."""

    def __init__(self, sentinel: Sentinel, service: str,
                 open_replica: Callable[[str, int], FalkorDBEngine]) -> None:
        self.sentinel = sentinel
        self.service = service
        self.open_replica = open_replica
        self.known: dict[tuple[str, int], Replica] = {}
        self.current: list[Replica] = []
        self.listed_at = float("-inf")
        self.lock = threading.Lock()

    def __call__(self) -> list[Replica]:
        with self.lock:
            if time.monotonic() - self.listed_at > _DISCOVER_EVERY_S:
                self.listed_at = time.monotonic()
                try:
                    addresses = self.sentinel.discover_slaves(self.service)
                except (redis.RedisError, OSError):
                    addresses = []
                self.current = [self._replica(str(host), int(port)) for host, port in addresses]
            return list(self.current)

    def _replica(self, host: str, port: int) -> Replica:
        if (host, port) not in self.known:
            self.known[(host, port)] = Replica(functools.partial(self.open_replica, host, port))
        return self.known[(host, port)]
