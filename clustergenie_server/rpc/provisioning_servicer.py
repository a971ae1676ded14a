"""ProvisioningService over gRPC: protobuf in, one service call, protobuf out."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Sequence
from operator import attrgetter

from clustergenie_server.api.v1 import provisioning_pb2 as pb
from clustergenie_server.api.v1 import provisioning_pb2_grpc
from clustergenie_server.domain.models import Cluster, Droplet
from clustergenie_server.rpc.aio_types import Context
from clustergenie_server.rpc.proto_memo import ProtoMemo
from clustergenie_server.services.provisioning.inventory_watch import Row
from clustergenie_server.services.provisioning.provisioning_service import (
    ClusterAction,
    DropletAction,
    ProvisioningService,
)
from clustergenie_server.services.shared.watch import Snapshot
from clustergenie_server.wire import convert


def _cluster_action(action: ClusterAction) -> pb.ClusterActionResponse:
    return pb.ClusterActionResponse(
        cluster=convert.cluster_to_proto(action.cluster),
        droplets=[convert.droplet_to_proto(d) for d in action.droplets],
        jobs=[convert.job_to_proto(j) for j in action.jobs],
    )


def _droplet_action(action: DropletAction) -> pb.DropletActionResponse:
    return pb.DropletActionResponse(
        droplet=convert.droplet_to_proto(action.droplet), job=convert.job_to_proto(action.job)
    )


# Inventory streams yield serialized updates (see rpc.preserialized), each row's kept by id while
# it is unchanged: fifty GUIs connecting to a server of 2,500 clusters convert each cluster once.
# A row is kept in both its forms: a live change, and a one-row snapshot batch; batches are these
# concatenated (protobuf appends the repeated fields of concatenated messages).
INVENTORY_MEMO_CAPACITY = 10_000
SNAPSHOT_BATCH_ROWS = 500  # ~100 KB an update
SNAPSHOT_COMPLETE = pb.InventoryUpdate(snapshot_complete=True).SerializeToString()

Forms = tuple[bytes, bytes]  # (live change, one-row snapshot batch)


def _cluster_forms(cluster: Cluster) -> Forms:
    message = convert.cluster_to_proto(cluster)
    return (
        pb.InventoryUpdate(cluster=message).SerializeToString(),
        pb.InventoryUpdate(clusters=[message]).SerializeToString(),
    )


def _droplet_forms(droplet: Droplet) -> Forms:
    message = convert.droplet_to_proto(droplet)
    return (
        pb.InventoryUpdate(droplet=message).SerializeToString(),
        pb.InventoryUpdate(droplets=[message]).SerializeToString(),
    )


def _batches(rows: Sequence[bytes]) -> Iterator[bytes]:
    for start in range(0, len(rows), SNAPSHOT_BATCH_ROWS):
        yield b"".join(rows[start : start + SNAPSHOT_BATCH_ROWS])


_ID = attrgetter("id")  # the memos' key: a row's id


class ProvisioningServicer(provisioning_pb2_grpc.ProvisioningServiceServicer):
    """Thin: each method translates, calls ProvisioningService, translates back."""

    def __init__(self, service: ProvisioningService) -> None:
        self._service = service
        # Shared by every WatchInventory stream: a change is converted once for all of them,
        # and a snapshot converts only the rows that changed since a stream last sent them.
        self._clusters = ProtoMemo(_cluster_forms, INVENTORY_MEMO_CAPACITY, _ID)
        self._droplets = ProtoMemo(_droplet_forms, INVENTORY_MEMO_CAPACITY, _ID)

    async def GetCatalog(self, request: pb.GetCatalogRequest, context: Context) -> pb.Catalog:
        return convert.catalog_to_proto(self._service.catalog)

    async def CreateCluster(
        self, request: pb.CreateClusterRequest, context: Context
    ) -> pb.ClusterActionResponse:
        return _cluster_action(
            await self._service.create_cluster(
                name=request.name,
                region=request.region,
                size=request.size,
                image=request.image,
                droplet_count=request.droplet_count,
                tags=list(request.tags),
            )
        )

    async def ListClusters(
        self, request: pb.ListClustersRequest, context: Context
    ) -> pb.ListClustersResponse:
        clusters = await self._service.list_clusters(include_deleted=request.include_deleted)
        return pb.ListClustersResponse(clusters=[convert.cluster_to_proto(c) for c in clusters])

    async def GetCluster(self, request: pb.GetClusterRequest, context: Context) -> pb.Cluster:
        return convert.cluster_to_proto(await self._service.get_cluster(request.id))

    async def DeleteCluster(
        self, request: pb.DeleteClusterRequest, context: Context
    ) -> pb.ClusterActionResponse:
        return _cluster_action(await self._service.delete_cluster(request.id))

    async def AddDroplets(
        self, request: pb.AddDropletsRequest, context: Context
    ) -> pb.ClusterActionResponse:
        return _cluster_action(
            await self._service.add_droplets(
                cluster_id=request.cluster_id, count=request.count, size=request.size
            )
        )

    async def ListDroplets(
        self, request: pb.ListDropletsRequest, context: Context
    ) -> pb.ListDropletsResponse:
        droplets = await self._service.list_droplets(
            cluster_id=request.cluster_id or None, include_destroyed=request.include_destroyed
        )
        return pb.ListDropletsResponse(droplets=[convert.droplet_to_proto(d) for d in droplets])

    async def GetDroplet(self, request: pb.GetDropletRequest, context: Context) -> pb.Droplet:
        return convert.droplet_to_proto(await self._service.get_droplet(request.id))

    async def ResizeDroplet(
        self, request: pb.ResizeDropletRequest, context: Context
    ) -> pb.DropletActionResponse:
        return _droplet_action(await self._service.resize_droplet(request.id, request.size))

    async def RebootDroplet(
        self, request: pb.DropletRequest, context: Context
    ) -> pb.DropletActionResponse:
        return _droplet_action(await self._service.reboot_droplet(request.id))

    async def PowerOffDroplet(
        self, request: pb.DropletRequest, context: Context
    ) -> pb.DropletActionResponse:
        return _droplet_action(await self._service.power_off_droplet(request.id))

    async def PowerOnDroplet(
        self, request: pb.DropletRequest, context: Context
    ) -> pb.DropletActionResponse:
        return _droplet_action(await self._service.power_on_droplet(request.id))

    async def DestroyDroplet(
        self, request: pb.DropletRequest, context: Context
    ) -> pb.DropletActionResponse:
        return _droplet_action(await self._service.destroy_droplet(request.id))

    async def WatchInventory(  # type: ignore[override]  # yields serialized bytes
        self, request: pb.WatchInventoryRequest, context: Context
    ) -> AsyncIterator[bytes]:
        # The service subscribes, snapshots, filters and conflates (services/shared/watch.py);
        # this only encodes what it yields.
        async for item in self._service.watch():
            if isinstance(item, Snapshot):
                for batch in self._snapshot_batches(item.rows):
                    yield batch
                yield SNAPSHOT_COMPLETE
            elif isinstance(item, Cluster):
                yield self._clusters(item)[0]
            else:
                yield self._droplets(item)[0]

    def _snapshot_batches(self, rows: Sequence[Row]) -> Iterator[bytes]:
        """The clusters' batches, then the droplets', each of up to SNAPSHOT_BATCH_ROWS rows."""
        clusters: list[bytes] = []
        droplets: list[bytes] = []
        for row in rows:
            if isinstance(row, Cluster):
                clusters.append(self._clusters(row)[1])
            else:
                droplets.append(self._droplets(row)[1])
        yield from _batches(clusters)
        yield from _batches(droplets)
