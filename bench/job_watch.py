"""One WatchJobs stream that tracks the latest state of every job and counts live updates."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Iterable

from clustergenie_server.api.v1 import common_pb2, jobs_pb2, jobs_pb2_grpc

FINAL_STATES = frozenset(
    {common_pb2.JOB_STATE_SUCCEEDED, common_pb2.JOB_STATE_FAILED, common_pb2.JOB_STATE_CANCELLED}
)
STREAM_DEADLINE_SECONDS = 900.0  # far beyond any bench run; a stream must still have one


class JobWatch:
    """Follows WatchJobs in a task; `wait_final(ids)` returns when all of those jobs are final."""

    def __init__(self, stub: jobs_pb2_grpc.JobServiceStub) -> None:
        self._stub = stub
        self.latest: dict[int, jobs_pb2.Job] = {}
        self.live_updates = 0  # updates received after the snapshot
        self.live_lags: list[float] = []  # seconds from each live update's updated_at to receipt
        self._snapshot_done = asyncio.Event()
        self._pending: set[int] = set()
        self._all_final = asyncio.Event()
        self._all_final_at = 0.0
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Open the stream and wait until its (small) snapshot has arrived."""
        self._task = asyncio.create_task(self._read(), name="bench-job-watch")
        async with asyncio.timeout(30):
            await self._snapshot_done.wait()

    async def stop(self) -> None:
        """Cancel the stream."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def wait_final(self, ids: Iterable[int]) -> float:
        """Wait until every job of ids is final; returns the perf_counter time it happened.

        Callers bound the wait with asyncio.timeout.
        """
        self._pending = {
            i for i in ids if i not in self.latest or self.latest[i].state not in FINAL_STATES
        }
        self._all_final.clear()
        if not self._pending:
            return time.perf_counter()
        await self._all_final.wait()
        return self._all_final_at

    async def _read(self) -> None:
        request = jobs_pb2.WatchJobsRequest(snapshot_limit=1)
        async for update in self._stub.WatchJobs(request, timeout=STREAM_DEADLINE_SECONDS):
            if update.HasField("snapshot_complete"):
                self._snapshot_done.set()
                continue
            job = update.job
            self.latest[job.id] = job
            if not self._snapshot_done.is_set():
                continue
            self.live_updates += 1
            if job.HasField("updated_at"):
                self.live_lags.append(time.time() - job.updated_at.ToMicroseconds() / 1e6)
            if job.state in FINAL_STATES and job.id in self._pending:
                self._pending.discard(job.id)
                if not self._pending:
                    self._all_final_at = time.perf_counter()
                    self._all_final.set()
