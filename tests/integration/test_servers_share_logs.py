"""Two servers on one database and one Kafka broker: lines sent to A show in a live tail on B
within about a second, in order per stream, are found by a search on B before A has written
them, and are stored once (by A)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, replace

import pytest
from grpc import aio

from clustergenie_server.api.v1 import logs_pb2 as pb
from clustergenie_server.api.v1 import logs_pb2_grpc
from clustergenie_server.app import ServerApp, build_server
from clustergenie_server.bus.kafka_bus import KafkaEventBus
from clustergenie_server.db import Database
from tests.auth_support import authed_channel
from tests.metrics_support import Samples, scrape_until, value
from tests.waiting import eventually

from .conftest import make_settings, next_message

pytestmark = pytest.mark.slow

DROPLETS = ("bus-1", "bus-2")
BATCHES, PER_BATCH = 10, 50  # per droplet
SENT = len(DROPLETS) * BATCHES * PER_BATCH


@dataclass
class Server:
    """A running server and a LogService stub on it."""

    app: ServerApp
    channel: aio.Channel
    logs: logs_pb2_grpc.LogServiceStub

    async def search_count(self, query: str) -> int:
        """How many lines a search finds (all pages)."""
        n = 0
        async for r in self.logs.SearchLogs(pb.SearchLogsRequest(query=query, limit=10 * SENT)):
            n += len(r.entries)
        return n

    async def flush(self) -> None:
        """Write every line this server holds in memory."""
        assert self.app.logs is not None
        await self.app.logs.pipeline.flush(everything=True)


StartServer = Callable[[], Awaitable[Server]]


@pytest.fixture
async def start_server(
    database: Database, database_url: str, kafka_bootstrap: str
) -> AsyncIterator[StartServer]:
    """Start servers on the test's clean database and the session's broker; at time scale 1,
    so that their simulated clocks agree (each starts its own at the time of day)."""
    started: list[Server] = []

    async def start() -> Server:
        settings = make_settings(database_url, time_scale=1.0)
        app = await build_server(
            replace(settings, kafka_bootstrap=kafka_bootstrap, metrics_listen="127.0.0.1:0")
        )
        await app.start()
        assert isinstance(app.bus, KafkaEventBus)
        assert app.bus.ready, f"Kafka at {kafka_bootstrap} did not come up"
        channel = authed_channel(app.address)
        server = Server(app, channel, logs_pb2_grpc.LogServiceStub(channel))
        started.append(server)
        return server

    yield start
    for server in started:
        await server.channel.close(None)
        await server.app.stop()


async def _batches() -> AsyncIterator[pb.IngestLogsRequest]:
    for b in range(BATCHES):
        streams = [
            pb.IngestStream(
                labels={"cluster": "shared", "droplet": d, "level": "info"},
                lines=[pb.IngestLine(line=f"{d} {b * PER_BATCH + i}") for i in range(PER_BATCH)],
            )
            for d in DROPLETS
        ]
        yield pb.IngestLogsRequest(batch_id=b, streams=streams)


async def test_a_tail_on_b_shows_lines_sent_to_a_in_order_and_they_are_stored_once(
    start_server: StartServer,
) -> None:
    a, b = await start_server(), await start_server()
    tail = b.logs.TailLogs(pb.TailLogsRequest(query='{cluster="shared"}'))
    assert (await next_message(tail)).replay_complete

    acks = [x async for x in a.logs.IngestLogs(_batches(), timeout=20)]
    acked = time.monotonic()
    assert sum(x.accepted for x in acks) == SENT

    labels: dict[int, str] = {}
    got: dict[str, list[str]] = {d: [] for d in DROPLETS}
    async with asyncio.timeout(15):
        while sum(map(len, got.values())) < SENT:
            r = await next_message(tail)
            assert not r.HasField("gap"), r.gap.reason
            labels.update({s.id: s.labels["droplet"] for s in r.streams})
            for e in r.entries:
                got[labels[e.stream_id]].append(e.line)
    latency = time.monotonic() - acked
    tail.cancel()

    for d in DROPLETS:  # every line, each stream in the order it was sent
        assert got[d] == [f"{d} {i}" for i in range(BATCHES * PER_BATCH)]
    assert latency < 5.0, f"the last line reached B {latency:.2f}s after A acknowledged it"
    # Stored once: by A, which accepted them; B only fed its tail. Both servers find each line
    # once (B knows A's streams from the lines it was handed).
    await a.flush()
    await b.flush()
    assert await a.search_count('{cluster="shared"}') == SENT
    assert await b.search_count('{cluster="shared"}') == SENT
    assert b.app.logs is not None
    assert b.app.logs.pipeline.stats.stored == 0
    assert b.app.logs.pipeline.stats.received == SENT

    # /metrics says the same: A accepted, stored and sent them on the bus; B received them.
    def lines(event: str) -> Callable[[Samples], bool]:
        return lambda s: value(s, "clustergenie_log_lines_total", event=event) == SENT

    on_a = await scrape_until(a.app, lines("stored"))
    on_b = await scrape_until(b.app, lines("received"))
    assert value(on_a, "clustergenie_log_lines_total", event="accepted") == SENT
    assert value(on_a, "clustergenie_log_bus_lines_total", event="sent") == SENT
    assert value(on_b, "clustergenie_log_bus_lines_total", event="received") == SENT
    for samples in (on_a, on_b):
        for event in ("dropped", "failed"):
            assert value(samples, "clustergenie_log_bus_lines_total", event=event) == 0
        assert value(samples, "clustergenie_log_lines_total", event="dropped") == 0
    assert value(on_b, "clustergenie_log_lines_total", event="stored") == 0


async def test_b_finds_lines_sent_to_a_before_a_has_written_them(
    start_server: StartServer,
) -> None:
    a, b = await start_server(), await start_server()
    assert a.app.logs is not None
    assert b.app.logs is not None
    a_pipeline, b_pipeline = a.app.logs.pipeline, b.app.logs.pipeline
    a_pipeline.limits = replace(a_pipeline.limits, chunk_age_seconds=3600.0)  # A holds them

    acks = [x async for x in a.logs.IngestLogs(_batches(), timeout=20)]
    assert sum(x.accepted for x in acks) == SENT
    await eventually(lambda: b_pipeline.stats.received == SENT, what="B hearing A's lines")

    assert a_pipeline.stats.stored == 0  # nothing written yet
    assert await b.search_count('{cluster="shared"}') == SENT
    assert await b.search_count('{droplet="bus-2"} |= "bus-2 499"') == 1
    await a.flush()
    assert await b.search_count('{cluster="shared"}') == SENT  # once each, written or not
