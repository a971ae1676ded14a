"""Log lines between servers: another server's listeners get them in order per droplet, the
publishing server never gets its own back, and the in-process bus (one server) sends nothing."""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest

from clustergenie_server.bus.in_process_bus import InProcessEventBus
from clustergenie_server.bus.kafka_bus import KafkaEventBus
from clustergenie_server.bus.kafka_logs import KafkaLogLane
from clustergenie_server.domain.logs import LogBatch, LogLine, Stream

TIMEOUT = 30.0


class Received:
    """The batches a bus hands its log listener, and a wait for a condition on them (woken by
    each batch, from whichever thread delivers it)."""

    def __init__(self) -> None:
        self.batches: list[LogBatch] = []
        self._loop = asyncio.get_running_loop()
        self._changed = asyncio.Condition()

    def __call__(self, batch: LogBatch) -> None:
        self._loop.call_soon_threadsafe(self._add, batch)

    def _add(self, batch: LogBatch) -> None:
        self.batches.append(batch)
        self._loop.create_task(self._notify())

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def until(self, test: Callable[[list[LogBatch]], bool]) -> None:
        async with asyncio.timeout(TIMEOUT), self._changed:
            await self._changed.wait_for(lambda: test(self.batches))


def _lines(droplet: str, n: int) -> list[LogLine]:
    s = Stream.of({"cluster": "web-prod", "droplet": droplet, "level": "info"})
    return [LogLine(1000.0 + i, s, f"{droplet} {i}", 1, i + 1) for i in range(n)]


@pytest.fixture
async def kafka_buses(
    kafka_bootstrap: str,
) -> AsyncIterator[Callable[[str], Awaitable[KafkaEventBus]]]:
    """Kafka buses on fresh topics (no other test's lines)."""
    prefix = f"test-{uuid.uuid4().hex[:10]}."
    made: list[KafkaEventBus] = []

    async def make(origin: str) -> KafkaEventBus:
        bus = KafkaEventBus(kafka_bootstrap, origin=origin, topic_prefix=prefix, partitions=4)
        await bus.start()
        assert bus.ready, f"Kafka at {kafka_bootstrap} did not come up"
        made.append(bus)
        return bus

    yield make
    for bus in made:
        await bus.aclose()


@pytest.mark.slow
async def test_other_servers_get_the_lines_in_order_per_droplet_and_never_their_own(
    kafka_buses: Callable[[str], Awaitable[KafkaEventBus]],
) -> None:
    a, b = await kafka_buses("server-a"), await kafka_buses("server-b")
    received_a, received_b = Received(), Received()
    on_a, on_b = received_a.batches, received_b.batches
    a.listen_logs(received_a)
    b.listen_logs(received_b)
    sent = {d: _lines(d, 300) for d in ("web-1", "web-2", "web-3")}

    for i in range(0, 300, 50):  # interleaved droplets, as one tick of the simulation
        a.publish_logs([x for d in sent for x in sent[d][i : i + 50]])

    def got(droplet: str) -> list[str]:
        return [x.line for batch in on_b if batch.key == droplet for x in batch.lines]

    await received_b.until(lambda got: sum(len(batch.lines) for batch in got) >= 900)
    for droplet, lines in sent.items():
        assert got(droplet) == [x.line for x in lines]
    assert all(batch.origin == "server-a" and batch.missed == 0 for batch in on_b)
    assert b.log_stats.received == 900
    assert (a.log_stats.sent, a.log_stats.published) == (900, 900)
    assert (a.log_stats.dropped, a.log_stats.failed) == (0, 0)
    # B's own publication reaches A, and nothing of A's ever came back to A.
    b.publish_logs(_lines("web-7", 1))
    await received_a.until(bool)
    assert [batch.origin for batch in on_a] == ["server-b"]


async def test_the_in_process_bus_sends_no_lines_anywhere() -> None:
    bus = InProcessEventBus(origin="only")
    got: list[LogBatch] = []
    bus.listen_logs(got.append)
    bus.publish_logs(_lines("web-1", 3))
    assert got == []
    await bus.aclose()


@pytest.mark.slow
async def test_lines_beyond_the_backlog_are_dropped_counted_and_announced_to_the_readers(
    kafka_buses: Callable[[str], Awaitable[KafkaEventBus]], kafka_bootstrap: str
) -> None:
    b = await kafka_buses("server-b")
    received_b = Received()
    on_b = received_b.batches
    b.listen_logs(received_b)
    connected = threading.Event()  # held unset: the broker is "not reachable yet"
    lane = KafkaLogLane(
        kafka_bootstrap,
        b.log_topic,
        origin="server-a",
        ready=connected,
        partitions=4,
        max_backlog_lines=10,
    )
    try:
        lane.offer(_lines("web-1", 8))
        lane.offer(_lines("web-2", 5))  # would pass the bound: dropped at once, never waited on
        assert (lane.stats.dropped, lane.stats.published) == (5, 0)

        connected.set()
        await received_b.until(bool)
    finally:
        lane.close()
        await asyncio.to_thread(lane.thread.join, 10)
    assert [(x.key, len(x.lines), x.missed) for x in on_b] == [("web-1", 8, 5)]
