"""A member of a Kafka consumer group: a consumer thread feeding an asyncio queue, at least once."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import AsyncIterator, Callable, Collection
from typing import Any

from kafka import KafkaConsumer, TopicPartition
from kafka.structs import OffsetAndMetadata

from clustergenie_server.bus import codec
from clustergenie_server.bus.dedupe import SeenIds
from clustergenie_server.bus.event_bus import Envelope
from clustergenie_server.domain.events import Event

log = logging.getLogger(__name__)

_CLOSED = object()
# kafka-python's default (300 s) also bounds a group join against tansu: a member that left
# without saying so stalls the next rebalance that long. Batches here take milliseconds.
MAX_POLL_INTERVAL_MS = 30_000
SESSION_TIMEOUT_MS = 10_000
HEARTBEAT_INTERVAL_MS = 1_000
FETCH_MAX_WAIT_MS = 100  # bounds the latency of an idle consumer's long poll
_RETRY_SECONDS = 2.0

Item = tuple[TopicPartition, int, Envelope]


def consumer_options(bootstrap: str) -> dict[str, Any]:
    """Options every consumer of this bus shares."""
    return {
        "bootstrap_servers": bootstrap.split(","),
        # Only the bus creates topics (with its partition count): a reader's metadata request
        # auto-creating one with the broker's defaults races that creation.
        "allow_auto_create_topics": False,
        "enable_auto_commit": False,
        "fetch_max_wait_ms": FETCH_MAX_WAIT_MS,
        "max_poll_interval_ms": MAX_POLL_INTERVAL_MS,
        "session_timeout_ms": SESSION_TIMEOUT_MS,
        "heartbeat_interval_ms": HEARTBEAT_INTERVAL_MS,
    }


class KafkaGroupSubscription:
    """One member of a consumer group; offsets are committed only for events it processed.

    The consumer thread polls a batch, hands it to the event loop and waits until the reader has
    asked for the event after each one (it is processed), then commits. A member closed earlier
    commits what it processed and leaves; the group's next owner of the partition gets the rest.
    """

    def __init__(
        self,
        bootstrap: str,
        topics: Collection[str],
        group: str,
        *,
        prefix: str,
        loop: asyncio.AbstractEventLoop,
        ready: threading.Event,
    ) -> None:
        self._bootstrap, self._topics, self._group = bootstrap, list(topics), group
        self._prefix, self._loop, self._ready = prefix, loop, ready
        self._queue: asyncio.Queue[Item | object] = asyncio.Queue()
        self._seen = SeenIds()
        self._lock = threading.Lock()
        self._processed: dict[TopicPartition, int] = {}
        self._outstanding = 0
        self._batch_done = threading.Event()
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._run, name=f"kafka-group-{group}", daemon=True)
        self.thread.start()

    async def __aiter__(self) -> AsyncIterator[Event]:
        previous: Item | None = None
        while True:
            if previous is not None:  # asking for the next event acknowledges the previous one
                self._ack(previous)
                previous = None
            item = await self._queue.get()
            if item is _CLOSED:
                return
            assert isinstance(item, tuple)
            if not self._seen.first_time(item[2].event_id):
                self._ack(item)  # a redelivery of what this member already handled
                continue
            previous = item
            yield item[2].event

    def close(self) -> None:
        """Leave the group; events not yet processed go to another member."""
        self._stop.set()
        self._queue.put_nowait(_CLOSED)

    async def wait_closed(self) -> None:
        """Return once the member has committed what it processed and left the group."""
        await asyncio.to_thread(self.thread.join, 30.0)

    def _ack(self, item: Item) -> None:
        tp, offset, _ = item
        with self._lock:
            self._processed[tp] = max(self._processed.get(tp, 0), offset + 1)
            self._outstanding -= 1
            if self._outstanding <= 0:
                self._batch_done.set()

    # -- the consumer thread -------------------------------------------------------------------

    def _run(self) -> None:
        while (consumer := self._connect()) is not None:
            try:
                self._consume(consumer)
                return  # closed
            except Exception as exc:
                # The broker went away (or was replaced): join again once it is back. What this
                # member had not committed is redelivered, and dropped as a duplicate here.
                log.warning(
                    "Kafka group %s at %s: consumer failed (%s); joining again in %.0fs",
                    self._group,
                    self._bootstrap,
                    exc,
                    _RETRY_SECONDS,
                )
                self._stop.wait(_RETRY_SECONDS)
            finally:
                with contextlib.suppress(Exception):
                    consumer.close(autocommit=False)

    def _consume(self, consumer: KafkaConsumer) -> None:
        while not self._stop.is_set():
            batches = consumer.poll(timeout_ms=200, max_records=100)
            items = self._decode(batches)
            if not items:
                continue
            with self._lock:
                self._outstanding = len(items)
                self._batch_done.clear()
            for item in items:
                self._hand_over(item)
            while not self._batch_done.wait(0.1) and not self._stop.is_set():
                pass
            self._commit(consumer)
        self._commit(consumer)

    def _connect(self) -> KafkaConsumer | None:
        while not self._stop.is_set():
            if not self._ready.wait(0.2):
                continue
            try:
                consumer = KafkaConsumer(
                    **consumer_options(self._bootstrap),
                    group_id=self._group,
                    auto_offset_reset="earliest",  # a new group starts at the oldest event
                )
                consumer.subscribe([self._prefix + t for t in self._topics])
                return consumer
            except Exception as exc:
                log.warning(
                    "Kafka group %s at %s: cannot join (%s); retrying",
                    self._group,
                    self._bootstrap,
                    exc,
                )
                self._stop.wait(_RETRY_SECONDS)
        return None

    def _decode(self, batches: dict[TopicPartition, list[Any]]) -> list[Item]:
        items: list[Item] = []
        for tp, records in batches.items():
            for record in records:
                try:
                    env = codec.decode(record.value, tp.topic.removeprefix(self._prefix))
                except codec.UndecodableEvent as exc:
                    log.error("skipping %s@%d: %s", tp, record.offset, exc)
                    with self._lock:
                        self._processed[tp] = record.offset + 1
                    continue
                items.append((tp, record.offset, env))
        return items

    def _hand_over(self, item: Item) -> None:
        call: Callable[[Item], None] = self._queue.put_nowait
        try:
            self._loop.call_soon_threadsafe(call, item)
        except RuntimeError:  # the loop is closed: the process is ending
            self._stop.set()

    def _commit(self, consumer: KafkaConsumer) -> None:
        with self._lock:
            offsets = {tp: OffsetAndMetadata(o, "", -1) for tp, o in self._processed.items()}
            self._processed.clear()
        if offsets:
            try:
                consumer.commit(offsets)
            except Exception as exc:  # a rebalance took the partition: its next owner redelivers
                log.warning("Kafka group %s: commit failed (%s)", self._group, exc)
