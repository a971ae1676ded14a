"""Cancelling: a queued job ends at once; a running one is asked to stop, on whichever server."""

from __future__ import annotations

from sqlalchemy.orm import Session

from clustergenie_server.db import JobRepository
from clustergenie_server.domain.clock import utcnow
from clustergenie_server.domain.events import Event
from clustergenie_server.domain.models import Job, JobState
from clustergenie_server.services.jobs.job_announcements import job_events

# (the job as it is now, or None if it does not exist; True when it was cancelled before it ran)
Cancelled = tuple[Job | None, bool]


def cancel_job(session: Session, job_id: int) -> tuple[Cancelled, list[Event]]:
    """The unit of work of a cancel: a queued job is cancelled now, a running one flagged.

    The server running a flagged job sees the flag at its next progress write (any server's
    JobRunner checks it), so the job stops within a progress period wherever it runs.
    """
    repo, now = JobRepository(session), utcnow()
    job = repo.get(job_id)
    if job is None or job.state.is_final:
        # The caller validated it; it finished in the meantime.
        return (job, False), job_events(job)
    if job.state is JobState.QUEUED:
        error = "cancelled before it started"
        job = repo.finish(job_id, state=JobState.CANCELLED, error=error, now=now)
        return (job, True), job_events(job)
    job = repo.request_cancel(job_id, now=now)
    return (job, False), job_events(job)
