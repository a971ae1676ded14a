"""One leader among servers, through the cache's distributed lock (fails closed)."""

from __future__ import annotations

import contextlib
import logging

from clustergenie_server.cache.cache import Cache, CacheUnavailable

log = logging.getLogger(__name__)


class Leadership:
    """Holds (or tries to take) a named lock; check() must run more often than ttl."""

    def __init__(self, cache: Cache | None, name: str, ttl: float) -> None:
        self._cache, self._name, self._ttl = cache, name, ttl
        self._token: str | None = None

    @property
    def is_leader(self) -> bool:
        """True while this server holds the lock (always, without a cache)."""
        return self._cache is None or self._token is not None

    async def check(self) -> bool:
        """Extend the lock if held, else try to take it; True when this server leads."""
        if self._cache is None:
            return True
        was = self._token is not None
        try:
            if self._token is not None and not await self._cache.extend_lock(
                self._name, self._token, self._ttl
            ):
                self._token = None
            if self._token is None:
                self._token = await self._cache.acquire_lock(self._name, self._ttl)
        except CacheUnavailable:
            # A lock fails closed: two leaders would write every sample and decision twice.
            self._token = None
        if was != (self._token is not None):
            log.info("%s: this server %s", self._name, "leads" if self._token else "follows")
        return self._token is not None

    async def release(self) -> None:
        """Give the lock up (at shutdown), so another server takes over at once."""
        if self._cache is not None and self._token is not None:
            with contextlib.suppress(CacheUnavailable):
                await self._cache.release_lock(self._name, self._token)
            self._token = None
