"""WatchInventory's stream in domain terms: every live cluster and droplet, then their changes.

The shape every watch follows, and why: services/shared/watch.py. The servicer encodes (and
batches the snapshot's rows as the wire wants).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from operator import attrgetter

from clustergenie_server.bus.event_bus import CLUSTERS_TOPIC, DROPLETS_TOPIC, EventBus
from clustergenie_server.domain.events import ClusterChanged, DropletChanged, Event
from clustergenie_server.domain.models import Cluster, Droplet
from clustergenie_server.services.provisioning.inventory_view import InventoryView
from clustergenie_server.services.shared.watch import RowKind, Snapshot, follow_rows

Row = Cluster | Droplet


def _row_of(event: Event) -> Row | None:
    if isinstance(event, ClusterChanged):
        return event.cluster
    if isinstance(event, DropletChanged):
        return event.droplet
    return None


def _key(row: Row) -> tuple[type, int]:
    return type(row), row.id  # a cluster and a droplet may share an id


INVENTORY_ROWS: RowKind[Row] = RowKind(_row_of, key=_key, version=attrgetter("updated_at"))


class InventoryWatch:
    """Follows the inventory: a snapshot of every live row, then every change (conflated)."""

    def __init__(self, bus: EventBus, view: InventoryView) -> None:
        self._bus, self._view = bus, view

    def watch(self) -> AsyncIterator[Snapshot[Row] | Row]:
        """A Snapshot of every live cluster, then every live droplet (each oldest first), then
        each change of a cluster or a droplet."""

        async def snapshot() -> list[Row]:
            clusters, droplets = await self._view.snapshot()  # from memory: see InventoryView
            return [*clusters, *droplets]

        return follow_rows(self._bus, [CLUSTERS_TOPIC, DROPLETS_TOPIC], snapshot, INVENTORY_ROWS)
