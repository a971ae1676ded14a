"""proto <-> dataclass conversion."""

from __future__ import annotations

from datetime import UTC, datetime

from google.protobuf.timestamp_pb2 import Timestamp

from clustergenie_gui.client import convert
from clustergenie_gui.client.types import (
    ClusterStatus,
    Droplet,
    DropletStatus,
    JobKind,
    JobState,
    SnapshotComplete,
)
from clustergenie_server.api.v1 import common_pb2, jobs_pb2, provisioning_pb2


def stamp(moment: datetime) -> Timestamp:
    result = Timestamp()
    result.FromDatetime(moment)
    return result


def test_job_from_pb_maps_enums_and_aware_times() -> None:
    started = datetime(2026, 3, 1, 10, 0, 5, tzinfo=UTC)
    message = jobs_pb2.Job(
        id=7,
        kind=common_pb2.JOB_KIND_RESIZE_DROPLET,
        state=common_pb2.JOB_STATE_FAILED,
        target_name="web-1",
        progress=0.25,
        error="boom",
        started_at=stamp(started),
        retried_as_job_id=9,
        retryable=True,
    )
    job = convert.job_from_pb(message)
    assert (job.retried_as_job_id, job.retryable) == (9, True)
    assert (job.id, job.kind, job.state, job.error) == (
        7,
        JobKind.RESIZE_DROPLET,
        JobState.FAILED,
        "boom",
    )
    assert job.started_at == started
    assert job.started_at.tzinfo is not None
    assert job.finished_at is None


def test_unknown_enum_numbers_map_to_unknown() -> None:
    newer = common_pb2.DropletStatus.ValueType(42)  # a status from a newer server
    message = provisioning_pb2.Droplet(id=1, status=newer)
    assert convert.droplet_from_pb(message).status == DropletStatus.UNKNOWN


def test_cluster_and_catalog() -> None:
    cluster = convert.cluster_from_pb(
        provisioning_pb2.Cluster(
            id=3, name="db", tags=["a", "b"], status=common_pb2.CLUSTER_STATUS_DELETING
        )
    )
    assert cluster.tags == ("a", "b")
    assert cluster.status == ClusterStatus.DELETING
    catalog = convert.catalog_from_pb(
        provisioning_pb2.Catalog(
            sizes=[
                provisioning_pb2.Size(
                    slug="s-2vcpu-4gb", vcpus=2, memory_mb=4096, disk_gb=80, price_monthly=24
                )
            ]
        )
    )
    assert catalog.sizes[0].label == "s-2vcpu-4gb — 2 vCPU · 4 GB · 80 GB disk · $24.00/mo"


def test_stream_events() -> None:
    droplet = provisioning_pb2.InventoryUpdate(droplet=provisioning_pb2.Droplet(id=4, name="x"))
    [event] = convert.inventory_events_from_pb(droplet)
    assert isinstance(event, Droplet)
    done = provisioning_pb2.InventoryUpdate(snapshot_complete=True)
    assert convert.inventory_events_from_pb(done) == [SnapshotComplete()]
    # A snapshot batch: its clusters, then its droplets, in order.
    batch = provisioning_pb2.InventoryUpdate(
        clusters=[provisioning_pb2.Cluster(id=1, name="web"), provisioning_pb2.Cluster(id=2)],
        droplets=[provisioning_pb2.Droplet(id=7, cluster_id=1)],
    )
    events = convert.inventory_events_from_pb(batch)
    ids = [None if isinstance(e, SnapshotComplete) else e.id for e in events]
    assert list(zip((type(e).__name__ for e in events), ids, strict=True)) == [
        ("Cluster", 1),
        ("Cluster", 2),
        ("Droplet", 7),
    ]
    assert (
        convert.job_event_from_pb(jobs_pb2.JobUpdate(snapshot_complete=True)) == SnapshotComplete()
    )
    assert convert.job_event_from_pb(jobs_pb2.JobUpdate()) is None


def test_requests() -> None:
    request = convert.create_cluster_request("web", "nyc1", "s", "img", 3, ["t"])
    assert (request.name, request.droplet_count, list(request.tags)) == ("web", 3, ["t"])
    jobs = convert.list_jobs_request([JobState.RUNNING], 2, 10)
    assert list(jobs.states) == [common_pb2.JOB_STATE_RUNNING]
    assert convert.job_id_request("cancel", 5) == jobs_pb2.CancelJobRequest(id=5)
