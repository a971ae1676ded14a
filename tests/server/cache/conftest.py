"""Cache fixtures: every behavioural test runs on the in-process cache and on Redis."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import pytest

from clustergenie_server.cache import Cache, InProcessCache
from tests.redis_support import redis_cache, redis_server  # noqa: F401 - fixtures
from tests.waiting import FakeClock, eventually


@dataclass
class Passing:
    """How a test lets time pass for the cache under test.

    The in-process cache runs on a fake clock that the test moves; Redis keeps its own clock
    (TIME, key expiry), so there the test waits for the outcome itself, with a deadline.
    """

    clock: FakeClock | None

    async def until(self, condition: Callable[[], Awaitable[bool]], *, seconds: float) -> None:
        """Let seconds pass, then require condition; on Redis, wait until it holds."""
        if self.clock is not None:
            self.clock.advance(seconds)
            assert await condition(), f"not so after {seconds} s"
        else:
            await eventually(condition, timeout=seconds + 10.0)


@pytest.fixture(params=["in_process", "redis"])
def cache_and_time(request: pytest.FixtureRequest) -> tuple[Cache, Passing]:
    """The cache under test, once per implementation, and how to let time pass for it."""
    if request.param == "in_process":
        clock = FakeClock()
        return InProcessCache(clock=clock), Passing(clock)
    shared: Cache = request.getfixturevalue("redis_cache")
    return shared, Passing(None)


@pytest.fixture
def cache(cache_and_time: tuple[Cache, Passing]) -> Cache:
    """The cache under test."""
    return cache_and_time[0]


@pytest.fixture
def passing(cache_and_time: tuple[Cache, Passing]) -> Passing:
    """How to let time pass for the cache under test."""
    return cache_and_time[1]
