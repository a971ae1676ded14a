"""Claiming: leasing due jobs to this server, safely against other servers claiming the same.

The claim is conditional in the database (JobRepository.claim updates a job only while it is
still queued), so of several servers that read the same due job exactly one gets it; the others
move on to their next candidate. tests/server/db/test_job_claim_race.py races this function.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from clustergenie_server.db import JobRepository
from clustergenie_server.domain.models import Job, JobKind
from clustergenie_server.services.jobs.job_handlers import JobHandler
from clustergenie_server.services.jobs.job_steps import progress_at

# Due jobs read beyond the free workers in one claim, for candidates other servers take first.
SPARE_CANDIDATES = 4


def claim_due(
    repo: JobRepository,
    handlers: Mapping[JobKind, JobHandler],
    *,
    owner: str,
    lease_seconds: float,
    limit: int,
    now: datetime,
) -> list[Job]:
    """Lease up to limit due jobs to owner, earliest due first, each showing the step it starts at.

    One unit of work for a burst of jobs rather than one per job, and the claim writes the first
    progress report too (the job's step title, and its progress when resumed).
    """
    claimed: list[Job] = []
    # A few spare candidates: some may have been claimed by another server meanwhile.
    for candidate in repo.due(now, limit=limit + SPARE_CANDIDATES):
        steps = handlers[candidate.kind].steps(candidate)
        progress, step = 0.0, None  # None: a job past its last step shows what it showed
        if candidate.step_index < len(steps):
            progress = progress_at(steps, candidate.step_index)
            step = steps[candidate.step_index].title
        job = repo.claim(
            candidate.id,
            owner=owner,
            lease_seconds=lease_seconds,
            now=now,
            progress=progress,
            step=step,
        )
        if job is not None:
            claimed.append(job)
            if len(claimed) == limit:
                break
    return claimed
