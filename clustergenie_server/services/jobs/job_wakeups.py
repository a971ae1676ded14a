"""Spreads queued jobs over the servers: "job queued" events go to one member of a group."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from clustergenie_server.bus.event_bus import JOBS_TOPIC, EventBus, Subscription
from clustergenie_server.domain.events import JobChanged
from clustergenie_server.domain.models import JobState
from clustergenie_server.services.jobs.job_engine import JobEngine

log = logging.getLogger(__name__)

JOB_WORKERS_GROUP = "clustergenie-job-workers"


class JobWakeups:
    """The member of the job-workers group that receives a queued job wakes its engine to claim.

    The database's conditional claim keeps each job exactly-once when two servers race for it;
    idle polling in the engine stays as the safety net when an event is late or lost.
    """

    def __init__(self, bus: EventBus, engine: JobEngine) -> None:
        self._bus, self._engine = bus, engine
        self._subscription: Subscription | None = None
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Join the group and start listening."""
        self._subscription = self._bus.subscribe([JOBS_TOPIC], group=JOB_WORKERS_GROUP)
        self._task = asyncio.create_task(self._run(self._subscription), name="job-wakeups")

    async def stop(self) -> None:
        """Leave the group."""
        if self._subscription is not None:
            self._subscription.close()
            # Leaving the group now (not at session timeout) hands its partitions over at once.
            await self._subscription.wait_closed()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self, subscription: Subscription) -> None:
        async for event in subscription:
            if isinstance(event, JobChanged) and event.job.state is JobState.QUEUED:
                self._engine.wake()
