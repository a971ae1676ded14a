"""The one shape of a watch stream: a snapshot, then live changes, each row's newest version.

Pattern (WatchJobs: jobs/job_watch.py, WatchInventory: provisioning/inventory_watch.py; the
Health, Logs and Diagnose streams copy it):

1. The feature's service has `watch(...)`, an async iterator of domain items: first one
   `Snapshot` (the rows as the watch begins, oldest first), then one row per live change.
   Bad arguments raise a domain error (InvalidArgument...) before anything is yielded.
2. It subscribes to the bus *before* it takes the snapshot, so no change falls between the two,
   and takes the snapshot from memory when it can (a BusView such as RecentJobs).
3. A `SnapshotFilter` drops a change older than what the stream already sent for its row
   (events queued during the snapshot; two servers' outboxes out of order).
4. `newest_per_key` conflates: a stream that falls behind sends each row's newest version.
5. The servicer only encodes: it turns each item into bytes through a ProtoMemo shared by all its
   streams (one conversion per row version, however many streams send it), batches a snapshot
   as the wire wants, and yields bytes (rpc/preserialized.py sends them as they are). No
   protobuf here: services yield domain objects.

`follow_rows` does steps 2-4 for any row type; a watch whose live part is not bus events (the
metrics ticks of MetricsService.watch) keeps the same contract: domain items out, encoding in
the servicer.
"""

from __future__ import annotations

from collections.abc import (
    AsyncGenerator,
    AsyncIterator,
    Awaitable,
    Callable,
    Collection,
    Hashable,
    Sequence,
)
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from clustergenie_server.bus.event_bus import EventBus
from clustergenie_server.domain.events import Event
from clustergenie_server.services.shared.conflation import newest_per_key
from clustergenie_server.services.shared.snapshot_filter import SnapshotFilter

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Snapshot(Generic[T]):
    """The rows as a watch begins, oldest first; the items after it are live changes.

    The rows may be shared with other watches (a view's snapshot): callers must not change them.
    """

    rows: Sequence[T]


@dataclass(frozen=True, slots=True)
class RowKind(Generic[T]):
    """How a watch reads its rows out of events: which row an event carries, and its identity."""

    row_of: Callable[[Event], T | None]  # the row an event announces, or None for another event
    key: Callable[[T], Hashable]  # the row's identity (SnapshotFilter's and conflation's key)
    version: Callable[[T], datetime | None]  # its version: newer replaces older (updated_at)


async def follow_rows(
    bus: EventBus,
    topics: Collection[str],
    snapshot: Callable[[], Awaitable[Sequence[T]]],
    rows: RowKind[T],
) -> AsyncGenerator[Snapshot[T] | T, None]:
    """Subscribe, take the snapshot, then yield each live row newer than what was sent."""
    subscription = bus.subscribe(topics)  # before the snapshot: no change falls between
    try:
        current = await snapshot()
        seen = SnapshotFilter()
        key, version, remember = rows.key, rows.version, seen.remember  # 1,000 rows a call
        for row in current:
            remember(key(row), version(row))
        yield Snapshot(current)

        async def changes() -> AsyncIterator[T]:
            async for event in subscription:
                row = rows.row_of(event)
                if row is not None and seen.is_newer(key(row), version(row)):
                    yield row

        async for row in newest_per_key(changes(), key):
            yield row
    finally:
        subscription.close()
