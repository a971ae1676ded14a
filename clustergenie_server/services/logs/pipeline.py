"""The one way lines come in: accept (never waits), fan out to live readers, write in chunks.

Accepted lines wait in per-stream head chunks in memory until a head is full or old enough, then
a background writer stores them (Loki's ingester does the same: a database row per line would cap
ingest at the row rate). Queries read the heads too, so nothing accepted is invisible. When the
database cannot take the lines, they stay pending up to a bound; beyond it the oldest are dropped,
counted and logged, and the live readers are told with a gap. The simulation and the API never
wait for the database on this path.

With several servers, each accepted batch is also published (never waited on: see
EventBus.publish_logs), and the batches other servers accepted come back through fan_out: they
feed this server's live readers and its stream index, but are not stored here (their origin
stores them). They are also kept for REMOTE_KEEP_SECONDS, with their origin's seqs, so that a
search here finds them while they still wait in their origin's heads; the stored copy carries
the same seq, and a search shows each line once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import operator
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial

import numpy as np
from sqlalchemy.orm import Session

from clustergenie_server.db import Database
from clustergenie_server.db.log_chunks import EncodedChunk, encode_chunk
from clustergenie_server.db.log_store import LogStore, stream_rows
from clustergenie_server.domain.logs import Gap, LogBatch, LogLine, Stream
from clustergenie_server.services.logs.stream_index import StreamIndex
from clustergenie_server.services.logs.subscriptions import Subscriber

log = logging.getLogger(__name__)

CHUNK_LINES = 4096  # a head this full is cut at once
FLUSH_EVERY_SECONDS = 0.5  # wall clock
WRITE_BATCH_LINES = 200_000  # lines per unit of work: ~0.2 s of the write lane at most
MAX_GAPS_KEPT = 100
HIGH_WATERMARK = 0.5  # of max_pending_lines: ingest waits above it
ROOM_WAIT_SECONDS = 5.0
# Other servers' lines kept for searches here: their origin writes a head within its chunk age
# (2 s) unless its database is slow; at most MAX_REMOTE_LINES (the newest) are kept.
REMOTE_KEEP_SECONDS = 10.0
MAX_REMOTE_LINES = 200_000


@dataclass(frozen=True, slots=True)
class PipelineLimits:
    """Bounds of the in-memory part."""

    chunk_age_seconds: float = 2.0  # wall: a head older than this is written
    max_pending_lines: int = 500_000  # beyond this the oldest pending lines are dropped


@dataclass(slots=True)
class PipelineStats:
    """What the pipeline did since it started."""

    accepted: int = 0
    stored: int = 0
    dropped: int = 0
    write_failures: int = 0
    received: int = 0  # lines other servers accepted, fed to live readers (stored by them)


class LogPipeline:
    """Accepts lines, feeds subscribers, writes chunks through a LogStore."""

    def __init__(
        self,
        db: Database,
        store: LogStore,
        limits: PipelineLimits | None = None,
        *,
        publish: Callable[[Sequence[LogLine]], None] | None = None,
    ) -> None:
        self._db, self._store, self._publish = db, store, publish
        self.limits = limits or PipelineLimits()
        self.index = StreamIndex()
        # Microseconds of the wall clock at start: seqs keep growing across restarts.
        self._seq = time.time_ns() // 1000
        self._heads: dict[int, list[LogLine]] = {}
        self._head_born: dict[int, float] = {}
        self._pending_lines = 0
        self._inflight: list[LogLine] = []
        self._new_streams: dict[int, tuple[int, str, float]] = {}
        # Streams known only from other servers' lines: this server has not written their rows.
        self._remote_streams: set[int] = set()
        # (arrival, lines) of other servers' batches, oldest first, with their origin's seqs.
        self._remote: deque[tuple[float, Sequence[LogLine]]] = deque()
        self._remote_lines = 0
        self._subscribers: set[Subscriber] = set()
        self.gaps: deque[Gap] = deque(maxlen=MAX_GAPS_KEPT)
        self.stats = PipelineStats()
        self._wake = asyncio.Event()
        # One flush at a time: an explicit flush waits for the writer's batch in flight, and
        # stop() never cancels the writer in the middle of a write (its unit of work would
        # commit anyway, and the lines put back would be written twice).
        self._flush_lock = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None

    @property
    def seq(self) -> int:
        """The seq of the newest accepted line."""
        return self._seq

    # ------------------------------------------------------------------ accepting
    def accept(self, lines: Iterable[tuple[Stream, float, str, int]]) -> list[LogLine]:
        """Accept (stream, time, text, count) lines: give each its seq, hand them to every
        subscriber, queue them for writing. Never waits."""
        seq = self._seq
        out: list[LogLine] = []
        heads, born, now = self._heads, self._head_born, time.monotonic()
        for stream, t, text, count in lines:
            seq += 1
            line = LogLine(t, stream, text, count, seq)
            out.append(line)
            head = heads.get(stream.id)
            if head is None:
                head = heads[stream.id] = []
                born[stream.id] = now
                if self.index.add(stream) or stream.id in self._remote_streams:
                    self._remote_streams.discard(stream.id)
                    self._new_streams[stream.id] = (stream.id, stream.key, t)
            head.append(line)
        self._seq = seq
        self._pending_lines += len(out)
        self.stats.accepted += len(out)
        for subscriber in list(self._subscribers):
            subscriber.offer(out)
        if self._publish is not None:
            self._publish(out)
        if self._pending_lines > self.limits.max_pending_lines:
            self._drop_oldest()
        return out

    def fan_out(self, batch: LogBatch) -> None:
        """Feed lines another server accepted to this server's live readers, each with a seq of
        this server (so a tail's `after` holds); not stored here: their origin stores them."""
        if batch.missed:
            self._tell_gap(
                Gap(
                    batch.missed,
                    time.time(),
                    f"{batch.missed} lines of server {batch.origin} did not reach this server "
                    "(the bus was behind or unreachable); they are stored and searchable",
                )
            )
        seq, out, index = self._seq, [], self.index
        for x in batch.lines:
            seq += 1
            if index.add(x.stream):  # a search here then finds what the origin stores
                self._remote_streams.add(x.stream.id)
            out.append(LogLine(x.t, x.stream, x.line, x.count, seq))
        self._seq = seq
        self.stats.received += len(out)
        self._remote.append((time.monotonic(), batch.lines))
        self._remote_lines += len(batch.lines)
        self._forget_remote()
        for subscriber in list(self._subscribers):
            subscriber.offer(out)

    async def room(self, wait_seconds: float = ROOM_WAIT_SECONDS) -> bool:
        """Wait (up to wait_seconds) until pending lines are under the high watermark: senders that
        can wait (an ingest stream, a push request) slow down before anything is dropped."""
        deadline = time.monotonic() + wait_seconds
        while self._pending_lines > self.limits.max_pending_lines * HIGH_WATERMARK:
            if time.monotonic() > deadline:
                return False
            self._wake.set()
            await asyncio.sleep(0.02)
        return True

    def subscribe(self, subscriber: Subscriber) -> int:
        """Feed subscriber every batch from now on; returns the seq it starts after."""
        self._subscribers.add(subscriber)
        return self._seq

    def unsubscribe(self, subscriber: Subscriber) -> None:
        """Stop feeding subscriber."""
        self._subscribers.discard(subscriber)

    def unflushed(self) -> list[LogLine]:
        """Every accepted line not yet known to be stored (heads and the write in flight)."""
        out = list(self._inflight)
        for head in self._heads.values():
            out.extend(head)
        return out

    def recent_remote(self) -> list[LogLine]:
        """Lines other servers accepted in the last REMOTE_KEEP_SECONDS, with their origin's
        seqs (the seqs they are stored with): what a search adds to the stored lines so that it
        sees them before their origin has written them."""
        self._forget_remote()
        return [x for _, lines in self._remote for x in lines]

    def _forget_remote(self) -> None:
        too_old = time.monotonic() - REMOTE_KEEP_SECONDS
        remote = self._remote
        while remote and (self._remote_lines > MAX_REMOTE_LINES or remote[0][0] < too_old):
            self._remote_lines -= len(remote.popleft()[1])

    def _drop_oldest(self) -> None:
        """Drop the oldest heads until under the bound: counted, logged, told to readers."""
        excess = self._pending_lines - self.limits.max_pending_lines
        dropped = 0
        for stream_id in sorted(self._head_born, key=self._head_born.__getitem__):
            if dropped >= excess:
                break
            head = self._heads.pop(stream_id)
            del self._head_born[stream_id]
            dropped += len(head)
        self._pending_lines -= dropped
        self._record_drop(dropped, "the database could not keep up or was unreachable")

    def _record_drop(self, dropped: int, reason: str) -> None:
        self.stats.dropped += dropped
        log.warning("logs: dropped %d lines (%d in all): %s", dropped, self.stats.dropped, reason)
        self._tell_gap(Gap(dropped, time.time(), f"{dropped} lines were not stored: {reason}"))

    def _tell_gap(self, gap: Gap) -> None:
        """Keep a gap and tell every live reader that takes gaps."""
        self.gaps.append(gap)
        for subscriber in list(self._subscribers):
            add_gap = getattr(subscriber, "add_gap", None)
            if add_gap is not None:
                add_gap(gap)

    # ------------------------------------------------------------------ writing
    async def start(self) -> None:
        """Load the stream index and start the writer."""
        with contextlib.suppress(Exception):  # an unreachable database: streams come as lines do
            self.index.load(await self._db.read(self._store.streams))
        self._task = asyncio.create_task(self._write_loop(), name="logs-writer")

    async def stop(self) -> None:
        """Stop the writer, then write every head (best effort)."""
        if self._task is not None:
            async with self._flush_lock:
                self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        with contextlib.suppress(Exception):
            await self.flush(everything=True)

    async def _write_loop(self) -> None:
        delay = FLUSH_EVERY_SECONDS
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), delay)
            pressure = self._wake.is_set()  # a sender waits for room: write every head
            self._wake.clear()
            try:
                await self.flush(everything=pressure)
                delay = FLUSH_EVERY_SECONDS
            except Exception as exc:  # kept pending; the bound decides what is dropped
                self.stats.write_failures += 1
                log.warning(
                    "logs: writing lines failed (%s); %d lines wait", exc, self._pending_lines
                )
                delay = min(delay * 2, 5.0)

    async def flush(self, *, everything: bool = False) -> int:
        """Write the heads that are full or old (all with everything=True); returns lines."""
        async with self._flush_lock:
            return await self._flush(everything)

    async def _flush(self, everything: bool) -> int:
        written = 0
        while True:
            batch = self._cut(everything)
            if not batch:
                return written
            self._inflight = batch
            streams = list(self._new_streams.values())
            try:
                await self._db.run(partial(self._write, batch=batch, streams=streams))
            except BaseException:
                self._restore(batch)
                raise
            finally:
                self._inflight = []
            for stream_id, _, _ in streams:
                self._new_streams.pop(stream_id, None)
            self.stats.stored += len(batch)
            written += len(batch)

    def _cut(self, everything: bool) -> list[LogLine]:
        now = time.monotonic()
        age = self.limits.chunk_age_seconds
        out: list[LogLine] = []
        for stream_id in list(self._heads):
            head = self._heads[stream_id]
            if everything or len(head) >= CHUNK_LINES or now - self._head_born[stream_id] >= age:
                out.extend(head)
                del self._heads[stream_id], self._head_born[stream_id]
                if len(out) >= WRITE_BATCH_LINES:
                    break
        self._pending_lines -= len(out)
        return out

    def _restore(self, batch: list[LogLine]) -> None:
        """Put lines that could not be written back in front of their heads."""
        by_stream: dict[int, list[LogLine]] = defaultdict(list)
        for line in batch:
            by_stream[line.stream.id].append(line)
        now = time.monotonic()
        for stream_id, lines in by_stream.items():
            self._heads[stream_id] = lines + self._heads.get(stream_id, [])
            self._head_born[stream_id] = min(self._head_born.get(stream_id, now), now - 3600)
        self._pending_lines += len(batch)
        if self._pending_lines > self.limits.max_pending_lines:
            self._drop_oldest()

    def _write(
        self, s: Session, batch: Sequence[LogLine], streams: list[tuple[int, str, float]]
    ) -> None:
        """Encode (in the database thread: compression stays off the event loop) and store."""
        chunks, counts = encode_lines(batch)
        self._store.write(s, stream_rows(streams), chunks, counts)


def encode_lines(
    batch: Sequence[LogLine],
) -> tuple[list[EncodedChunk], list[tuple[int, int, int, int]]]:
    """Lines as chunks (per stream, time order, CHUNK_LINES at most) and per-minute counts."""
    by_stream: dict[int, list[LogLine]] = defaultdict(list)
    for line in batch:
        by_stream[line.stream.id].append(line)
    chunks: list[EncodedChunk] = []
    counts: list[tuple[int, int, int, int]] = []
    for stream_id, lines in by_stream.items():
        lines.sort(key=_by_time)  # stable: lines of the same time stay in seq order
        times = [x.t for x in lines]
        weights = [x.count for x in lines]
        seqs = [x.seq for x in lines]
        texts = [x.line for x in lines]
        for i in range(0, len(lines), CHUNK_LINES):
            j = i + CHUNK_LINES
            chunks.append(encode_chunk(stream_id, times[i:j], weights[i:j], seqs[i:j], texts[i:j]))
        minutes = (np.asarray(times) // 60).astype(np.int64) * 60
        keys, first, n = np.unique(minutes, return_index=True, return_counts=True)
        w = np.add.reduceat(np.asarray(weights, np.int64), first)
        counts.extend(
            (stream_id, int(m), int(k), int(x))
            for m, k, x in zip(keys.tolist(), n.tolist(), w.tolist(), strict=True)
        )
    return chunks, counts


_by_time = operator.attrgetter("t")
