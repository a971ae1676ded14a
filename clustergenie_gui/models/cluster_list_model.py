"""ClusterListModel: live clusters sorted by name, for the Provision panel's cluster list."""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import Qt

from clustergenie_gui.client.types import Cluster, ClusterStatus
from clustergenie_gui.models import rows as r
from clustergenie_gui.models.row_table_model import RowTableModel


def droplets_label(cluster: Cluster) -> str:
    """ "2/3 active" style summary."""
    return f"{cluster.active_droplet_count}/{cluster.droplet_count} active"


def can_change(cluster: Cluster | None) -> bool:
    """Droplets can be added and the cluster deleted only while it is active."""
    return cluster is not None and cluster.status == ClusterStatus.ACTIVE


class ClusterListModel(RowTableModel[Cluster]):
    """Every live cluster, by name."""

    COLUMNS: ClassVar[tuple[str, ...]] = ("Name", "Region", "Droplets", "Status")
    NAME, REGION, DROPLETS, STATUS = range(4)
    SORT_KEY: ClassVar[r.SortKey] = staticmethod(r.by_name)
    MONOSPACE_COLUMNS: ClassVar[frozenset[int]] = frozenset()
    STATE_COLUMN: ClassVar[int | None] = STATUS

    def display(self, item: Cluster, column: int) -> str:
        """Text for one cell."""
        values = (item.name, item.region, droplets_label(item), item.status.value)
        return values[column] if 0 <= column < len(values) else ""

    def extra_data(self, item: Cluster, column: int, role: int) -> Any:
        """Tooltip with size, image and tags."""
        if role == Qt.ItemDataRole.ToolTipRole:
            tags = ", ".join(item.tags) or "no tags"
            return f"{item.name}: {item.size}, {item.image}; {tags}"
        return None

    def names(self) -> dict[int, str]:
        """Cluster id -> name."""
        return {cluster.id: cluster.name for cluster in self._rows}
