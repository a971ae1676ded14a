"""The transactional outbox: events commit with their change, and a crash cannot lose them."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from clustergenie_server.bus.event_bus import JOBS_TOPIC, Subscription
from clustergenie_server.bus.in_process_bus import InProcessEventBus
from clustergenie_server.bus.outbox import Outbox
from clustergenie_server.db import Database
from clustergenie_server.db.outbox_repository import OutboxRecord, OutboxRepository
from clustergenie_server.domain.clock import utcnow
from clustergenie_server.domain.events import Event, JobChanged

from .conftest import job_event


async def next_job(subscription: Subscription) -> JobChanged:
    """The next event of a subscription, within a few seconds."""
    async with asyncio.timeout(10):
        async for event in subscription:
            assert isinstance(event, JobChanged)
            return event
    raise AssertionError("the subscription ended")


async def test_a_failed_transaction_publishes_nothing(database: Database) -> None:
    bus = InProcessEventBus()
    outbox = Outbox(database, bus, owner="server-a")
    watcher, worker = bus.subscribe(), bus.subscribe([JOBS_TOPIC], group="workers")

    def change(s: Session) -> tuple[None, list[Event]]:
        outbox.stage(s, [job_event(1)])  # staged, then the unit of work fails
        raise RuntimeError("constraint violated")

    with pytest.raises(RuntimeError):
        await outbox.commit(change)
    await outbox.commit(lambda s: (None, [job_event(2)]))
    await outbox.relay_once()

    assert (await next_job(watcher)).job.id == 2
    assert (await next_job(worker)).job.id == 2
    assert await outbox.pending() == 0


async def test_events_committed_before_a_crash_are_published_by_the_next_relay(
    database: Database,
) -> None:
    crashed = Outbox(database, InProcessEventBus(), owner="server-a", hold_seconds=0.3)
    await crashed.commit(lambda s: (None, [job_event(1), job_event(2)]))  # relay never ran
    assert await crashed.pending() == 2

    bus = InProcessEventBus()
    worker = bus.subscribe([JOBS_TOPIC], group="workers")
    survivor = Outbox(database, bus, owner="server-b", poll_seconds=0.05)
    await survivor.start()
    try:
        # Another server's rows wait out their hold (the writer might still relay them) first.
        assert [(await next_job(worker)).job.id for _ in range(2)] == [1, 2]
    finally:
        await survivor.stop()
    assert await survivor.pending() == 0


async def test_a_restarted_server_relays_its_own_rows_at_once(database: Database) -> None:
    await Outbox(database, InProcessEventBus(), owner="server-a").commit(
        lambda s: (None, [job_event(3)])
    )
    bus = InProcessEventBus()
    worker = bus.subscribe([JOBS_TOPIC], group="workers")
    restarted = Outbox(database, bus, owner="server-a")  # hold is 10 s: only "own" is quick

    assert await restarted.relay_once() is False
    assert (await next_job(worker)).job.id == 3


def test_an_abandoned_row_is_claimed_by_one_relay_only(database: Database) -> None:
    now = utcnow()
    record = OutboxRecord("00000000-0000-4000-8000-000000000001", JOBS_TOPIC, "1", b"x")
    database.run_sync(
        lambda s: OutboxRepository(s).add([record], owner="dead", now=now, hold_seconds=1)
    )
    later = now + timedelta(seconds=2)

    def claim(owner: str) -> list[str]:
        return [
            c.record.event_id
            for c in database.run_sync(
                lambda s: OutboxRepository(s).claim(owner=owner, now=later, hold_seconds=5, limit=9)
            )
        ]

    assert claim("server-b") == [record.event_id]
    assert claim("server-c") == []  # b's claim holds
    assert claim("server-b") == [record.event_id]  # b may retry its own
