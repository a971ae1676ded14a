"""The in-process bus delivers every event to every subscriber in order, and never blocks."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from clustergenie_server.bus.event_bus import SubscriberOverflow, Subscription
from clustergenie_server.bus.in_process_bus import InProcessEventBus
from clustergenie_server.domain.events import Event, JobChanged
from clustergenie_server.domain.models import Job, JobKind, JobState


def job_event(job_id: int) -> JobChanged:
    return JobChanged(
        Job(
            id=job_id,
            kind=JobKind.REBOOT_DROPLET,
            state=JobState.QUEUED,
            cluster_id=1,
            droplet_id=1,
            target_name="d",
            updated_at=datetime.now(UTC),
        )
    )


async def collect(subscription: Subscription, count: int) -> list[Event]:
    out: list[Event] = []
    async with asyncio.timeout(5):
        async for event in subscription:
            out.append(event)
            if len(out) == count:
                return out
    return out


async def test_every_subscriber_sees_every_event_in_order() -> None:
    bus = InProcessEventBus()
    a, b = bus.subscribe(), bus.subscribe()
    await bus.publish([job_event(i) for i in range(1, 4)])
    for sub in (a, b):
        assert [e.job.id for e in await collect(sub, 3)] == [1, 2, 3]  # type: ignore[union-attr]


async def test_a_subscriber_sees_only_what_comes_after_it_subscribed() -> None:
    bus = InProcessEventBus()
    await bus.publish([job_event(1)])
    late = bus.subscribe()
    await bus.publish([job_event(2)])
    assert [e.job.id for e in await collect(late, 1)] == [2]  # type: ignore[union-attr]


async def test_a_slow_subscriber_overflows_instead_of_growing_without_bound() -> None:
    bus = InProcessEventBus(subscriber_queue_size=3)
    slow, fine = bus.subscribe(), bus.subscribe()
    await bus.publish([job_event(i) for i in range(1, 6)])
    assert slow.overflowed
    with pytest.raises(SubscriberOverflow):
        await collect(slow, 10)
    assert fine.overflowed  # same queue size: both fell behind
    third = bus.subscribe()
    await bus.publish([job_event(9)])
    assert [e.job.id for e in await collect(third, 1)] == [9]  # type: ignore[union-attr]


async def test_closing_ends_the_iteration() -> None:
    bus = InProcessEventBus()
    sub = bus.subscribe()
    sub.close()
    assert await collect(sub, 1) == []
    await bus.publish([job_event(1)])  # nobody listening: no error
