"""Linking a retry to the job it repeats, in the unit of work that queues the retry."""

from __future__ import annotations

from sqlalchemy.orm import Session

from clustergenie_server.db import JobRepository
from clustergenie_server.domain.clock import utcnow
from clustergenie_server.domain.errors import FailedPrecondition, NotFound
from clustergenie_server.domain.events import Event, JobChanged
from clustergenie_server.domain.job_retry import retry_refusal
from clustergenie_server.domain.models import Job


def link_retry(session: Session, retry_of: int | None, job: Job) -> list[Event]:
    """Mark job `retry_of` as retried by `job`; the original's new version to announce.

    Raises FailedPrecondition (rolling the whole unit of work back, the new job included) when
    the original was retried meanwhile, perhaps by another server.
    """
    if retry_of is None:
        return []
    repo = JobRepository(session)
    original = repo.link_retry(retry_of, retried_as=job.id, now=utcnow())
    if original is not None:
        return [JobChanged(original)]
    current = repo.get(retry_of)
    if current is None:
        raise NotFound(f"job {retry_of} does not exist; see ListJobs")
    raise FailedPrecondition(
        retry_refusal(current) or f"job {retry_of} cannot be retried; see GetJob"
    )
