"""The events that announce jobs' new states, returned beside a unit of work's result."""

from __future__ import annotations

from typing import TypeVar

from clustergenie_server.domain.events import Event, JobChanged
from clustergenie_server.domain.models import Job

J = TypeVar("J", bound=Job | None)


def job_events(job: Job | None) -> list[Event]:
    """The event that announces a job's new state (none for no job)."""
    return [] if job is None else [JobChanged(job)]


def with_event(job: J) -> tuple[J, list[Event]]:
    """A unit of work's result with the event that announces the job."""
    return job, job_events(job)


def with_events(jobs: list[Job]) -> tuple[list[Job], list[Event]]:
    """A unit of work's result with the events that announce each job."""
    return jobs, [JobChanged(j) for j in jobs]
