"""Attempt limits (sign-in, password re-checks, reset mails), shared by every app process
through a Redis store (by default the embedded FalkorDB server, which is a Redis server).

An attempt is reserved BEFORE the work it stands for (a password check, a mail): one script
checks every counter it is subject to and counts one on each, or on none, so concurrent
attempts can never pass a limit together. Each counter lives in a fixed window that its
first attempt opens. If the store cannot be reached, attempts go on unthrottled (a logged
warning): locking every member out because a counter is down would be worse.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

import redis

log = logging.getLogger(__name__)

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
    """Counters of attempts per kind and subject in a shared store."""

    def __init__(self, store: redis.Redis, prefix: str) -> None:
        self.store = store
        self.prefix = prefix
        self._reserve = store.register_script(_RESERVE)
        self._refund = store.register_script(_REFUND)

    def _key(self, limit: Limit) -> str:
        digest = hashlib.sha256(limit.subject.encode()).hexdigest()[:32]
        return f"{self.prefix}:{limit.kind}:{digest}"

    def reserve(self, limits: list[Limit], window_s: int) -> Limit | None:
        """Count one attempt under every limit, or none: the first limit already used up,
        else None (also when the store is down: the attempt goes on, logged)."""
        try:
            refused = int(self._reserve(keys=[self._key(limit) for limit in limits],
                                        args=[*(limit.allowed for limit in limits), window_s]))
        except redis.RedisError as error:
            log.warning("login throttle store unavailable: %s", error)
            return None
        return limits[refused - 1] if refused else None

    def refund(self, limit: Limit) -> None:
        """Give back one attempt reserved under limit."""
        try:
            self._refund(keys=[self._key(limit)])
        except redis.RedisError as error:
            log.warning("login throttle store unavailable: %s", error)

    def clear(self, limit: Limit) -> None:
        """Forget every attempt counted under limit (after a right password)."""
        try:
            self.store.delete(self._key(limit))
        except redis.RedisError as error:
            log.warning("login throttle store unavailable: %s", error)
