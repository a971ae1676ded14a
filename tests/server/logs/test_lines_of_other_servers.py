"""Lines between servers: accepted lines are published; another server's lines feed the live
readers here, in order and with this server's seqs, are searchable here before their origin
writes them, and are never stored a second time."""

from __future__ import annotations

import math
from collections.abc import AsyncIterator, Sequence

import pytest

from clustergenie_server.db import Database
from clustergenie_server.db.log_store import LogStore
from clustergenie_server.domain.logs import Gap, LogBatch, LogLine
from clustergenie_server.services.logs import pipeline as pipeline_module
from clustergenie_server.services.logs.chunk_scan import Window
from clustergenie_server.services.logs.log_service import LogService
from clustergenie_server.services.logs.patterns import PatternTracker
from clustergenie_server.services.logs.pipeline import LogPipeline, PipelineLimits
from clustergenie_server.services.logs.query_eval import compile_query
from clustergenie_server.services.logs.query_parser import parse_log_query
from clustergenie_server.services.logs.search import search
from clustergenie_server.services.logs.subscriptions import TailSubscription
from tests.server.logs.conftest import T0, FakeClock, stream


@pytest.fixture
def published() -> list[list[LogLine]]:
    """What the pipeline publishes (the bus's side), batch by batch."""
    return []


@pytest.fixture
async def here(
    database: Database, store: LogStore, published: list[list[LogLine]]
) -> AsyncIterator[LogPipeline]:
    """This server's pipeline, publishing into `published`."""

    def publish(lines: Sequence[LogLine]) -> None:
        published.append(list(lines))

    p = LogPipeline(database, store, PipelineLimits(chunk_age_seconds=0.0), publish=publish)
    await p.start()
    yield p
    await p.stop()


def _remote(n: int, *, missed: int = 0, droplet: str = "web-2") -> LogBatch:
    lines = [LogLine(T0 + i, stream(droplet=droplet), f"remote {i}", 1, 900 + i) for i in range(n)]
    return LogBatch("server-a", droplet, lines, missed)


async def _stored(here: LogPipeline, database: Database, store: LogStore) -> list[str]:
    query = compile_query(parse_log_query("{}"))
    out: list[str] = []
    async for page in search(database, store, here, query, Window(0, math.inf), limit=10_000):
        out.extend(x.line for x in page)
    return out


async def test_accepted_lines_are_published_with_their_seqs(
    here: LogPipeline, published: list[list[LogLine]]
) -> None:
    accepted = here.accept([(stream(), T0 + i, f"line {i}", 1) for i in range(3)])
    assert published == [accepted]
    assert [x.seq for x in published[0]] == sorted({x.seq for x in accepted})


async def test_another_servers_lines_reach_a_tail_in_order_and_are_not_stored_or_echoed(
    here: LogPipeline,
    database: Database,
    store: LogStore,
    published: list[list[LogLine]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Searches here forget the other server's lines at once: they find only what is stored.
    monkeypatch.setattr(pipeline_module, "REMOTE_KEEP_SECONDS", 0.0)
    here.accept([(stream(), T0, "mine", 1)])
    tail = TailSubscription(compile_query(parse_log_query('{droplet="web-2"}')))
    tail.after = here.subscribe(tail)

    here.fan_out(_remote(5))

    batch = await tail.next_batch()
    lines = [x for x in batch if isinstance(x, LogLine)]
    assert [x.line for x in lines] == [f"remote {i}" for i in range(5)]
    # Seqs of this server: after the tail's start, increasing (the origin's 900s do not leak).
    assert all(x.seq > tail.after for x in lines)
    assert [x.seq for x in lines] == sorted(x.seq for x in lines)
    assert len(published) == 1  # only the line accepted here: no echo back onto the bus
    await here.flush(everything=True)
    assert await _stored(here, database, store) == ["mine"]  # their origin stores them
    assert here.stats.received == 5
    assert here.stats.stored == 1


async def test_lines_that_missed_the_bus_are_a_gap_in_the_tail(here: LogPipeline) -> None:
    tail = TailSubscription(compile_query(parse_log_query("{}")))
    tail.after = here.subscribe(tail)

    here.fan_out(_remote(2, missed=7))

    batch = await tail.next_batch()
    assert isinstance(batch[0], Gap)
    assert batch[0].missed == 7
    assert "server-a" in batch[0].reason
    assert [x.line for x in batch[1:] if isinstance(x, LogLine)] == ["remote 0", "remote 1"]


async def test_another_servers_streams_are_searchable_and_still_written_when_accepted_here(
    here: LogPipeline, database: Database, store: LogStore
) -> None:
    service = LogService(database, store, here, PatternTracker(), FakeClock(), tail_buffer=100)
    here.fan_out(_remote(1, droplet="web-9"))
    assert "web-9" in service.labels()["droplet"]  # completion knows it at once

    # A line of that stream accepted here: this server writes the stream row too (the origin
    # may not have), so its own chunk stays findable after a restart.
    here.accept([(stream(droplet="web-9"), T0 + 50, "local of web-9", 1)])
    await here.flush(everything=True)

    assert stream(droplet="web-9").id in {sid for sid, _ in await database.read(store.streams)}


async def test_another_servers_lines_are_searchable_here_before_and_after_it_writes_them(
    here: LogPipeline, database: Database, store: LogStore
) -> None:
    # The origin: a pipeline that holds its heads (as a server does for up to 2 s).
    there = LogPipeline(database, store, PipelineLimits(chunk_age_seconds=3600.0))
    sent = there.accept([(stream(droplet="web-4"), T0 + i, f"theirs {i}", 1) for i in range(4)])
    here.fan_out(LogBatch("server-a", "web-4", sent))

    # Not written anywhere yet, found here all the same, newest first.
    assert await _stored(here, database, store) == [f"theirs {i}" for i in (3, 2, 1, 0)]
    await there.flush(everything=True)
    # Written by their origin: still each line once (the stored copy has the same seq).
    assert await _stored(here, database, store) == [f"theirs {i}" for i in (3, 2, 1, 0)]


async def test_another_servers_lines_are_kept_for_searches_only_a_while(
    here: LogPipeline, database: Database, store: LogStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline_module, "REMOTE_KEEP_SECONDS", 0.0)
    here.fan_out(_remote(3))
    # Forgotten here at once: only their origin's chunks (none here) would find them now.
    assert await _stored(here, database, store) == []
    assert here.stats.received == 3
