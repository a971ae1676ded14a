"""Chooses the cache from settings: Redis (with degradation) given a URL, else in-process."""

from __future__ import annotations

from clustergenie_server.cache.cache import HOT_PREFIX, Cache
from clustergenie_server.cache.fallback_cache import FallbackCache
from clustergenie_server.cache.in_process_cache import InProcessCache
from clustergenie_server.settings import Settings


def build_cache(settings: Settings) -> Cache:
    """The cache this server uses; nothing is connected until start()."""
    if not settings.redis_url:
        return InProcessCache()
    # Imported here so that the embedded default never loads redis-py (~60 ms of start-up).
    from clustergenie_server.cache.redis_cache import RedisCache, describe_redis_url

    redis = RedisCache(settings.redis_url, prefix=settings.cache.key_prefix)
    return FallbackCache(
        redis,
        where=describe_redis_url(settings.redis_url),
        retry_seconds=settings.cache.retry_seconds,
        stale_prefixes=(HOT_PREFIX,),
    )
