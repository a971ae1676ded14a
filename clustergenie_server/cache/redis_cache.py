"""The shared cache on Redis (redis-py's asyncio client); multi-key steps are Lua scripts."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager
from typing import TypeVar, cast
from urllib.parse import urlsplit, urlunsplit

import redis.asyncio as aioredis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from clustergenie_server.cache.cache import CacheUnavailable
from clustergenie_server.cache.in_process_cache import check_rate

T = TypeVar("T")

# A value's version lives beside it under KEYS[2]; both expire together.
_SET_IF_NEWER = """
local current = redis.call('GET', KEYS[2])
if current and tonumber(current) > tonumber(ARGV[2]) then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
return 1
"""
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""
_EXTEND = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
"""
# Token bucket on Redis' own clock, so servers with skewed clocks share one fair bucket.
_ALLOW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local rate, burst = tonumber(ARGV[1]), tonumber(ARGV[2])
local b = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens, at = tonumber(b[1]), tonumber(b[2])
if tokens == nil then tokens, at = burst, now end
tokens = math.min(burst, tokens + math.max(0, now - at) * rate)
local allowed = 0
if tokens >= 1 then tokens, allowed = tokens - 1, 1 end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) / rate * 1000) + 1000)
return allowed
"""
_VERSION_SUFFIX = "#v"
_GLOB_SPECIAL = str.maketrans({c: "\\" + c for c in "*?[]\\"})


def describe_redis_url(url: str) -> str:
    """The URL for logs and messages: password hidden, everything else kept."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    user = parts.username or ""
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))


def _ms(seconds: float) -> int:
    return max(1, round(seconds * 1000))


class RedisCache:
    """Every key carries prefix, so several deployments (or tests) can share one Redis."""

    def __init__(self, url: str, *, prefix: str = "clustergenie:", timeout: float = 1.0) -> None:
        self.url, self.prefix = url, prefix
        # Short timeouts and a single reconnect: a dead Redis must cost a request milliseconds,
        # not redis-py's default seconds of back-off, before the caller falls back.
        self._client: aioredis.Redis = aioredis.Redis.from_url(
            url,
            socket_timeout=timeout,
            socket_connect_timeout=timeout,
            retry=Retry(NoBackoff(), 1),
        )
        self._set_if_newer = self._client.register_script(_SET_IF_NEWER)
        self._release = self._client.register_script(_RELEASE)
        self._extend = self._client.register_script(_EXTEND)
        self._allow = self._client.register_script(_ALLOW)

    async def start(self) -> None:
        """Connections are opened on first use."""

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._client.aclose()

    async def ping(self) -> None:
        """Raise CacheUnavailable unless Redis answers."""
        await self._call(self._client.ping())

    async def get(self, key: str) -> bytes | None:
        """The value, or None when absent or expired."""
        # redis-py types replies as bytes or str; with decode_responses off they are bytes.
        value = await self._call(self._client.get(self.prefix + key))
        return cast("bytes | None", value)

    async def set(self, key: str, value: bytes, ttl: float) -> None:
        """Store a value that expires after ttl seconds."""
        await self._call(self._client.set(self.prefix + key, value, px=_ms(ttl)))

    async def set_if_newer(self, key: str, value: bytes, version: int, ttl: float) -> bool:
        """Store unless a value with a higher version is there; True when stored."""
        k = self.prefix + key
        keys = [k, k + _VERSION_SUFFIX]
        return bool(await self._call(self._set_if_newer(keys, [value, version, _ms(ttl)])))

    async def delete(self, key: str) -> None:
        """Remove a value (and its version)."""
        k = self.prefix + key
        await self._call(self._client.delete(k, k + _VERSION_SUFFIX))

    async def delete_prefix(self, prefix: str) -> int:
        """Remove every value under prefix, in batches (SCAN, never KEYS, so Redis stays live)."""
        pattern = (self.prefix + prefix).translate(_GLOB_SPECIAL) + "*"
        removed = 0
        async with self._errors():
            batch: list[bytes] = []
            async for key in self._client.scan_iter(match=pattern, count=500):
                batch.append(key)
                if len(batch) >= 500:
                    removed += await self._client.unlink(*batch)
                    batch.clear()
            if batch:
                removed += await self._client.unlink(*batch)
        return removed

    async def acquire_lock(self, name: str, ttl: float) -> str | None:
        """A token when the lock was free, else None."""
        token = secrets.token_hex(16)
        key = f"{self.prefix}lock:{name}"
        ok = await self._call(self._client.set(key, token, nx=True, px=_ms(ttl)))
        return token if ok else None

    async def release_lock(self, name: str, token: str) -> bool:
        """Release only if token still holds the lock (compare-and-delete in one script)."""
        return bool(await self._call(self._release([f"{self.prefix}lock:{name}"], [token])))

    async def extend_lock(self, name: str, token: str, ttl: float) -> bool:
        """Reset the lock's expiry if token still holds it."""
        key = f"{self.prefix}lock:{name}"
        return bool(await self._call(self._extend([key], [token, _ms(ttl)])))

    async def allow(self, key: str, rate: float, burst: int) -> bool:
        """Token bucket refilled at rate per second, holding at most burst tokens."""
        check_rate(rate, burst)
        return bool(await self._call(self._allow([f"{self.prefix}rate:{key}"], [rate, burst])))

    async def push_point(self, key: str, point: bytes, max_len: int, ttl: float) -> None:
        """Append a point to key's capped list (one MULTI: push, trim, expire)."""
        k = f"{self.prefix}points:{key}"
        async with self._errors(), self._client.pipeline(transaction=True) as pipe:
            # Queued, not sent: redis-py types each as the reply, not as the pipeline it returns.
            pipe.rpush(k, point)
            pipe.ltrim(k, -max_len, -1)
            pipe.pexpire(k, _ms(ttl))
            await pipe.execute()

    async def latest_points(self, key: str, count: int) -> list[bytes]:
        """The last count points of key, oldest first."""
        if count <= 0:
            return []
        points = await self._call(self._client.lrange(f"{self.prefix}points:{key}", -count, -1))
        return cast("list[bytes]", points)  # bytes: decode_responses is off

    async def _call(self, call: Awaitable[T]) -> T:
        async with self._errors():
            return await call

    @asynccontextmanager
    async def _errors(self) -> AsyncIterator[None]:
        """Connection trouble becomes CacheUnavailable; a bad command stays a bug."""
        try:
            yield
        except (RedisConnectionError, RedisTimeoutError, OSError) as exc:
            raise CacheUnavailable(
                f"Redis at {describe_redis_url(self.url)} cannot be reached ({exc})"
            ) from exc
