"""DropletTableModel (every live droplet by name) and a proxy showing one cluster's droplets."""

from __future__ import annotations

import enum
from collections.abc import Callable, Hashable, Mapping
from typing import Any, ClassVar

from PySide6.QtCore import Qt

from clustergenie_gui.client.types import Droplet, DropletStatus, JobKind
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


def status_label(droplet: Droplet, transient: str = "") -> str:
    """Status text for the table: what it is doing while locked by an action, else its state."""
    return transient if droplet.locked and transient else droplet.status.value


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

    def mark_busy(self, droplet_id: int, kind: JobKind) -> None:
        """Show what droplet_id is doing (its action's job kind) until it is unlocked."""
        label = TRANSIENT_LABELS.get(kind, "")
        if label and self._transient.get(droplet_id) != label:
            self._transient[droplet_id] = label
            row = self.row_of(droplet_id)
            if row is not None:
                self.dataChanged.emit(self.index(row, self.STATUS), self.index(row, self.STATUS))

    def transient(self, droplet_id: int) -> str:
        """What the droplet is doing ("resizing…"), or ""."""
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
            status_label(item, self._transient.get(item.id, "")),
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
