"""Fast shared state: one Cache interface, a Redis and an in-process implementation."""

from clustergenie_server.cache.cache import Cache, CacheUnavailable
from clustergenie_server.cache.in_process_cache import InProcessCache
from clustergenie_server.cache.lock import HeldLock, LockNotAcquired, distributed_lock

__all__ = [
    "Cache",
    "CacheUnavailable",
    "HeldLock",
    "InProcessCache",
    "LockNotAcquired",
    "distributed_lock",
]
