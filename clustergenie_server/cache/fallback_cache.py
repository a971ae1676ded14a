"""Degradation: while the shared cache is unreachable, the database and local state stand in."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

from clustergenie_server.cache.cache import Cache, CacheUnavailable
from clustergenie_server.cache.in_process_cache import InProcessCache

T = TypeVar("T")

log = logging.getLogger(__name__)


class FallbackCache:
    """Wraps the shared cache; one warning when it goes away, one notice when it is back.

    While it is down: reads miss (callers read the database), writes are dropped, rate limits and
    metric points use an in-process cache, and locks fail closed (CacheUnavailable). A probe
    retries in the background; on recovery the keys under `stale_prefixes` are dropped first,
    since writes this server skipped meanwhile would otherwise leave stale values behind.
    """

    def __init__(
        self,
        shared: Cache,
        *,
        where: str,
        retry_seconds: float = 2.0,
        stale_prefixes: Sequence[str] = (),
    ) -> None:
        self._shared, self._local = shared, InProcessCache()
        self._where, self._retry_seconds = where, retry_seconds
        self._stale_prefixes = tuple(stale_prefixes)
        self._up = False
        self._probe: asyncio.Task[None] | None = None

    @property
    def available(self) -> bool:
        """True while the shared cache is in use."""
        return self._up

    async def start(self) -> None:
        """Check the shared cache once; when it is down, say where and keep retrying."""
        try:
            await self._shared.ping()
        except CacheUnavailable as exc:
            self._went_down(exc)
        else:
            self._up = True
            log.info("using the shared cache at %s", self._where)

    async def aclose(self) -> None:
        """Stop probing and close both caches."""
        if self._probe is not None:
            self._probe.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._probe
        await self._shared.aclose()
        await self._local.aclose()

    async def ping(self) -> None:
        """Raise CacheUnavailable unless the shared cache answers."""
        await self._shared.ping()

    async def get(self, key: str) -> bytes | None:
        """A miss while the shared cache is down."""
        return await self._try(lambda c: c.get(key), None)

    async def set(self, key: str, value: bytes, ttl: float) -> None:
        """Dropped while the shared cache is down."""
        await self._try(lambda c: c.set(key, value, ttl), None)

    async def set_if_newer(self, key: str, value: bytes, version: int, ttl: float) -> bool:
        """Dropped (False) while the shared cache is down."""
        return await self._try(lambda c: c.set_if_newer(key, value, version, ttl), False)

    async def delete(self, key: str) -> None:
        """Dropped while down; the recovery drops stale prefixes instead."""
        await self._try(lambda c: c.delete(key), None)

    async def delete_prefix(self, prefix: str) -> int:
        """Dropped (0) while down."""
        return await self._try(lambda c: c.delete_prefix(prefix), 0)

    async def acquire_lock(self, name: str, ttl: float) -> str | None:
        """Fails closed (CacheUnavailable) while down."""
        return await self._shared_or_raise(lambda c: c.acquire_lock(name, ttl))

    async def release_lock(self, name: str, token: str) -> bool:
        """Fails closed while down; the lock then expires by its TTL."""
        return await self._shared_or_raise(lambda c: c.release_lock(name, token))

    async def extend_lock(self, name: str, token: str, ttl: float) -> bool:
        """Fails closed while down: the holder must assume it lost the lock."""
        return await self._shared_or_raise(lambda c: c.extend_lock(name, token, ttl))

    async def allow(self, key: str, rate: float, burst: int) -> bool:
        """Per-server buckets while down: limits still hold, just not shared."""
        return await self._try_or_local(lambda c: c.allow(key, rate, burst))

    async def push_point(self, key: str, point: bytes, max_len: int, ttl: float) -> None:
        """Kept in this process while down."""
        await self._try_or_local(lambda c: c.push_point(key, point, max_len, ttl))

    async def latest_points(self, key: str, count: int) -> list[bytes]:
        """This process's points while down."""
        return await self._try_or_local(lambda c: c.latest_points(key, count))

    # -- the switch -----------------------------------------------------------------------------

    async def _try(self, op: Callable[[Cache], Awaitable[T]], default: T) -> T:
        if not self._up:
            return default
        try:
            return await op(self._shared)
        except CacheUnavailable as exc:
            self._went_down(exc)
            return default

    async def _try_or_local(self, op: Callable[[Cache], Awaitable[T]]) -> T:
        if self._up:
            try:
                return await op(self._shared)
            except CacheUnavailable as exc:
                self._went_down(exc)
        return await op(self._local)

    async def _shared_or_raise(self, op: Callable[[Cache], Awaitable[T]]) -> T:
        if not self._up:
            raise CacheUnavailable(f"the shared cache at {self._where} is unreachable")
        try:
            return await op(self._shared)
        except CacheUnavailable as exc:
            self._went_down(exc)
            raise

    def _went_down(self, exc: CacheUnavailable) -> None:
        was_up, self._up = self._up, False
        if self._probe is not None and not self._probe.done():
            return  # already known and being retried: no second warning
        log.warning(
            "%s; %s from the database and in-process state, retrying every %gs",
            exc,
            "continuing" if was_up else "serving",
            self._retry_seconds,
        )
        self._probe = asyncio.create_task(self._recover(), name="cache-recovery")

    async def _recover(self) -> None:
        while True:
            await asyncio.sleep(self._retry_seconds)
            try:
                await self._shared.ping()
                for prefix in self._stale_prefixes:
                    await self._shared.delete_prefix(prefix)
            except CacheUnavailable:
                continue
            self._up = True
            log.info("the shared cache at %s is reachable again; using it", self._where)
            return
