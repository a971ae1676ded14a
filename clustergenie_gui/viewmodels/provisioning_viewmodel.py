"""ProvisioningViewModel: catalog, clusters and droplets (live via WatchInventory) and actions."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from PySide6.QtCore import QObject, Signal
from qasync import asyncSlot

from clustergenie_gui.client import ClientError
from clustergenie_gui.client.protocols import ProvisioningApi
from clustergenie_gui.client.types import (
    Catalog,
    Cluster,
    ClusterAction,
    ClusterStatus,
    Droplet,
    DropletAction,
    DropletStatus,
    InventoryEvent,
    SnapshotComplete,
)
from clustergenie_gui.models.cluster_list_model import ClusterListModel
from clustergenie_gui.models.droplet_table_model import DropletTableModel
from clustergenie_gui.viewmodels.connection_viewmodel import ConnectionState
from clustergenie_gui.viewmodels.stream_runner import StreamRunner

log = logging.getLogger(__name__)


def is_gone(item: Cluster | Droplet) -> bool:
    """True for a deleted cluster or a destroyed droplet: history, not inventory."""
    if isinstance(item, Cluster):
        return item.status == ClusterStatus.DELETED
    return item.status == DropletStatus.ARCHIVE


class ProvisioningViewModel(QObject):
    """Keeps the inventory models live and runs provisioning actions.

    Signals:
        catalog_changed(Catalog): regions, sizes and images, after each (re)connect.
        inventory_changed(): a cluster or droplet was added, changed or removed.
        form_busy_changed(bool): a create-cluster request is (no longer) in flight.
        form_error(str): the server's message for a failed create; "" clears it.
        cluster_created(Cluster): a create succeeded.
        action_error(str): the server's message for a failed droplet/cluster action; "" clears.
        action_started(object, str): the Job a droplet action started, and the droplet's name
            (the panel links to the job).
        cluster_jobs_started(list, str): the Jobs a cluster action (create, add droplets,
            delete) started, and the cluster's name.
    """

    catalog_changed = Signal(object)
    inventory_changed = Signal()
    form_busy_changed = Signal(bool)
    form_error = Signal(str)
    cluster_created = Signal(object)
    action_error = Signal(str)
    action_started = Signal(object, str)
    cluster_jobs_started = Signal(list, str)

    def __init__(self, client: ProvisioningApi, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._client = client
        self._catalog = Catalog()
        self._form_busy = False
        self.clusters = ClusterListModel(self)
        self.droplets = DropletTableModel(self)
        self._seen: set[tuple[str, int]] = set()
        self._runner = StreamRunner("inventory", self._consume, self._on_stream_error)

    @property
    def catalog(self) -> Catalog:
        """The last catalog received."""
        return self._catalog

    @property
    def form_busy(self) -> bool:
        """True while a create-cluster request is in flight."""
        return self._form_busy

    # Connection ----------------------------------------------------------------------

    def _on_connection_changed(self, state: str, _message: str) -> None:
        if state == ConnectionState.CONNECTED:
            self._runner.start()
            self.load_catalog()
        else:
            self._runner.stop()

    def stop(self) -> None:
        """Stop the inventory stream."""
        self._runner.stop()

    @asyncSlot()
    async def load_catalog(self) -> None:
        """Fetch the catalog and emit catalog_changed when it differs."""
        try:
            catalog = await self._client.get_catalog()
        except ClientError as error:
            self.form_error.emit(f"Could not load the catalog: {error.message}")
        else:
            if catalog != self._catalog:
                self._catalog = catalog
                self.catalog_changed.emit(catalog)

    # Inventory stream ----------------------------------------------------------------

    async def _consume(self) -> None:
        self._seen = set()
        async for event in self._client.watch_inventory():
            self.apply(event)

    def apply(self, event: InventoryEvent) -> None:
        """Apply one inventory event to the models."""
        if isinstance(event, SnapshotComplete):
            # The snapshot lists every live item: whatever we still show but it did not list
            # went away while we were not watching.
            self.clusters.prune(i for kind, i in self._seen if kind == "cluster")
            self.droplets.prune(i for kind, i in self._seen if kind == "droplet")
            self._runner.healthy()
        elif isinstance(event, Cluster):
            self._seen.add(("cluster", event.id))
            self._upsert_cluster(event)
        else:
            self._seen.add(("droplet", event.id))
            self._upsert_droplet(event)
        self.inventory_changed.emit()

    def _upsert_cluster(self, cluster: Cluster) -> None:
        if is_gone(cluster):
            self.clusters.remove(cluster.id)
        else:
            self.clusters.upsert(cluster)
        self.droplets.set_cluster_names(self.clusters.names())

    def _upsert_droplet(self, droplet: Droplet) -> None:
        if is_gone(droplet):
            self.droplets.remove(droplet.id)
        else:
            self.droplets.upsert(droplet)

    def _on_stream_error(self, error: ClientError) -> None:
        if not error.is_connection_error:
            self.action_error.emit(f"Live inventory stopped: {error.message}")

    def _apply_cluster_action(self, result: ClusterAction) -> None:
        self._upsert_cluster(result.cluster)
        for droplet in result.droplets:
            self._upsert_droplet(droplet)
        self.inventory_changed.emit()
        if result.jobs:
            self.cluster_jobs_started.emit(list(result.jobs), result.cluster.name)

    # Actions -------------------------------------------------------------------------

    @asyncSlot(str, str, str, str, int, list)
    async def create_cluster(
        self, name: str, region: str, size: str, image: str, count: int, tags: list[str]
    ) -> None:
        """Create a cluster; on failure emit form_error with the server's message."""
        self._set_form_busy(True)
        self.form_error.emit("")
        try:
            result = await self._client.create_cluster(
                name.strip(), region, size, image, count, [t for t in tags if t]
            )
        except ClientError as error:
            self.form_error.emit(error.message)
        else:
            self._apply_cluster_action(result)
            self.cluster_created.emit(result.cluster)
        finally:
            self._set_form_busy(False)

    @asyncSlot(int, int, str)
    async def add_droplets(self, cluster_id: int, count: int, size: str = "") -> None:
        """Add droplets to a cluster."""
        await self._cluster_action(lambda: self._client.add_droplets(cluster_id, count, size))

    @asyncSlot(int)
    async def delete_cluster(self, cluster_id: int) -> None:
        """Delete a cluster and its droplets."""
        await self._cluster_action(lambda: self._client.delete_cluster(cluster_id))

    @asyncSlot(int, str)
    async def resize(self, droplet_id: int, size: str) -> None:
        """Resize a droplet."""
        await self._droplet_action(lambda: self._client.resize_droplet(droplet_id, size))

    @asyncSlot(int)
    async def reboot(self, droplet_id: int) -> None:
        """Reboot a droplet."""
        await self._droplet_action(lambda: self._client.reboot_droplet(droplet_id))

    @asyncSlot(int)
    async def power_off(self, droplet_id: int) -> None:
        """Power a droplet off."""
        await self._droplet_action(lambda: self._client.power_off_droplet(droplet_id))

    @asyncSlot(int)
    async def power_on(self, droplet_id: int) -> None:
        """Power a droplet on."""
        await self._droplet_action(lambda: self._client.power_on_droplet(droplet_id))

    @asyncSlot(int)
    async def destroy(self, droplet_id: int) -> None:
        """Destroy a droplet."""
        await self._droplet_action(lambda: self._client.destroy_droplet(droplet_id))

    async def _cluster_action(self, call: Callable[[], Awaitable[ClusterAction]]) -> None:
        self.action_error.emit("")
        try:
            result = await call()
        except ClientError as error:
            self.action_error.emit(error.message)
        else:
            self._apply_cluster_action(result)

    async def _droplet_action(self, call: Callable[[], Awaitable[DropletAction]]) -> None:
        self.action_error.emit("")
        try:
            result = await call()
        except ClientError as error:
            self.action_error.emit(error.message)
        else:
            if result.job is not None:
                self.droplets.mark_busy(result.droplet.id, result.job.kind)
            self._upsert_droplet(result.droplet)
            self.inventory_changed.emit()
            if result.job is not None:
                self.action_started.emit(result.job, result.droplet.name)

    def _set_form_busy(self, busy: bool) -> None:
        if busy != self._form_busy:
            self._form_busy = busy
            self.form_busy_changed.emit(busy)
