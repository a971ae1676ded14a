"""Group commit for running jobs' writes: the progress and ends of many jobs in one transaction.

At a high time scale hundreds of jobs a second report progress and finish, each a unit of work of
a few statements. Writes that arrive while one transaction commits wait for it and then go
together in the next, so a burst costs one transaction (and one announcement per cluster whose
counts moved) instead of one per job; a lone write goes at once, as before. Each job's write keeps
its own checks (the lease) and its own result. When one unit of a batch fails (a lost lease, a
deadlock on MariaDB, the database gone), the batch rolls back and each unit is committed alone,
so one job's failure is that job's only.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from clustergenie_server.bus.outbox import Outbox
from clustergenie_server.domain.events import Event
from clustergenie_server.services.jobs.job_context import clusters_announced_once

T = TypeVar("T")

Unit = Callable[[Session], tuple[Any, list[Event]]]


class JobWrites:
    """Commits job units of work, batching those that arrive while a commit is under way."""

    def __init__(self, outbox: Outbox) -> None:
        self._outbox = outbox
        self._queue: list[tuple[Unit, asyncio.Future[Any]]] = []
        self._drain: asyncio.Task[None] | None = None

    async def commit(self, unit: Callable[[Session], tuple[T, list[Event]]]) -> T:
        """Commit unit (in a batch with other jobs' writes, or alone); its result."""
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._queue.append((unit, future))
        if self._drain is None or self._drain.done():
            self._drain = asyncio.create_task(self._drain_queue(), name="job-writes")
        # Shielded like Outbox.commit: a job cancelled mid-write still has its write committed
        # (or failed) in order, and a later write of the same job cannot overtake it.
        return await asyncio.shield(future)

    async def wait_idle(self) -> None:
        """Wait until every queued write has committed or failed (engine shutdown)."""
        while self._drain is not None and not self._drain.done():
            await asyncio.wait([self._drain])

    async def _drain_queue(self) -> None:
        batch: list[tuple[Unit, asyncio.Future[Any]]] = []
        try:
            while self._queue:
                batch, self._queue = self._queue, []
                await self._commit_batch(batch)
        except BaseException:
            # Only if this task itself is cancelled (the loop is closing): no caller waits forever.
            for _, future in [*batch, *self._queue]:
                if not future.done():
                    future.set_exception(asyncio.CancelledError())
            raise

    async def _commit_batch(self, batch: list[tuple[Unit, asyncio.Future[Any]]]) -> None:
        if len(batch) == 1:
            await _commit_alone(self._outbox, *batch[0])
            return
        units = [unit for unit, _ in batch]
        try:
            results = await self._outbox.commit(lambda s: _together(s, units))
        except Exception:
            # Which unit failed is unknown: each alone, so the failure reaches its own job.
            await asyncio.gather(*(_commit_alone(self._outbox, *item) for item in batch))
            return
        for (_, future), result in zip(batch, results, strict=True):
            if not future.done():
                future.set_result(result)


async def _commit_alone(outbox: Outbox, unit: Unit, future: asyncio.Future[Any]) -> None:
    try:
        result = await outbox.commit(unit)
    except Exception as exc:
        if not future.done():
            future.set_exception(exc)
    else:
        if not future.done():
            future.set_result(result)


def _together(session: Session, units: Sequence[Unit]) -> tuple[list[Any], list[Event]]:
    """Run units in one transaction; each cluster whose counts moved is announced once."""
    results, events = [], []
    with clusters_announced_once(session) as announced:
        for unit in units:
            result, unit_events = unit(session)
            results.append(result)
            events += unit_events
    return results, [*events, *announced]
