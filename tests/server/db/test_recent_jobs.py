"""RecentJobs: WatchJobs' snapshot from memory must say what the database says."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from clustergenie_server.bus.in_process_bus import InProcessEventBus
from clustergenie_server.db import Database, JobRepository
from clustergenie_server.domain.events import JobChanged
from clustergenie_server.domain.models import Job, JobState
from clustergenie_server.services.jobs.recent_jobs import RecentJobs

MakeJob = Callable[..., Job]
Claim = Callable[..., Job | None]


class FakeClock:
    """Monotonic seconds that only move when a test says so."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def stored(database: Database, limit: int) -> list[Job]:
    """What a snapshot read from the database would hold."""
    return database.run_sync(lambda s: JobRepository(s).list(limit=limit))


def cancel(database: Database, job_id: int, at: datetime) -> Job:
    """Cancel a job in the database (committed); the stored job."""
    job = database.run_sync(
        lambda s: JobRepository(s).finish(job_id, state=JobState.CANCELLED, now=at)
    )
    assert job is not None
    return job


async def test_the_view_follows_every_change_the_bus_hands_out(
    database: Database, make_job: MakeJob, claim: Claim, now: datetime
) -> None:
    bus = InProcessEventBus()
    view = RecentJobs(database, bus, capacity=10)
    for _ in range(3):
        make_job()
    assert await view.newest(10) == stored(database, 10)

    # Changes made after the view was read, each announced as the outbox does after its commit.
    added = [make_job(), make_job()]
    running = claim(now)
    assert running is not None
    progressed = database.run_sync(
        lambda s: JobRepository(s).update_progress(
            running.id, owner="server-a", progress=0.5, step="booting", step_index=2, now=now
        )
    )
    assert progressed is not None
    finished = cancel(database, added[0].id, now + timedelta(seconds=1))
    await bus.publish([JobChanged(j) for j in (*added, running, progressed, finished)])

    assert await view.newest(10) == stored(database, 10)
    assert await view.newest(2) == stored(database, 2)


async def test_a_full_view_keeps_the_newest_ids_only(
    database: Database, make_job: MakeJob, now: datetime
) -> None:
    bus = InProcessEventBus()
    view = RecentJobs(database, bus, capacity=3)
    first, *_ = [make_job() for _ in range(5)]
    assert [j.id for j in await view.newest(3)] == [j.id for j in stored(database, 3)]

    # A change to a job older than the newest three does not push one of them out...
    await bus.publish([JobChanged(cancel(database, first.id, now))])
    assert [j.id for j in await view.newest(3)] == [j.id for j in stored(database, 3)]
    # ...a new job does.
    await bus.publish([JobChanged(make_job())])
    assert await view.newest(3) == stored(database, 3)


async def test_an_older_version_arriving_late_does_not_replace_a_newer_one(
    database: Database, make_job: MakeJob, now: datetime
) -> None:
    # Two servers' outboxes publish independently: A's "queued" can follow B's "cancelled".
    bus = InProcessEventBus()
    view = RecentJobs(database, bus, capacity=10)
    queued = make_job()
    await view.newest(10)
    await bus.publish([JobChanged(cancel(database, queued.id, now + timedelta(seconds=5)))])
    await bus.publish([JobChanged(queued)])

    [job] = await view.newest(10)
    assert job.state is JobState.CANCELLED


async def test_a_change_whose_event_never_came_is_repaired_by_the_next_read(
    database: Database, make_job: MakeJob, now: datetime
) -> None:
    clock = FakeClock()
    view = RecentJobs(database, InProcessEventBus(), capacity=10, refresh_seconds=30.0, clock=clock)
    job = make_job()
    await view.newest(10)
    # Committed by a server whose event was lost with its broker, say: nothing announces it.
    cancel(database, job.id, now)
    clock.now = 29.0
    assert [j.state for j in await view.newest(10)] == [JobState.QUEUED]

    clock.now = 30.0
    assert await view.newest(10) == stored(database, 10)
