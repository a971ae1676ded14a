"""The embedded cache: dictionaries on the server's event loop, with the Redis semantics."""

from __future__ import annotations

import secrets
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(slots=True)
class _Entry:
    value: bytes
    expires_at: float
    version: int | None = None


@dataclass(slots=True)
class _Bucket:
    tokens: float
    at: float
    full_at: float = 0.0  # from then on the bucket is full: the same as having none


@dataclass(slots=True)
class _Points:
    items: deque[bytes]
    expires_at: float


# Sweep expired entries once this many writes have happened, so memory stays bounded even for
# keys nobody reads again (Redis expires them actively; we do it lazily plus these sweeps).
_SWEEP_EVERY = 1000


class InProcessCache:
    """Everything lives in this process; each method runs without awaiting, so it is atomic."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        # The clock is injectable so that tests move time by hand instead of sleeping.
        self._clock = clock
        self._values: dict[str, _Entry] = {}
        self._locks: dict[str, _Entry] = {}
        self._buckets: dict[str, _Bucket] = {}
        self._points: dict[str, _Points] = {}
        self._writes = 0

    async def start(self) -> None:
        """Nothing to connect to."""

    async def aclose(self) -> None:
        """Forget everything."""
        self._values.clear()
        self._locks.clear()
        self._buckets.clear()
        self._points.clear()

    async def ping(self) -> None:
        """Always reachable."""

    # -- values ---------------------------------------------------------------------------------

    async def get(self, key: str) -> bytes | None:
        """The value, or None when absent or expired."""
        entry = _live(self._values, key, self._clock())
        return entry.value if entry else None

    async def set(self, key: str, value: bytes, ttl: float) -> None:
        """Store a value that expires after ttl seconds."""
        self._wrote()
        self._values[key] = _Entry(value, self._clock() + ttl)

    async def set_if_newer(self, key: str, value: bytes, version: int, ttl: float) -> bool:
        """Store unless a value with a higher version is there; True when stored."""
        current = _live(self._values, key, self._clock())
        if current is not None and current.version is not None and current.version > version:
            return False
        self._wrote()
        self._values[key] = _Entry(value, self._clock() + ttl, version)
        return True

    async def delete(self, key: str) -> None:
        """Remove a value (and its version)."""
        self._values.pop(key, None)

    async def delete_prefix(self, prefix: str) -> int:
        """Remove every value whose key starts with prefix."""
        doomed = [k for k in self._values if k.startswith(prefix)]
        for key in doomed:
            del self._values[key]
        return len(doomed)

    # -- locks ----------------------------------------------------------------------------------

    async def acquire_lock(self, name: str, ttl: float) -> str | None:
        """A token when the lock was free, else None."""
        if _live(self._locks, name, self._clock()) is not None:
            return None
        token = secrets.token_hex(16)
        self._locks[name] = _Entry(token.encode(), self._clock() + ttl)
        return token

    async def release_lock(self, name: str, token: str) -> bool:
        """Release only if token still holds the lock."""
        entry = _live(self._locks, name, self._clock())
        if entry is None or entry.value != token.encode():
            return False
        del self._locks[name]
        return True

    async def extend_lock(self, name: str, token: str, ttl: float) -> bool:
        """Reset the lock's expiry if token still holds it."""
        entry = _live(self._locks, name, self._clock())
        if entry is None or entry.value != token.encode():
            return False
        entry.expires_at = self._clock() + ttl
        return True

    # -- rate limits ----------------------------------------------------------------------------

    async def allow(self, key: str, rate: float, burst: int) -> bool:
        """Token bucket refilled at rate per second, holding at most burst tokens."""
        check_rate(rate, burst)
        now = self._clock()
        bucket = self._buckets.get(key)
        if bucket is None:
            self._wrote()
            bucket = self._buckets[key] = _Bucket(float(burst), now)
        bucket.tokens = min(float(burst), bucket.tokens + (now - bucket.at) * rate)
        bucket.at = now
        allowed = bucket.tokens >= 1.0
        if allowed:
            bucket.tokens -= 1.0
        bucket.full_at = now + (burst - bucket.tokens) / rate
        return allowed

    # -- latest metric points -------------------------------------------------------------------

    async def push_point(self, key: str, point: bytes, max_len: int, ttl: float) -> None:
        """Append a point to key's capped list."""
        now = self._clock()
        points = self._points.get(key)
        if points is None or points.expires_at <= now or points.items.maxlen != max_len:
            self._wrote()
            old = points.items if points is not None and points.expires_at > now else ()
            points = self._points[key] = _Points(deque(old, maxlen=max_len), 0.0)
        points.items.append(point)
        points.expires_at = now + ttl

    async def latest_points(self, key: str, count: int) -> list[bytes]:
        """The last count points of key, oldest first."""
        points = self._points.get(key)
        if points is None or points.expires_at <= self._clock() or count <= 0:
            return []
        return list(points.items)[-count:]

    def _wrote(self) -> None:
        self._writes += 1
        if self._writes % _SWEEP_EVERY == 0:
            self._sweep()

    def _sweep(self) -> None:
        now = self._clock()
        for table in (self._values, self._locks):
            for key in [k for k, e in table.items() if e.expires_at <= now]:
                del table[key]
        for key in [k for k, p in self._points.items() if p.expires_at <= now]:
            del self._points[key]
        for key in [k for k, b in self._buckets.items() if b.full_at <= now]:
            del self._buckets[key]


def check_rate(rate: float, burst: int) -> None:
    """Refuse a bucket that could never refill or never hold a token."""
    if rate <= 0 or burst < 1:
        raise ValueError(f"a rate limit needs rate > 0 and burst >= 1, not {rate}/{burst}")


def _live(table: dict[str, _Entry], key: str, now: float) -> _Entry | None:
    entry = table.get(key)
    if entry is not None and entry.expires_at <= now:
        del table[key]
        return None
    return entry
