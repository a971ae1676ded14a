"""The job engine: claims queued jobs from the database, runs their steps, and keeps them safe.

Durability comes from the database, not from memory: a job is claimed with a lease (an owner and
an expiry) that the engine renews while it runs the job. A job whose lease expires (its server
died) is queued again by whichever server notices first, and resumes at the step it had reached,
so every step's effect is written to be idempotent.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import os
import socket
import time
import uuid
from collections.abc import Coroutine, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import TypeVar

from sqlalchemy.orm import Session

from clustergenie_server.bus.outbox import Outbox
from clustergenie_server.db import Database, JobRepository
from clustergenie_server.db.job_repository import NewJob
from clustergenie_server.domain.clock import utcnow
from clustergenie_server.domain.errors import NotFound, Unavailable
from clustergenie_server.domain.events import Event, JobChanged
from clustergenie_server.domain.models import Job, JobKind, JobState
from clustergenie_server.services.jobs.job_context import JobContext, Staged
from clustergenie_server.services.jobs.job_handlers import JobHandler, Step
from clustergenie_server.services.jobs.job_writes import JobWrites
from clustergenie_server.services.shared.db_outage import next_backoff, requeue_when_reachable
from clustergenie_server.settings import JobSettings
from clustergenie_server.simulation.cloud import CloudError, SimulatedCloud

log = logging.getLogger(__name__)

J = TypeVar("J", bound=Job | None)

# Due jobs read beyond the free workers in one claim, for candidates other servers take first.
_SPARE_CANDIDATES = 4
# A running job writes its progress at most this often, unless a step's effect must commit.
_PROGRESS_EVERY_SECONDS = 0.25


@dataclass(frozen=True, slots=True)
class JobTarget:
    """What one new job acts on (JobEngine.new_jobs)."""

    droplet_id: int | None
    name: str
    params: Mapping[str, str]


class LeaseLost(Exception):
    """Another server took the job over; this one must stop touching it."""


class CancelRequested(Exception):
    """Someone asked to cancel the job (seen through the database, from any server)."""


def new_owner_id() -> str:
    """host:pid:random — the pid lets a restarted server on the same host reclaim at once."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _owner_is_dead_here(owner: str | None) -> bool:
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


class JobEngine:
    """Runs up to `settings.workers` jobs at once; other servers may share the same queue."""

    def __init__(
        self,
        db: Database,
        outbox: Outbox,
        cloud: SimulatedCloud,
        handlers: Mapping[JobKind, JobHandler],
        settings: JobSettings,
        *,
        owner: str | None = None,
    ) -> None:
        self._db, self._outbox, self._cloud = db, outbox, cloud
        self._handlers = handlers
        self._settings = settings
        self.owner = owner or new_owner_id()
        self._running: dict[int, asyncio.Task[None]] = {}
        self._writes = JobWrites(outbox)  # running jobs' progress and ends, in batches
        self._wake = asyncio.Event()
        self._loops: list[asyncio.Task[None]] = []
        self._stopping = False

    # -- queueing ------------------------------------------------------------------------------

    def handler(self, kind: JobKind) -> JobHandler:
        """The handler of a job kind."""
        return self._handlers[kind]

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
        handler = self._handlers[kind]
        max_attempts = self._settings.max_attempts if handler.retryable else 1
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
            steps = len(handler.steps(probe))
            jobs.append(
                NewJob(
                    kind=kind,
                    cluster_id=cluster_id,
                    droplet_id=target.droplet_id,
                    target_name=target.name,
                    params=target.params,
                    step_count=steps,
                    max_attempts=max_attempts,
                    timeout_seconds=self._settings.timeout_seconds,
                    retry_of=retry_of,
                )
            )
        return JobRepository(session).add_many(jobs, now=utcnow())

    async def submitted(self, jobs: Sequence[Job]) -> None:
        """Wake the dispatcher for jobs committed by new_job (their events committed with them)."""
        if jobs:
            self._wake.set()

    def wake(self) -> None:
        """Look for a due job now (a "job queued" event arrived, perhaps from another server)."""
        self._wake.set()

    async def cancel(self, job_id: int) -> Job:
        """Cancel a queued job at once, or ask a running one to stop (on whichever server)."""

        def change(s: Session) -> tuple[tuple[Job | None, bool], list[Event]]:
            repo, now = JobRepository(s), utcnow()
            job = repo.get(job_id)
            if job is None or job.state.is_final:
                # The caller validated it; it finished in the meantime.
                return (job, False), _job_events(job)
            if job.state is JobState.QUEUED:
                error = "cancelled before it started"
                job = repo.finish(job_id, state=JobState.CANCELLED, error=error, now=now)
                return (job, True), _job_events(job)
            job = repo.request_cancel(job_id, now=now)
            return (job, False), _job_events(job)

        job, never_ran = await self._outbox.commit(change)
        if job is None:
            raise NotFound(f"job {job_id} does not exist")
        if never_ran:
            # It never ran, but its target was locked (or marked deleting) when it was queued.
            await self._handlers[job.kind].on_cancelled(self._context(job))
        if (task := self._running.get(job_id)) is not None:
            task.cancel(msg="cancel requested")
        return job

    # -- life cycle ----------------------------------------------------------------------------

    async def start(self) -> None:
        """Requeue jobs orphaned by dead servers, then start dispatching."""
        await self._recover(startup=True)
        self._loops = [
            asyncio.create_task(self._dispatch_loop(), name="jobs-dispatch"),
            asyncio.create_task(self._lease_loop(), name="jobs-leases"),
        ]

    async def stop(self) -> None:
        """Stop running jobs and queue them again: the next start resumes them, nothing is lost."""
        self._stopping = True
        for task in [*self._loops, *self._running.values()]:
            task.cancel(msg="server shutting down")
        await asyncio.gather(*self._loops, *self._running.values(), return_exceptions=True)
        await self._writes.wait_idle()
        released = await self._outbox.commit(
            lambda s: _with_events(JobRepository(s).release_owner(owner=self.owner, now=utcnow()))
        )
        if released:
            log.info(
                "jobs interrupted by shutdown, queued to resume: %s",
                ", ".join(str(j.id) for j in released),
            )

    @property
    def running_job_ids(self) -> set[int]:
        """Ids of the jobs this engine is running now."""
        return set(self._running)

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
                # Nothing to claim (or no free worker): sleep until woken, or poll for jobs whose
                # backoff has passed and for jobs queued by other servers.
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout=1.0)
                continue
            for job in claimed:
                task = asyncio.create_task(self._run(job), name=f"job-{job.id}")
                self._running[job.id] = task
                task.add_done_callback(lambda _t, job_id=job.id: self._finished(job_id))

    def _claim(self, session: Session, limit: int) -> tuple[list[Job], list[Event]]:
        """Claim up to limit due jobs in one unit of work, each showing the step it starts at.

        One transaction for a burst of jobs rather than one per job, and the claim writes the
        first progress report too (the job's step title, and its progress when resumed).
        """
        repo, now = JobRepository(session), utcnow()
        claimed: list[Job] = []
        # A few spare candidates: some may have been claimed by another server meanwhile.
        for candidate in repo.due(now, limit=limit + _SPARE_CANDIDATES):
            steps = self._handlers[candidate.kind].steps(candidate)
            shown = {}
            if candidate.step_index < len(steps):
                shown = {
                    "progress": _progress_at(steps, candidate.step_index),
                    "step": steps[candidate.step_index].title,
                }
            job = repo.claim(
                candidate.id,
                owner=self.owner,
                lease_seconds=self._settings.lease_seconds,
                now=now,
                **shown,
            )
            if job is not None:
                claimed.append(job)
                if len(claimed) == limit:
                    break
        return claimed, [JobChanged(j) for j in claimed]

    def _finished(self, job_id: int) -> None:
        self._running.pop(job_id, None)
        self._wake.set()

    async def _lease_loop(self) -> None:
        period = self._settings.lease_seconds / 3
        while True:
            await asyncio.sleep(period)
            try:
                await self._db.run(self._renew_leases)
                await self._recover(startup=False)
            except Exception:  # a database hiccup must not end lease renewal
                log.exception("lease renewal failed; retrying in %.1fs", period)

    def _renew_leases(self, session: Session) -> int:
        now = utcnow()
        until = now + timedelta(seconds=self._settings.lease_seconds)
        return JobRepository(session).renew_leases(owner=self.owner, until=until, now=now)

    async def _recover(self, *, startup: bool) -> None:
        """Queue again the running jobs whose server is gone (lease expired, or dead pid here)."""

        def change(s: Session) -> list[Job]:
            repo, now = JobRepository(s), utcnow()
            orphans = {j.id: j for j in repo.expired_leases(now=now)}
            if startup:
                for job in repo.list(states=[JobState.RUNNING], limit=10_000):
                    if _owner_is_dead_here(job.lease_owner):
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

        requeued = await self._outbox.commit(lambda s: _with_events(change(s)))
        if requeued:
            log.warning(
                "requeued %d job(s) left running by a stopped server: %s",
                len(requeued),
                ", ".join(str(j.id) for j in requeued),
            )
            self._wake.set()

    # -- running one job -----------------------------------------------------------------------

    def _context(self, job: Job) -> JobContext:
        return JobContext(job=job, db=self._db, outbox=self._outbox, cloud=self._cloud)

    async def _run(self, job: Job) -> None:
        try:
            await self._run_job(job)
        except Unavailable as exc:
            # The database went away mid-job: that is no fault of the job, so it neither fails
            # nor spends an attempt; it is queued again (at its step) once the database is back.
            log.warning("job %d interrupted: %s", job.id, exc)
            await requeue_when_reachable(
                self._outbox, job.id, self.owner, self._settings.backoff_seconds
            )
            self._wake.set()

    async def _run_job(self, job: Job) -> None:
        handler = self._handlers[job.kind]
        ctx = self._context(job)
        if job.cancel_requested:
            # Asked to stop while it ran, then queued again (a retry after a cloud error, a
            # restart): it must end cancelled, cleaned up, not wait in the queue forever.
            await self._end_cancelled(ctx, handler)
            return
        steps = handler.steps(job)
        try:
            async with asyncio.timeout(job.timeout_seconds):
                await self._run_steps(ctx, steps)
        except asyncio.CancelledError:
            if self._stopping:
                raise  # stop() queues the job again; its state is left for the next start
            await self._end_cancelled(ctx, handler)
        except CancelRequested:
            await self._end_cancelled(ctx, handler)
        except LeaseLost:
            log.warning("job %d: lease lost to another server; leaving it", job.id)
        except TimeoutError:
            await self._end_failed(ctx, handler, f"timed out after {job.timeout_seconds:g}s")
        except CloudError as exc:
            if exc.retryable and job.attempt < job.max_attempts:
                await self._retry_later(job, str(exc))
            else:
                await self._end_failed(ctx, handler, str(exc))
        except Unavailable:
            raise  # see _run
        except Exception as exc:
            log.exception("job %d (%s) crashed", job.id, job.kind)
            await self._end_failed(ctx, handler, f"internal error: {exc}")
        else:
            # The last step's staged change commits with the job's success, atomically; the
            # job shows its last step even when that step's start was not written (throttled).
            last = len(steps) - 1
            await _to_the_end(
                self._finish(
                    job.id,
                    JobState.SUCCEEDED,
                    staged=ctx.take_staged(),
                    last_step=(steps[last].title, last) if steps else None,
                )
            )

    async def _run_steps(self, ctx: JobContext, steps: Sequence[Step]) -> None:
        weights = _weights(steps)
        total = sum(weights)
        done = sum(weights[: ctx.job.step_index])
        # The claim showed the first step already (see _claim).
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
                if now - last_write < _PROGRESS_EVERY_SECONDS:
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

        def change(s: Session) -> tuple[Job, list[Event]]:
            events = [event for apply in staged for event in apply(s)]
            job = JobRepository(s).update_progress(
                ctx.job.id,
                owner=self.owner,
                progress=min(progress, 1.0),
                step=step,
                step_index=index,
                now=utcnow(),
            )
            if job is None:
                raise LeaseLost()  # inside the unit of work: the staged changes roll back too
            return job, [*events, JobChanged(job)]

        job = await self._writes.commit(change)
        if job.cancel_requested:
            raise CancelRequested()

    async def _finish(
        self,
        job_id: int,
        state: JobState,
        error: str = "",
        *,
        staged: Sequence[Staged] = (),
        last_step: tuple[str, int] | None = None,
    ) -> None:
        def change(s: Session) -> tuple[Job, list[Event]]:
            events = [event for apply in staged for event in apply(s)]
            job = JobRepository(s).finish(
                job_id, state=state, error=error, now=utcnow(), last_step=last_step
            )
            return job, [*events, JobChanged(job)]

        await self._writes.commit(change)

    async def _end_cancelled(self, ctx: JobContext, handler: JobHandler) -> None:
        await _to_the_end(self._end(ctx, handler, JobState.CANCELLED, "cancelled by request"))

    async def _end_failed(self, ctx: JobContext, handler: JobHandler, error: str) -> None:
        log.warning(
            "job %d (%s on %s) failed: %s", ctx.job.id, ctx.job.kind, ctx.job.target_name, error
        )
        await _to_the_end(self._end(ctx, handler, JobState.FAILED, error))

    async def _end(self, ctx: JobContext, handler: JobHandler, state: JobState, error: str) -> None:
        await self._cleanup(ctx, handler, None if state is JobState.CANCELLED else error)
        await self._finish(ctx.job.id, state, error)

    async def _cleanup(self, ctx: JobContext, handler: JobHandler, error: str | None) -> None:
        try:
            if error is None:
                await handler.on_cancelled(ctx)
            else:
                await handler.on_failed(ctx, error)
        except Exception:
            log.exception("job %d: cleanup after %s failed", ctx.job.id, error or "cancel")

    async def _retry_later(self, job: Job, error: str) -> None:
        delay = self._settings.backoff_seconds * 2 ** (job.attempt - 1)
        now = utcnow()
        await self._outbox.commit(
            lambda s: _with_event(
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


async def _to_the_end(ending: Coroutine[object, object, None]) -> None:
    """Run a job's ending (cleanup, final state) to completion even if the job's task is
    cancelled meanwhile: a cancel that arrived as the job failed or succeeded used to stop the
    ending halfway, leaving the job running forever (its lease renewed) and its droplet locked.
    """
    task = asyncio.ensure_future(ending)
    while not task.done():
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.shield(task)
    task.result()


def _weights(steps: Sequence[Step]) -> list[float]:
    """Progress is weighted by each step's simulated duration (equal weights if all are 0)."""
    weights = [s.seconds for s in steps]
    return weights if any(weights) else [1.0] * len(steps)


def _progress_at(steps: Sequence[Step], index: int) -> float:
    """The progress of a job at the start of steps[index]."""
    weights = _weights(steps)
    return sum(weights[:index]) / sum(weights)


def _job_events(job: Job | None) -> list[Event]:
    """The event that announces a job's new state (none for no job)."""
    return [] if job is None else [JobChanged(job)]


def _with_event(job: J) -> tuple[J, list[Event]]:
    """A unit of work's result with the event that announces the job."""
    return job, _job_events(job)


def _with_events(jobs: list[Job]) -> tuple[list[Job], list[Event]]:
    """A unit of work's result with the events that announce each job."""
    return jobs, [JobChanged(j) for j in jobs]
