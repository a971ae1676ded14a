"""The tail never lies: a slow reader gets a gap with the count; an outage drops with a gap."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest
from sqlalchemy.orm import Session

from clustergenie_server.db import Database
from clustergenie_server.db.log_chunks import EncodedChunk
from clustergenie_server.db.log_store import LogStore
from clustergenie_server.domain.errors import Unavailable
from clustergenie_server.domain.logs import Gap, LogLine, NewPatternSeen, Stream
from clustergenie_server.services.logs.log_service import LogService
from clustergenie_server.services.logs.pipeline import LogPipeline, PipelineLimits
from clustergenie_server.services.logs.query_eval import compile_query
from clustergenie_server.services.logs.query_parser import parse_log_query
from clustergenie_server.services.logs.subscriptions import TailSubscription
from tests.server.logs.conftest import T0, stream


def _lines(n: int, start: int = 0, level: str = "info") -> list[tuple[Stream, float, str, int]]:
    return [(stream(level=level), T0 + start + i, f"line {start + i}", 1) for i in range(n)]


async def test_a_slow_reader_gets_a_gap_with_the_count_and_the_producer_never_waits(
    pipeline: LogPipeline,
) -> None:
    sub = TailSubscription(compile_query(parse_log_query("{}")), max_buffered=100)
    sub.after = pipeline.subscribe(sub)
    pipeline.accept(_lines(1000))  # returns at once: nothing waits for the reader
    assert sub.buffered == 100  # bounded memory
    batch = await sub.next_batch(max_items=10_000)
    lines = [x for x in batch if isinstance(x, LogLine)]
    gaps = [x for x in batch if isinstance(x, Gap)]
    assert [x.line for x in lines] == [f"line {i}" for i in range(100)]
    assert len(gaps) == 1
    assert gaps[0].missed == 900
    assert isinstance(batch[-1], Gap)  # the gap sits where the lines were lost
    pipeline.accept(_lines(5, start=1000))
    after = await sub.next_batch()
    assert [x.line for x in after if isinstance(x, LogLine)] == [
        f"line {i}" for i in range(1000, 1005)
    ]


async def test_tail_replays_then_follows_without_duplicates_or_holes(
    pipeline: LogPipeline, service: LogService
) -> None:
    pipeline.accept(_lines(50))
    await pipeline.flush(everything=True)
    pipeline.accept(_lines(10, start=50))  # not stored yet
    tail = service.tail('{level="info"} |= "line"', since=T0, replay_limit=1000)
    got: list[str] = []
    async for batch in tail:
        if not batch:
            break
        got.extend(x.line for x in batch if isinstance(x, LogLine))
    assert got == [f"line {i}" for i in range(60)]
    pipeline.accept(_lines(3, start=60) + _lines(2, start=70, level="error"))
    batch = await asyncio.wait_for(tail.__anext__(), 5)
    assert [x.line for x in batch if isinstance(x, LogLine)] == ["line 60", "line 61", "line 62"]
    await tail.aclose()
    assert not pipeline._subscribers  # the stream's end releases its subscription


async def test_an_outage_keeps_lines_up_to_the_bound_then_drops_with_a_counted_gap(
    database: Database,
    store: LogStore,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real_write, down = store.write, [True]

    def write(
        s: Session,
        streams: Sequence[tuple[int, str, float]],
        chunks: Sequence[EncodedChunk],
        counts: Sequence[tuple[int, int, int, int]],
    ) -> None:
        """The store's writes fail as an unreachable database's do while down[0]."""
        if down[0]:
            raise Unavailable("the database at test cannot be reached")
        real_write(s, streams, chunks, counts)

    monkeypatch.setattr(store, "write", write)
    pipeline = LogPipeline(
        database, store, PipelineLimits(chunk_age_seconds=0.0, max_pending_lines=1000)
    )
    sub = TailSubscription(compile_query(parse_log_query("{}")), max_buffered=10_000)
    sub.after = pipeline.subscribe(sub)
    pipeline.accept(_lines(600))
    with pytest.raises(Unavailable):
        await pipeline.flush()
    assert pipeline.stats.dropped == 0  # within the bound: kept for later
    pipeline.accept(_lines(600, start=600))  # the producer is never blocked
    assert pipeline.stats.dropped >= 200
    assert "dropped" in caplog.text
    batch = await sub.next_batch(max_items=100_000)
    assert any(isinstance(x, Gap) and "not stored" in x.reason for x in batch)
    down[0] = False
    await pipeline.flush(everything=True)
    assert pipeline.stats.stored + pipeline.stats.dropped == 1200


def test_the_tracker_announces_a_template_first_seen_after_warm_up() -> None:
    from clustergenie_server.services.logs.patterns import PatternTracker

    seen: list[NewPatternSeen] = []
    tracker = PatternTracker(on_new=seen.append)
    err = stream(level="error")
    routine = [LogLine(T0 + i, err, f"request {i} took {i % 50} ms", 1, i + 1) for i in range(300)]
    tracker.offer(routine)
    assert seen == []  # the warm-up's templates are not news
    novel = LogLine(T0 + 400, err, "KeyError: 'customer_id' while handling /api/orders", 1, 999)
    tracker.offer([novel])
    assert [e.template for e in seen] == ["KeyError: 'customer_id' while handling /api/orders"]
    assert seen[0].cluster == "web-prod"
    assert tracker.new_patterns("web-prod", T0 + 300, T0 + 500) == seen
    assert tracker.new_patterns("db-prod", T0, T0 + 500) == []
