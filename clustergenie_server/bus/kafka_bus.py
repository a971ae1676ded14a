"""The Kafka event bus (kafka-python): the EventBus contract across every server of a cluster.

kafka-python is blocking, so nothing of it runs on the event loop: the producer sends from a
one-thread executor, and each consumer polls in its own thread and hands records over with
call_soon_threadsafe.

- Broadcast subscriptions (the watch streams): one consumer per server reads every partition of
  every topic, starting at the end, and fans events out to this server's subscribers through an
  in-process bus. It is the "group of one per server" of the contract; manual assignment gives
  that without a group join (and without leaving a dead group behind per server start).
- Group subscriptions: a KafkaConsumer in that consumer group per subscription (kafka_group.py).
- Events with no wire schema yet (LOCAL_TOPIC) are delivered in this server only.
- Log lines (LOGS_TOPIC) go out through a lane of their own that is never waited on
  (kafka_logs.py); the broadcast reader reads that topic too and hands the other servers'
  batches to this server's log listeners, skipping this server's own.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
import time
from collections.abc import Callable, Collection, Sequence
from concurrent.futures import ThreadPoolExecutor

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
from kafka.consumer.fetcher import ConsumerRecord

from clustergenie_server.bus import codec
from clustergenie_server.bus.event_bus import (
    LOCAL_TOPIC,
    LOGS_TOPIC,
    TOPICS,
    BusUnavailable,
    Envelope,
    Listener,
    LogBusStats,
    LogListener,
)
from clustergenie_server.bus.in_process_bus import InProcessEventBus, _QueueSubscription
from clustergenie_server.bus.kafka_group import KafkaGroupSubscription, consumer_options
from clustergenie_server.bus.kafka_logs import ORIGIN_HEADER, KafkaLogLane
from clustergenie_server.bus.kafka_topics import ensure_topics
from clustergenie_server.domain.events import Event
from clustergenie_server.domain.logs import LogBatch, LogLine

log = logging.getLogger(__name__)

PARTITIONS = 6  # how far one topic's consumers can spread over servers
_FIRST_CONNECT_SECONDS = 5.0  # start() waits this long; after that it connects in the background
_MAX_RETRY_SECONDS = 30.0
_SEND_TIMEOUT_SECONDS = 10.0
_MAX_BLOCK_MS = 5_000
# Record timestamps older than the reader's start, minus clock skew, are history, not news.
_BROADCAST_SKEW_MS = 2_000
# What the broadcast reader reads (and the bus creates): the event topics and the log lines.
READ_TOPICS = (*TOPICS, LOGS_TOPIC)


class KafkaEventBus:
    """Publishes through a Kafka producer; subscribes with consumers in threads."""

    def __init__(
        self,
        bootstrap: str,
        *,
        origin: str,
        topic_prefix: str = "",
        partitions: int = PARTITIONS,
        subscriber_queue_size: int = 10_000,
    ) -> None:
        self.origin, self.bootstrap = origin, bootstrap
        self._prefix, self._partitions = topic_prefix, partitions
        self._local = InProcessEventBus(origin=origin, subscriber_queue_size=subscriber_queue_size)
        self._producer: KafkaProducer | None = None
        self._admin: KafkaAdminClient | None = None  # the sender's: checks topics before sends
        self._sender = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kafka-producer")
        self._ready = threading.Event()
        self._closed = threading.Event()
        self._groups: list[KafkaGroupSubscription] = []
        self._threads: list[threading.Thread] = []
        self._connecting: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._logs = KafkaLogLane(
            bootstrap,
            topic_prefix + LOGS_TOPIC,
            origin=origin,
            ready=self._ready,
            partitions=partitions,
        )
        self._log_listeners: list[LogListener] = []

    @property
    def log_topic(self) -> str:
        """The full name of the log lines' topic (with this bus's prefix)."""
        return self._prefix + LOGS_TOPIC

    @property
    def log_stats(self) -> LogBusStats:
        """Lines sent, published, dropped, failed and received on the log topic."""
        return self._logs.stats

    @property
    def ready(self) -> bool:
        """True once topics exist and the producer is connected."""
        return self._ready.is_set()

    async def start(self) -> None:
        """Connect (waiting a few seconds at most); an unreachable broker is retried behind."""
        self._loop = asyncio.get_running_loop()
        self._connecting = asyncio.create_task(self._connect_loop(), name="kafka-connect")
        await asyncio.wait({self._connecting}, timeout=_FIRST_CONNECT_SECONDS)

    async def publish(self, events: Sequence[Event]) -> None:
        """Publish new events (fresh ids)."""
        await self.publish_envelopes([codec.envelope(e, self.origin) for e in events])

    async def publish_envelopes(self, envelopes: Sequence[Envelope]) -> None:
        """Send and wait for the broker's acknowledgement; BusUnavailable if it cannot be had."""
        wire = [env for env in envelopes if env.topic != LOCAL_TOPIC]
        self._local.deliver_local([env for env in envelopes if env.topic == LOCAL_TOPIC])
        if not wire:
            return
        if self._producer is None:  # the connect loop is still trying
            raise BusUnavailable(f"the Kafka broker at {self.bootstrap} is not reachable yet")
        await asyncio.get_running_loop().run_in_executor(self._sender, self._send, wire)

    def deliver_local(self, envelopes: Sequence[Envelope]) -> None:
        """Hand envelopes to this server's broadcast subscribers now."""
        self._local.deliver_local(envelopes)

    def listen(self, topics: Collection[str], listener: Listener) -> Callable[[], None]:
        """Call listener with each event this server's fan-out hands out (see EventBus)."""
        return self._local.listen(topics, listener)

    def publish_logs(self, lines: Sequence[LogLine]) -> None:
        """Queue accepted lines for the other servers' log listeners; never waits."""
        self._logs.offer(lines)

    def listen_logs(self, listener: LogListener) -> Callable[[], None]:
        """Call listener on the event loop with each batch of lines another server accepted."""
        self._log_listeners.append(listener)

        def stop() -> None:
            if listener in self._log_listeners:
                self._log_listeners.remove(listener)

        return stop

    def subscribe(
        self, topics: Collection[str] | None = None, *, group: str | None = None
    ) -> _QueueSubscription | KafkaGroupSubscription:
        """A broadcast subscription (this server's fan-out) or a new member of a Kafka group."""
        if group is None:
            return self._local.subscribe(topics)
        assert self._loop is not None, "start() the bus before joining a group"
        member = KafkaGroupSubscription(
            self.bootstrap,
            topics if topics is not None else TOPICS,
            group,
            prefix=self._prefix,
            loop=self._loop,
            ready=self._ready,
        )
        self._groups.append(member)
        return member

    async def aclose(self) -> None:
        """Leave the groups, stop the consumers, flush and close the producer."""
        self._closed.set()
        if self._connecting is not None:
            self._connecting.cancel()
        for member in self._groups:
            member.close()
        self._logs.close()
        self._log_listeners.clear()
        await self._local.aclose()
        for thread in [*self._threads, *(m.thread for m in self._groups), self._logs.thread]:
            await asyncio.to_thread(thread.join, 15.0)
        producer, self._producer = self._producer, None
        admin, self._admin = self._admin, None
        loop = asyncio.get_running_loop()
        if producer is not None:
            await loop.run_in_executor(self._sender, producer.close, 5.0)
        if admin is not None:
            await loop.run_in_executor(self._sender, admin.close)
        self._sender.shutdown(wait=False)

    # -- connecting ----------------------------------------------------------------------------

    async def _connect_loop(self) -> None:
        delay = 1.0
        while not self._closed.is_set():
            try:
                await asyncio.to_thread(self._connect)
            except Exception as exc:
                log.warning(
                    "the Kafka broker at %s cannot be reached (%s); retrying in %.0fs "
                    "(events wait in the outbox meanwhile)",
                    self.bootstrap,
                    exc,
                    delay,
                )
                await asyncio.sleep(delay)
                delay = min(delay * 2, _MAX_RETRY_SECONDS)
                continue
            log.info("event bus: Kafka at %s", self.bootstrap)
            return

    def _connect(self) -> None:
        """Create missing topics, start the broadcast reader, then the producer (blocking)."""
        servers = self.bootstrap.split(",")
        _probe(servers)
        admin = KafkaAdminClient(bootstrap_servers=servers, request_timeout_ms=_MAX_BLOCK_MS)
        try:
            ensure_topics(admin, [self._prefix + t for t in READ_TOPICS], self._partitions)
        except BaseException:
            admin.close()
            raise
        # "earliest": when the broker lost its logs (replaced by an empty one), the reader's
        # positions are past their end and restart at the new beginning, skipping nothing.
        reader = KafkaConsumer(
            **consumer_options(self.bootstrap), group_id=None, auto_offset_reset="earliest"
        )
        self._assign_all(reader)
        thread = threading.Thread(
            target=self._broadcast_run, args=(reader,), name="kafka-broadcast", daemon=True
        )
        thread.start()
        self._threads.append(thread)
        self._producer = self._new_producer()
        self._admin = admin
        self._ready.set()

    def _new_producer(self) -> KafkaProducer:
        # No idempotence (kafka-python's default): a new broker does not know the old producer id,
        # which fails an idempotent producer for good; consumers dedupe by event id anyway.
        # Ordering holds without it: one request in flight keeps each partition's send order.
        return KafkaProducer(
            bootstrap_servers=self.bootstrap.split(","),
            allow_auto_create_topics=False,  # _send creates them, with our partition count
            acks="all",
            linger_ms=2,
            # No retries inside the producer: a retry after a reconnect could reach a broker that
            # replaced the old one before _send checked its topics (see _send). The outbox
            # retries a failed batch, checking them first.
            retries=0,
            max_in_flight_requests_per_connection=1,
            enable_idempotence=False,
            # send() waits this long for a topic's metadata (60 s by default, per record): with
            # the broker down, the outbox relay should learn it in seconds, not hours.
            max_block_ms=_MAX_BLOCK_MS,
        )

    def _assign_all(
        self, reader: KafkaConsumer, from_start: Collection[str] = (), new_at_start: bool = False
    ) -> None:
        """Assign every partition of our topics: the partitions of from_start (full topic
        names) at their start, partitions already read where they were, and new ones at their
        end (at their start with new_at_start: they appeared while this server was reading)."""
        positions = {
            tp: offset for tp in reader.assignment() if (offset := reader.position(tp)) is not None
        }
        partitions = []
        deadline = time.monotonic() + 10.0
        for topic in READ_TOPICS:
            ids = reader.partitions_for_topic(self._prefix + topic)
            while not ids and time.monotonic() < deadline:
                time.sleep(0.1)  # metadata of a topic created a moment ago
                ids = reader.partitions_for_topic(self._prefix + topic)
            partitions += [TopicPartition(self._prefix + topic, p) for p in sorted(ids or ())]
        reader.assign(partitions)
        for tp in partitions:
            if tp.topic in from_start:
                reader.seek_to_beginning(tp)
            elif tp in positions:
                reader.seek(tp, positions[tp])
            elif new_at_start:
                reader.seek_to_beginning(tp)
            else:
                reader.seek_to_end(tp)

    # -- threads -------------------------------------------------------------------------------

    def _send(self, envelopes: Sequence[Envelope]) -> None:
        producer, admin = self._producer, self._admin
        if producer is None or admin is None:
            raise BusUnavailable("the event bus is closed")
        try:
            topics = {self._prefix + env.topic for env in envelopes}
            producer = self._checked_producer(producer, admin, topics)
            futures = [
                producer.send(
                    self._prefix + env.topic, key=env.key.encode(), value=codec.encode(env)
                )
                for env in envelopes
            ]
            producer.flush(timeout=_SEND_TIMEOUT_SECONDS)
            for future in futures:
                # types-kafka-python leaves FutureRecordMetadata.get unannotated.
                future.get(timeout=_SEND_TIMEOUT_SECONDS)  # type: ignore[no-untyped-call]
        except Exception as exc:
            raise BusUnavailable(f"the Kafka broker at {self.bootstrap}: {exc}") from exc

    def _checked_producer(
        self, producer: KafkaProducer, admin: KafkaAdminClient, topics: set[str]
    ) -> KafkaProducer:
        """The producer, once topics exist on the broker with the partitions it knows of.

        A broker replaced by an empty one (tansu restarted: it keeps everything in memory) has
        none of our topics, and tansu acknowledges records sent to a topic, or a partition, it
        does not have, then drops them (a real broker answers UNKNOWN_TOPIC_OR_PARTITION). The
        producer's metadata still comes from the old broker, so it would send them: acknowledged
        events that never reach another server. Worse, tansu creates a missing topic with its
        own partition count (4) when a consumer merely reads it, and cannot add partitions; a
        producer that knows 6 then loses what it sends to the last 2. So before each batch (one
        metadata request; the outbox sends at most 20 batches a second) create what is missing,
        and renew a producer whose partitions differ from the broker's.
        """
        counts = ensure_topics(admin, topics, self._partitions)
        stale = [t for t, n in counts.items() if len(producer.partitions_for(t) or ()) != n]
        if not stale:
            return producer
        log.warning(
            "Kafka topics %s have other partitions than the producer knew (a new broker?); "
            "renewing the producer",
            stale,
        )
        producer.close(0)
        self._producer = self._new_producer()
        return self._producer

    def _broadcast_run(self, reader: KafkaConsumer) -> None:
        # seek_to_end is where a real broker starts us; the timestamp check also keeps history
        # out on brokers whose "latest" offset lags (tansu's does).
        since_ms = int(time.time() * 1000) - _BROADCAST_SKEW_MS
        incarnations = _topic_ids(reader)
        try:
            while not self._closed.is_set():
                incarnations = self._follow_recreated_topics(reader, incarnations)
                for tp, records in reader.poll(timeout_ms=200).items():
                    topic = tp.topic.removeprefix(self._prefix)
                    for record in records:
                        if record.timestamp >= since_ms:
                            self._hand_over(tp, topic, record)
        except RuntimeError:
            pass  # the event loop closed under us: the process is ending
        except Exception:
            log.exception("Kafka broadcast reader stopped")
        finally:
            reader.close()

    def _hand_over(self, tp: TopicPartition, topic: str, record: ConsumerRecord) -> None:
        """Decode one record and hand it to the event loop (in the reader thread)."""
        assert self._loop is not None
        try:
            if topic != LOGS_TOPIC:
                env = codec.decode(record.value, topic)
                self._loop.call_soon_threadsafe(self._local.deliver_broadcast, env)
                return
            if (ORIGIN_HEADER, self.origin.encode()) in (record.headers or ()):
                return  # this server's own lines: its pipeline fed its readers already
            batch = codec.decode_log_batch(record.value)
        except codec.UndecodableEvent as exc:
            log.error("skipping %s@%d: %s", tp, record.offset, exc)
            return
        if batch.origin != self.origin:
            self._loop.call_soon_threadsafe(self._deliver_logs, batch)

    def _deliver_logs(self, batch: LogBatch) -> None:
        """Hand another server's lines to this server's log listeners (on the event loop)."""
        self._logs.stats.received += len(batch.lines)
        for listener in list(self._log_listeners):
            try:
                listener(batch)
            except Exception:  # one broken reader must not cost the others their lines
                log.exception("a log listener failed")

    def _follow_recreated_topics(
        self, reader: KafkaConsumer, known: dict[str, object]
    ) -> dict[str, object]:
        """Read a topic from its start when it was created anew (a broker replaced by an empty
        one): the reader's old positions lie beyond the new log's end, and without this it
        would skip everything published until the log grew past them. Partitions that appear
        later (metadata of a new topic can come in parts) are read from their start too."""
        now = _topic_ids(reader)
        recreated = [t for t, i in now.items() if i is not None and known.get(t) not in (None, i)]
        assigned = {(tp.topic, tp.partition) for tp in reader.assignment()}
        grown = any(
            (topic, p) not in assigned
            for topic in {t for t, _ in assigned}
            for p in reader.partitions_for_topic(topic) or ()
        )
        if recreated:
            log.warning("Kafka topics %s were created anew; reading them from the start", recreated)
        if recreated or grown:
            self._assign_all(reader, from_start=set(recreated), new_at_start=True)
        # An id can be missing for a while (the broker is down): remember the last one seen.
        return {t: now.get(t) or known.get(t) for t in {*known, *now}}


def _topic_ids(reader: KafkaConsumer) -> dict[str, object]:
    """Each assigned topic's id (a new one when the topic was deleted and created again).

    kafka-python keeps the ids from its metadata responses on its cluster view, which the public
    API does not expose; without them the reader cannot tell a recreated topic.
    """
    cluster = reader._client.cluster  # type: ignore[attr-defined]  # private: see above
    return {t: cluster.topic_id(t) for t in {tp.topic for tp in reader.assignment()}}


def _probe(servers: list[str]) -> None:
    """Raise ConnectionError unless one bootstrap server accepts TCP connections.

    kafka-python's clients retry an unreachable bootstrap quietly for a long time; this check
    fails fast so the server can say which broker, where, is missing.
    """
    errors = []
    for server in servers:
        host, _, port = server.strip().rpartition(":")
        try:
            socket.create_connection((host or "localhost", int(port or 9092)), timeout=3).close()
            return
        except (OSError, ValueError) as exc:
            errors.append(f"{server}: {exc}")
    raise ConnectionError("; ".join(errors))
