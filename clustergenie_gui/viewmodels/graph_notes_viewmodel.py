"""GraphNotesViewModel: the faults and deploys of the clusters graphs show, for their spans and
markers (ListFaults with ended ones, DeployService.ListDeployments)."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QObject, QTimer, Signal
from qasync import asyncSlot

from clustergenie_gui.client import ClientError
from clustergenie_gui.client.diagnosis_types import Deployment
from clustergenie_gui.client.telemetry_types import Fault
from clustergenie_gui.client.types import Job, JobKind
from clustergenie_gui.viewmodels.connection_viewmodel import ConnectionState


class FaultsApi(Protocol):
    """TelemetryService.ListFaults."""

    async def list_faults(self, cluster_id: int = 0, include_ended: bool = False) -> list[Fault]:
        """Faults of a cluster, ended ones too when asked."""
        ...


class DeploysApi(Protocol):
    """DeployService.ListDeployments."""

    async def list_deployments(self, cluster_id: int) -> list[Deployment]:
        """A cluster's deployments, newest first."""
        ...


class GraphNotesViewModel(QObject):
    """Faults and deployments per followed cluster, refreshed when they may have changed.

    A graph calls follow(cluster_id) for the cluster it shows (any number of graphs, one
    fetch per cluster). A deploy job of a followed cluster in the jobs stream (any client's)
    refreshes at once; faults have no stream, so a slow timer refreshes the followed clusters
    while connected (faults injected by the CLI show within REFRESH_MS), and a fault injected
    from this window refreshes at once (refresh(cluster_id)).

    Signals:
        notes_changed(int): the cluster whose faults or deployments changed.
    """

    notes_changed = Signal(int)

    REFRESH_MS = 10_000

    def __init__(
        self, faults: FaultsApi, deploys: DeploysApi, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._faults, self._deploys = faults, deploys
        self._connected = False
        self._followed: set[int] = set()
        self.faults: dict[int, tuple[Fault, ...]] = {}
        self.deployments: dict[int, tuple[Deployment, ...]] = {}
        self._timer = QTimer(self)
        self._timer.setInterval(self.REFRESH_MS)
        self._timer.timeout.connect(self._refresh_all)

    def follow(self, cluster_id: int) -> None:
        """Keep cluster_id's notes (0: nothing); fetched now when new."""
        if cluster_id and cluster_id not in self._followed:
            self._followed.add(cluster_id)
            if self._connected:
                self.refresh(cluster_id)

    def faults_of(self, cluster_id: int) -> tuple[Fault, ...]:
        """The cluster's faults (ended ones too) from the last refresh."""
        return self.faults.get(cluster_id, ())

    def deployments_of(self, cluster_id: int) -> tuple[Deployment, ...]:
        """The cluster's deployments from the last refresh."""
        return self.deployments.get(cluster_id, ())

    def stop(self) -> None:
        """Stop refreshing (the app shuts down: a timer left running would fire a slot after
        the event loop is gone)."""
        self._connected = False
        self._timer.stop()

    def on_connection_changed(self, state: str, _message: str) -> None:
        """Refresh while connected, now and every REFRESH_MS."""
        self._connected = state == ConnectionState.CONNECTED
        if self._connected:
            self._timer.start()
            self._refresh_all()
        else:
            self._timer.stop()

    def on_job(self, job: Job) -> None:
        """A job from the jobs stream: a deploy of a followed cluster (started or ended)."""
        if job.kind == JobKind.DEPLOY_VERSION and job.cluster_id in self._followed:
            self.refresh(job.cluster_id)

    def _refresh_all(self) -> None:
        for cluster_id in sorted(self._followed):
            self.refresh(cluster_id)

    @asyncSlot(int)
    async def refresh(self, cluster_id: int) -> None:
        """Reload one cluster's faults and deployments; notes_changed when they differ."""
        if not self._connected:
            return
        try:
            faults = tuple(await self._faults.list_faults(cluster_id, include_ended=True))
            deployments = tuple(await self._deploys.list_deployments(cluster_id))
        except ClientError:
            return  # decoration: the next refresh tries again; the graph keeps what it had
        if faults != self.faults.get(cluster_id) or deployments != self.deployments.get(cluster_id):
            self.faults[cluster_id] = faults
            self.deployments[cluster_id] = deployments
            self.notes_changed.emit(cluster_id)
