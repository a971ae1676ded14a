"""What a user relies on after any sequence of actions: each droplet's and cluster's state
follows from its finished jobs (shared by the stateful fuzz and the crash harness)."""

from __future__ import annotations

from clustergenie_server.api.v1 import common_pb2 as common
from clustergenie_server.api.v1 import jobs_pb2, provisioning_pb2

SUCCEEDED_STATUS = {
    common.JOB_KIND_PROVISION_DROPLET: common.DROPLET_STATUS_ACTIVE,
    common.JOB_KIND_REBOOT_DROPLET: common.DROPLET_STATUS_ACTIVE,
    common.JOB_KIND_POWER_ON_DROPLET: common.DROPLET_STATUS_ACTIVE,
    common.JOB_KIND_POWER_OFF_DROPLET: common.DROPLET_STATUS_OFF,
    common.JOB_KIND_DESTROY_DROPLET: common.DROPLET_STATUS_ARCHIVE,
}


def _status(value: common.DropletStatus.ValueType) -> str:
    return common.DropletStatus.Name(value).removeprefix("DROPLET_STATUS_").lower()


def describe(job: jobs_pb2.Job) -> str:
    """A job for a message, e.g. "#12 scale_cluster cancelled"."""
    kind = common.JobKind.Name(job.kind).removeprefix("JOB_KIND_").lower()
    state = common.JobState.Name(job.state).removeprefix("JOB_STATE_").lower()
    return f"#{job.id} {kind} {state}"


def unexplained(
    droplet: provisioning_pb2.Droplet,
    own: list[jobs_pb2.Job],
    cluster_jobs: list[jobs_pb2.Job],
) -> str | None:
    """Why the droplet's status does not follow from its finished jobs; None when it does.

    own: the droplet's jobs, oldest first, all final; cluster_jobs: the cluster's own jobs.
    """
    status = droplet.status
    deletes = [j for j in cluster_jobs if j.kind == common.JOB_KIND_DELETE_CLUSTER]
    if any(j.state == common.JOB_STATE_SUCCEEDED for j in deletes):
        return None if status == common.DROPLET_STATUS_ARCHIVE else "its cluster was deleted"
    if status == common.DROPLET_STATUS_ARCHIVE:
        by = [
            j
            for j in own
            if j.kind == common.JOB_KIND_DESTROY_DROPLET
            or (
                j.kind == common.JOB_KIND_PROVISION_DROPLET
                and j.state == common.JOB_STATE_CANCELLED
            )
        ]
        return None if by or deletes else "archived, but no destroy, cancel or delete did it"
    provisions = [j for j in own if j.kind == common.JOB_KIND_PROVISION_DROPLET]
    if not provisions:
        return "no provision job created it"
    if status == common.DROPLET_STATUS_NEW:
        return "still new although every job of it finished"
    if status == common.DROPLET_STATUS_ERRORED:
        failed = provisions[-1].state == common.JOB_STATE_FAILED
        return None if failed else "errored, but its last provision did not fail"
    if provisions[-1].state != common.JOB_STATE_SUCCEEDED:
        return f"{_status(status)}, but its last provision did not succeed"
    last = own[-1]
    if last.state != common.JOB_STATE_SUCCEEDED:
        # A failed or cancelled action may stop between its steps: off or on are both honest.
        ok = status in (common.DROPLET_STATUS_ACTIVE, common.DROPLET_STATUS_OFF)
        return None if ok else f"{_status(status)} after {describe(last)}"
    if last.kind == common.JOB_KIND_RESIZE_DROPLET:
        ok = status in (common.DROPLET_STATUS_ACTIVE, common.DROPLET_STATUS_OFF)
        return None if ok else f"{_status(status)} after {describe(last)}"
    expected = SUCCEEDED_STATUS[last.kind]
    return None if status == expected else f"{_status(status)} after {describe(last)}"


def cluster_unexplained(cluster: provisioning_pb2.Cluster, jobs: list[jobs_pb2.Job]) -> str | None:
    """With every job of it finished, a cluster is deleted exactly when a delete succeeded."""
    deleted = any(
        j.kind == common.JOB_KIND_DELETE_CLUSTER and j.state == common.JOB_STATE_SUCCEEDED
        for j in jobs
    )
    expected = common.CLUSTER_STATUS_DELETED if deleted else common.CLUSTER_STATUS_ACTIVE
    if cluster.status == expected:
        return None
    history = ", ".join(describe(j) for j in jobs if j.droplet_id == 0)
    return (
        f"cluster {cluster.name} is {common.ClusterStatus.Name(cluster.status)} with every "
        f"job finished (its own jobs: {history or 'none'})"
    )
