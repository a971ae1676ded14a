"""Leases: who runs a job, renewing that while it runs, and taking back jobs whose server is gone.

Durability comes from the database, not from memory: a job is claimed with a lease (an owner and
an expiry) that its server renews while it runs the job. A job whose lease expires (its server
died) is queued again by whichever server notices first, and resumes at the step it had reached.
"""

from __future__ import annotations

import os
import socket
import uuid
from datetime import timedelta

from sqlalchemy.orm import Session

from clustergenie_server.bus.outbox import Outbox
from clustergenie_server.db import Database, JobRepository
from clustergenie_server.domain.clock import utcnow
from clustergenie_server.domain.models import Job, JobState
from clustergenie_server.services.jobs.job_announcements import with_events


def new_owner_id() -> str:
    """host:pid:random — the pid lets a restarted server on the same host reclaim at once."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def owner_is_dead_here(owner: str | None) -> bool:
    """True when owner names a process on this host that no longer runs."""
    if not owner:
        return False
    host, _, rest = owner.partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname()[:40] or not pid_text.isdigit():
        return False
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


class JobLeases:
    """The leases of one server (owner): renewed, recovered from dead servers, released."""

    def __init__(self, db: Database, outbox: Outbox, owner: str, lease_seconds: float) -> None:
        self._db, self._outbox = db, outbox
        self.owner, self.lease_seconds = owner, lease_seconds

    async def renew(self) -> int:
        """Extend the lease of every job this server runs; how many were extended."""
        return await self._db.run(self._renew)

    def _renew(self, session: Session) -> int:
        now = utcnow()
        until = now + timedelta(seconds=self.lease_seconds)
        return JobRepository(session).renew_leases(owner=self.owner, until=until, now=now)

    async def recover(self, *, startup: bool) -> list[Job]:
        """Queue again the running jobs whose server is gone: lease expired, or (at startup) a
        dead process on this host, whose jobs need not wait for their leases to run out."""

        def change(s: Session) -> list[Job]:
            repo, now = JobRepository(s), utcnow()
            orphans = {j.id: j for j in repo.expired_leases(now=now)}
            if startup:
                for job in repo.list(states=[JobState.RUNNING], limit=10_000):
                    if owner_is_dead_here(job.lease_owner):
                        orphans[job.id] = job
            return [
                repo.requeue(
                    j.id,
                    now=now,
                    next_run_at=now,
                    step=f"Resuming at step {j.step_index + 1} after its server stopped",
                )
                for j in orphans.values()
                if j.lease_owner != self.owner
            ]

        return await self._outbox.commit(lambda s: with_events(change(s)))

    async def release(self) -> list[Job]:
        """Queue again, due now, every job this server runs (a graceful stop); returns them."""
        return await self._outbox.commit(
            lambda s: with_events(JobRepository(s).release_owner(owner=self.owner, now=utcnow()))
        )
