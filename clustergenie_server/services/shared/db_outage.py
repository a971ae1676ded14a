"""Riding out a database outage: jobs wait and resume instead of failing, loops back off."""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy.orm import Session

from clustergenie_server.bus.outbox import Outbox
from clustergenie_server.db import JobRepository
from clustergenie_server.domain.clock import utcnow
from clustergenie_server.domain.errors import Unavailable
from clustergenie_server.domain.events import Event, JobChanged
from clustergenie_server.domain.models import Job, JobState

log = logging.getLogger(__name__)

MAX_BACKOFF_SECONDS = 5.0  # a restarted database is noticed within this


def next_backoff(delay: float) -> float:
    """The delay after delay: doubled, capped so a recovered database is noticed soon."""
    return min(delay * 2, MAX_BACKOFF_SECONDS)


def _requeue_if_held(job_id: int, owner: str, s: Session) -> tuple[Job | None, list[Event]]:
    repo, now = JobRepository(s), utcnow()
    job = repo.get(job_id)
    # Another server may have taken it over meanwhile (our lease ran out): then it is theirs.
    if job is None or job.state is not JobState.RUNNING or job.lease_owner != owner:
        return None, []
    job = repo.requeue(
        job_id, now=now, next_run_at=now, step="Resuming after the database was unreachable"
    )
    return job, [JobChanged(job)]


async def requeue_when_reachable(outbox: Outbox, job_id: int, owner: str, delay: float) -> None:
    """Queue an interrupted job again (it resumes at its step, no attempt spent) once the
    database answers; until then the job stays RUNNING under this server's renewed lease."""
    while True:
        try:
            await outbox.commit(lambda s: _requeue_if_held(job_id, owner, s))
            return
        except Unavailable as exc:
            log.warning("job %d waits for the database (%s); retrying in %.1fs", job_id, exc, delay)
            await asyncio.sleep(delay)
            delay = next_backoff(delay)
