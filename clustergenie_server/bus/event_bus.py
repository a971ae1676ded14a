"""The EventBus interface every implementation follows."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Protocol

from clustergenie_server.domain.events import Event


class Subscription(Protocol):
    """A live feed of events for one subscriber; iterate it, close it when done."""

    def __aiter__(self) -> AsyncIterator[Event]: ...

    def close(self) -> None: ...


class EventBus(Protocol):
    """Publishes domain events and hands them to every subscriber."""

    async def publish(self, events: Sequence[Event]) -> None: ...

    def subscribe(self) -> Subscription: ...

    async def aclose(self) -> None: ...


class SubscriberOverflow(Exception):
    """A subscriber fell too far behind; it must resubscribe (and re-read a snapshot)."""
