"""The EventBus interface every implementation follows: topics, keys, broadcast and groups.

Delivery contract (the same for the in-process and the Kafka bus):
- every event travels in an Envelope on a named topic, keyed by its entity id; events with the
  same key reach a consumer in the order they were published;
- a *broadcast* subscription (no group) sees every event published after it subscribed;
- a *group* subscription shares the events with the other members of its group: each event goes
  to one member (always the same member for one key while membership does not change);
- delivery is at least once: an event counts as processed once its consumer asks for the next
  one; a member that goes away before that has the event redelivered to another member;
- subscriptions drop event ids they have already yielded (a bounded memory), so a redelivered
  event changes nothing twice;
- deliver_local hands envelopes to this server's broadcast subscribers only, at once: the outbox
  does so right after its commit (read-your-writes on this server), before the relay publishes;
- a *listener* is called on the event loop the moment a broadcast event is handed out, before
  any subscriber can read it: an in-memory view fed this way is never behind the subscriptions.

Log lines travel beside the events, not as events (they are far more, and live only):
publish_logs hands accepted lines over without waiting, and every *other* server's log listeners
get them, once each, in order per droplet (topic LOGS_TOPIC). Lines that cannot travel (the
backlog is full, the broker is down) are dropped, counted and logged; the next batch that does
travel says how many. A bus that no other server shares (in-process) publishes nothing.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from clustergenie_server.domain.events import Event
from clustergenie_server.domain.logs import LogBatch, LogLine

CLUSTERS_TOPIC = "clustergenie.clusters.v1"
DROPLETS_TOPIC = "clustergenie.droplets.v1"
JOBS_TOPIC = "clustergenie.jobs.v1"
SCALING_TOPIC = "clustergenie.scaling.v1"
FAULTS_TOPIC = "clustergenie.faults.v1"
DIAGNOSES_TOPIC = "clustergenie.diagnoses.v1"
HEALTH_TOPIC = "clustergenie.health.v1"
TOPICS = (
    CLUSTERS_TOPIC,
    DROPLETS_TOPIC,
    JOBS_TOPIC,
    SCALING_TOPIC,
    FAULTS_TOPIC,
    DIAGNOSES_TOPIC,
    HEALTH_TOPIC,
)
# Not an event topic: the lines servers accepted, for the others' live readers (see above).
LOGS_TOPIC = "clustergenie.logs.v1"
# Events with no wire schema stay in the server that made them (none today; kept for the next).
LOCAL_TOPIC = ""


@dataclass(slots=True)
class LogBusStats:
    """What a bus's log lane did since it started (lines, not records); read by /metrics."""

    sent: int = 0  # handed to the producer (never decreases: some may fail after)
    published: int = 0  # handed to the producer and not (yet) known to have failed
    dropped: int = 0  # not sent: the backlog was full or too old (the broker slow or down)
    failed: int = 0  # the broker did not take them (the send failed at once, or later)
    received: int = 0  # lines of other servers handed to this server's log listeners


@dataclass(frozen=True, slots=True)
class Envelope:
    """One event as it travels the bus (the domain side of events.proto's EventEnvelope)."""

    event_id: str
    topic: str
    key: str
    origin: str
    occurred_at: datetime
    event: Event


Listener = Callable[[Event], None]
LogListener = Callable[[LogBatch], None]


class Subscription(Protocol):
    """A live feed of events for one subscriber; iterate it, close it when done."""

    def __aiter__(self) -> AsyncIterator[Event]: ...

    def close(self) -> None: ...

    async def wait_closed(self) -> None: ...


class EventBus(Protocol):
    """Publishes events on topics and hands them to broadcast and group subscribers."""

    origin: str

    async def start(self) -> None: ...

    async def publish(self, events: Sequence[Event]) -> None: ...

    async def publish_envelopes(self, envelopes: Sequence[Envelope]) -> None: ...

    def deliver_local(self, envelopes: Sequence[Envelope]) -> None: ...

    def subscribe(
        self, topics: Collection[str] | None = None, *, group: str | None = None
    ) -> Subscription: ...

    def listen(self, topics: Collection[str], listener: Listener) -> Callable[[], None]: ...

    def publish_logs(self, lines: Sequence[LogLine]) -> None: ...

    def listen_logs(self, listener: LogListener) -> Callable[[], None]: ...

    @property
    def log_stats(self) -> LogBusStats | None:
        """What the log lane did; None for a bus with no other server (nothing travels)."""
        ...

    async def aclose(self) -> None: ...


class SubscriberOverflow(Exception):
    """A subscriber fell too far behind; it must resubscribe (and re-read a snapshot)."""


class BusUnavailable(Exception):
    """The broker cannot be reached now; what was being published is still to be published."""
