"""The Cache interface every implementation follows: values, locks, rate limits, metric points."""

from __future__ import annotations

from typing import Protocol

# The hot view's keys (services/shared/hot_view.py); the layout version is in the key, so a
# server with another layout simply misses. The fallback cache drops them when Redis returns.
HOT_PREFIX = "hot:v1:"


class CacheUnavailable(Exception):
    """The shared cache cannot be reached; callers degrade (database, local state) or fail."""


class Cache(Protocol):
    """Fast shared state; the database stays the source of truth for everything that matters.

    Every operation is atomic on its own. TTLs are in seconds (fractions allowed).
    """

    async def start(self) -> None:
        """Connect (or start retrying in the background); never raises for an absent backend."""
        ...

    async def aclose(self) -> None:
        """Stop background work and close connections."""
        ...

    async def ping(self) -> None:
        """Raise CacheUnavailable unless the backend answers."""
        ...

    # -- values ---------------------------------------------------------------------------------

    async def get(self, key: str) -> bytes | None:
        """The value, or None when absent or expired."""
        ...

    async def set(self, key: str, value: bytes, ttl: float) -> None:
        """Store a value that expires after ttl seconds."""
        ...

    async def set_if_newer(self, key: str, value: bytes, version: int, ttl: float) -> bool:
        """Store unless a value with a higher version is there; True when stored.

        Writers that race (two servers, an event and a read-through fill) can then never put an
        older state over a newer one.
        """
        ...

    async def delete(self, key: str) -> None:
        """Remove a value (and its version)."""
        ...

    async def delete_prefix(self, prefix: str) -> int:
        """Remove every value whose key starts with prefix; returns how many."""
        ...

    # -- locks ----------------------------------------------------------------------------------

    async def acquire_lock(self, name: str, ttl: float) -> str | None:
        """A token when the lock was free (it expires after ttl unless extended), else None.

        Raises CacheUnavailable when a shared backend is down: a lock must fail closed, or two
        servers could both believe they hold it.
        """
        ...

    async def release_lock(self, name: str, token: str) -> bool:
        """Release only if token still holds the lock (compare-and-delete); True if released."""
        ...

    async def extend_lock(self, name: str, token: str, ttl: float) -> bool:
        """Reset the lock's expiry to ttl if token still holds it; False when it was lost."""
        ...

    # -- rate limits ----------------------------------------------------------------------------

    async def allow(self, key: str, rate: float, burst: int) -> bool:
        """Token bucket: take one token from key's bucket (refilled at rate/s, at most burst)."""
        ...

    # -- latest metric points -------------------------------------------------------------------

    async def push_point(self, key: str, point: bytes, max_len: int, ttl: float) -> None:
        """Append a point to key's capped list (oldest dropped beyond max_len)."""
        ...

    async def latest_points(self, key: str, count: int) -> list[bytes]:
        """The last count points of key, oldest first."""
        ...
