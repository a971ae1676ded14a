"""How a job ends: succeeded, cancelled, failed (after its handler cleans up), or retried later."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Coroutine, Sequence
from datetime import timedelta

from sqlalchemy.orm import Session

from clustergenie_server.bus.outbox import Outbox
from clustergenie_server.db import JobRepository
from clustergenie_server.domain.clock import utcnow
from clustergenie_server.domain.events import Event, JobChanged
from clustergenie_server.domain.models import Job, JobState
from clustergenie_server.services.jobs.job_announcements import with_event
from clustergenie_server.services.jobs.job_context import JobContext, Staged
from clustergenie_server.services.jobs.job_handlers import JobHandler
from clustergenie_server.services.jobs.job_writes import JobWrites

log = logging.getLogger(__name__)


class JobEndings:
    """Writes a job's last state, with its handler's cleanup and its event."""

    def __init__(self, outbox: Outbox, writes: JobWrites, backoff_seconds: float) -> None:
        self._outbox, self._writes, self._backoff_seconds = outbox, writes, backoff_seconds

    async def finish(
        self,
        job_id: int,
        state: JobState,
        error: str = "",
        *,
        staged: Sequence[Staged] = (),
        last_step: tuple[str, int] | None = None,
    ) -> None:
        """Move the job to a final state; the staged changes of its steps commit with it."""

        def change(s: Session) -> tuple[Job, list[Event]]:
            events = [event for apply in staged for event in apply(s)]
            job = JobRepository(s).finish(
                job_id, state=state, error=error, now=utcnow(), last_step=last_step
            )
            return job, [*events, JobChanged(job)]

        await self._writes.commit(change)

    async def cancelled(self, ctx: JobContext, handler: JobHandler) -> None:
        """The job stopped on request: clean up, then record it (both even if cancelled again)."""
        await to_the_end(self._end(ctx, handler, JobState.CANCELLED, "cancelled by request"))

    async def failed(self, ctx: JobContext, handler: JobHandler, error: str) -> None:
        """The job failed for good: clean up, then record why (even if cancelled meanwhile)."""
        log.warning(
            "job %d (%s on %s) failed: %s", ctx.job.id, ctx.job.kind, ctx.job.target_name, error
        )
        await to_the_end(self._end(ctx, handler, JobState.FAILED, error))

    async def _end(self, ctx: JobContext, handler: JobHandler, state: JobState, error: str) -> None:
        await self._cleanup(ctx, handler, None if state is JobState.CANCELLED else error)
        await self.finish(ctx.job.id, state, error)

    async def retry_later(self, job: Job, error: str) -> None:
        """Queue the job again from its first step, after a backoff that doubles per attempt."""
        delay = self._backoff_seconds * 2 ** (job.attempt - 1)
        now = utcnow()
        await self._outbox.commit(
            lambda s: with_event(
                JobRepository(s).requeue(
                    job.id,
                    now=now,
                    next_run_at=now + timedelta(seconds=delay),
                    attempt=job.attempt + 1,
                    error=error,
                    step=f"Retrying in {delay:g}s after: {error}",
                    step_index=0,
                )
            )
        )
        log.info(
            "job %d attempt %d failed (%s); retrying in %gs", job.id, job.attempt, error, delay
        )

    async def _cleanup(self, ctx: JobContext, handler: JobHandler, error: str | None) -> None:
        try:
            if error is None:
                await handler.on_cancelled(ctx)
            else:
                await handler.on_failed(ctx, error)
        except Exception:
            log.exception("job %d: cleanup after %s failed", ctx.job.id, error or "cancel")


async def to_the_end(ending: Coroutine[object, object, None]) -> None:
    """Run a job's ending (cleanup, final state) to completion even if the job's task is
    cancelled meanwhile: a cancel that arrived as the job failed or succeeded used to stop the
    ending halfway, leaving the job running forever (its lease renewed) and its droplet locked.
    """
    task = asyncio.ensure_future(ending)
    while not task.done():
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.shield(task)
    task.result()
