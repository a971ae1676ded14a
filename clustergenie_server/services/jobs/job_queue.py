"""Queueing: new jobs written in the caller's unit of work, with their steps counted."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from clustergenie_server.db import JobRepository
from clustergenie_server.db.job_repository import NewJob
from clustergenie_server.domain.clock import utcnow
from clustergenie_server.domain.models import Job, JobState
from clustergenie_server.services.jobs.job_handlers import JobHandler
from clustergenie_server.settings import JobSettings


@dataclass(frozen=True, slots=True)
class JobTarget:
    """What one new job acts on (JobEngine.new_jobs)."""

    droplet_id: int | None
    name: str
    params: Mapping[str, str]


def queue_jobs(
    session: Session,
    handler: JobHandler,
    settings: JobSettings,
    *,
    cluster_id: int,
    targets: Sequence[JobTarget],
    retry_of: int | None = None,
) -> list[Job]:
    """Insert one queued job of handler's kind per target (one INSERT for all of them).

    Each job records how many steps it has (shown as "step 2 of 4") and how many attempts it
    may take: only a retryable kind is tried again after a retryable cloud error.
    """
    kind = handler.kind
    max_attempts = settings.max_attempts if handler.retryable else 1
    jobs = []
    for target in targets:
        probe = Job(
            id=0,
            kind=kind,
            state=JobState.QUEUED,
            cluster_id=cluster_id,
            droplet_id=target.droplet_id,
            target_name=target.name,
            params=dict(target.params),
        )
        jobs.append(
            NewJob(
                kind=kind,
                cluster_id=cluster_id,
                droplet_id=target.droplet_id,
                target_name=target.name,
                params=target.params,
                step_count=len(handler.steps(probe)),
                max_attempts=max_attempts,
                timeout_seconds=settings.timeout_seconds,
                retry_of=retry_of,
            )
        )
    return JobRepository(session).add_many(jobs, now=utcnow())
