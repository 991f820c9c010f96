"""Attempt limits (sign-in, password re-checks, reset mails), shared by every app process
through a Redis store (by default the embedded FalkorDB server, which is a Redis server).

An attempt is reserved BEFORE the work it stands for (a password check, a mail): one script
checks every counter it is subject to and counts one on each, or on none, so concurrent
attempts can never pass a limit together. Each counter lives in a fixed window that its
first attempt opens. If the store cannot be reached, attempts go on unthrottled (a logged
warning): locking every member out because a counter is down would be worse.

A store on the embedded server shares its disk guard (graph.falkordb_engine): on a full
disk an attempt is refused (DiskFull, a 503) rather than counted, since the count could
stop the server, and rather than left uncounted, which would lift the limit. An embedded
store that is gone (a killed server) is started again, and the operation tried once more.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import redis

from graph.engine import DiskFull

log = logging.getLogger(__name__)
T = TypeVar("T")

# KEYS are the counters, ARGV their limits then the window: the number (from 1) of the
# first counter at its limit, or 0 once one attempt is counted on each. Redis runs a
# script alone, so checking and counting cannot be split by another attempt.
_RESERVE = """
for i, key in ipairs(KEYS) do
  if tonumber(redis.call('GET', key) or '0') >= tonumber(ARGV[i]) then return i end
end
for i, key in ipairs(KEYS) do
  redis.call('INCR', key)
  redis.call('EXPIRE', key, ARGV[#KEYS + 1], 'NX')
end
return 0
"""

# Gives back an attempt that turned out not to be one to count (a right password).
_REFUND = """
if tonumber(redis.call('GET', KEYS[1]) or '0') > 0 then redis.call('DECR', KEYS[1]) end
"""


@dataclass(frozen=True)
class Limit:
    """At most `allowed` attempts of one kind for one subject (an account, an address...)."""

    kind: str
    subject: str
    allowed: int


class Throttle:
    """Counters of attempts per kind and subject in a shared store.

    On an embedded store, `restart` starts it again when it is gone (a killed server):
    sign-in is throttled again at once, not after an operator has restarted the app.
    """

    def __init__(self, store: redis.Redis, prefix: str,
                 check_free_space: Callable[[], None] | None = None,
                 restart: Callable[[], None] | None = None) -> None:
        self.store = store
        self.prefix = prefix
        self.check_free_space = check_free_space or (lambda: None)
        self.restart = restart
        self._reserve = store.register_script(_RESERVE)
        self._refund = store.register_script(_REFUND)

    def _key(self, limit: Limit) -> str:
        digest = hashlib.sha256(limit.subject.encode()).hexdigest()[:32]
        return f"{self.prefix}:{limit.kind}:{digest}"

    def _use_store(self, operation: Callable[[], T], unavailable: T) -> T:
        """Run one operation on the store; `unavailable` (logged) if the store is down.

        A lost connection to an embedded store starts it again, and the operation is tried
        once more (counting an attempt twice, at worst, is harmless).
        """
        try:
            return operation()
        except redis.ConnectionError as error:
            if self.restart is None:
                log.warning("login throttle store unavailable: %s", error)
                return unavailable
            try:
                self.restart()
                return operation()
            except (RuntimeError, redis.RedisError) as again:
                log.warning("login throttle store unavailable: %s", again)
                return unavailable
        except redis.RedisError as error:
            log.warning("login throttle store unavailable: %s", error)
            return unavailable

    def reserve(self, limits: list[Limit], window_s: int) -> Limit | None:
        """Count one attempt under every limit, or none: the first limit already used up,
        else None (also when the store is down: the attempt goes on, logged). DiskFull
        when the store's disk is full."""
        self.check_free_space()
        keys = [self._key(limit) for limit in limits]
        args = [*(limit.allowed for limit in limits), window_s]
        refused = self._use_store(lambda: int(self._reserve(keys=keys, args=args)), 0)
        return limits[refused - 1] if refused else None

    def refund(self, limit: Limit) -> None:
        """Give back one attempt reserved under limit (kept on a full disk)."""
        if self._disk_allows("refund"):
            self._use_store(lambda: self._refund(keys=[self._key(limit)]), None)

    def clear(self, limit: Limit) -> None:
        """Forget every attempt counted under limit, after a right password (left to expire
        on a full disk: the sign-in itself goes on)."""
        if self._disk_allows("clear"):
            self._use_store(lambda: self.store.delete(self._key(limit)), None)

    def _disk_allows(self, what: str) -> bool:
        try:
            self.check_free_space()
        except DiskFull as error:
            log.warning("login throttle: no %s on a full disk: %s", what, error)
            return False
        return True
