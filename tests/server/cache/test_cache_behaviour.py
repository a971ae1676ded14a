"""The same behaviour on every Cache implementation: values, versions, locks, limits, points."""

from __future__ import annotations

import asyncio

import pytest

from clustergenie_server.cache import Cache, LockNotAcquired, distributed_lock

from .conftest import Passing


async def test_values_expire_after_their_ttl(cache: Cache, passing: Passing) -> None:
    await cache.set("a", b"1", ttl=1.0)
    assert await cache.get("a") == b"1"
    assert await cache.get("missing") is None

    async def gone() -> bool:
        return await cache.get("a") is None

    await passing.until(gone, seconds=1.1)


async def test_delete_and_delete_prefix(cache: Cache) -> None:
    await cache.set("hot:1", b"x", ttl=10)
    await cache.set("hot:2", b"y", ttl=10)
    await cache.set_if_newer("hot:3", b"z", version=5, ttl=10)
    await cache.set("cold:1", b"z", ttl=10)
    await cache.delete("hot:1")
    assert await cache.get("hot:1") is None
    assert await cache.delete_prefix("hot:") >= 2
    assert await cache.get("hot:2") is None
    assert await cache.get("hot:3") is None
    assert await cache.get("cold:1") == b"z"
    # The version went with the value: an older write is accepted again.
    assert await cache.set_if_newer("hot:3", b"old", version=1, ttl=10)


async def test_set_if_newer_never_goes_back_in_time(cache: Cache) -> None:
    assert await cache.set_if_newer("job", b"v2", version=2, ttl=10)
    assert not await cache.set_if_newer("job", b"v1", version=1, ttl=10)
    assert await cache.get("job") == b"v2"
    assert await cache.set_if_newer("job", b"v2 again", version=2, ttl=10)
    assert await cache.set_if_newer("job", b"v3", version=3, ttl=10)
    assert await cache.get("job") == b"v3"


async def test_a_versioned_value_expires_with_its_version(cache: Cache, passing: Passing) -> None:
    await cache.set_if_newer("job", b"v9", version=9, ttl=0.5)

    async def gone() -> bool:
        return await cache.get("job") is None

    await passing.until(gone, seconds=0.6)
    assert await cache.set_if_newer("job", b"v1", version=1, ttl=10)


async def test_lock_is_exclusive_and_released_only_by_its_holder(cache: Cache) -> None:
    token = await cache.acquire_lock("scaling:7", ttl=10)
    assert token is not None
    assert await cache.acquire_lock("scaling:7", ttl=10) is None
    assert await cache.acquire_lock("scaling:8", ttl=10) is not None
    assert not await cache.release_lock("scaling:7", "someone-else")
    assert await cache.acquire_lock("scaling:7", ttl=10) is None
    assert await cache.release_lock("scaling:7", token)
    assert not await cache.release_lock("scaling:7", token)
    assert await cache.acquire_lock("scaling:7", ttl=10) is not None


async def test_lock_expires_unless_extended(cache: Cache, passing: Passing) -> None:
    token = await cache.acquire_lock("l", ttl=0.5)
    # A witness taken with the same ttl shows (on Redis's own clock) when 0.5 s have passed.
    assert await cache.acquire_lock("witness", ttl=0.5) is not None
    assert token is not None
    assert await cache.extend_lock("l", token, ttl=60)

    async def witness_expired() -> bool:
        return await cache.acquire_lock("witness", ttl=60) is not None

    await passing.until(witness_expired, seconds=0.6)
    assert await cache.acquire_lock("l", ttl=10) is None  # the extension kept it
    assert await cache.extend_lock("l", token, ttl=0.5)  # now let it lapse
    taken: list[str] = []

    async def taken_by_another() -> bool:
        other = await cache.acquire_lock("l", ttl=60)
        taken.extend([other] if other else [])
        return other is not None

    await passing.until(taken_by_another, seconds=0.6)
    assert not await cache.extend_lock("l", token, ttl=10)
    assert not await cache.release_lock("l", token)  # cannot release the new holder's lock
    assert await cache.release_lock("l", taken[0])


async def test_distributed_lock_context_manager(cache: Cache) -> None:
    order: list[str] = []

    async def worker(name: str) -> None:
        async with distributed_lock(cache, "cluster:1", ttl=5, wait=5, poll=0.01) as held:
            order.append(f"{name} in")
            assert await held.extend()
            await asyncio.sleep(0.05)  # holds the lock across awaits: the other must wait
            order.append(f"{name} out")

    await asyncio.gather(worker("a"), worker("b"))
    assert order in (["a in", "a out", "b in", "b out"], ["b in", "b out", "a in", "a out"])
    async with distributed_lock(cache, "cluster:1", ttl=5):
        with pytest.raises(LockNotAcquired, match="cluster:1"):
            async with distributed_lock(cache, "cluster:1", ttl=5, wait=0.05):
                pass


async def test_rate_limit_allows_the_burst_then_the_rate(cache: Cache, passing: Passing) -> None:
    results = [await cache.allow("peer", rate=10, burst=5) for _ in range(8)]
    assert results == [True] * 5 + [False] * 3
    assert await cache.allow("other-peer", rate=10, burst=5)  # buckets are per key

    async def refilled() -> bool:
        return await cache.allow("peer", rate=10, burst=5)

    await passing.until(refilled, seconds=0.25)  # 2.5 tokens back, one taken here
    if passing.clock is not None:  # exact on a clock the test moves: 1.5 tokens are left
        assert [await cache.allow("peer", rate=10, burst=5) for _ in range(2)] == [True, False]
        passing.clock.advance(60)  # however long it waits, the bucket holds only the burst
        assert [await cache.allow("peer", rate=10, burst=5) for _ in range(6)] == [True] * 5 + [
            False
        ]


async def test_rate_limit_is_atomic_under_concurrency(cache: Cache) -> None:
    results = await asyncio.gather(*(cache.allow("p", rate=0.001, burst=20) for _ in range(50)))
    assert sum(results) == 20


async def test_rate_limit_refuses_a_bucket_that_cannot_work(cache: Cache) -> None:
    with pytest.raises(ValueError, match="rate > 0"):
        await cache.allow("p", rate=0, burst=1)


async def test_latest_points_are_capped_and_oldest_first(cache: Cache) -> None:
    for i in range(10):
        await cache.push_point("cpu:1", str(i).encode(), max_len=4, ttl=10)
    assert await cache.latest_points("cpu:1", 3) == [b"7", b"8", b"9"]
    assert await cache.latest_points("cpu:1", 100) == [b"6", b"7", b"8", b"9"]
    assert await cache.latest_points("cpu:1", 0) == []
    assert await cache.latest_points("cpu:2", 5) == []


async def test_latest_points_expire(cache: Cache, passing: Passing) -> None:
    await cache.push_point("mem:1", b"1", max_len=4, ttl=0.5)
    assert await cache.latest_points("mem:1", 5) == [b"1"]

    async def gone() -> bool:
        return await cache.latest_points("mem:1", 5) == []

    await passing.until(gone, seconds=0.6)
