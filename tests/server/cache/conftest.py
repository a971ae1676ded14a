"""Cache fixtures: every behavioural test runs on the in-process cache and on Redis."""

from __future__ import annotations

import pytest

from clustergenie_server.cache import Cache, InProcessCache
from tests.redis_support import redis_cache, redis_server  # noqa: F401 - fixtures


@pytest.fixture(params=["in_process", "redis"])
def cache(request: pytest.FixtureRequest) -> Cache:
    """The cache under test, once per implementation."""
    if request.param == "in_process":
        return InProcessCache()
    shared: Cache = request.getfixturevalue("redis_cache")
    return shared
