"""DropletTableModel (every live droplet by name) and a proxy showing one cluster's droplets."""

from __future__ import annotations

import enum
from collections.abc import Callable, Hashable, Mapping
from typing import Any, ClassVar

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt

from clustergenie_gui.client.types import Droplet, DropletStatus
from clustergenie_gui.models import rows as r
from clustergenie_gui.models.row_table_model import ITEM_ROLE, RowTableModel


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


def status_label(droplet: Droplet) -> str:
    """Status text for the table."""
    return droplet.status.value


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
            status_label(item),
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


class ClusterDropletsProxy(QSortFilterProxyModel):
    """Shows only the droplets of one cluster (none when no cluster is chosen)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._cluster_id = 0

    @property
    def cluster_id(self) -> int:
        """The cluster shown, 0 for none."""
        return self._cluster_id

    def set_cluster_id(self, cluster_id: int) -> None:
        """Show the droplets of cluster_id (0: none)."""
        if cluster_id == self._cluster_id:
            return
        if hasattr(self, "beginFilterChange"):  # Qt >= 6.10; invalidateRowsFilter before
            self.beginFilterChange()
            self._cluster_id = cluster_id
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self._cluster_id = cluster_id
            self.invalidateRowsFilter()

    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        """Accept droplets of the chosen cluster."""
        index = self.sourceModel().index(source_row, 0, source_parent)
        droplet = index.data(ITEM_ROLE)
        return isinstance(droplet, Droplet) and droplet.cluster_id == self._cluster_id
