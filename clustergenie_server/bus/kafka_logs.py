"""Log lines on Kafka: a sender thread with a producer of its own and a bounded backlog.

The pipeline hands every batch it accepts to offer() on the event loop, which only appends it to
a backlog: the simulation and the API never wait for the broker. The backlog is bounded in lines
and in age (live lines that are old are no longer live); what does not fit is dropped, counted
and logged. A thread groups the lines by droplet (the key: one droplet's lines go to one
partition, in order), cuts them into records of bounded size and sends them without waiting for
each acknowledgement: the events' producer waits for every one (acks=all, one request in
flight), which the volume of lines must not hold up. A failed send is counted too, and the next
record that gets out says how many lines did not (LogBatch.missed), so readers show a gap.

Lines that are lost here are lost for the other servers' live tails only: the server that
accepted them stores them (the outbox is not used: a database row per batch would cost more
than the lines' own storage).
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections import deque
from collections.abc import Sequence

from kafka import KafkaAdminClient, KafkaProducer

from clustergenie_server.bus import codec
from clustergenie_server.bus.event_bus import LogBusStats
from clustergenie_server.bus.kafka_topics import ensure_topics
from clustergenie_server.domain.logs import LogBatch, LogLine

log = logging.getLogger(__name__)

MAX_BACKLOG_LINES = 200_000
MAX_BACKLOG_SECONDS = 10.0  # wall: older lines are not sent (a tail wants them within ~1 s)
RECORD_BYTES = 256 * 1024  # lines per record at most (the broker refuses records above 1 MB)
_LINE_OVERHEAD = 32  # bytes of an entry besides its text
_WARN_EVERY_SECONDS = 10.0
_MAX_BLOCK_MS = 5_000
# How often the sender checks the topic against the broker: a broker replaced by an empty one
# (see KafkaEventBus._checked_producer) lacks it, or has it with other partitions.
TOPIC_CHECK_SECONDS = 5.0
ORIGIN_HEADER = "origin"  # lets a reader skip its own server's records without decoding them


class KafkaLogLane:
    """Publishes accepted lines to one topic from a thread; offer() never waits."""

    def __init__(
        self,
        bootstrap: str,
        topic: str,
        *,
        origin: str,
        ready: threading.Event,
        partitions: int,
        max_backlog_lines: int = MAX_BACKLOG_LINES,
    ) -> None:
        self._bootstrap, self._topic, self._origin = bootstrap, topic, origin
        self._ready, self._partitions, self._max = ready, partitions, max_backlog_lines
        self._checked_at = 0.0
        self._cond = threading.Condition()
        self._backlog: deque[tuple[float, Sequence[LogLine]]] = deque()  # (when offered, lines)
        self._backlog_lines = 0
        self._missed = 0  # lines lost since the last record that got out
        self._closed = False
        self._warned_at = 0.0
        self.stats = LogBusStats()
        self.thread = threading.Thread(target=self._run, name="kafka-logs", daemon=True)
        self.thread.start()

    def offer(self, lines: Sequence[LogLine]) -> None:
        """Queue lines for the other servers (called on the event loop; never waits)."""
        n = len(lines)
        if not n:
            return
        with self._cond:
            if self._closed:
                return
            if self._backlog_lines + n > self._max:
                self._lose(n, "dropped", "the backlog to Kafka is full")
                return
            self._backlog.append((time.monotonic(), lines))
            self._backlog_lines += n
            self._cond.notify()

    def close(self) -> None:
        """Stop: what is queued now is still sent, briefly; then the producer closes."""
        with self._cond:
            self._closed = True
            self._cond.notify()

    # -- the thread ----------------------------------------------------------------------------

    def _run(self) -> None:
        clients: tuple[KafkaProducer, KafkaAdminClient] | None = None
        while True:
            try:
                if clients is None:
                    clients = self._connect()
                    if clients is None:
                        if self._closed:
                            return
                        continue
                batches = self._take()
                if batches is None:
                    break
                clients = (self._checked(*clients), clients[1])
                self._send(clients[0], batches)
            except Exception:  # a client broke: start with new ones
                log.exception("Kafka log lane: renewing its clients")
                _close(clients, 0)
                clients = None
        _close(clients, 2)

    def _connect(self) -> tuple[KafkaProducer, KafkaAdminClient] | None:
        """A producer and an admin client once the bus has created its topics (None: not yet;
        lines wait in the bounded backlog meanwhile)."""
        if not self._ready.wait(0.2):
            self._expire()
            return None
        try:
            admin = KafkaAdminClient(
                bootstrap_servers=self._bootstrap.split(","), request_timeout_ms=_MAX_BLOCK_MS
            )
        except Exception as exc:
            with self._cond:
                self._expire_locked()
                log.warning("logs: Kafka at %s not reachable for lines (%s)", self._bootstrap, exc)
                self._cond.wait(1.0)
            return None
        try:
            return self._new_producer(), admin
        except BaseException:
            admin.close()
            raise

    def _checked(self, producer: KafkaProducer, admin: KafkaAdminClient) -> KafkaProducer:
        """The producer, renewed when the topic's partitions changed (checked now and then)."""
        now = time.monotonic()
        if now - self._checked_at < TOPIC_CHECK_SECONDS:
            return producer
        self._checked_at = now
        try:
            count = ensure_topics(admin, [self._topic], self._partitions)[self._topic]
            if not count or len(producer.partitions_for(self._topic) or ()) == count:
                return producer
        except Exception as exc:  # the broker is away: the sends fail and are counted
            log.debug("logs: checking %s failed: %s", self._topic, exc)
            return producer
        log.warning("%s has other partitions than the producer knew; renewing it", self._topic)
        producer.close(0)
        return self._new_producer()

    def _take(self) -> list[Sequence[LogLine]] | None:
        """Wait for lines and take the whole backlog (None: closed and nothing left)."""
        with self._cond:
            while not self._backlog and not self._closed:
                self._cond.wait()
            if not self._backlog:
                return None
            self._expire_locked()
            taken = [lines for _, lines in self._backlog]
            self._backlog.clear()
            self._backlog_lines = 0
            return taken

    def _expire(self) -> None:
        with self._cond:
            self._expire_locked()

    def _expire_locked(self) -> None:
        oldest = time.monotonic() - MAX_BACKLOG_SECONDS
        lost = 0
        while self._backlog and self._backlog[0][0] < oldest:
            lost += len(self._backlog.popleft()[1])
        if lost:
            self._backlog_lines -= lost
            self._lose(lost, "dropped", f"Kafka took none for {MAX_BACKLOG_SECONDS:.0f}s")

    def _send(self, producer: KafkaProducer, batches: list[Sequence[LogLine]]) -> None:
        by_key: dict[str, list[LogLine]] = {}
        for lines in batches:
            for line in lines:
                by_key.setdefault(codec.log_key(line), []).append(line)
        headers = [(ORIGIN_HEADER, self._origin.encode())]
        for key, lines in by_key.items():
            for part in _records(lines):
                with self._cond:
                    missed, self._missed = self._missed, 0
                value = codec.encode_log_batch(LogBatch(self._origin, key, part, missed))
                n = len(part)
                try:
                    future = producer.send(
                        self._topic, key=key.encode(), value=value, headers=headers
                    )
                except Exception as exc:  # no metadata within max_block_ms, a full buffer
                    with self._cond:
                        self._missed += missed
                        self._lose(n, "failed", str(exc))
                    continue
                with self._cond:
                    self.stats.sent += n
                    self.stats.published += n
                future.add_errback(self._on_failure, n, missed)

    def _on_failure(self, n: int, missed: int, exc: BaseException) -> None:
        """A record the broker did not take (called in the producer's own thread)."""
        with self._cond:
            self.stats.published -= n
            self._missed += missed
            self._lose(n, "failed", str(exc))

    def _lose(self, n: int, kind: str, reason: str) -> None:
        """Count lost lines (the caller holds the lock); warn now and then, not per batch."""
        if kind == "dropped":
            self.stats.dropped += n
        else:
            self.stats.failed += n
        self._missed += n
        now = time.monotonic()
        if now - self._warned_at >= _WARN_EVERY_SECONDS:
            self._warned_at = now
            log.warning(
                "logs: %d lines did not reach the other servers' tails (%d dropped, %d failed "
                "in all): %s",
                n,
                self.stats.dropped,
                self.stats.failed,
                reason,
            )

    def _new_producer(self) -> KafkaProducer:
        # acks=1 and no retries: a lost record costs a gap in other servers' tails, never a
        # stored line, so the lane trades that for never queueing behind acknowledgements.
        # Without retries the partition order holds with several requests in flight.
        return KafkaProducer(
            bootstrap_servers=self._bootstrap.split(","),
            allow_auto_create_topics=False,  # the bus creates its topics
            acks=1,
            linger_ms=5,
            retries=0,
            enable_idempotence=False,
            max_block_ms=_MAX_BLOCK_MS,
        )


def _close(clients: tuple[KafkaProducer, KafkaAdminClient] | None, timeout: float) -> None:
    """Close the lane's clients (best effort: they may be broken already)."""
    if clients is None:
        return
    producer, admin = clients
    with contextlib.suppress(Exception):
        producer.close(timeout=timeout)
    with contextlib.suppress(Exception):
        admin.close()


def _records(lines: list[LogLine]) -> list[list[LogLine]]:
    """Lines cut into runs of about RECORD_BYTES each (a line is at most 16 KiB)."""
    out: list[list[LogLine]] = []
    run: list[LogLine] = []
    size = 0
    for line in lines:
        run.append(line)
        size += len(line.line) + _LINE_OVERHEAD
        if size >= RECORD_BYTES:
            out.append(run)
            run, size = [], 0
    if run:
        out.append(run)
    return out
