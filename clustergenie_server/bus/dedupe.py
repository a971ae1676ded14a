"""A bounded memory of event ids: what makes a consumer idempotent under redelivery."""

from __future__ import annotations

from collections import OrderedDict

# Redeliveries come soon after the original (a consumer restart, a rebalance), so the last few
# thousand ids are enough; older duplicates are upserts of older state, which watchers ignore.
DEFAULT_CAPACITY = 8192


class SeenIds:
    """Remembers the most recent ids; answers whether an id is new."""

    def __init__(self, capacity: int = DEFAULT_CAPACITY) -> None:
        self._ids: OrderedDict[str, None] = OrderedDict()
        self._capacity = capacity

    def first_time(self, event_id: str) -> bool:
        """True the first time an id is seen (and remembers it); False for a duplicate."""
        if event_id in self._ids:
            self._ids.move_to_end(event_id)
            return False
        self._ids[event_id] = None
        if len(self._ids) > self._capacity:
            self._ids.popitem(last=False)
        return True
