"""JobsViewModel: the live job table (via WatchJobs) and cancel/retry."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace

from PySide6.QtCore import QObject, Signal
from qasync import asyncSlot

from clustergenie_gui.client import ClientError
from clustergenie_gui.client.protocols import JobsApi
from clustergenie_gui.client.types import Job, JobEvent, JobState, SnapshotComplete
from clustergenie_gui.models.job_table_model import JobTableModel
from clustergenie_gui.viewmodels.connection_viewmodel import ConnectionState
from clustergenie_gui.viewmodels.stream_runner import StreamRunner


class JobsViewModel(QObject):
    """Keeps the job model live and cancels or retries jobs.

    Signals:
        jobs_changed(): a job was added or changed.
        job_updated(object): the Job just added or changed (any job of any client), e.g. for
            the droplet table's "resizing…" while a droplet's action runs.
        job_failed(object): a Job seen running or queued has just failed (for notifications;
            jobs already failed when first seen, e.g. in the snapshot, are not announced).
        running_count_changed(int): how many jobs are queued or running, when that changes.
        action_error(str): the server's message for a failed cancel/retry; "" clears it.
    """

    jobs_changed = Signal()
    job_updated = Signal(object)
    job_failed = Signal(object)
    running_count_changed = Signal(int)
    action_error = Signal(str)

    SNAPSHOT_LIMIT = 200

    def __init__(self, client: JobsApi, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._client = client
        self.jobs = JobTableModel(self)
        self._running_count = 0
        self._runner = StreamRunner("jobs", self._consume, self._on_stream_error)

    @property
    def running_count(self) -> int:
        """Queued or running jobs."""
        return self._running_count

    def _on_connection_changed(self, state: str, _message: str) -> None:
        if state == ConnectionState.CONNECTED:
            self._runner.start()
        else:
            self._runner.stop()

    def stop(self) -> None:
        """Stop the jobs stream."""
        self._runner.stop()

    async def _consume(self) -> None:
        # Rows from before a reconnect stay: the snapshot only holds the most recent jobs,
        # and upserting by id keeps it free of duplicates.
        async for event in self._client.watch_jobs(self.SNAPSHOT_LIMIT):
            self.apply(event)

    def apply(self, event: JobEvent) -> None:
        """Apply one job event to the model."""
        if isinstance(event, SnapshotComplete):
            self._runner.healthy()
            return
        self._upsert(event)

    def _upsert(self, job: Job) -> None:
        old = self.jobs.get(job.id)
        self.jobs.upsert(job)
        self.jobs_changed.emit()
        self.job_updated.emit(job)
        if old is not None and not old.state.is_final and job.state == JobState.FAILED:
            self.job_failed.emit(job)
        count = self.jobs.running_count()
        if count != self._running_count:
            self._running_count = count
            self.running_count_changed.emit(count)

    def _on_stream_error(self, error: ClientError) -> None:
        if not error.is_connection_error:
            self.action_error.emit(f"Live job updates stopped: {error.message}")

    @asyncSlot(int)
    async def cancel(self, job_id: int) -> None:
        """Ask a job to stop."""
        await self._job_action(lambda: self._client.cancel_job(job_id))

    @asyncSlot(int)
    async def retry(self, job_id: int) -> None:
        """Queue a new attempt of a failed or cancelled job."""
        retry = await self._job_action(lambda: self._client.retry_job(job_id))
        original = self.jobs.get(job_id)
        if retry is not None and original is not None and not original.retried_as_job_id:
            # The original's linked version follows on the stream; shown now so that Retry
            # turns off at once rather than a round trip later.
            self._upsert(replace(original, retried_as_job_id=retry.id))

    async def _job_action(self, call: Callable[[], Awaitable[Job]]) -> Job | None:
        """The job the call returned (now in the model), or None after showing its error."""
        self.action_error.emit("")
        try:
            job = await call()
        except ClientError as error:
            self.action_error.emit(error.message)
            return None
        else:
            self._upsert(job)
            return job
