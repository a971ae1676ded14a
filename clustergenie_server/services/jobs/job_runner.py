"""Running one job: its steps in order from the one it reached, progress written as it goes.

Every step's effect is written to be idempotent: a job resumed after its server stopped runs the
step it was in again. How the job ends (success, cancel, failure, a retry later) is decided here
and written by JobEndings.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping, Sequence

from sqlalchemy.orm import Session

from clustergenie_server.bus.outbox import Outbox
from clustergenie_server.db import Database, JobRepository
from clustergenie_server.domain.clock import utcnow
from clustergenie_server.domain.errors import Unavailable
from clustergenie_server.domain.events import Event, JobChanged
from clustergenie_server.domain.models import Job, JobKind, JobState
from clustergenie_server.services.jobs.job_cloud import CloudError, JobCloud
from clustergenie_server.services.jobs.job_context import JobContext
from clustergenie_server.services.jobs.job_endings import JobEndings, to_the_end
from clustergenie_server.services.jobs.job_handlers import JobHandler
from clustergenie_server.services.jobs.job_steps import Step, step_weights
from clustergenie_server.services.jobs.job_writes import JobWrites
from clustergenie_server.services.shared.db_outage import requeue_when_reachable
from clustergenie_server.settings import JobSettings

log = logging.getLogger(__name__)

# A running job writes its progress at most this often, unless a step's effect must commit.
PROGRESS_EVERY_SECONDS = 0.25


class LeaseLost(Exception):
    """Another server took the job over; this one must stop touching it."""


class CancelRequested(Exception):
    """Someone asked to cancel the job (seen through the database, from any server)."""


class JobRunner:
    """Runs claimed jobs of one server (owner) to their end."""

    def __init__(
        self,
        db: Database,
        outbox: Outbox,
        cloud: JobCloud,
        handlers: Mapping[JobKind, JobHandler],
        settings: JobSettings,
        owner: str,
    ) -> None:
        self._db, self._outbox, self._cloud = db, outbox, cloud
        self._handlers, self._settings, self._owner = handlers, settings, owner
        self.writes = JobWrites(outbox)  # running jobs' progress and ends, in batches
        self._endings = JobEndings(outbox, self.writes, settings.backoff_seconds)
        self.stopping = False  # set by the engine's stop(): a cancel then means "resume later"

    def context(self, job: Job) -> JobContext:
        """What the job's handler may touch."""
        return JobContext(job=job, db=self._db, outbox=self._outbox, cloud=self._cloud)

    async def run(self, job: Job) -> None:
        """Run a claimed job to its end; when the database goes away, queue it again later."""
        try:
            await self._run_job(job)
        except Unavailable as exc:
            # The database went away mid-job: that is no fault of the job, so it neither fails
            # nor spends an attempt; it is queued again (at its step) once the database is back.
            log.warning("job %d interrupted: %s", job.id, exc)
            await requeue_when_reachable(
                self._outbox, job.id, self._owner, self._settings.backoff_seconds
            )

    async def _run_job(self, job: Job) -> None:
        handler = self._handlers[job.kind]
        ctx = self.context(job)
        endings = self._endings
        if job.cancel_requested:
            # Asked to stop while it ran, then queued again (a retry after a cloud error, a
            # restart): it must end cancelled, cleaned up, not wait in the queue forever.
            await endings.cancelled(ctx, handler)
            return
        steps = handler.steps(job)
        try:
            async with asyncio.timeout(job.timeout_seconds):
                await self._run_steps(ctx, steps)
        except asyncio.CancelledError:
            if self.stopping:
                raise  # stop() queues the job again; its state is left for the next start
            await endings.cancelled(ctx, handler)
        except CancelRequested:
            await endings.cancelled(ctx, handler)
        except LeaseLost:
            log.warning("job %d: lease lost to another server; leaving it", job.id)
        except TimeoutError:
            await endings.failed(ctx, handler, f"timed out after {job.timeout_seconds:g}s")
        except CloudError as exc:
            if exc.retryable and job.attempt < job.max_attempts:
                await endings.retry_later(job, str(exc))
            else:
                await endings.failed(ctx, handler, str(exc))
        except Unavailable:
            raise  # see run
        except Exception as exc:
            log.exception("job %d (%s) crashed", job.id, job.kind)
            await endings.failed(ctx, handler, f"internal error: {exc}")
        else:
            # The last step's staged change commits with the job's success, atomically; the
            # job shows its last step even when that step's start was not written (throttled).
            last = len(steps) - 1
            await to_the_end(
                endings.finish(
                    job.id,
                    JobState.SUCCEEDED,
                    staged=ctx.take_staged(),
                    last_step=(steps[last].title, last) if steps else None,
                )
            )

    async def _run_steps(self, ctx: JobContext, steps: Sequence[Step]) -> None:
        weights = step_weights(steps)
        total = sum(weights)
        done = sum(weights[: ctx.job.step_index])
        # The claim showed the first step already (see job_claims).
        last_write, first = time.monotonic(), ctx.job.step_index
        for index in range(ctx.job.step_index, len(steps)):
            step, weight = steps[index], weights[index]

            async def report(
                fraction: float,
                *,
                index: int = index,
                step: Step = step,
                weight: float = weight,
                done: float = done,
            ) -> None:
                nonlocal last_write
                now = time.monotonic()
                if now - last_write < PROGRESS_EVERY_SECONDS:
                    # Bounded writes: the next step's start (or the job's end) follows soon.
                    return
                last_write = now
                await self._progress(ctx, (done + weight * fraction) / total, step.title, index)

            if index != first:
                # A step's start is written like any report, at most every 0.25 s: at a high
                # time scale a provision's steps last 15-50 ms. The previous steps' staged
                # changes go with whichever write comes next (this one, a later report, or the
                # job's end), so a write that records a step always carries the effects of the
                # steps before it; at time scale 1 every step's start is written.
                await report(0.0)
            await ctx.cloud.work(step.seconds, report)
            if step.effect is not None:
                await step.effect(ctx)
            done += weight

    async def _progress(self, ctx: JobContext, progress: float, step: str, index: int) -> None:
        staged = ctx.take_staged()
        owner = self._owner

        def change(s: Session) -> tuple[Job, list[Event]]:
            events = [event for apply in staged for event in apply(s)]
            job = JobRepository(s).update_progress(
                ctx.job.id,
                owner=owner,
                progress=min(progress, 1.0),
                step=step,
                step_index=index,
                now=utcnow(),
            )
            if job is None:
                raise LeaseLost()  # inside the unit of work: the staged changes roll back too
            return job, [*events, JobChanged(job)]

        job = await self.writes.commit(change)
        if job.cancel_requested:
            raise CancelRequested()
