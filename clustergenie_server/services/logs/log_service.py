"""LogService: the Logs feature's operations; its streams (tail, live stats) live in watch-style
generators here, so the servicer only encodes what they yield.

The read API Diagnose uses is `lines`, `pattern_counts` and `new_patterns` (see LogReader).
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Iterable, Mapping, Sequence
from functools import partial
from typing import Protocol

from sqlalchemy.orm import Session

from clustergenie_server.db import Database
from clustergenie_server.db.log_store import LogStore
from clustergenie_server.domain.errors import InvalidArgument
from clustergenie_server.domain.logs import (
    Entry,
    Gap,
    IngestResult,
    LogLine,
    NewPatternSeen,
    Pattern,
    StatsUpdate,
)
from clustergenie_server.services.logs.chunk_scan import ScanStep, Window, scan_step
from clustergenie_server.services.logs.ingest import Ingest
from clustergenie_server.services.logs.patterns import (
    MAX_LINES_MINED,
    PatternTracker,
    window_patterns,
)
from clustergenie_server.services.logs.pipeline import LogPipeline
from clustergenie_server.services.logs.query_eval import CompiledQuery, compile_query
from clustergenie_server.services.logs.query_parser import parse, parse_log_query
from clustergenie_server.services.logs.search import check_window, search
from clustergenie_server.services.logs.stats import (
    BucketCounts,
    StatsPlan,
    evaluate,
    plan_stats,
)
from clustergenie_server.services.logs.stream_index import StreamIndex
from clustergenie_server.services.logs.subscriptions import TailSubscription

MAX_REPLAY = 5_000
LIVE_STATS_EVERY_SECONDS = 1.0  # wall
MAX_SCAN_LINES = 5_000_000  # a stats query that needs lines reads at most these
# The Patterns tab samples a window from this many slices of its time (see pattern_counts).
PATTERN_SLICES = 20


class LogReader(Protocol):
    """What Diagnose reads: lines of a query in a window, and patterns of a target."""

    async def lines(self, query: str, start: float, end: float, limit: int = 1000) -> list[LogLine]:
        """Matching lines, newest first."""

    async def pattern_counts(
        self, query: str, start: float, end: float, since: float, limit: int = 50
    ) -> list[Pattern]:
        """Top templates of the window with counts; `new` when first seen at or after since."""

    def new_patterns(self, cluster: str | None, start: float, end: float) -> list[NewPatternSeen]:
        """Templates first seen live on a cluster in the window (events of the tracker)."""


def _scan_and_count(
    s: Session,
    *,
    store: LogStore,
    index: StreamIndex,
    plan: StatsPlan,
    stream_ids: Sequence[int],
    window: Window,
    cursor: tuple[float, int] | None,
    into: BucketCounts,
    skip: set[int],
    after: int,
) -> ScanStep:
    """One scan step whose lines (not already counted, up to seq `after`) are counted into
    `into`."""
    step = scan_step(s, store, index, plan.query, stream_ids, window, cursor)
    into.add_lines(plan, [x for x in step.lines if x.seq not in skip and x.seq <= after])
    return step


class LogService:
    """Tail, search, stats, patterns, ingest and labels."""

    def __init__(
        self,
        db: Database,
        store: LogStore,
        pipeline: LogPipeline,
        tracker: PatternTracker,
        now: Callable[[], float],
        *,
        tail_buffer: int,
    ) -> None:
        self._db, self._store, self.pipeline = db, store, pipeline
        self.tracker, self.now, self._tail_buffer = tracker, now, tail_buffer
        self._ingest = Ingest(pipeline, now)

    # ------------------------------------------------------------------ tail
    async def tail(
        self, query_text: str, since: float | None, replay_limit: int = 1000
    ) -> AsyncGenerator[list[LogLine | Gap], None]:
        """Lines since `since` (oldest first, up to replay_limit of the newest), an empty batch
        when the replay is done, then every new matching line as it comes; gaps where lines
        were missed."""
        query = compile_query(parse_log_query(query_text))
        replay_limit = max(0, min(replay_limit, MAX_REPLAY))
        subscription = TailSubscription(query, max_buffered=self._tail_buffer)
        subscription.after = self.pipeline.subscribe(subscription)
        try:
            if since is not None and replay_limit:
                replay: list[LogLine] = []
                window = Window(since, math.inf)
                async for page in search(
                    self._db, self._store, self.pipeline, query, window, limit=replay_limit
                ):
                    replay.extend(x for x in page if x.seq <= subscription.after)
                replay.reverse()
                for i in range(0, len(replay), 500):
                    yield list(replay[i : i + 500])
            yield []
            while True:
                yield await subscription.next_batch()
        finally:
            subscription.closed = True
            self.pipeline.unsubscribe(subscription)

    # ------------------------------------------------------------------ search
    async def search(
        self,
        query_text: str,
        start: float,
        end: float,
        limit: int,
        before: tuple[float, int] | None = None,
    ) -> AsyncGenerator[list[LogLine], None]:
        """Pages of matching lines, newest first; `before` continues after a previous page."""
        query = compile_query(parse_log_query(query_text))
        async for page in search(
            self._db, self._store, self.pipeline, query, Window(start, end, before), limit=limit
        ):
            yield page

    async def lines(self, query: str, start: float, end: float, limit: int = 1000) -> list[LogLine]:
        """Matching lines of a window, newest first (the read API)."""
        out: list[LogLine] = []
        async for page in self.search(query, start, end, limit):
            out.extend(page)
        return out

    # ------------------------------------------------------------------ stats
    async def stats(
        self, query_text: str, start: float, end: float | None, step: float, *, live: bool
    ) -> AsyncIterator[StatsUpdate]:
        """Counts per level (or the metric query's series) per bucket of [start, end]; with
        live, then the buckets that changed about once a second, for ever."""
        plan = plan_stats(parse(query_text), step)
        end_t = self.now() if end is None else end
        check_window(start, end_t)
        origin = math.floor(start / step) * step
        if (end_t - origin) / step > 10_000:
            raise InvalidArgument("the window has more than 10000 steps; use a longer step")
        counts = BucketCounts(origin, step)
        touched: set[int] = set()

        class _Live:
            def offer(self, lines: Sequence[LogLine]) -> None:
                touched.update(counts.add_lines(plan, lines, after))

        live_sub = _Live()
        after = self.pipeline.subscribe(live_sub) if live else self.pipeline.seq
        try:
            await self._fill(plan, counts, origin - (plan.range_seconds - step), end_t, after)
            n = max(1, math.ceil((end_t - origin) / step))
            yield StatsUpdate(origin, step, evaluate(plan, counts, 0, n), not live)
            while live:
                await asyncio.sleep(LIVE_STATS_EVERY_SECONDS)
                n_now = max(1, math.floor((self.now() - origin) / step) + 1)
                if not touched and n_now == n:
                    continue
                lo, hi = min(touched, default=n - 1), max(touched, default=n - 1)
                touched.clear()
                n = max(n, n_now, hi + 1)
                first = max(0, lo)
                yield StatsUpdate(
                    origin + first * step, step, evaluate(plan, counts, first, n - first), False
                )
        finally:
            if live:
                self.pipeline.unsubscribe(live_sub)

    async def _fill(
        self, plan: StatsPlan, counts: BucketCounts, start: float, end: float, after: int
    ) -> None:
        """Count stored and pending lines of [start, end] up to seq `after`."""
        streams = self.pipeline.index.matching(plan.query.selects)
        ids = [s.id for s in streams]
        pending = [x for x in self.pipeline.unflushed() if x.seq <= after and start <= x.t <= end]
        counts.add_lines(plan, pending)
        pending_seqs = {x.seq for x in pending}
        if not ids:
            return
        if plan.plain and plan.step % 60 == 0 and start % 60 == 0:
            rows = await self._db.read(lambda s: self._store.counts(s, ids, start, end))
            index = self.pipeline.index
            for stream_id, minute, weight in rows:
                stream = index.get(stream_id)
                if stream is not None:
                    counts.add(tuple(sorted(stream.labels.items())), float(minute), float(weight))
            return
        cursor: tuple[float, int] | None = None
        window, scanned = Window(start, end), 0
        while scanned < MAX_SCAN_LINES:
            # Scanned and counted in the database thread (a big window is millions of lines),
            # into counts of its own: the live subscriber adds to `counts` on the event loop.
            part = BucketCounts(counts.origin, counts.step)
            step = await self._db.read(
                partial(
                    _scan_and_count,
                    store=self._store,
                    index=self.pipeline.index,
                    plan=plan,
                    stream_ids=ids,
                    window=window,
                    cursor=cursor,
                    into=part,
                    skip=pending_seqs,
                    after=after,
                )  # fmt: skip
            )
            counts.merge(part)
            scanned += len(step.lines)
            if step.cursor is None:
                return
            cursor = step.cursor

    # ------------------------------------------------------------------ patterns
    async def pattern_counts(
        self,
        query: str,
        start: float,
        end: float,
        since: float,
        limit: int = 50,
        *,
        spread: bool = False,
    ) -> list[Pattern]:
        """Top templates of the window (mined off the event loop): the newest lines before
        `since` are mined too, as the baseline that makes a template not new.

        spread=True (the Patterns tab) samples each part from PATTERN_SLICES slices of its
        time instead of its newest lines, so a template's "first seen" is within a slice of its
        first line: on a busy window the newest lines are only its last minute. Diagnose keeps
        the newest lines: it asks about what is happening now."""
        since = min(max(since, start), end)
        half = MAX_LINES_MINED // 2
        read = self._spread_lines if spread else self.lines
        lines = await read(query, since, end, half)
        if since > start:
            lines += await read(query, start, since, half)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(None, window_patterns, lines, since, limit)

    async def _spread_lines(
        self, query: str, start: float, end: float, limit: int
    ) -> list[LogLine]:
        """Up to `limit` matching lines of [start, end]: the newest of each of PATTERN_SLICES
        equal slices (each line once, though a slice's end is the next one's start)."""
        width = (end - start) / PATTERN_SLICES
        per = max(1, limit // PATTERN_SLICES)
        found: dict[int, LogLine] = {}
        for i in range(PATTERN_SLICES):
            a = start + i * width
            b = end if i == PATTERN_SLICES - 1 else a + width
            found.update((x.seq, x) for x in await self.lines(query, a, b, per))
        return list(found.values())

    def new_patterns(self, cluster: str | None, start: float, end: float) -> list[NewPatternSeen]:
        """Templates first seen live in the window (the tracker's events)."""
        return self.tracker.new_patterns(cluster, start, end)

    # ------------------------------------------------------------------ ingest and labels
    def ingest(self, entries: Sequence[Entry], *, source: str) -> IngestResult:
        """Accept a batch from outside (never waits)."""
        return self._ingest.ingest(entries, source=source)

    def ingest_rows(
        self, rows: Iterable[tuple[Mapping[str, str], str, float | None]], *, source: str
    ) -> IngestResult:
        """Accept (labels, line, time) rows from outside (never waits)."""
        return self._ingest.ingest_rows(rows, source=source)

    def labels(self) -> dict[str, list[str]]:
        """Every label name with its values, for completion."""
        return {k: sorted(v)[:500] for k, v in sorted(self.pipeline.index.label_values().items())}

    def compile(self, query_text: str) -> CompiledQuery:
        """Parse and compile a log query (INVALID_ARGUMENT with the position when it is bad)."""
        return compile_query(parse_log_query(query_text))
