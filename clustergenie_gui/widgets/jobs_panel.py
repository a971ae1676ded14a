"""JobsPanel: the live job table with progress bars, Cancel and Retry, and the selected error."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTableView, QVBoxLayout, QWidget

from clustergenie_gui.client.types import Job
from clustergenie_gui.models.job_table_model import JobTableModel, can_cancel, can_retry
from clustergenie_gui.models.row_table_model import ITEM_ROLE
from clustergenie_gui.viewmodels.jobs_viewmodel import JobsViewModel
from clustergenie_gui.widgets.common import ErrorLabel, panel_header, setup_table
from clustergenie_gui.widgets.progress_delegate import ProgressDelegate

_COLUMN_WIDTHS = {
    JobTableModel.ID: 56,
    JobTableModel.KIND: 130,
    JobTableModel.TARGET: 130,
    JobTableModel.STATE: 150,  # "cancelled, retried as #1234"
    JobTableModel.PROGRESS: 150,
    JobTableModel.STEP: 240,
    JobTableModel.STARTED: 80,
    JobTableModel.DURATION: 80,
}


class JobsPanel(QWidget):
    """Every job, newest first; Cancel and Retry follow the selected job's state."""

    def __init__(self, jobs: JobsViewModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._vm = jobs
        self.table = QTableView()
        self.table.setObjectName("job_table")
        self.table.setModel(jobs.jobs)
        setup_table(self.table)
        self._delegate = ProgressDelegate(self.table)
        self.table.setItemDelegateForColumn(JobTableModel.PROGRESS, self._delegate)
        for column, width in _COLUMN_WIDTHS.items():
            self.table.setColumnWidth(column, width)

        self.cancel_button = QPushButton("Cancel job")
        self.cancel_button.setObjectName("cancel_job")
        self.retry_button = QPushButton("Retry job")
        self.retry_button.setObjectName("retry_job")
        self.running_label = QLabel()
        self.running_label.setStyleSheet("color: #5f6368;")
        self.action_error = ErrorLabel()
        self.action_error.setObjectName("jobs_action_error")
        self.detail_label = QLabel()
        self.detail_label.setObjectName("job_detail")
        self.detail_label.setWordWrap(True)
        self.detail_label.setStyleSheet("color: #3c4043;")

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
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail_label)

        self.cancel_button.clicked.connect(self._on_cancel_clicked)
        self.retry_button.clicked.connect(self._on_retry_clicked)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        jobs.jobs.dataChanged.connect(self._update_selection_state)
        jobs.jobs.rowsInserted.connect(self._update_selection_state)
        jobs.action_error.connect(self.action_error.show_message)
        jobs.running_count_changed.connect(self._on_running_count_changed)
        self._on_running_count_changed(jobs.running_count)
        self._update_selection_state()

    def selected_job(self) -> Job | None:
        """The job selected in the table, if any."""
        rows = self.table.selectionModel().selectedRows()
        job = rows[0].data(ITEM_ROLE) if rows else None
        return job if isinstance(job, Job) else None

    def select_job(self, job_id: int) -> None:
        """Select the row of job_id."""
        row = self._vm.jobs.row_of(job_id)
        if row is not None:
            self.table.selectRow(row)

    def _on_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
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
            return "Select a job to cancel or retry it."
        text = f"Job {job.id}: {job.kind.label} of {job.target_name or '—'}, {job.state.value}"
        if job.max_attempts > 1:
            text += f" (attempt {job.attempt} of {job.max_attempts})"
        if job.retry_of:
            text += f"; retries job {job.retry_of}"
        if job.retried_as_job_id:
            text += f"; retried as job {job.retried_as_job_id}"
        elif job.state.is_final and not job.retryable and job.error:
            text += "; cannot be retried"
        if job.error:
            text += f"\nError: {job.error}"
        return text

    def _on_running_count_changed(self, count: int) -> None:
        self.running_label.setText(f"{count} job(s) queued or running")

    def _on_cancel_clicked(self) -> None:
        job = self.selected_job()
        if job is not None:
            self._vm.cancel(job.id)

    def _on_retry_clicked(self) -> None:
        job = self.selected_job()
        if job is not None:
            self._vm.retry(job.id)
