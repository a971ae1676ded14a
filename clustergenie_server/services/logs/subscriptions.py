"""Live readers of accepted lines: a tail keeps a bounded buffer and counts what it missed.

The producer (whatever accepts lines: the simulation, an ingest stream) never waits for a reader
and a reader never holds more than its bound: a reader that falls behind loses the newest lines
beyond its bound, and reads a Gap with their count where they would have been.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Sequence
from typing import Protocol

from clustergenie_server.domain.logs import Gap, LogLine
from clustergenie_server.services.logs.query_eval import CompiledQuery

DEFAULT_TAIL_BUFFER = 10_000  # lines a tail may be behind before it gets a gap marker


class Subscriber(Protocol):
    """Something fed every batch of accepted lines, synchronously and without waiting."""

    def offer(self, lines: Sequence[LogLine]) -> None:
        """Take a batch (already accepted: each has its seq)."""


class TailSubscription:
    """One reader of the lines a query keeps, from seq `after` on."""

    def __init__(
        self, query: CompiledQuery, *, after: int = 0, max_buffered: int = DEFAULT_TAIL_BUFFER
    ) -> None:
        self._query, self.after, self._max = query, after, max_buffered
        self._items: deque[LogLine | Gap] = deque()
        self._buffered = 0  # lines in _items (gaps not counted: at most one between lines)
        self._selected: dict[int, bool] = {}  # stream id -> does the selector take it
        self._ready = asyncio.Event()
        self.missed = 0
        self.closed = False

    def offer(self, lines: Sequence[LogLine]) -> None:
        """Keep the lines the query takes; beyond the bound count them into a gap."""
        if self.closed:
            return
        selected, query = self._selected, self._query
        kept = 0
        for line in lines:
            if line.seq <= self.after:
                continue
            take = selected.get(line.stream.id)
            if take is None:
                take = selected[line.stream.id] = query.selects(line.stream.labels)
            if not take or (
                query.filters_lines and query.keep(line.line, line.stream.labels) is None
            ):
                continue
            if self._buffered >= self._max:
                self._miss(line)
                continue
            self._items.append(line)
            self._buffered += 1
            kept += 1
        if kept or self.missed:
            self._ready.set()

    def _miss(self, line: LogLine) -> None:
        self.missed += 1
        last = self._items[-1] if self._items else None
        if isinstance(last, Gap):
            self._items[-1] = Gap(last.missed + 1, line.t, last.reason)
        else:
            self._items.append(Gap(1, line.t, "the reader was slower than the lines arrived"))

    def add_gap(self, gap: Gap) -> None:
        """Tell this reader about lines lost before it could see them (e.g. dropped)."""
        self._items.append(gap)
        self._ready.set()

    async def next_batch(self, max_items: int = 1000) -> list[LogLine | Gap]:
        """Wait for at least one item and take up to max_items, oldest first."""
        while not self._items:
            self._ready.clear()
            await self._ready.wait()
        out: list[LogLine | Gap] = []
        while self._items and len(out) < max_items:
            item = self._items.popleft()
            if isinstance(item, LogLine):
                self._buffered -= 1
            out.append(item)
        return out

    @property
    def buffered(self) -> int:
        """Lines waiting to be read."""
        return self._buffered
