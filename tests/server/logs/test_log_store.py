"""The store's behaviour on SQLite and MariaDB: lines in, the same lines out, counts, retention."""

from __future__ import annotations

import dataclasses
import zlib
from collections.abc import Sequence
from functools import partial

import numpy as np
import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from clustergenie_server.db import Database
from clustergenie_server.db.log_chunks import GRAM_BITS, EncodedChunk, encode_chunk, needle_hashes
from clustergenie_server.db.log_store import ChunkRow, LogStore
from clustergenie_server.services.logs.log_service import LogService
from clustergenie_server.services.logs.pipeline import LogPipeline
from clustergenie_server.services.logs.retention import Retention, RetentionLimits
from tests.server.logs.conftest import T0, FakeClock, stream


async def _all(
    service: LogService, query: str, start: float, end: float, limit: int = 10_000
) -> list[str]:
    return [x.line for x in await service.lines(query, start, end, limit)]


async def test_lines_come_back_newest_first_from_memory_and_from_chunks(
    pipeline: LogPipeline, service: LogService
) -> None:
    web, db = stream(), stream(cluster="db-prod", droplet="db-1", level="error")
    pipeline.accept([(web, T0 + i, f"web line {i}", 1) for i in range(10)])
    pipeline.accept([(db, T0 + i + 0.5, f"db timeout {i}", 1) for i in range(5)])
    before = await _all(service, "{}", T0, T0 + 100)
    assert await pipeline.flush(everything=True) == 15
    after = await _all(service, "{}", T0, T0 + 100)
    assert before == after
    assert after[4:7] == ["web line 5", "db timeout 4", "web line 4"]
    assert len(after) == 15
    assert await _all(service, '{cluster="db-prod"} |= "timeout 3"', T0, T0 + 100) == [
        "db timeout 3"
    ]
    assert await _all(service, '{level=~"error|warn"}', T0 + 2, T0 + 3) == ["db timeout 2"]


async def test_a_rare_substring_is_found_across_many_chunks(
    pipeline: LogPipeline, service: LogService
) -> None:
    s = stream()
    pipeline.accept([(s, T0 + i * 0.001, f"request {i} ok", 1) for i in range(20_000)])
    pipeline.accept([(stream(droplet="web-2"), T0 + 5, "request id=needle-42 failed", 1)])
    await pipeline.flush(everything=True)
    assert await _all(service, '{} |= "needle-42"', T0, T0 + 60) == ["request id=needle-42 failed"]
    assert await _all(service, '{} |= "request 19999 ok"', T0, T0 + 60) == ["request 19999 ok"]


async def test_paging_with_a_cursor_returns_every_line_once(
    pipeline: LogPipeline, service: LogService
) -> None:
    s = stream()
    pipeline.accept([(s, T0 + i // 3, f"line {i}", 1) for i in range(9000)])  # ties in time
    await pipeline.flush(everything=True)
    seen: list[str] = []
    before = None
    while True:
        page = [x async for p in service.search("{}", T0, T0 + 10_000, 1000, before) for x in p]
        if not page:
            break
        seen.extend(x.line for x in page)
        before = (page[-1].t, page[-1].seq)
    assert len(seen) == 9000 == len(set(seen))
    assert seen[0] == "line 8999"


async def test_stats_count_every_line_a_sampled_line_stands_for(
    pipeline: LogPipeline, service: LogService
) -> None:
    info, error = stream(), stream(level="error")
    pipeline.accept([(info, T0 + 10, "routine", 50), (info, T0 + 70, "routine", 25)])
    pipeline.accept([(error, T0 + 65, "boom", 1)] * 3)
    for flushed in (False, True):
        if flushed:
            await pipeline.flush(everything=True)
        for step in (60.0, 30.0):  # per-minute counts table, and a scan of the lines
            update = [u async for u in service.stats("{}", T0, T0 + 120, step, live=False)][0]
            by_level = {s.labels["level"]: list(s.values) for s in update.series}
            per_minute = {
                k: [sum(v[i : i + int(60 / step)]) for i in range(0, len(v), int(60 / step))]
                for k, v in by_level.items()
            }
            assert per_minute == {"info": [50, 25], "error": [0, 3]}, (flushed, step)


async def test_metric_queries_over_stored_lines(pipeline: LogPipeline, service: LogService) -> None:
    for i in range(120):
        pipeline.accept(
            [(stream(droplet=f"web-{i % 2}"), T0 + i, f"status={500 if i % 4 == 0 else 200}", 1)]
        )
    await pipeline.flush(everything=True)
    [update] = [
        u
        async for u in service.stats(
            "sum by (droplet) (count_over_time({} | logfmt | status >= 500 [1m]))",
            T0,
            T0 + 119,
            60,
            live=False,
        )
    ]
    assert {s.labels["droplet"]: list(s.values) for s in update.series} == {"web-0": [15, 15]}
    [update] = [u async for u in service.stats("sum(rate({}[1m]))", T0, T0 + 119, 60, live=False)]
    assert list(update.series[0].values) == [1.0, 1.0]


async def test_retention_by_age_and_by_size(
    database: Database, store: LogStore, pipeline: LogPipeline, service: LogService
) -> None:
    clock = FakeClock(T0 + 7200)
    for hour in range(3):
        pipeline.accept(
            [
                (stream(droplet=f"d{hour}"), T0 + hour * 3600 + i, "x" * 200 + str(i), 1)
                for i in range(1000)
            ]
        )
        await pipeline.flush(everything=True)
    retention = Retention(
        database, store, RetentionLimits(max_age_seconds=5400, max_bytes=10**9), clock
    )
    assert await retention.enforce() >= 1
    lines = await service.lines("{}", 0, T0 + 10**6, 10_000)
    assert {x.stream.labels["droplet"] for x in lines} == {"d1", "d2"}
    total = await database.read(store.total_bytes)
    retention.limits = RetentionLimits(max_age_seconds=10**9, max_bytes=total * 6 // 10)
    await retention.enforce()
    assert await database.read(store.total_bytes) <= total * 6 // 10
    lines = await service.lines("{}", 0, T0 + 10**6, 10_000)
    assert {x.stream.labels["droplet"] for x in lines} == {"d2"}  # the oldest went first
    assert retention.stats.by_size >= 1


@pytest.mark.parametrize("limit", [0, 10**9])
async def test_a_bad_limit_or_window_is_refused(service: LogService, limit: int) -> None:
    from clustergenie_server.domain.errors import InvalidArgument

    with pytest.raises(InvalidArgument, match="limit"):
        await service.lines("{}", T0, T0 + 1, limit)
    with pytest.raises(InvalidArgument, match="starts .* after it ends"):
        await service.lines("{}", T0 + 10, T0, 10)


async def test_a_search_streams_pages_and_stops_when_the_reader_does(
    pipeline: LogPipeline, service: LogService, store: LogStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    for d in range(130):  # 130 streams: one chunk each, more than one read of 64 chunks
        pipeline.accept(
            [(stream(droplet=f"d{d}"), T0 + d + i / 100, f"line {d}-{i}", 1) for i in range(20)]
        )
    await pipeline.flush(everything=True)
    reads = 0
    real = store.chunks

    def counted(
        s: Session,
        stream_ids: Sequence[int] | None,
        start: float,
        end: float,
        *,
        before: tuple[float, int] | None,
        limit: int,
    ) -> list[ChunkRow]:
        nonlocal reads
        reads += 1
        return real(s, stream_ids, start, end, before=before, limit=limit)

    monkeypatch.setattr(store, "chunks", counted)
    pages = service.search("{}", T0, T0 + 1000, 10_000)
    first = await pages.__anext__()
    assert first[0].line == "line 129-19"  # newest first, before the window is read through
    await pages.aclose()  # what a cancelled RPC does
    stopped_after = reads
    assert stopped_after == 1
    every = [x async for page in service.search("{}", T0, T0 + 1000, 10_000) for x in page]
    assert len(every) == 2600
    assert reads - stopped_after >= 3  # the whole window took more reads


def _handler_reads(s: Session) -> int:
    """Rows the MySQL/MariaDB storage engine has handed over in this session so far."""
    rows = s.execute(sa.text("SHOW SESSION STATUS LIKE 'Handler_read%'")).all()
    return sum(int(value) for _name, value in rows)


def _read_every_chunk(
    s: Session, store: LogStore, sqlite: bool, limit: int
) -> tuple[list[int], list[int]]:
    """Every chunk's id, read newest first through the cursor, and each read's cost: SQLite VM
    steps (of 100 instructions) or, on MySQL/MariaDB, the rows its engine read (Handler_read_*)."""
    ids: list[int] = []
    costs: list[int] = []
    cursor = None
    raw = s.connection().connection.dbapi_connection
    while True:
        steps = 0

        def count() -> int:
            nonlocal steps
            steps += 1
            return 0

        if sqlite:
            raw.set_progress_handler(count, 100)  # type: ignore[union-attr]
        else:
            before = _handler_reads(s)
        rows = store.chunks(s, None, T0 - 1, T0 + 10_000, before=cursor, limit=limit)
        if sqlite:
            raw.set_progress_handler(None, 0)  # type: ignore[union-attr]
        else:
            steps = _handler_reads(s) - before
        if not rows:
            return ids, costs
        ids.extend(r.id for r in rows)
        costs.append(steps)
        cursor = (rows[-1].t_max, rows[-1].id)


async def test_chunks_of_the_same_time_are_each_read_once(
    pipeline: LogPipeline, database: Database, store: LogStore
) -> None:
    # 200 streams whose chunks all end at the same two times: the cursor's tie on t_max.
    for d in range(200):
        pipeline.accept([(stream(droplet=f"d{d}"), T0 + d % 2, f"line {d}", 1)])
    await pipeline.flush(everything=True)
    sqlite = database.engine.dialect.name == "sqlite"
    ids, _ = await database.read(partial(_read_every_chunk, store=store, sqlite=sqlite, limit=16))
    assert len(ids) == 200 == len(set(ids))


async def test_a_read_deep_in_the_history_costs_what_the_first_did(
    pipeline: LogPipeline, database: Database, store: LogStore
) -> None:
    for d in range(400):
        pipeline.accept([(stream(droplet=f"d{d}"), T0 + d, f"line {d}", 1)])
    await pipeline.flush(everything=True)
    sqlite = database.engine.dialect.name == "sqlite"
    ids, costs = await database.read(
        partial(_read_every_chunk, store=store, sqlite=sqlite, limit=16)
    )
    assert len(ids) == 400 == len(set(ids))
    # Each read is an index range of its own rows (it used to read every older row, bitmap
    # included, and sort them: the reads near the newest end cost the most).
    assert max(costs) <= 2 * costs[0] + 2, costs


def _legacy_chunk(stream_id: int, t: float, lines: list[str]) -> EncodedChunk:
    """A chunk as written before the bitmap was stored uncompressed: zlib-compressed bits."""
    n = len(lines)
    chunk = encode_chunk(stream_id, [t] * n, [1] * n, list(range(1, n + 1)), lines)
    bits = np.zeros(GRAM_BITS, bool)
    text = "\x00".join(lines).encode()
    bits[needle_hashes((text,))[0]] = True
    return dataclasses.replace(chunk, grams=zlib.compress(np.packbits(bits).tobytes(), 1))


async def test_chunks_written_before_and_high_entropy_chunks_are_searched_alike(
    pipeline: LogPipeline, service: LogService, database: Database, store: LogStore
) -> None:
    old = stream(droplet="old-1")
    pipeline.index.add(old)
    legacy = _legacy_chunk(old.id, T0 + 1, ["old line one", "old line id=needle-7"])
    await database.run(
        partial(store.write, streams=[(old.id, old.key, T0)], chunks=[legacy], counts=[])
    )
    # Random tokens set more bits than a list of positions holds compactly: the bits are kept.
    rng = np.random.default_rng(5)
    alphabet = np.frombuffer(
        b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", "S1"
    )
    noisy = ["".join(rng.choice(alphabet, 60).astype(str)) for _ in range(3000)]
    pipeline.accept([(stream(), T0 + 2 + i / 1e4, f"token {x}", 1) for i, x in enumerate(noisy)])
    await pipeline.flush(everything=True)
    assert await _all(service, '{} |= "needle-7"', T0, T0 + 60) == ["old line id=needle-7"]
    assert await _all(service, '{} |= "old line"', T0, T0 + 60) == [
        "old line id=needle-7",
        "old line one",
    ]
    assert await _all(service, f'{{}} |= "{noisy[1234]}"', T0, T0 + 60) == [f"token {noisy[1234]}"]
    assert await _all(service, '{} |= "no such token"', T0, T0 + 60) == []
    grams = await database.read(
        lambda s: [r.grams for r in store.chunks(s, None, T0, T0 + 60, before=None, limit=10)]
    )
    assert max(len(g) for g in grams) <= GRAM_BITS // 8 + 1  # never more than the bits
