"""The embedded event bus: topics and groups over asyncio queues on the server's event loop."""

from __future__ import annotations

import asyncio
import logging
import zlib
from collections import deque
from collections.abc import AsyncIterator, Callable, Collection, Sequence

from clustergenie_server.bus import codec
from clustergenie_server.bus.dedupe import SeenIds
from clustergenie_server.bus.event_bus import (
    Envelope,
    Listener,
    LogBusStats,
    LogListener,
    SubscriberOverflow,
)
from clustergenie_server.domain.events import Event
from clustergenie_server.domain.logs import LogLine

log = logging.getLogger(__name__)

_CLOSED = object()


class _QueueSubscription:
    """One subscriber's queue and topic filter (and, for a group member, the ids it yielded).

    A broadcast subscriber overflows rather than letting a slow reader grow memory (it re-reads a
    snapshot). A group member's queue is unbounded: its events must not be lost, only moved.
    """

    def __init__(
        self,
        bus: InProcessEventBus,
        topics: Collection[str] | None,
        maxsize: int,
        group: _Group | None = None,
    ) -> None:
        self._bus = bus
        self.topics = None if topics is None else frozenset(topics)
        self.group = group
        self._queue: asyncio.Queue[Envelope | object] = asyncio.Queue(maxsize)
        # Group members drop redeliveries; broadcast subscribers rely on the bus's memory.
        self._seen = SeenIds() if group is not None else None
        self._in_flight: Envelope | None = None  # yielded, not yet acknowledged
        self.overflowed = False
        self.closed = False

    def wants(self, env: Envelope) -> bool:
        """True when the subscription follows the envelope's topic."""
        return self.topics is None or env.topic in self.topics

    def offer(self, item: Envelope | object) -> None:
        """Queue an envelope; a full queue marks the subscriber as overflowed and ends it."""
        try:
            self._queue.put_nowait(item)
        except asyncio.QueueFull:
            self.overflowed = True
            self._bus.unsubscribe(self)
            # Make room for the end marker so the reader wakes up and learns it overflowed.
            self._queue.get_nowait()
            self._queue.put_nowait(_CLOSED)

    async def __aiter__(self) -> AsyncIterator[Event]:
        while True:
            self._in_flight = None  # asking for the next event acknowledges the previous one
            item = await self._queue.get()
            if item is _CLOSED:
                if self.overflowed:
                    raise SubscriberOverflow("event subscriber fell behind")
                return
            assert isinstance(item, Envelope)
            if self._seen is None or self._seen.first_time(item.event_id):
                self._in_flight = item
                yield item.event

    async def wait_closed(self) -> None:
        """Nothing to wait for: close() takes effect at once."""

    def unprocessed(self) -> list[Envelope]:
        """The envelopes handed to this member that it has not acknowledged (oldest first)."""
        left = [self._in_flight] if self._in_flight is not None else []
        while not self._queue.empty():
            item = self._queue.get_nowait()
            if isinstance(item, Envelope):
                left.append(item)
        self._in_flight = None
        return left

    def close(self) -> None:
        """Stop receiving events; a reader waiting on the queue ends; a member's backlog moves."""
        if self.closed:
            return
        self.closed = True
        self._bus.unsubscribe(self)
        if not self.overflowed:
            self.offer(_CLOSED)


class _Group:
    """Members share a group's events: each key goes to one member; unclaimed events wait."""

    def __init__(self) -> None:
        self.members: list[_QueueSubscription] = []
        self._pending: deque[Envelope] = deque()

    def dispatch(self, env: Envelope) -> None:
        """Hand an envelope to the member that owns its key, or keep it until one joins."""
        candidates = [m for m in self.members if m.wants(env)]
        if not candidates:
            self._pending.append(env)
            return
        member = candidates[zlib.crc32(env.key.encode()) % len(candidates)]
        member.offer(env)

    def join(self, member: _QueueSubscription) -> None:
        """Add a member and give the waiting events out again."""
        self.members.append(member)
        waiting, self._pending = list(self._pending), deque()
        for env in waiting:
            self.dispatch(env)

    def leave(self, member: _QueueSubscription) -> None:
        """Remove a member; what it had not processed goes to the others (at least once)."""
        if member in self.members:
            self.members.remove(member)
            for env in member.unprocessed():
                self.dispatch(env)


class InProcessEventBus:
    """The embedded default: the EventBus contract within one process, in publish order."""

    def __init__(self, *, origin: str = "local", subscriber_queue_size: int = 10_000) -> None:
        self.origin = origin
        self._broadcast: set[_QueueSubscription] = set()
        # One memory for all broadcast subscribers: an event reaches them once, whichever path
        # comes first (the outbox's local hand-over, the relay, the broker). A subscriber that
        # joined in between must not get the later copy either: it is older than what it read.
        self._broadcast_seen = SeenIds()
        self._groups: dict[str, _Group] = {}
        self._queue_size = subscriber_queue_size
        self._listeners: list[tuple[frozenset[str], Listener]] = []

    async def start(self) -> None:
        """Nothing to connect to."""

    async def publish(self, events: Sequence[Event]) -> None:
        """Publish new events (fresh ids) at once; never blocks on a slow subscriber."""
        await self.publish_envelopes([codec.envelope(e, self.origin) for e in events])

    async def publish_envelopes(self, envelopes: Sequence[Envelope]) -> None:
        """Publish enveloped events (the outbox relay's way: ids were fixed at commit)."""
        for env in envelopes:
            self.deliver(env)

    def deliver(self, env: Envelope) -> None:
        """Hand one envelope to the broadcast subscribers and to one member of each group."""
        self.deliver_broadcast(env)
        for group in self._groups.values():
            group.dispatch(env)

    def deliver_local(self, envelopes: Sequence[Envelope]) -> None:
        """Hand envelopes to this process's broadcast subscribers now (no group sees them)."""
        for env in envelopes:
            self.deliver_broadcast(env)

    def deliver_broadcast(self, env: Envelope) -> None:
        """Hand one envelope to the broadcast subscribers only (a bus that has its own groups)."""
        if not self._broadcast_seen.first_time(env.event_id):
            return
        for topics, listener in self._listeners:
            if env.topic in topics:
                try:
                    listener(env.event)
                except Exception:  # one broken view must not cost the subscribers their event
                    log.exception("an event listener failed on %s", env.topic)
        for subscriber in list(self._broadcast):
            if subscriber.wants(env) and not subscriber.overflowed:
                subscriber.offer(env)

    def subscribe(
        self, topics: Collection[str] | None = None, *, group: str | None = None
    ) -> _QueueSubscription:
        """A broadcast subscription (every event from now on) or a member of a group."""
        if group is None:
            subscription = _QueueSubscription(self, topics, self._queue_size)
            self._broadcast.add(subscription)
            return subscription
        shared = self._groups.setdefault(group, _Group())
        subscription = _QueueSubscription(self, topics, 0, shared)
        shared.join(subscription)
        return subscription

    def listen(self, topics: Collection[str], listener: Listener) -> Callable[[], None]:
        """Call listener with each broadcast event on topics from now on, synchronously, before
        any subscriber sees it; returns the function that stops it. The listener must be quick."""
        entry = (frozenset(topics), listener)
        self._listeners.append(entry)

        def stop() -> None:
            if entry in self._listeners:
                self._listeners.remove(entry)

        return stop

    def publish_logs(self, lines: Sequence[LogLine]) -> None:
        """Nothing to do: log lines travel to *other* servers, and this bus has none (the
        pipeline that accepted them already fed this process's readers)."""

    def listen_logs(self, listener: LogListener) -> Callable[[], None]:
        """No other server publishes here; the returned stop does nothing."""
        return _nothing

    @property
    def log_stats(self) -> LogBusStats | None:
        """None: no lines travel on this bus."""
        return None

    def unsubscribe(self, subscription: _QueueSubscription) -> None:
        """Forget a subscriber (idempotent)."""
        self._broadcast.discard(subscription)
        if subscription.group is not None:
            subscription.group.leave(subscription)

    async def aclose(self) -> None:
        """End every subscription and listener."""
        self._listeners.clear()
        for subscriber in list(self._broadcast):
            subscriber.close()
        for group in self._groups.values():
            for member in list(group.members):
                member.close()


def _nothing() -> None:
    """A stop function with nothing to stop."""
