"""Keeps a watch stream from replaying changes older than the snapshot it started with."""

from __future__ import annotations

from collections.abc import Hashable
from datetime import datetime


class SnapshotFilter:
    """Remembers when each snapshot row was last updated; later events must not be older."""

    def __init__(self) -> None:
        self._seen: dict[Hashable, datetime | None] = {}

    def remember(self, key: Hashable, updated_at: datetime | None) -> None:
        """Record a row as sent in the snapshot."""
        self._seen[key] = updated_at

    def is_newer(self, key: Hashable, updated_at: datetime | None) -> bool:
        """True when an event should be sent: its row is new, or newer than the snapshot's."""
        if key not in self._seen:
            return True
        seen = self._seen[key]
        if seen is None or updated_at is None or updated_at >= seen:
            # Once the stream moves past the snapshot for this row, stop checking it.
            del self._seen[key]
            return True
        return False
