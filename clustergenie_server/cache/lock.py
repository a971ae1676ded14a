"""A distributed lock as an async context manager over any Cache's token-based lock."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from clustergenie_server.cache.cache import Cache


class LockNotAcquired(Exception):
    """Someone else held the lock for the whole wait."""


@dataclass(slots=True)
class HeldLock:
    """A lock this process holds; extend it before its TTL runs out or lose it."""

    cache: Cache
    name: str
    token: str
    ttl: float

    async def extend(self, ttl: float | None = None) -> bool:
        """Push the expiry out again; False means the lock was lost (expired, taken by another)."""
        return await self.cache.extend_lock(self.name, self.token, ttl or self.ttl)


@asynccontextmanager
async def distributed_lock(
    cache: Cache, name: str, ttl: float, *, wait: float = 0.0, poll: float = 0.05
) -> AsyncIterator[HeldLock]:
    """Hold `name` for the block; wait up to `wait` seconds for it, else LockNotAcquired.

    The release compares the token, so a holder whose lock expired cannot release the next
    holder's lock. CacheUnavailable passes through: a lock fails closed.
    """
    deadline = time.monotonic() + wait
    while (token := await cache.acquire_lock(name, ttl)) is None:
        if time.monotonic() >= deadline:
            raise LockNotAcquired(f"lock {name!r} is held by another server or task")
        await asyncio.sleep(poll)
    try:
        yield HeldLock(cache, name, token, ttl)
    finally:
        await cache.release_lock(name, token)
