"""Proto -> domain conversion for messages that come back from the event bus."""

from __future__ import annotations

from datetime import UTC, datetime

from google.protobuf.timestamp_pb2 import Timestamp

from clustergenie_server.api.v1 import common_pb2, events_pb2, jobs_pb2, provisioning_pb2
from clustergenie_server.domain.models import (
    Cluster,
    ClusterStatus,
    Droplet,
    DropletStatus,
    Job,
    JobKind,
    JobState,
)

_DROPLET_STATUS = {
    common_pb2.DropletStatus.Value(f"DROPLET_STATUS_{s.name}"): s for s in DropletStatus
}
_CLUSTER_STATUS = {
    common_pb2.ClusterStatus.Value(f"CLUSTER_STATUS_{s.name}"): s for s in ClusterStatus
}
_JOB_STATE = {common_pb2.JobState.Value(f"JOB_STATE_{s.name}"): s for s in JobState}
_JOB_KIND = {common_pb2.JobKind.Value(f"JOB_KIND_{k.name}"): k for k in JobKind}


def optional_datetime(ts: Timestamp, present: bool) -> datetime | None:
    """An aware UTC datetime, or None when the field was not set."""
    return ts.ToDatetime(tzinfo=UTC) if present else None


def required_datetime(ts: Timestamp) -> datetime:
    """An aware UTC datetime (the epoch when unset, which a valid event never is)."""
    return ts.ToDatetime(tzinfo=UTC)


def cluster_from_proto(c: provisioning_pb2.Cluster) -> Cluster:
    """A cluster."""
    return Cluster(
        id=c.id,
        name=c.name,
        region=c.region,
        size=c.size,
        image=c.image,
        tags=tuple(c.tags),
        status=_CLUSTER_STATUS[c.status],
        created_at=required_datetime(c.created_at),
        updated_at=required_datetime(c.updated_at),
        droplet_count=c.droplet_count,
        active_droplet_count=c.active_droplet_count,
    )


def droplet_from_proto(d: provisioning_pb2.Droplet) -> Droplet:
    """A droplet."""
    return Droplet(
        id=d.id,
        cluster_id=d.cluster_id,
        name=d.name,
        region=d.region,
        size=d.size,
        image=d.image,
        status=_DROPLET_STATUS[d.status],
        ip_address=d.ip_address,
        locked=d.locked,
        created_at=required_datetime(d.created_at),
        updated_at=required_datetime(d.updated_at),
    )


def job_from_proto(j: jobs_pb2.Job, details: events_pb2.JobDetails) -> Job:
    """A whole job: the API's Job plus the server-side details the event carries beside it."""
    return Job(
        id=j.id,
        kind=_JOB_KIND[j.kind],
        state=_JOB_STATE[j.state],
        cluster_id=j.cluster_id,
        droplet_id=j.droplet_id or None,
        target_name=j.target_name,
        params=dict(details.params),
        progress=j.progress,
        step=j.step,
        step_index=j.step_index,
        step_count=j.step_count,
        attempt=j.attempt,
        max_attempts=j.max_attempts,
        error=j.error,
        cancel_requested=j.cancel_requested,
        retry_of=j.retry_of or None,
        retried_as=j.retried_as_job_id or None,
        timeout_seconds=j.timeout_seconds,
        created_at=optional_datetime(j.created_at, j.HasField("created_at")),
        started_at=optional_datetime(j.started_at, j.HasField("started_at")),
        finished_at=optional_datetime(j.finished_at, j.HasField("finished_at")),
        updated_at=optional_datetime(j.updated_at, j.HasField("updated_at")),
        next_run_at=optional_datetime(details.next_run_at, details.HasField("next_run_at")),
        lease_owner=details.lease_owner or None,
        lease_expires_at=optional_datetime(
            details.lease_expires_at, details.HasField("lease_expires_at")
        ),
    )
