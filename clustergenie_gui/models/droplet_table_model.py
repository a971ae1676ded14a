"""DropletTableModel (every live droplet by name) and a proxy showing one cluster's droplets."""

from __future__ import annotations

import enum
from collections.abc import Callable, Hashable, Mapping
from typing import Any, ClassVar

from PySide6.QtCore import Qt

from clustergenie_gui.client.types import Droplet, DropletStatus, Job, JobKind
from clustergenie_gui.models import rows as r
from clustergenie_gui.models.row_table_model import RowTableModel


class DropletAction(enum.StrEnum):
    """What a person can do to one droplet."""

    RESIZE = "resize"
    REBOOT = "reboot"
    POWER_OFF = "power_off"
    POWER_ON = "power_on"
    DESTROY = "destroy"


_ALLOWED: Mapping[DropletStatus, frozenset[DropletAction]] = {
    DropletStatus.NEW: frozenset({DropletAction.DESTROY}),
    DropletStatus.ACTIVE: frozenset(
        {
            DropletAction.RESIZE,
            DropletAction.REBOOT,
            DropletAction.POWER_OFF,
            DropletAction.DESTROY,
        }
    ),
    DropletStatus.OFF: frozenset(
        {
            DropletAction.RESIZE,
            DropletAction.POWER_ON,
            DropletAction.DESTROY,
        }
    ),
    DropletStatus.ERRORED: frozenset({DropletAction.DESTROY}),
}


def allowed_actions(droplet: Droplet | None) -> frozenset[DropletAction]:
    """Actions the droplet's state allows; none while it is locked by a running action."""
    if droplet is None or droplet.locked:
        return frozenset()
    return _ALLOWED.get(droplet.status, frozenset())


# What a droplet is doing while its action's job runs (shown instead of its status).
TRANSIENT_LABELS: Mapping[JobKind, str] = {
    JobKind.RESIZE_DROPLET: "resizing…",
    JobKind.REBOOT_DROPLET: "rebooting…",
    JobKind.POWER_OFF_DROPLET: "powering off…",
    JobKind.POWER_ON_DROPLET: "powering on…",
    JobKind.DESTROY_DROPLET: "destroying…",
}


class DropletTableModel(RowTableModel[Droplet]):
    """Every live droplet of every cluster, sorted by name."""

    COLUMNS: ClassVar[tuple[str, ...]] = ("Name", "Status", "Size", "Region", "IP", "Cluster")
    NAME, STATUS, SIZE, REGION, IP, CLUSTER = range(6)
    SORT_KEY: ClassVar[r.SortKey] = staticmethod(r.by_name)
    COUNT_KEY: ClassVar[Callable[[Any], Hashable] | None] = staticmethod(
        lambda droplet: droplet.status
    )
    MONOSPACE_COLUMNS: ClassVar[frozenset[int]] = frozenset({NAME, IP})
    STATE_COLUMN: ClassVar[int | None] = STATUS

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._cluster_names: dict[int, str] = {}
        self._transient: dict[int, str] = {}  # droplet id -> "rebooting…" while locked
        # droplet id -> {job id: label} of its unfinished action jobs, from the jobs stream:
        # any job of any client (the CLI, another window), shown until the job ends.
        self._job_transient: dict[int, dict[int, str]] = {}

    def mark_busy(self, droplet_id: int, kind: JobKind) -> None:
        """Show what droplet_id is doing (its action's job kind) until it is unlocked."""
        label = TRANSIENT_LABELS.get(kind, "")
        if label and self._transient.get(droplet_id) != label:
            self._transient[droplet_id] = label
            self._status_changed(droplet_id)

    def follow_job(self, job: Job) -> None:
        """A job from the jobs stream: while a droplet action's job is queued or running, the
        droplet shows what it is doing ("resizing…"); when the job ends, its status again."""
        label = TRANSIENT_LABELS.get(job.kind, "")
        if not label or not job.droplet_id:
            return
        jobs = self._job_transient.setdefault(job.droplet_id, {})
        before = self.transient(job.droplet_id)
        if job.state.is_final:
            jobs.pop(job.id, None)
            # The action is over even if this window started it and the unlock is not in yet.
            self._transient.pop(job.droplet_id, None)
        else:
            jobs[job.id] = label
        if not jobs:
            del self._job_transient[job.droplet_id]
        if self.transient(job.droplet_id) != before:
            self._status_changed(job.droplet_id)

    def _status_changed(self, droplet_id: int) -> None:
        row = self.row_of(droplet_id)
        if row is not None:
            self.dataChanged.emit(self.index(row, self.STATUS), self.index(row, self.STATUS))

    def transient(self, droplet_id: int) -> str:
        """What the droplet is doing ("resizing…"), or ""."""
        running = self._job_transient.get(droplet_id)
        if running:
            return running[max(running)]  # the newest unfinished job
        droplet = self.get(droplet_id)
        return self._transient.get(droplet_id, "") if droplet and droplet.locked else ""

    def upsert(self, item: Droplet) -> None:
        """Insert or replace; an unlocked droplet's action is over."""
        if not item.locked:
            self._transient.pop(item.id, None)
        super().upsert(item)

    def set_cluster_names(self, names: Mapping[int, str]) -> None:
        """Names to show in the Cluster column."""
        if dict(names) != self._cluster_names:
            self._cluster_names = dict(names)
            if self._rows:
                self.dataChanged.emit(
                    self.index(0, self.CLUSTER), self.index(len(self._rows) - 1, self.CLUSTER)
                )

    def display(self, item: Droplet, column: int) -> str:
        """Text for one cell."""
        values = (
            item.name,
            self.transient(item.id) or item.status.value,
            item.size,
            item.region,
            item.ip_address or "—",
            self._cluster_names.get(item.cluster_id, str(item.cluster_id)),
        )
        return values[column] if 0 <= column < len(values) else ""

    def extra_data(self, item: Droplet, column: int, role: int) -> Any:
        """Tooltip saying an action is in progress."""
        if role == Qt.ItemDataRole.ToolTipRole and item.locked:
            return "An action is in progress on this droplet."
        return None

    def count_by_status(self) -> dict[DropletStatus, int]:
        """How many droplets are in each status (kept up to date by every change: O(1))."""
        counts = self.counts().items()
        return {status: n for status, n in counts if isinstance(status, DropletStatus)}
