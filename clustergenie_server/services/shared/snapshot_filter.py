"""Keeps a watch stream from sending a row older than what it already sent for that row.

Two ways a stale change reaches a stream: events queued while its snapshot was read, and events
of one entity written by two servers (A queued a job, B ran it): each server's outbox relay
publishes its own rows, so a third server can receive B's "running" before A's "queued".
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from datetime import datetime

from clustergenie_server.domain.versions import older

# Out-of-order events arrive within seconds of each other; remembering the rows a stream sent
# most recently is enough, and bounds a long-lived stream's memory.
REMEMBERED_ROWS = 10_000


class SnapshotFilter:
    """Remembers when each row a stream sent was updated; older versions are dropped."""

    def __init__(self, capacity: int = REMEMBERED_ROWS) -> None:
        self._seen: OrderedDict[Hashable, datetime] = OrderedDict()
        self._capacity = capacity

    def remember(self, key: Hashable, updated_at: datetime | None) -> None:
        """Record a row as sent (in the snapshot or live)."""
        if updated_at is None:
            self._seen.pop(key, None)  # nothing to order by: let the next version through
            return
        self._seen[key] = updated_at
        self._seen.move_to_end(key)
        if len(self._seen) > self._capacity:
            self._seen.popitem(last=False)

    def is_newer(self, key: Hashable, updated_at: datetime | None) -> bool:
        """True when a row should be sent (and it is remembered as sent): it is new to this
        stream, or at least as new as the version the stream sent last."""
        if older(updated_at, self._seen.get(key)):
            return False
        self.remember(key, updated_at)
        return True
