"""WatchJobs' stream in domain terms: the newest jobs (from memory), then each job's changes.

The shape every watch follows, and why: services/shared/watch.py. The servicer encodes.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from operator import attrgetter

from clustergenie_server.bus.event_bus import JOBS_TOPIC, EventBus
from clustergenie_server.domain.events import Event, JobChanged
from clustergenie_server.domain.models import Job
from clustergenie_server.services.jobs.recent_jobs import RecentJobs
from clustergenie_server.services.shared.watch import RowKind, Snapshot, follow_rows


def _job_of(event: Event) -> Job | None:
    return event.job if isinstance(event, JobChanged) else None


JOB_ROWS: RowKind[Job] = RowKind(_job_of, key=attrgetter("id"), version=attrgetter("updated_at"))


class JobWatch:
    """Follows the jobs: a snapshot of the newest, then every change (conflated if behind)."""

    def __init__(self, bus: EventBus, recent: RecentJobs) -> None:
        self._bus, self._recent = bus, recent

    def watch(self, snapshot_limit: int) -> AsyncIterator[Snapshot[Job] | Job]:
        """A Snapshot of the newest `snapshot_limit` jobs, oldest first, then each change."""

        async def snapshot() -> list[Job]:
            newest_first = await self._recent.newest(snapshot_limit)
            return newest_first[::-1]  # oldest first, as they happened

        return follow_rows(self._bus, [JOBS_TOPIC], snapshot, JOB_ROWS)
