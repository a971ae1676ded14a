"""The job engine: queues jobs, dispatches due ones to workers, and keeps them safe.

The parts, one job each: job_queue (new jobs), job_claims (leasing due jobs, safe against other
servers), job_leases (renewing leases, recovering jobs of dead servers), job_runner (a job's
steps), job_endings (how a job ends), job_cancellation (cancel). This module runs the loops that
tie them together: a dispatcher that claims as many jobs as there are free workers, and a lease
keeper. Several servers may share one database's queue.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import Mapping, Sequence

from sqlalchemy.orm import Session

from clustergenie_server.bus.outbox import Outbox
from clustergenie_server.db import Database, JobRepository
from clustergenie_server.domain.clock import utcnow
from clustergenie_server.domain.errors import NotFound
from clustergenie_server.domain.events import Event
from clustergenie_server.domain.models import Job, JobKind
from clustergenie_server.services.jobs.job_announcements import with_events
from clustergenie_server.services.jobs.job_cancellation import cancel_job
from clustergenie_server.services.jobs.job_claims import claim_due
from clustergenie_server.services.jobs.job_cloud import JobCloud
from clustergenie_server.services.jobs.job_handlers import JobHandler
from clustergenie_server.services.jobs.job_leases import JobLeases, new_owner_id
from clustergenie_server.services.jobs.job_queue import JobTarget, queue_jobs
from clustergenie_server.services.jobs.job_runner import JobRunner
from clustergenie_server.services.shared.db_outage import next_backoff
from clustergenie_server.settings import JobSettings

log = logging.getLogger(__name__)

# How long an idle dispatcher waits for a wake-up before it looks for due jobs anyway: jobs whose
# backoff has passed, and jobs queued by other servers whose event was late or lost.
IDLE_POLL_SECONDS = 1.0


class JobEngine:
    """Runs up to `settings.workers` jobs at once; other servers may share the same queue.

    The handlers are handed over once with set_handlers, before the first job is queued: the
    scale job's handler queues provisioning jobs through this engine, so it is built after it.
    """

    def __init__(
        self,
        db: Database,
        outbox: Outbox,
        cloud: JobCloud,
        settings: JobSettings,
        *,
        owner: str | None = None,
    ) -> None:
        self._outbox = outbox
        self._settings = settings
        self.owner = owner or new_owner_id()
        self._handlers: dict[JobKind, JobHandler] = {}  # filled once by set_handlers
        self._leases = JobLeases(db, outbox, self.owner, settings.lease_seconds)
        self._runner = JobRunner(db, outbox, cloud, self._handlers, settings, self.owner)
        self._running: dict[int, asyncio.Task[None]] = {}
        self._wake = asyncio.Event()
        self._loops: list[asyncio.Task[None]] = []

    def handler(self, kind: JobKind) -> JobHandler:
        """The handler that runs jobs of `kind` (tests wrap its steps to stage races)."""
        return self._handlers[kind]

    def set_handlers(self, handlers: Mapping[JobKind, JobHandler]) -> None:
        """Hand over every kind's handler (job_kinds.build_job_handlers); once, before start."""
        if self._handlers:
            raise RuntimeError("the job handlers were set already")
        self._handlers.update(handlers)

    # -- queueing ------------------------------------------------------------------------------

    def new_job(
        self,
        session: Session,
        *,
        kind: JobKind,
        cluster_id: int,
        droplet_id: int | None,
        target_name: str,
        params: dict[str, str] | None = None,
        retry_of: int | None = None,
    ) -> Job:
        """Queue a job in the caller's unit of work, so the job and its cause commit together."""
        target = JobTarget(droplet_id, target_name, params or {})
        return self.new_jobs(
            session, kind=kind, cluster_id=cluster_id, targets=[target], retry_of=retry_of
        )[0]

    def new_jobs(
        self,
        session: Session,
        *,
        kind: JobKind,
        cluster_id: int,
        targets: Sequence[JobTarget],
        retry_of: int | None = None,
    ) -> list[Job]:
        """new_job for several targets of one kind at once (one INSERT for all of them)."""
        return queue_jobs(
            session,
            self._handlers[kind],
            self._settings,
            cluster_id=cluster_id,
            targets=targets,
            retry_of=retry_of,
        )

    async def submitted(self, jobs: Sequence[Job]) -> None:
        """Wake the dispatcher for jobs committed by new_job (their events committed with them)."""
        if jobs:
            self._wake.set()

    def wake(self) -> None:
        """Look for a due job now (a "job queued" event arrived, perhaps from another server)."""
        self._wake.set()

    async def cancel(self, job_id: int) -> Job:
        """Cancel a queued job at once, or ask a running one to stop (on whichever server)."""
        job, never_ran = await self._outbox.commit(functools.partial(cancel_job, job_id=job_id))
        if job is None:
            raise NotFound(f"job {job_id} does not exist")
        if never_ran:
            # It never ran, but its target was locked (or marked deleting) when it was queued.
            await self._handlers[job.kind].on_cancelled(self._runner.context(job))
        if (task := self._running.get(job_id)) is not None:
            task.cancel(msg="cancel requested")
        return job

    # -- life cycle ----------------------------------------------------------------------------

    async def start(self) -> None:
        """Requeue jobs orphaned by dead servers, then start dispatching."""
        if not self._handlers:
            raise RuntimeError("no job handlers: call set_handlers before start")
        await self._recover(startup=True)
        self._loops = [
            asyncio.create_task(self._dispatch_loop(), name="jobs-dispatch"),
            asyncio.create_task(self._lease_loop(), name="jobs-leases"),
        ]

    async def stop(self) -> None:
        """Stop running jobs and queue them again: the next start resumes them, nothing is lost."""
        self._runner.stopping = True
        for task in [*self._loops, *self._running.values()]:
            task.cancel(msg="server shutting down")
        await asyncio.gather(*self._loops, *self._running.values(), return_exceptions=True)
        await self._runner.writes.wait_idle()
        if released := await self._leases.release():
            log.info(
                "jobs interrupted by shutdown, queued to resume: %s",
                ", ".join(str(j.id) for j in released),
            )

    # -- dispatching ---------------------------------------------------------------------------

    async def _dispatch_loop(self) -> None:
        delay = self._settings.backoff_seconds
        while True:
            claimed: list[Job] = []
            free = self._settings.workers - len(self._running)
            if free > 0:
                try:
                    claimed = await self._outbox.commit(functools.partial(self._claim, limit=free))
                except Exception as exc:  # the database is down: keep trying, never give up
                    log.warning("cannot claim jobs (%s); retrying in %.1fs", exc, delay)
                    await asyncio.sleep(delay)
                    delay = next_backoff(delay)
                    continue
                delay = self._settings.backoff_seconds
            if not claimed:
                # Nothing to claim (or no free worker): sleep until woken, or poll.
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout=IDLE_POLL_SECONDS)
                continue
            for job in claimed:
                task = asyncio.create_task(self._runner.run(job), name=f"job-{job.id}")
                self._running[job.id] = task
                task.add_done_callback(functools.partial(self._finished, job.id))

    def _claim(self, session: Session, limit: int) -> tuple[list[Job], list[Event]]:
        claimed = claim_due(
            JobRepository(session),
            self._handlers,
            owner=self.owner,
            lease_seconds=self._settings.lease_seconds,
            limit=limit,
            now=utcnow(),
        )
        return with_events(claimed)

    def _finished(self, job_id: int, _task: asyncio.Task[None]) -> None:
        self._running.pop(job_id, None)
        self._wake.set()

    # -- leases --------------------------------------------------------------------------------

    async def _lease_loop(self) -> None:
        period = self._settings.lease_seconds / 3
        while True:
            await asyncio.sleep(period)
            try:
                await self._leases.renew()
                await self._recover(startup=False)
            except Exception:  # a database hiccup must not end lease renewal
                log.exception("lease renewal failed; retrying in %.1fs", period)

    async def _recover(self, *, startup: bool) -> None:
        if requeued := await self._leases.recover(startup=startup):
            log.warning(
                "requeued %d job(s) left running by a stopped server: %s",
                len(requeued),
                ", ".join(str(j.id) for j in requeued),
            )
            self._wake.set()
