"""The embedded event bus: fan-out to bounded asyncio queues on the server's event loop."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence

from clustergenie_server.bus.event_bus import SubscriberOverflow
from clustergenie_server.domain.events import Event

_CLOSED = object()


class _QueueSubscription:
    """One subscriber's queue; it overflows rather than letting a slow reader grow memory."""

    def __init__(self, bus: InProcessEventBus, maxsize: int) -> None:
        self._bus = bus
        self._queue: asyncio.Queue[Event | object] = asyncio.Queue(maxsize)
        self.overflowed = False

    def offer(self, event: Event | object) -> None:
        """Queue an event; a full queue marks the subscriber as overflowed and ends it."""
        try:
            self._queue.put_nowait(event)
        except asyncio.QueueFull:
            self.overflowed = True
            self._bus.unsubscribe(self)
            # Make room for the end marker so the reader wakes up and learns it overflowed.
            self._queue.get_nowait()
            self._queue.put_nowait(_CLOSED)

    async def __aiter__(self) -> AsyncIterator[Event]:
        while True:
            item = await self._queue.get()
            if item is _CLOSED:
                if self.overflowed:
                    raise SubscriberOverflow("event subscriber fell behind")
                return
            yield item  # type: ignore[misc]

    def close(self) -> None:
        """Stop receiving events; a reader waiting on the queue ends."""
        self._bus.unsubscribe(self)
        if not self.overflowed:
            self.offer(_CLOSED)


class InProcessEventBus:
    """Delivers every event to every current subscriber, in publish order."""

    def __init__(self, *, subscriber_queue_size: int = 10_000) -> None:
        self._subscribers: set[_QueueSubscription] = set()
        self._queue_size = subscriber_queue_size

    async def publish(self, events: Sequence[Event]) -> None:
        """Hand the events to every subscriber; never blocks on a slow subscriber."""
        for subscriber in list(self._subscribers):
            for event in events:
                if subscriber.overflowed:
                    break
                subscriber.offer(event)

    def subscribe(self) -> _QueueSubscription:
        """A new subscription that sees every event published from now on."""
        subscription = _QueueSubscription(self, self._queue_size)
        self._subscribers.add(subscription)
        return subscription

    def unsubscribe(self, subscription: _QueueSubscription) -> None:
        """Forget a subscriber (idempotent)."""
        self._subscribers.discard(subscription)

    async def aclose(self) -> None:
        """End every subscription."""
        for subscriber in list(self._subscribers):
            subscriber.close()
