"""The one module that sees the generated *_pb2 messages: proto <-> GUI dataclasses."""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from google.protobuf.timestamp_pb2 import Timestamp

from clustergenie_gui.client import types as t
from clustergenie_server.api.v1 import common_pb2, jobs_pb2, provisioning_pb2

if TYPE_CHECKING:
    # The generic base of mypy-protobuf's enum wrappers: Value()/Name() typed by the enum.
    from google.protobuf.internal.enum_type_wrapper import _EnumTypeWrapper

E = TypeVar("E", bound=enum.StrEnum)
R = TypeVar("R")
M = TypeVar("M")
V = TypeVar("V", bound=int)  # a proto enum's ValueType


def _enum(pb_enum: _EnumTypeWrapper[V], prefix: str, value: V, target: type[E]) -> E:
    """Map a proto enum number to our StrEnum by name; unknown numbers map to UNKNOWN."""
    try:
        name = pb_enum.Name(value)
    except ValueError:
        return target("unknown")
    suffix = name.removeprefix(prefix).lower()
    try:
        return target(suffix)
    except ValueError:
        return target("unknown")


def _pb_enum(pb_enum: _EnumTypeWrapper[V], prefix: str, value: enum.StrEnum) -> V:
    """Map one of our StrEnums back to the proto enum number."""
    return pb_enum.Value(prefix + value.value.upper())


def _time(message: Any, field: str) -> datetime | None:
    """An aware UTC datetime for a Timestamp field, or None when it is unset."""
    if not message.HasField(field):
        return None
    stamp: Timestamp = getattr(message, field)
    return stamp.ToDatetime(tzinfo=UTC)


def droplet_status(value: common_pb2.DropletStatus.ValueType) -> t.DropletStatus:
    """DropletStatus number -> enum."""
    return _enum(common_pb2.DropletStatus, "DROPLET_STATUS_", value, t.DropletStatus)


def job_state(value: common_pb2.JobState.ValueType) -> t.JobState:
    """JobState number -> enum."""
    return _enum(common_pb2.JobState, "JOB_STATE_", value, t.JobState)


def job_state_to_pb(value: t.JobState) -> common_pb2.JobState.ValueType:
    """JobState enum -> number."""
    return _pb_enum(common_pb2.JobState, "JOB_STATE_", value)


def catalog_from_pb(message: provisioning_pb2.Catalog) -> t.Catalog:
    """Catalog message -> Catalog."""
    return t.Catalog(
        regions=tuple(t.Region(r.slug, r.name, r.available) for r in message.regions),
        sizes=tuple(
            t.Size(s.slug, s.vcpus, s.memory_mb, s.disk_gb, s.price_monthly, s.price_hourly)
            for s in message.sizes
        ),
        images=tuple(t.Image(i.slug, i.name, i.distribution) for i in message.images),
    )


def cluster_from_pb(message: provisioning_pb2.Cluster) -> t.Cluster:
    """Cluster message -> Cluster."""
    return t.Cluster(
        id=message.id,
        name=message.name,
        region=message.region,
        size=message.size,
        image=message.image,
        tags=tuple(message.tags),
        status=_enum(common_pb2.ClusterStatus, "CLUSTER_STATUS_", message.status, t.ClusterStatus),
        droplet_count=message.droplet_count,
        active_droplet_count=message.active_droplet_count,
        created_at=_time(message, "created_at"),
        updated_at=_time(message, "updated_at"),
    )


def droplet_from_pb(message: provisioning_pb2.Droplet) -> t.Droplet:
    """Droplet message -> Droplet."""
    return t.Droplet(
        id=message.id,
        cluster_id=message.cluster_id,
        name=message.name,
        region=message.region,
        size=message.size,
        image=message.image,
        status=droplet_status(message.status),
        ip_address=message.ip_address,
        locked=message.locked,
        created_at=_time(message, "created_at"),
        updated_at=_time(message, "updated_at"),
    )


def job_from_pb(message: jobs_pb2.Job) -> t.Job:
    """Job message -> Job."""
    return t.Job(
        id=message.id,
        kind=_enum(common_pb2.JobKind, "JOB_KIND_", message.kind, t.JobKind),
        state=job_state(message.state),
        cluster_id=message.cluster_id,
        droplet_id=message.droplet_id,
        target_name=message.target_name,
        progress=message.progress,
        step=message.step,
        step_index=message.step_index,
        step_count=message.step_count,
        attempt=message.attempt,
        max_attempts=message.max_attempts,
        error=message.error,
        cancel_requested=message.cancel_requested,
        retry_of=message.retry_of,
        retried_as_job_id=message.retried_as_job_id,
        retryable=message.retryable,
        timeout_seconds=message.timeout_seconds,
        created_at=_time(message, "created_at"),
        started_at=_time(message, "started_at"),
        finished_at=_time(message, "finished_at"),
        updated_at=_time(message, "updated_at"),
    )


def cluster_action_from_pb(message: provisioning_pb2.ClusterActionResponse) -> t.ClusterAction:
    """ClusterActionResponse -> ClusterAction."""
    return t.ClusterAction(
        cluster=cluster_from_pb(message.cluster),
        droplets=tuple(droplet_from_pb(d) for d in message.droplets),
        jobs=tuple(job_from_pb(j) for j in message.jobs),
    )


def droplet_action_from_pb(message: provisioning_pb2.DropletActionResponse) -> t.DropletAction:
    """DropletActionResponse -> DropletAction."""
    job = job_from_pb(message.job) if message.HasField("job") else None
    return t.DropletAction(droplet=droplet_from_pb(message.droplet), job=job)


def inventory_events_from_pb(message: provisioning_pb2.InventoryUpdate) -> list[t.InventoryEvent]:
    """InventoryUpdate -> its events: a snapshot batch's clusters and droplets, or one change
    (Cluster, Droplet or SnapshotComplete)."""
    events: list[t.InventoryEvent] = [cluster_from_pb(c) for c in message.clusters]
    events += [droplet_from_pb(d) for d in message.droplets]
    change = message.WhichOneof("change")
    if change == "cluster":
        events.append(cluster_from_pb(message.cluster))
    elif change == "droplet":
        events.append(droplet_from_pb(message.droplet))
    elif change == "snapshot_complete":
        events.append(t.SnapshotComplete())
    return events


def one_event(to_event: Callable[[M], R | None]) -> Callable[[M], tuple[R, ...]]:
    """A converter of a message to one event (None: no event) as a converter to its events."""

    def to_events(message: M) -> tuple[R, ...]:
        event = to_event(message)
        return () if event is None else (event,)

    return to_events


def job_event_from_pb(message: jobs_pb2.JobUpdate) -> t.JobEvent | None:
    """JobUpdate -> Job or SnapshotComplete; None for an empty update."""
    change = message.WhichOneof("change")
    if change == "job":
        return job_from_pb(message.job)
    if change == "snapshot_complete":
        return t.SnapshotComplete()
    return None


# Requests ---------------------------------------------------------------------------------


def create_cluster_request(
    name: str, region: str, size: str, image: str, droplet_count: int, tags: Iterable[str]
) -> provisioning_pb2.CreateClusterRequest:
    """Build a CreateClusterRequest."""
    return provisioning_pb2.CreateClusterRequest(
        name=name,
        region=region,
        size=size,
        image=image,
        droplet_count=droplet_count,
        tags=list(tags),
    )


def catalog_request() -> provisioning_pb2.GetCatalogRequest:
    """Build a GetCatalogRequest."""
    return provisioning_pb2.GetCatalogRequest()


def list_clusters_request(include_deleted: bool) -> provisioning_pb2.ListClustersRequest:
    """Build a ListClustersRequest."""
    return provisioning_pb2.ListClustersRequest(include_deleted=include_deleted)


def cluster_id_request(name: str, cluster_id: int) -> Any:
    """Build GetClusterRequest or DeleteClusterRequest, chosen by name."""
    request_type = {
        "get": provisioning_pb2.GetClusterRequest,
        "delete": provisioning_pb2.DeleteClusterRequest,
    }[name]
    return request_type(id=cluster_id)


def add_droplets_request(
    cluster_id: int, count: int, size: str
) -> provisioning_pb2.AddDropletsRequest:
    """Build an AddDropletsRequest (empty size: the cluster's)."""
    return provisioning_pb2.AddDropletsRequest(cluster_id=cluster_id, count=count, size=size)


def list_droplets_request(
    cluster_id: int, include_destroyed: bool
) -> provisioning_pb2.ListDropletsRequest:
    """Build a ListDropletsRequest (cluster_id 0: every cluster)."""
    return provisioning_pb2.ListDropletsRequest(
        cluster_id=cluster_id, include_destroyed=include_destroyed
    )


def get_droplet_request(droplet_id: int) -> provisioning_pb2.GetDropletRequest:
    """Build a GetDropletRequest."""
    return provisioning_pb2.GetDropletRequest(id=droplet_id)


def droplet_request(droplet_id: int) -> provisioning_pb2.DropletRequest:
    """Build a DropletRequest (reboot, power off/on, destroy)."""
    return provisioning_pb2.DropletRequest(id=droplet_id)


def resize_request(droplet_id: int, size: str) -> provisioning_pb2.ResizeDropletRequest:
    """Build a ResizeDropletRequest."""
    return provisioning_pb2.ResizeDropletRequest(id=droplet_id, size=size)


def watch_inventory_request() -> provisioning_pb2.WatchInventoryRequest:
    """Build a WatchInventoryRequest."""
    return provisioning_pb2.WatchInventoryRequest()


def list_jobs_request(
    states: Iterable[t.JobState], cluster_id: int, limit: int
) -> jobs_pb2.ListJobsRequest:
    """Build a ListJobsRequest."""
    return jobs_pb2.ListJobsRequest(
        states=[job_state_to_pb(s) for s in states], cluster_id=cluster_id, limit=limit
    )


def job_id_request(name: str, job_id: int) -> Any:
    """Build GetJobRequest, CancelJobRequest or RetryJobRequest, chosen by name."""
    request_type = {
        "get": jobs_pb2.GetJobRequest,
        "cancel": jobs_pb2.CancelJobRequest,
        "retry": jobs_pb2.RetryJobRequest,
    }[name]
    return request_type(id=job_id)


def watch_jobs_request(snapshot_limit: int) -> jobs_pb2.WatchJobsRequest:
    """Build a WatchJobsRequest."""
    return jobs_pb2.WatchJobsRequest(snapshot_limit=snapshot_limit)
