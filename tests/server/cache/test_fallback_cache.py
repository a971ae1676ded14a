"""Redis going away: one warning, reads miss, limits go local, locks fail closed, then recovery."""

from __future__ import annotations

import asyncio
import logging

import pytest

from clustergenie_server.cache import CacheUnavailable
from clustergenie_server.cache.fallback_cache import FallbackCache
from clustergenie_server.cache.redis_cache import RedisCache, describe_redis_url
from tests.redis_support import RedisServer, free_port
from tests.waiting import eventually

LOGGER = "clustergenie_server.cache.fallback_cache"


def warnings_of(caplog: pytest.LogCaptureFixture) -> list[str]:
    """The fallback cache's warnings so far."""
    return [r.getMessage() for r in caplog.records if r.name == LOGGER and r.levelname == "WARNING"]


async def wait_until_available(cache: FallbackCache, timeout: float = 10.0) -> None:
    """Until the background probe has brought the shared cache back."""
    async with asyncio.timeout(timeout):
        while not cache.available:  # noqa: ASYNC110 - a property, there is no event to await
            await asyncio.sleep(0.02)


class CountingPings(RedisCache):
    """A Redis cache that counts its pings: the fallback's probes."""

    pings = 0

    async def ping(self) -> None:
        self.pings += 1
        await super().ping()


def test_urls_are_described_without_their_password() -> None:
    assert describe_redis_url("redis://:s3cret@cache:6380/2") == "redis://:***@cache:6380/2"
    assert describe_redis_url("redis://app:s3cret@cache/0") == "redis://app:***@cache/0"
    assert describe_redis_url("redis://cache:6379/0") == "redis://cache:6379/0"


async def test_unreachable_at_start_is_logged_with_its_address_and_retried(
    caplog: pytest.LogCaptureFixture,
) -> None:
    url = f"redis://:hunter2@127.0.0.1:{free_port()}/0"
    shared = CountingPings(url)
    cache = FallbackCache(shared, where=describe_redis_url(url), retry_seconds=0.05)
    with caplog.at_level(logging.INFO, LOGGER):
        await cache.start()
        assert not cache.available
        assert await cache.get("k") is None
        await cache.set("k", b"v", ttl=5)
        await eventually(lambda: shared.pings >= 4, what="several failed probes")
    await cache.aclose()
    [warning] = warnings_of(caplog)
    assert "127.0.0.1" in warning
    assert "hunter2" not in caplog.text


async def test_outage_degrades_once_and_recovers(
    redis_server: RedisServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    cache = FallbackCache(
        RedisCache(redis_server.url),
        where=redis_server.url,
        retry_seconds=0.1,
        stale_prefixes=("hot:",),
    )
    await cache.start()
    assert cache.available
    await cache.set("hot:job:1", b"running", ttl=60)
    assert await cache.get("hot:job:1") == b"running"

    redis_server.stop()
    with caplog.at_level(logging.INFO, LOGGER):
        for _ in range(20):
            assert await cache.get("hot:job:1") is None  # a miss: callers read the database
            await cache.set("hot:job:1", b"done", ttl=60)  # dropped
            assert await cache.allow("peer", rate=100, burst=100)  # local bucket
        await cache.push_point("cpu", b"1", max_len=5, ttl=60)
        assert await cache.latest_points("cpu", 5) == [b"1"]
        with pytest.raises(CacheUnavailable):
            await cache.acquire_lock("scaling:1", ttl=5)
        assert len(warnings_of(caplog)) == 1

        redis_server.start()
        await wait_until_available(cache)
    assert len(warnings_of(caplog)) == 1
    assert "reachable again" in caplog.text
    assert await cache.acquire_lock("scaling:1", ttl=5) is not None
    await cache.set("hot:job:1", b"done", ttl=60)
    assert await cache.get("hot:job:1") == b"done"
    await cache.aclose()


async def test_stale_hot_entries_are_dropped_on_recovery(redis_server: RedisServer) -> None:
    # A network blip rather than a restart: the data survives, but this server missed updates.
    shared = RedisCache(redis_server.url)
    cache = FallbackCache(
        shared, where=redis_server.url, retry_seconds=0.05, stale_prefixes=("hot:",)
    )
    await cache.start()
    await cache.set("hot:job:1", b"running", ttl=60)
    await cache.set("keep", b"x", ttl=60)
    cache._went_down(CacheUnavailable("simulated blip"))
    await wait_until_available(cache)
    assert await cache.get("hot:job:1") is None
    assert await cache.get("keep") == b"x"
    await cache.aclose()
