"""follow_rows, the shape of every watch: a snapshot, then live rows newer than what was sent."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Collection
from datetime import UTC, datetime, timedelta

from clustergenie_server.bus.event_bus import CLUSTERS_TOPIC, JOBS_TOPIC
from clustergenie_server.bus.in_process_bus import InProcessEventBus, _QueueSubscription
from clustergenie_server.domain.events import ClusterChanged, JobChanged
from clustergenie_server.domain.models import Cluster, ClusterStatus, Job, JobKind, JobState
from clustergenie_server.services.jobs.job_watch import JOB_ROWS
from clustergenie_server.services.shared.watch import Snapshot, follow_rows

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def job(job_id: int, state: JobState, at: timedelta) -> Job:
    return Job(
        id=job_id,
        kind=JobKind.REBOOT_DROPLET,
        state=state,
        cluster_id=1,
        droplet_id=1,
        target_name="web-1",
        updated_at=T0 + at,
    )


async def next_item(stream: AsyncIterator[Snapshot[Job] | Job]) -> Snapshot[Job] | Job:
    async with asyncio.timeout(5):
        return await anext(stream)


async def test_a_change_made_while_the_snapshot_is_read_still_reaches_the_stream() -> None:
    bus = InProcessEventBus()
    queued = job(1, JobState.QUEUED, timedelta(0))
    running = job(1, JobState.RUNNING, timedelta(seconds=1))

    async def snapshot() -> list[Job]:
        # The job starts running after the watch subscribed, before its snapshot was taken.
        await bus.publish([JobChanged(running)])
        return [queued]

    stream = follow_rows(bus, [JOBS_TOPIC], snapshot, JOB_ROWS)
    try:
        assert await next_item(stream) == Snapshot([queued])
        assert await next_item(stream) == running
    finally:
        await stream.aclose()


async def test_versions_older_than_what_was_sent_and_other_rows_events_are_dropped() -> None:
    bus = InProcessEventBus()
    sent = job(1, JobState.RUNNING, timedelta(seconds=5))

    async def snapshot() -> list[Job]:
        return [sent]

    stream = follow_rows(bus, [JOBS_TOPIC, CLUSTERS_TOPIC], snapshot, JOB_ROWS)
    try:
        assert await next_item(stream) == Snapshot([sent])
        cluster = Cluster(1, "web", "nyc1", "s", "i", (), ClusterStatus.ACTIVE, T0, T0)
        late = job(1, JobState.QUEUED, timedelta(seconds=1))  # another server's late event
        done = job(1, JobState.SUCCEEDED, timedelta(seconds=9))
        await bus.publish([JobChanged(late), ClusterChanged(cluster), JobChanged(done)])
        assert await next_item(stream) == done
    finally:
        await stream.aclose()


class RecordingBus(InProcessEventBus):
    """Keeps the subscriptions it handed out."""

    def __init__(self) -> None:
        super().__init__()
        self.handed_out: list[_QueueSubscription] = []

    def subscribe(
        self, topics: Collection[str] | None = None, *, group: str | None = None
    ) -> _QueueSubscription:
        subscription = super().subscribe(topics, group=group)
        self.handed_out.append(subscription)
        return subscription


async def test_closing_the_stream_ends_its_subscription() -> None:
    bus = RecordingBus()

    async def snapshot() -> list[Job]:
        return []

    stream = follow_rows(bus, [JOBS_TOPIC], snapshot, JOB_ROWS)
    assert await next_item(stream) == Snapshot([])
    [subscription] = bus.handed_out
    assert not subscription.closed
    await stream.aclose()
    assert subscription.closed
