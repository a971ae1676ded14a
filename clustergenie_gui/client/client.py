"""ClusterGenieClient: a Qt-free asyncio client over the generated grpc.aio stubs."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterable
from typing import Any

import grpc
from grpc import aio

from clustergenie_gui.client import convert, convert_auth
from clustergenie_gui.client import types as t
from clustergenie_gui.client.auth_types import AuditEntry, Credentials, Identity
from clustergenie_gui.client.channel import open_channel
from clustergenie_gui.client.info_client import InfoCalls
from clustergenie_gui.client.rpc_base import ClientError, Req
from clustergenie_gui.client.telemetry_client import TelemetryScalingCalls
from clustergenie_server.api.v1 import (
    auth_pb2_grpc,
    jobs_pb2_grpc,
    provisioning_pb2,
    provisioning_pb2_grpc,
)

__all__ = ["ClientError", "ClusterGenieClient"]

log = logging.getLogger(__name__)

# grpc's own reconnect backoff grows to 120 s by default; a desktop app next to a local server
# should notice a restarted server within a couple of seconds.
_CHANNEL_OPTIONS: list[tuple[str, Any]] = [
    ("grpc.initial_reconnect_backoff_ms", 250),
    ("grpc.min_reconnect_backoff_ms", 250),
    ("grpc.max_reconnect_backoff_ms", 2000),
]


class ClusterGenieClient(TelemetryScalingCalls, InfoCalls):
    """One channel to one server; every unary RPC has a deadline, streams are async iterators.

    Telemetry and scaling RPCs come from TelemetryScalingCalls, GetServerInfo from InfoCalls; it
    satisfies every Protocol of client/protocols.py (ClusterGenieApi), which view-models depend on.
    """

    def __init__(self, unary_timeout: float = 10.0) -> None:
        super().__init__(unary_timeout)
        self._address = ""
        self._credentials = Credentials()

    @property
    def address(self) -> str:
        """host:port of the current channel, or "" before connect()."""
        return self._address

    def set_credentials(self, credentials: Credentials) -> None:
        """The token (and TLS CA) the next connect() uses."""
        self._credentials = credentials

    async def connect(self, address: str) -> None:
        """Open a channel to address, closing any previous one; call inside the running loop."""
        await self.close()
        # A grpc.aio channel belongs to the loop that is current when it is created.
        credentials = self._credentials
        self._channel = open_channel(
            address, credentials.token, credentials.ca_pem, _CHANNEL_OPTIONS
        )
        self._address = address

    async def close(self) -> None:
        """Close the channel; running calls end with CANCELLED."""
        channel, self._channel = self._channel, None
        if channel is not None:
            await channel.close(grace=None)

    async def wait_ready(self, within: float) -> bool:
        """True once the channel is connected, False when `within` seconds pass first."""
        channel = self._require_channel()
        try:
            await asyncio.wait_for(channel.channel_ready(), within)
        except TimeoutError:
            return False
        return True

    def channel(self) -> grpc.aio.Channel:
        """The current channel (for per-feature clients such as HealthClient, DiagnosisClient)."""
        return self._require_channel()

    def is_ready(self) -> bool:
        """True while the channel is connected (does not trigger a connection attempt)."""
        channel = self._channel
        return channel is not None and channel.get_state() == grpc.ChannelConnectivity.READY

    async def wait_until_not_ready(self) -> None:
        """Return when the channel leaves READY (server gone, channel closed)."""
        while (channel := self._channel) is not None:
            state = channel.get_state()
            if state != grpc.ChannelConnectivity.READY:
                return
            await channel.wait_for_state_change(state)

    async def who_am_i(self) -> Identity:
        """The token's name and role on this server."""
        response = await self._call(self._auth().WhoAmI, convert_auth.who_am_i_request())
        return convert_auth.identity_from_pb(response)

    async def list_audit_entries(
        self, *, limit: int = 200, method: str = "", caller: str = ""
    ) -> list[AuditEntry]:
        """The newest audited calls first (admins only); method may be a short name."""
        response = await self._call(
            self._auth().ListAuditEntries, convert_auth.audit_request(limit, method, caller)
        )
        return [convert_auth.audit_entry_from_pb(entry) for entry in response.entries]

    # Provisioning ------------------------------------------------------------------------

    async def get_catalog(self) -> t.Catalog:
        """Regions, sizes and images."""
        stub = self._prov()
        return convert.catalog_from_pb(await self._call(stub.GetCatalog, convert.catalog_request()))

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
        request = convert.create_cluster_request(name, region, size, image, droplet_count, tags)
        return convert.cluster_action_from_pb(await self._call(self._prov().CreateCluster, request))

    async def list_clusters(self, include_deleted: bool = False) -> list[t.Cluster]:
        """Every cluster (deleted ones too when asked)."""
        request = convert.list_clusters_request(include_deleted)
        response = await self._call(self._prov().ListClusters, request)
        return [convert.cluster_from_pb(c) for c in response.clusters]

    async def get_cluster(self, cluster_id: int) -> t.Cluster:
        """One cluster by id."""
        request = convert.cluster_id_request("get", cluster_id)
        return convert.cluster_from_pb(await self._call(self._prov().GetCluster, request))

    async def delete_cluster(self, cluster_id: int) -> t.ClusterAction:
        """Start deleting a cluster and its droplets."""
        request = convert.cluster_id_request("delete", cluster_id)
        return convert.cluster_action_from_pb(await self._call(self._prov().DeleteCluster, request))

    async def add_droplets(self, cluster_id: int, count: int, size: str = "") -> t.ClusterAction:
        """Add count droplets to a cluster (empty size: the cluster's)."""
        request = convert.add_droplets_request(cluster_id, count, size)
        return convert.cluster_action_from_pb(await self._call(self._prov().AddDroplets, request))

    async def list_droplets(
        self, cluster_id: int = 0, include_destroyed: bool = False
    ) -> list[t.Droplet]:
        """Droplets of one cluster, or of every cluster for 0."""
        request = convert.list_droplets_request(cluster_id, include_destroyed)
        response = await self._call(self._prov().ListDroplets, request)
        return [convert.droplet_from_pb(d) for d in response.droplets]

    async def get_droplet(self, droplet_id: int) -> t.Droplet:
        """One droplet by id."""
        request = convert.get_droplet_request(droplet_id)
        return convert.droplet_from_pb(await self._call(self._prov().GetDroplet, request))

    async def resize_droplet(self, droplet_id: int, size: str) -> t.DropletAction:
        """Start resizing a droplet."""
        request = convert.resize_request(droplet_id, size)
        return await self._droplet_action(self._prov().ResizeDroplet, request)

    async def reboot_droplet(self, droplet_id: int) -> t.DropletAction:
        """Start rebooting a droplet."""
        request = convert.droplet_request(droplet_id)
        return await self._droplet_action(self._prov().RebootDroplet, request)

    async def power_off_droplet(self, droplet_id: int) -> t.DropletAction:
        """Start powering a droplet off."""
        request = convert.droplet_request(droplet_id)
        return await self._droplet_action(self._prov().PowerOffDroplet, request)

    async def power_on_droplet(self, droplet_id: int) -> t.DropletAction:
        """Start powering a droplet on."""
        request = convert.droplet_request(droplet_id)
        return await self._droplet_action(self._prov().PowerOnDroplet, request)

    async def destroy_droplet(self, droplet_id: int) -> t.DropletAction:
        """Start destroying a droplet."""
        request = convert.droplet_request(droplet_id)
        return await self._droplet_action(self._prov().DestroyDroplet, request)

    def watch_inventory(self) -> AsyncIterator[t.InventoryEvent]:
        """Every live cluster and droplet, SnapshotComplete, then each change."""
        call = self._prov().WatchInventory(convert.watch_inventory_request())
        return self._stream(call, convert.inventory_events_from_pb)

    # Jobs -------------------------------------------------------------------------------

    async def list_jobs(
        self, states: Iterable[t.JobState] = (), cluster_id: int = 0, limit: int = 0
    ) -> list[t.Job]:
        """Recent jobs, optionally filtered."""
        request = convert.list_jobs_request(states, cluster_id, limit)
        response = await self._call(self._job_stub().ListJobs, request)
        return [convert.job_from_pb(j) for j in response.jobs]

    async def get_job(self, job_id: int) -> t.Job:
        """One job by id."""
        request = convert.job_id_request("get", job_id)
        return convert.job_from_pb(await self._call(self._job_stub().GetJob, request))

    async def cancel_job(self, job_id: int) -> t.Job:
        """Ask a queued or running job to stop."""
        request = convert.job_id_request("cancel", job_id)
        return convert.job_from_pb(await self._call(self._job_stub().CancelJob, request))

    async def retry_job(self, job_id: int) -> t.Job:
        """Queue a new job repeating a failed or cancelled one."""
        request = convert.job_id_request("retry", job_id)
        return convert.job_from_pb(await self._call(self._job_stub().RetryJob, request))

    def watch_jobs(self, snapshot_limit: int = 0) -> AsyncIterator[t.JobEvent]:
        """Recent jobs, SnapshotComplete, then every change to any job."""
        call = self._job_stub().WatchJobs(convert.watch_jobs_request(snapshot_limit))
        return self._stream(call, convert.one_event(convert.job_event_from_pb))

    # Plumbing ---------------------------------------------------------------------------

    def _auth(self) -> auth_pb2_grpc.AuthServiceStub:
        return auth_pb2_grpc.AuthServiceStub(self._require_channel())

    def require_channel(self) -> grpc.aio.Channel:
        """The current channel (for per-feature clients such as LogsClient)."""
        return self._require_channel()

    @property
    def unary_timeout(self) -> float:
        """The deadline of every unary call, in seconds."""
        return self._timeout

    def _prov(self) -> provisioning_pb2_grpc.ProvisioningServiceStub:
        return provisioning_pb2_grpc.ProvisioningServiceStub(self._require_channel())

    def _job_stub(self) -> jobs_pb2_grpc.JobServiceStub:
        return jobs_pb2_grpc.JobServiceStub(self._require_channel())

    async def _droplet_action(
        self,
        method: aio.UnaryUnaryMultiCallable[Req, provisioning_pb2.DropletActionResponse],
        request: Req,
    ) -> t.DropletAction:
        return convert.droplet_action_from_pb(await self._call(method, request))
