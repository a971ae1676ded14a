"""The hot view: droplets and jobs as the GUI reads them, kept current from the event bus."""

from __future__ import annotations

import asyncio
import contextlib
import enum
import json
import logging
import types
from collections.abc import Callable
from dataclasses import fields
from datetime import datetime
from typing import Any, TypeVar, Union, get_args, get_origin, get_type_hints

from clustergenie_server.bus.event_bus import (
    DROPLETS_TOPIC,
    JOBS_TOPIC,
    EventBus,
    SubscriberOverflow,
    Subscription,
)
from clustergenie_server.cache.cache import HOT_PREFIX, Cache, CacheUnavailable
from clustergenie_server.domain.events import DropletChanged, Event, JobChanged
from clustergenie_server.domain.models import Droplet, DropletStatus, Job

log = logging.getLogger(__name__)

# Entries that will never change again may live longer than ones that still move.
_SETTLED_TTL_SECONDS = 300.0
_TOPICS = (JOBS_TOPIC, DROPLETS_TOPIC)  # what record() applies

# Decoded hot-view entries kept for repeated reads of the same state.
_MAX_DECODED = 4096

M = TypeVar("M", Job, Droplet)


def encode(obj: Job | Droplet) -> bytes:
    """JSON of a frozen domain dataclass (datetimes as ISO 8601, enums as their values)."""
    out: dict[str, Any] = {}
    for f in fields(obj):
        value = getattr(obj, f.name)
        if isinstance(value, datetime):
            value = value.isoformat()
        elif isinstance(value, enum.Enum):
            value = value.value
        out[f.name] = value
    return json.dumps(out, separators=(",", ":")).encode()


def decode(cls: type[M], raw: bytes) -> M:
    """The dataclass back from encode(); raises on any mismatch (callers treat it as a miss)."""
    converters = _converters(cls)
    data = json.loads(raw)
    return cls(**{name: converters[name](value) for name, value in data.items()})


# A dict, not functools.cache: mypy takes a dataclass type's __hash__ for an unbound method
# and refuses the class as a Hashable argument.
_CONVERTERS: dict[type[Any], dict[str, Callable[[Any], Any]]] = {}


def _converters(cls: type[Any]) -> dict[str, Callable[[Any], Any]]:
    """One converter per field, worked out once per class.

    get_type_hints resolves every annotation string again on each call (~0.25 ms for a
    Droplet), which made a hot-view hit cost more than the database read it saves.
    """
    known = _CONVERTERS.get(cls)
    if known is None:
        known = {name: _converter(tp) for name, tp in get_type_hints(cls).items()}
        _CONVERTERS[cls] = known
    return known


def _converter(tp: Any) -> Callable[[Any], Any]:
    if get_origin(tp) in (Union, types.UnionType):  # X | None
        inner = _converter(next(a for a in get_args(tp) if a is not type(None)))
        return lambda value: None if value is None else inner(value)
    if tp is datetime:
        return datetime.fromisoformat
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return tp
    if get_origin(tp) is tuple:
        return tuple
    return _same


def _same(value: Any) -> Any:
    return value


def _version(updated_at: datetime | None) -> int | None:
    return None if updated_at is None else int(updated_at.timestamp() * 1_000_000)


class HotView:
    """Read-through, versioned cache of single droplets and jobs; the database stays the truth.

    Every write is `set_if_newer` on the row's updated_at, so an event and a read-through fill
    that race (or two servers) never put an older state over a newer one. The TTL bounds how
    long a missed update (a Redis blip, an overflowed subscriber) can show an old state.
    """

    def __init__(self, cache: Cache, ttl: float) -> None:
        self._cache, self._ttl = cache, ttl
        # key -> (raw, decoded) of the last hits: a hot droplet is read far more often than it
        # changes, and decoding (JSON, then every field's converter) was the largest part of
        # a GetDroplet in the server's profile. The objects are frozen, so sharing them is safe.
        self._decoded: dict[str, tuple[bytes, Job | Droplet]] = {}

    async def job(self, job_id: int) -> Job | None:
        """The cached job, or None."""
        return await self._get(Job, f"{HOT_PREFIX}job:{job_id}")

    async def droplet(self, droplet_id: int) -> Droplet | None:
        """The cached droplet, or None."""
        return await self._get(Droplet, f"{HOT_PREFIX}droplet:{droplet_id}")

    async def put_job(self, job: Job) -> None:
        """Remember a job state read from the database or announced by an event."""
        ttl = _SETTLED_TTL_SECONDS if job.state.is_final else self._ttl
        await self._put(f"{HOT_PREFIX}job:{job.id}", job, job.updated_at, ttl)

    async def put_droplet(self, droplet: Droplet) -> None:
        """Remember a droplet state read from the database or announced by an event."""
        settled = droplet.status is DropletStatus.ARCHIVE
        ttl = _SETTLED_TTL_SECONDS if settled else self._ttl
        await self._put(f"{HOT_PREFIX}droplet:{droplet.id}", droplet, droplet.updated_at, ttl)

    async def record(self, event: Event) -> None:
        """Apply one bus event."""
        if isinstance(event, JobChanged):
            await self.put_job(event.job)
        elif isinstance(event, DropletChanged):
            await self.put_droplet(event.droplet)

    async def invalidate(self) -> None:
        """Forget everything (after updates may have been missed)."""
        # When the shared cache is down, it drops the hot view itself as it comes back.
        with contextlib.suppress(CacheUnavailable):
            await self._cache.delete_prefix(HOT_PREFIX)

    async def _get(self, cls: type[M], key: str) -> M | None:
        try:
            raw = await self._cache.get(key)
        except CacheUnavailable:
            return None
        if raw is None:
            return None
        seen, known = self._decoded.get(key, (None, None))
        if (seen is raw or seen == raw) and isinstance(known, cls):
            return known
        try:
            obj = decode(cls, raw)
        except (ValueError, TypeError, KeyError):
            log.warning("dropping unreadable hot-view entry %s", key)
            await self._cache.delete(key)
            return None
        if len(self._decoded) >= _MAX_DECODED:
            self._decoded.pop(next(iter(self._decoded)))  # the oldest entry
        self._decoded[key] = (raw, obj)
        return obj

    async def _put(
        self, key: str, obj: Job | Droplet, updated_at: datetime | None, ttl: float
    ) -> None:
        version = _version(updated_at)
        with contextlib.suppress(CacheUnavailable):
            if version is None:
                await self._cache.delete(key)  # no version to order it by: let readers miss
            else:
                await self._cache.set_if_newer(key, encode(obj), version, ttl)


def follow_events(bus: EventBus, view: HotView) -> asyncio.Task[None]:
    """Subscribe now (so no event published after this call is missed) and apply them in a task."""
    return asyncio.create_task(_follow(bus, view, bus.subscribe(_TOPICS)), name="hot-view")


async def _follow(bus: EventBus, view: HotView, subscription: Subscription) -> None:
    while True:
        try:
            async for event in subscription:
                await view.record(event)
            return
        except SubscriberOverflow:
            # Events were lost, so any entry may be stale: drop them all and follow again.
            log.warning("the hot view fell behind the event bus; rebuilding it from the database")
            await view.invalidate()
        finally:
            subscription.close()
        subscription = bus.subscribe(_TOPICS)
