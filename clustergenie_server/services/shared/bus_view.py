"""Rows kept in memory from the database and the bus, so that a watch snapshot needs no read.

A view is read from the database once, then kept current by a bus listener, which runs the
moment an event is handed out and before any subscription can see it. A stream that subscribes
and then takes a snapshot therefore misses no change: the view applied it before the stream
subscribed, or the stream's own subscription receives it afterwards. A change whose event has not
reached this server yet (another server's, on its way through Kafka) reaches both later, as it
would reach a stream whose snapshot came from the database.

The view reads the database again every REFRESH_SECONDS, which repairs what an event that never
arrived (a broker outage) would otherwise leave stale for good.
"""

from __future__ import annotations

import asyncio
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Collection

from clustergenie_server.bus.event_bus import EventBus
from clustergenie_server.db import Database
from clustergenie_server.domain.events import Event

# Long enough that re-reading costs nothing measurable; short enough that a lost event is
# repaired while someone is still looking.
REFRESH_SECONDS = 30.0


class BusView(ABC):
    """The reading schedule of a view; subclasses say what to read and how to apply events."""

    def __init__(
        self,
        db: Database,
        bus: EventBus,
        topics: Collection[str],
        *,
        refresh_seconds: float = REFRESH_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._db, self._bus, self._topics = db, bus, topics
        self._refresh_seconds, self._clock = refresh_seconds, clock
        self._read_at: float | None = None  # when the last database read began
        self._reading = asyncio.Lock()
        self._listening = False  # the bus's close() ends the listener with the server

    async def current(self) -> None:
        """Read the database first if the view never did, or did too long ago."""
        if not self._stale():
            return
        async with self._reading:  # callers asking meanwhile share this one read
            if not self._stale():
                return
            if not self._listening:  # listen first: no change slips between the two
                self._bus.listen(self._topics, self._on_event)
                self._listening = True
            began = self._clock()
            await self._read()
            self._read_at = began

    def _stale(self) -> bool:
        return self._read_at is None or self._clock() - self._read_at >= self._refresh_seconds

    @abstractmethod
    async def _read(self) -> None:
        """Read the rows from the database and merge them in."""

    @abstractmethod
    def _on_event(self, event: Event) -> None:
        """Apply one event the bus handed out (quick; never raises)."""
