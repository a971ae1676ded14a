"""What view-models ask of a client, one Protocol per area; ClusterGenieClient satisfies them all.

A view-model's constructor takes the narrowest Protocol it needs, so a test can hand it a fake
(tests/gui/fakes.py) that mypy checks against the same contract as the real client. A new
feature's client module (e.g. client/health_client.py) adds its own Protocol beside its calls and
joins it into ClusterGenieApi.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from datetime import datetime
from typing import Protocol

from clustergenie_gui.client import types as t
from clustergenie_gui.client.auth_types import AuditEntry, Credentials, Identity


class ConnectionApi(Protocol):
    """Connecting to a server and learning who we are there (ConnectionViewModel)."""

    def set_credentials(self, credentials: Credentials) -> None:
        """The token (and TLS CA) the next connect() uses."""
        ...

    async def connect(self, address: str) -> None:
        """Open a channel to address, closing any previous one."""
        ...

    async def close(self) -> None:
        """Close the channel."""
        ...

    async def wait_ready(self, within: float) -> bool:
        """True once connected, False when `within` seconds pass first."""
        ...

    async def wait_until_not_ready(self) -> None:
        """Return when the connection is lost."""
        ...

    async def who_am_i(self) -> Identity:
        """The token's name and role on this server."""
        ...


class AuditApi(Protocol):
    """Reading the audit log (AuditViewModel)."""

    async def list_audit_entries(
        self, *, limit: int = 200, method: str = "", caller: str = ""
    ) -> list[AuditEntry]:
        """The newest audited calls first (admins only)."""
        ...


class ProvisioningApi(Protocol):
    """Clusters and droplets: the catalog, actions and the inventory stream."""

    async def get_catalog(self) -> t.Catalog:
        """Regions, sizes and images."""
        ...

    async def create_cluster(
        self,
        name: str,
        region: str,
        size: str,
        image: str,
        droplet_count: int,
        tags: Iterable[str] = (),
    ) -> t.ClusterAction:
        """Create a cluster; its droplets are provisioned by the returned jobs."""
        ...

    async def delete_cluster(self, cluster_id: int) -> t.ClusterAction:
        """Start deleting a cluster and its droplets."""
        ...

    async def add_droplets(self, cluster_id: int, count: int, size: str = "") -> t.ClusterAction:
        """Add count droplets to a cluster (empty size: the cluster's)."""
        ...

    async def resize_droplet(self, droplet_id: int, size: str) -> t.DropletAction:
        """Start resizing a droplet."""
        ...

    async def reboot_droplet(self, droplet_id: int) -> t.DropletAction:
        """Start rebooting a droplet."""
        ...

    async def power_off_droplet(self, droplet_id: int) -> t.DropletAction:
        """Start powering a droplet off."""
        ...

    async def power_on_droplet(self, droplet_id: int) -> t.DropletAction:
        """Start powering a droplet on."""
        ...

    async def destroy_droplet(self, droplet_id: int) -> t.DropletAction:
        """Start destroying a droplet."""
        ...

    def watch_inventory(self) -> AsyncIterator[t.InventoryEvent]:
        """Every live cluster and droplet, SnapshotComplete, then each change."""
        ...


class JobsApi(Protocol):
    """Cancelling and retrying jobs, and the jobs stream (JobsViewModel)."""

    async def cancel_job(self, job_id: int) -> t.Job:
        """Ask a queued or running job to stop."""
        ...

    async def retry_job(self, job_id: int) -> t.Job:
        """Queue a new job repeating a failed or cancelled one."""
        ...

    def watch_jobs(self, snapshot_limit: int = 0) -> AsyncIterator[t.JobEvent]:
        """Recent jobs, SnapshotComplete, then every change to any job."""
        ...


class TelemetryApi(Protocol):
    """The simulation clock, live metrics and faults (TelemetryViewModel, FaultsViewModel)."""

    async def get_clock(self) -> t.SimulationClock:
        """The simulation clock: simulated now, time scale, tick and retention."""
        ...

    async def query_series(
        self,
        cluster_id: int,
        metrics: Iterable[t.Metric],
        droplet_id: int = 0,
        window_seconds: float = 0.0,
        end: datetime | None = None,
        step_seconds: float = 0.0,
        max_points: int = 0,
        aggregation: t.Aggregation = t.Aggregation.UNKNOWN,
    ) -> list[t.Series]:
        """One downsampled series per metric, in the order asked for (a graph's history)."""
        ...

    def watch_metrics(
        self,
        cluster_id: int,
        droplet_id: int = 0,
        include_droplets: bool = False,
        backfill_seconds: float = 0.0,
    ) -> AsyncIterator[list[t.MetricSample]]:
        """Recent samples (backfill), then each tick's samples, one list per update."""
        ...

    async def inject_fault(
        self,
        kind: t.FaultKind,
        cluster_id: int,
        droplet_id: int = 0,
        magnitude: float = 0.0,
        start_after_seconds: float = 0.0,
        duration_seconds: float = 0.0,
    ) -> t.Fault:
        """Inject a fault into a cluster (droplet_id 0) or one droplet."""
        ...

    async def list_faults(self, cluster_id: int = 0, include_ended: bool = False) -> list[t.Fault]:
        """Scheduled and active faults (ended ones too when asked)."""
        ...

    async def clear_fault(self, fault_id: int) -> t.Fault:
        """End a scheduled or active fault now."""
        ...


class ScalingApi(Protocol):
    """Scaling policies, manual scaling and the decisions stream."""

    async def scale_cluster(self, cluster_id: int, target_count: int) -> t.Job:
        """Start a job that scales the cluster to target_count droplets."""
        ...

    async def get_policy(self, cluster_id: int) -> t.ScalingPolicy:
        """The cluster's policy; ClientError NOT_FOUND when it has none."""
        ...

    async def set_policy(self, policy: t.ScalingPolicy) -> t.ScalingPolicy:
        """Create or replace a cluster's policy."""
        ...

    async def delete_policy(self, cluster_id: int) -> None:
        """Remove a cluster's policy."""
        ...

    def watch_decisions(
        self, cluster_id: int = 0, snapshot_limit: int = 0
    ) -> AsyncIterator[t.DecisionEvent]:
        """Recent decisions (oldest first), SnapshotComplete, then each new decision."""
        ...


class TelemetryScalingApi(TelemetryApi, ScalingApi, Protocol):
    """Scaling with the clock and metrics its graph follows (ScalingViewModel)."""


class ClusterGenieApi(
    ConnectionApi, AuditApi, ProvisioningApi, JobsApi, TelemetryApi, ScalingApi, Protocol
):
    """Everything the desktop app asks of a server."""
