"""JobTableModel: jobs newest first, one row per id, with a progress role for the delegate."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, ClassVar

from PySide6.QtCore import Qt

from clustergenie_gui.client.types import Job, JobState
from clustergenie_gui.models import format as fmt
from clustergenie_gui.models import rows as r
from clustergenie_gui.models.row_table_model import SORT_ROLE, RowTableModel

PROGRESS_ROLE = Qt.ItemDataRole.UserRole + 2
"""Data role of the Progress column: a float 0..1."""


def job_target(job: Job) -> str:
    """What a job acts on, for display."""
    return job.target_name or (f"droplet {job.droplet_id}" if job.droplet_id else "")


def job_state_label(job: Job) -> str:
    """State text; a running job that was asked to stop says so, a retried one names its retry."""
    if job.cancel_requested and not job.state.is_final:
        return "cancelling"
    if job.retried_as_job_id:
        return f"{job.state.value}, retried as #{job.retried_as_job_id}"
    return job.state.value


def can_cancel(job: Job | None) -> bool:
    """A queued or running job that has not been asked to stop yet."""
    return (
        job is not None
        and job.state in (JobState.QUEUED, JobState.RUNNING)
        and not job.cancel_requested
    )


def can_retry(job: Job | None) -> bool:
    """A job the server calls retryable (failed, or cancelled other than a provision) that has
    not been retried yet: a job is retried once, and its retry is retried after that."""
    return job is not None and job.retryable and not job.retried_as_job_id


def job_error(job: Job) -> str:
    """The error of a finished job; "" while it runs (an attempt's error is not the outcome)."""
    return job.error if job.state.is_final else ""


def job_outcome(job: Job) -> str:
    """What a finished job's Step column says: how it ended, not its last step's title."""
    if job.state == JobState.SUCCEEDED:
        steps = f" ({job.step_count} steps)" if job.step_count > 1 else ""
        return f"Done{steps}"
    if job.state == JobState.CANCELLED:
        return f"Cancelled during “{job.step}”" if job.step else "Cancelled"
    if job.state == JobState.FAILED:
        return f"Failed during “{job.step}”" if job.step else "Failed"
    return job.step


def is_running(job: Job) -> bool:
    """Queued or running."""
    return job.state in (JobState.QUEUED, JobState.RUNNING)


class JobTableModel(RowTableModel[Job]):
    """Every job the stream has shown, newest first."""

    COLUMNS: ClassVar[tuple[str, ...]] = (
        "ID",
        "Kind",
        "Target",
        "State",
        "Progress",
        "Step",
        "Started",
        "Duration",
        "Error",
    )
    ID, KIND, TARGET, STATE, PROGRESS, STEP, STARTED, DURATION, ERROR = range(9)
    SORT_KEY: ClassVar[r.SortKey] = staticmethod(r.newest_first)
    COUNT_KEY: ClassVar[Callable[[Any], Hashable] | None] = staticmethod(lambda job: job.state)
    MONOSPACE_COLUMNS: ClassVar[frozenset[int]] = frozenset({ID})
    STATE_COLUMN: ClassVar[int | None] = STATE

    def display(self, item: Job, column: int) -> str:
        """Text for one cell."""
        if column == self.ID:
            return str(item.id)
        if column == self.KIND:
            return item.kind.label
        if column == self.TARGET:
            return job_target(item)
        if column == self.STATE:
            return job_state_label(item)
        if column == self.PROGRESS:
            return f"{item.progress:.0%}"
        if column == self.STEP:
            return self._step(item)
        if column == self.STARTED:
            return fmt.clock(item.started_at)
        if column == self.DURATION:
            if item.state.is_final:
                return fmt.duration(item.started_at, item.finished_at or item.updated_at)
            return fmt.duration(item.started_at, None)
        if column == self.ERROR:
            return job_error(item)
        return ""

    @staticmethod
    def _step(item: Job) -> str:
        if not item.state.is_final:
            if item.step_count:
                return f"{item.step} ({item.step_index + 1}/{item.step_count})"
            return item.step
        return job_outcome(item)

    def extra_data(self, item: Job, column: int, role: int) -> Any:
        """Progress for the delegate; tooltips for errors and attempts."""
        if role == PROGRESS_ROLE:
            return item.progress
        if role == SORT_ROLE:
            return self._sort_value(item, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.ERROR and job_error(item):
                return item.error
            if column == self.STATE and item.max_attempts > 1:
                return f"attempt {item.attempt} of {item.max_attempts}"
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (self.ID, self.DURATION):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _sort_value(self, item: Job, column: int) -> Any:
        """Numbers and times sort as such (None: the display text's natural order)."""
        if column == self.ID:
            return item.id
        if column == self.PROGRESS:
            return item.progress
        if column == self.STARTED and item.started_at is not None:
            return item.started_at.timestamp()
        if column == self.DURATION and item.started_at is not None:
            end = item.finished_at or item.updated_at or item.started_at
            return (end - item.started_at).total_seconds()
        return None

    def running_count(self) -> int:
        """Queued or running jobs."""
        return self._counts[JobState.QUEUED] + self._counts[JobState.RUNNING]

    def count_in(self, state: JobState) -> int:
        """Jobs shown that are in state."""
        return self._counts[state]
