"""JobsPanel: the live job table with progress bars, Cancel and Retry, and the selected job."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QPushButton, QVBoxLayout, QWidget

from clustergenie_gui.client.types import Job
from clustergenie_gui.models.components.navigation import Navigation
from clustergenie_gui.models.job_table_model import (
    JobTableModel,
    can_cancel,
    can_retry,
    job_error,
    job_outcome,
)
from clustergenie_gui.viewmodels.jobs_viewmodel import JobsViewModel
from clustergenie_gui.widgets.common import ErrorLabel, panel_header
from clustergenie_gui.widgets.components.confirm import ask
from clustergenie_gui.widgets.components.data_table import DataTable
from clustergenie_gui.widgets.components.theme import set_role
from clustergenie_gui.widgets.progress_delegate import ProgressDelegate

_COLUMN_WIDTHS = {JobTableModel.PROGRESS: 150, JobTableModel.STEP: 220}


class JobsPanel(QWidget):
    """Every job, newest first; Cancel and Retry follow the selected job's state.

    Signals:
        navigate_requested(object): a Navigation (Enter on a job opens its droplet or cluster).
    """

    navigate_requested = Signal(object)

    def __init__(self, jobs: JobsViewModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._vm = jobs
        self.confirm_box: QMessageBox | None = None
        self.data_table = DataTable(
            jobs.jobs, "jobs", "No jobs yet: creating, resizing or scaling starts one."
        )
        self.table = self.data_table.view
        self._delegate = ProgressDelegate(self.table)
        self.table.setItemDelegateForColumn(JobTableModel.PROGRESS, self._delegate)
        self.data_table.set_min_widths(_COLUMN_WIDTHS)

        self.cancel_button = QPushButton("Cancel job…")
        self.cancel_button.setObjectName("cancel_job")
        self.retry_button = QPushButton("Retry job")
        self.retry_button.setObjectName("retry_job")
        self.data_table.mirror(self.cancel_button, self.retry_button)
        self.data_table.set_delete_button(self.cancel_button)
        self.running_label = QLabel()
        set_role(self.running_label, "muted")
        self.action_error = ErrorLabel()
        self.action_error.setObjectName("jobs_action_error")
        self.detail_label = QLabel()
        self.detail_label.setObjectName("job_detail")
        self.detail_label.setWordWrap(True)

        buttons = QHBoxLayout()
        buttons.addWidget(self.running_label, 1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.retry_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(
            panel_header(
                "Jobs", "Every long action runs as a job: follow it, cancel it, or retry a failure."
            )
        )
        layout.addLayout(buttons)
        layout.addWidget(self.action_error)
        layout.addWidget(self.data_table, 1)
        layout.addWidget(self.detail_label)

        self.cancel_button.clicked.connect(self._on_cancel_clicked)
        self.retry_button.clicked.connect(self._on_retry_clicked)
        self.data_table.selection_changed.connect(self._on_selection_changed)
        self.data_table.activated.connect(self._on_job_activated)
        jobs.jobs.dataChanged.connect(self._update_selection_state)
        jobs.jobs.rowsInserted.connect(self._update_selection_state)
        jobs.action_error.connect(self.action_error.show_message)
        jobs.running_count_changed.connect(self._on_running_count_changed)
        self._on_running_count_changed(jobs.running_count)
        self._update_selection_state()

    def selected_job(self) -> Job | None:
        """The first selected job, if any."""
        job = self.data_table.current_item()
        return job if isinstance(job, Job) else None

    def select_job(self, job_id: int) -> None:
        """Select the row of job_id."""
        self.data_table.select_id(job_id)

    def apply_navigation(self, nav: Navigation) -> None:
        """Filter the jobs (e.g. state:failed) and select one."""
        self.data_table.set_filter_text(nav.filter_text)
        if nav.item_kind == "job" and nav.item_id:
            self.select_job(nav.item_id)
        self.table.setFocus()

    def _on_selection_changed(self) -> None:
        self.action_error.show_message("")
        self._update_selection_state()

    def _update_selection_state(self, *_args: object) -> None:
        job = self.selected_job()
        self.cancel_button.setEnabled(can_cancel(job))
        self.retry_button.setEnabled(can_retry(job))
        self.detail_label.setText(self._describe(job))

    @staticmethod
    def _describe(job: Job | None) -> str:
        if job is None:
            return "Select a job to cancel or retry it; Enter opens what it acts on."
        text = f"Job {job.id}: {job.kind.label} of {job.target_name or '—'}, {job.state.value}"
        if job.max_attempts > 1:
            text += f" (attempt {job.attempt} of {job.max_attempts})"
        if job.retry_of:
            text += f"; retries job {job.retry_of}"
        if job.state.is_final:
            text += f". {job_outcome(job)}."
        if job.retried_as_job_id:
            text += f" Retried as job {job.retried_as_job_id}."
        elif job.state.is_final and not job.retryable and job_error(job):
            text += " Cannot be retried."
        if job_error(job):
            text += f"\nError: {job.error}"
        return text

    def _on_running_count_changed(self, count: int) -> None:
        self.running_label.setText(f"{count} job(s) queued or running")

    def _on_cancel_clicked(self) -> None:
        job = self.selected_job()
        if job is None or not can_cancel(job):
            return
        self.confirm_box = ask(
            self,
            f"Cancel job #{job.id} ({job.kind.label} of {job.target_name or '—'})?",
            "It stops after its current step; what that step did is not undone.",
            "Cancel job",
            lambda: self._vm.cancel(job.id),
            danger=True,
        )

    def _on_retry_clicked(self) -> None:
        job = self.selected_job()
        if job is not None:
            self._vm.retry(job.id)

    def _on_job_activated(self, job: Job) -> None:
        if job.droplet_id:
            self.navigate_requested.emit(Navigation("Provision", "", "droplet", job.droplet_id))
        elif job.cluster_id:
            self.navigate_requested.emit(Navigation("Provision", "", "cluster", job.cluster_id))
