"""Login throttling, shared by every app process through a Redis store (by default the
embedded FalkorDB server, which is a Redis server).

Failures are counted per account and per client address in fixed windows. While a limit
is reached, sign-in answers 429 whatever the password, for known and unknown e-mails
alike. If the store cannot be reached, sign-in goes on unthrottled (a logged warning):
locking every member out because a counter is down would be worse.

A store on the embedded server shares its disk guard (graph.falkordb_engine): on a full
disk a failed sign-in is refused (DiskFull, a 503) rather than counted, since the count
could stop the server, and rather than left uncounted, which would lift the limit.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from typing import TypeVar

import redis
from flask import current_app

from graph.engine import DiskFull

log = logging.getLogger(__name__)
T = TypeVar("T")


class LoginThrottle:
    """Counts failed sign-ins per account and per IP in a shared store.

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

    def _keys(self, account: str, ip: str) -> list[tuple[str, int]]:
        config = current_app.config
        digest = hashlib.sha256(account.encode()).hexdigest()[:32]
        return [
            (f"{self.prefix}:login:acct:{digest}", config["TRUSTNET_LOGIN_LIMIT_ACCOUNT"]),
            (f"{self.prefix}:login:ip:{ip}", config["TRUSTNET_LOGIN_LIMIT_IP"]),
        ]

    def _use_store(self, operation: Callable[[], T], unavailable: T) -> T:
        """Run one operation on the store; `unavailable` (logged) if the store is down.

        A lost connection to an embedded store starts it again, and the operation is tried
        once more (counting a failure twice, at worst, is harmless).
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

    def is_blocked(self, account: str, ip: str) -> bool:
        """True when the account or the address has used up its failures for this window."""
        keys = self._keys(account, ip)
        counts = self._use_store(lambda: self.store.mget([key for key, _ in keys]), None)
        if counts is None:
            return False
        return any(int(count or 0) >= limit
                   for count, (_, limit) in zip(counts, keys, strict=True))

    def record_failure(self, account: str, ip: str) -> None:
        """Count one failed sign-in against the account and the address."""
        window = current_app.config["TRUSTNET_LOGIN_WINDOW_S"]
        self.check_free_space()
        keys = self._keys(account, ip)

        def count() -> None:
            pipe = self.store.pipeline()
            for key, _ in keys:
                pipe.incr(key)
                pipe.expire(key, window, nx=True)
            pipe.execute()

        self._use_store(count, None)

    def clear_account(self, account: str, ip: str) -> None:
        """Forget the account's failures after a successful sign-in (left to expire on a
        full disk: the sign-in itself goes on)."""
        try:
            self.check_free_space()
        except DiskFull as error:
            log.warning("login throttle not cleared: %s", error)
            return
        key = self._keys(account, ip)[0][0]
        self._use_store(lambda: self.store.delete(key), None)
