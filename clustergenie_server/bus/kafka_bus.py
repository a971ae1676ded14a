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
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import threading
import time
from collections.abc import Collection, Sequence
from concurrent.futures import ThreadPoolExecutor

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import NewTopic
from kafka.errors import TopicAlreadyExistsError

from clustergenie_server.bus import codec
from clustergenie_server.bus.event_bus import LOCAL_TOPIC, TOPICS, BusUnavailable, Envelope
from clustergenie_server.bus.in_process_bus import InProcessEventBus, _QueueSubscription
from clustergenie_server.bus.kafka_group import KafkaGroupSubscription, consumer_options
from clustergenie_server.domain.events import Event

log = logging.getLogger(__name__)

PARTITIONS = 6  # how far one topic's consumers can spread over servers
_FIRST_CONNECT_SECONDS = 5.0  # start() waits this long; after that it connects in the background
_MAX_RETRY_SECONDS = 30.0
_SEND_TIMEOUT_SECONDS = 10.0
# Record timestamps older than the reader's start, minus clock skew, are history, not news.
_BROADCAST_SKEW_MS = 2_000


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
        self._sender = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kafka-producer")
        self._ready = threading.Event()
        self._closed = threading.Event()
        self._groups: list[KafkaGroupSubscription] = []
        self._threads: list[threading.Thread] = []
        self._connecting: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

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
        if self._producer is None:
            raise BusUnavailable(f"the Kafka broker at {self.bootstrap} is not reachable yet")
        await asyncio.get_running_loop().run_in_executor(self._sender, self._send, wire)

    def deliver_local(self, envelopes: Sequence[Envelope]) -> None:
        """Hand envelopes to this server's broadcast subscribers now."""
        self._local.deliver_local(envelopes)

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
        await self._local.aclose()
        for thread in [*self._threads, *(m.thread for m in self._groups)]:
            await asyncio.to_thread(thread.join, 15.0)
        producer, self._producer = self._producer, None
        if producer is not None:
            await asyncio.get_running_loop().run_in_executor(self._sender, producer.close, 5.0)
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
        admin = KafkaAdminClient(bootstrap_servers=servers, request_timeout_ms=10_000)
        try:
            existing = set(admin.list_topics())
            for topic in TOPICS:
                if self._prefix + topic not in existing:
                    # Another server may create it at the same moment.
                    with contextlib.suppress(TopicAlreadyExistsError):
                        admin.create_topics([NewTopic(self._prefix + topic, self._partitions, 1)])
        finally:
            admin.close()
        reader = KafkaConsumer(**consumer_options(self.bootstrap), group_id=None)
        self._assign_all(reader)
        thread = threading.Thread(
            target=self._broadcast_run, args=(reader,), name="kafka-broadcast", daemon=True
        )
        thread.start()
        self._threads.append(thread)
        # Idempotence is not needed for ordering: one request in flight keeps each partition's
        # records in send order even when a send is retried.
        self._producer = KafkaProducer(
            bootstrap_servers=servers,
            acks="all",
            linger_ms=2,
            retries=5,
            max_in_flight_requests_per_connection=1,
        )
        self._ready.set()

    def _assign_all(self, reader: KafkaConsumer) -> None:
        partitions = []
        deadline = time.monotonic() + 10.0
        for topic in TOPICS:
            ids = reader.partitions_for_topic(self._prefix + topic)
            while not ids and time.monotonic() < deadline:
                time.sleep(0.1)  # metadata of a topic created a moment ago
                ids = reader.partitions_for_topic(self._prefix + topic)
            partitions += [TopicPartition(self._prefix + topic, p) for p in sorted(ids or ())]
        reader.assign(partitions)
        reader.seek_to_end()

    # -- threads -------------------------------------------------------------------------------

    def _send(self, envelopes: Sequence[Envelope]) -> None:
        producer = self._producer
        if producer is None:
            raise BusUnavailable("the event bus is closed")
        try:
            futures = [
                producer.send(
                    self._prefix + env.topic, key=env.key.encode(), value=codec.encode(env)
                )
                for env in envelopes
            ]
            producer.flush(timeout=_SEND_TIMEOUT_SECONDS)
            for future in futures:
                future.get(timeout=_SEND_TIMEOUT_SECONDS)
        except Exception as exc:
            raise BusUnavailable(f"the Kafka broker at {self.bootstrap}: {exc}") from exc

    def _broadcast_run(self, reader: KafkaConsumer) -> None:
        # seek_to_end is where a real broker starts us; the timestamp check also keeps history
        # out on brokers whose "latest" offset lags (tansu's does).
        since_ms = int(time.time() * 1000) - _BROADCAST_SKEW_MS
        try:
            while not self._closed.is_set():
                for tp, records in reader.poll(timeout_ms=200).items():
                    topic = tp.topic.removeprefix(self._prefix)
                    for record in records:
                        if record.timestamp < since_ms:
                            continue
                        try:
                            env = codec.decode(record.value, topic)
                        except codec.UndecodableEvent as exc:
                            log.error("skipping %s@%d: %s", tp, record.offset, exc)
                            continue
                        assert self._loop is not None
                        self._loop.call_soon_threadsafe(self._local.deliver_broadcast, env)
        except RuntimeError:
            pass  # the event loop closed under us: the process is ending
        except Exception:
            log.exception("Kafka broadcast reader stopped")
        finally:
            reader.close()


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
