"""Job engine behaviour a user relies on: timeouts, queued cancels, actions that cancel others."""

from __future__ import annotations

import asyncio
from typing import Any

import grpc
import pytest
from grpc import aio

from clustergenie_server.api.v1 import common_pb2 as common
from clustergenie_server.api.v1 import jobs_pb2
from clustergenie_server.api.v1 import provisioning_pb2 as pb
from clustergenie_server.db import JobRepository
from clustergenie_server.domain.clock import utcnow
from clustergenie_server.domain.models import JobKind
from clustergenie_server.settings import JobSettings

from .conftest import Api, StartApi, status_of
from .test_provisioning_rpc import create_request


async def wait_running(api: Api, job_id: int) -> None:
    async with asyncio.timeout(10):
        async for update in api.jobs.WatchJobs(jobs_pb2.WatchJobsRequest()):
            if update.job.id == job_id and update.job.state == common.JOB_STATE_RUNNING:
                return


async def test_a_job_that_overruns_its_timeout_fails_and_says_so(start_api: StartApi) -> None:
    api = await start_api(JobSettings(timeout_seconds=0.3), time_scale=1.0)
    created = await api.provisioning.CreateCluster(create_request("late", 1))

    [job] = await api.wait_jobs([created.jobs[0].id])

    assert (job.state, job.error) == (common.JOB_STATE_FAILED, "timed out after 0.3s")
    droplet = await api.provisioning.GetDroplet(pb.GetDropletRequest(id=created.droplets[0].id))
    assert droplet.status == common.DROPLET_STATUS_ERRORED
    assert not droplet.locked


async def test_cancelling_a_queued_job_never_runs_it(start_api: StartApi) -> None:
    api = await start_api(JobSettings(workers=1), time_scale=0.5)
    created = await api.provisioning.CreateCluster(create_request("queue", 2))
    first, second = (j.id for j in created.jobs)
    await wait_running(api, first)

    cancelled = await api.jobs.CancelJob(jobs_pb2.CancelJobRequest(id=second))

    assert cancelled.state == common.JOB_STATE_CANCELLED
    assert not cancelled.started_at.seconds
    droplet = await api.provisioning.GetDroplet(pb.GetDropletRequest(id=created.droplets[1].id))
    assert (droplet.status, droplet.locked) == (common.DROPLET_STATUS_ARCHIVE, False)
    assert (
        await api.jobs.GetJob(jobs_pb2.GetJobRequest(id=first))
    ).state == common.JOB_STATE_RUNNING


async def test_destroying_a_droplet_that_is_being_provisioned_cancels_the_provision(
    start_api: StartApi,
) -> None:
    api = await start_api(time_scale=0.5)
    created = await api.provisioning.CreateCluster(create_request("oops", 1))
    provision = created.jobs[0].id
    await wait_running(api, provision)

    destroy = await api.provisioning.DestroyDroplet(pb.DropletRequest(id=created.droplets[0].id))
    provision_job, destroy_job = await api.wait_jobs([provision, destroy.job.id])

    assert provision_job.state == common.JOB_STATE_CANCELLED
    assert destroy_job.state == common.JOB_STATE_SUCCEEDED
    droplet = await api.provisioning.GetDroplet(pb.GetDropletRequest(id=created.droplets[0].id))
    assert droplet.status == common.DROPLET_STATUS_ARCHIVE


async def test_deleting_a_cluster_cancels_its_running_jobs_first(start_api: StartApi) -> None:
    api = await start_api(time_scale=2.0)
    created = await api.provisioning.CreateCluster(create_request("gone", 3))
    await wait_running(api, created.jobs[0].id)

    deleted = await api.provisioning.DeleteCluster(pb.DeleteClusterRequest(id=created.cluster.id))
    jobs = await api.wait_jobs([*(j.id for j in created.jobs), deleted.jobs[0].id])

    assert {j.state for j in jobs[:3]} == {common.JOB_STATE_CANCELLED}
    assert jobs[3].state == common.JOB_STATE_SUCCEEDED
    cluster = await api.provisioning.GetCluster(pb.GetClusterRequest(id=created.cluster.id))
    assert (cluster.status, cluster.droplet_count) == (common.CLUSTER_STATUS_DELETED, 0)


async def test_a_busy_droplet_refuses_a_second_action(start_api: StartApi) -> None:
    api = await start_api(time_scale=0.5)
    created = await api.provisioning.CreateCluster(create_request("busy", 1))
    with pytest.raises(aio.AioRpcError) as caught:
        await api.provisioning.RebootDroplet(pb.DropletRequest(id=created.droplets[0].id))
    assert status_of(caught.value) == (
        grpc.StatusCode.FAILED_PRECONDITION,
        f"droplet busy-1 is busy with job {created.jobs[0].id} (provision droplet); "
        "wait for it to finish or cancel it",
    )


async def test_cancelling_a_queued_cluster_deletion_keeps_the_cluster(start_api: StartApi) -> None:
    api = await start_api(JobSettings(workers=1), time_scale=0.5)
    busy = await api.provisioning.CreateCluster(create_request("first", 1))
    await wait_running(api, busy.jobs[0].id)  # the only worker is taken: deletions stay queued
    keep = await api.provisioning.CreateCluster(create_request("keep", 0))
    deletion = await api.provisioning.DeleteCluster(pb.DeleteClusterRequest(id=keep.cluster.id))
    assert deletion.cluster.status == common.CLUSTER_STATUS_DELETING

    cancelled = await api.jobs.CancelJob(jobs_pb2.CancelJobRequest(id=deletion.jobs[0].id))

    assert cancelled.state == common.JOB_STATE_CANCELLED
    cluster = await api.provisioning.GetCluster(pb.GetClusterRequest(id=keep.cluster.id))
    assert cluster.status == common.CLUSTER_STATUS_ACTIVE


async def test_a_job_queued_again_after_a_cancel_request_ends_cancelled(
    start_api: StartApi,
) -> None:
    # Found by the stateful fuzz: a delete cancelled a running provision just as the provision
    # failed with a retryable cloud error; the retry queued it again with the cancel request
    # still set, no server would claim it, and the delete waited for it forever. A restart or
    # a lease expiry queues such a job again in the same way.
    api = await start_api(JobSettings(workers=1), time_scale=0.5)
    created = await api.provisioning.CreateCluster(create_request("stuck", 2))
    first, second = (j.id for j in created.jobs)
    await wait_running(api, first)
    await api.app.db.run(lambda s: JobRepository(s).request_cancel(second, now=utcnow()))

    await api.jobs.CancelJob(jobs_pb2.CancelJobRequest(id=first))  # frees the one worker
    [job] = await api.wait_jobs([second])

    assert job.state == common.JOB_STATE_CANCELLED
    droplet = await api.provisioning.GetDroplet(pb.GetDropletRequest(id=created.droplets[1].id))
    assert (droplet.status, droplet.locked) == (common.DROPLET_STATUS_ARCHIVE, False)


async def test_a_cancel_that_arrives_while_a_job_fails_does_not_leave_it_running(
    start_api: StartApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Found by the stateful fuzz: a delete cancelled a provision while the provision was
    # cleaning up after its failure; the cancel stopped the ending halfway, so the job stayed
    # running forever (its lease renewed) and the delete waited for it.
    api = await start_api(JobSettings(max_attempts=1, backoff_seconds=0.05), failure_rate=1.0)
    handler = api.app.engine.handler(JobKind.PROVISION_DROPLET)
    cleaning, release = asyncio.Event(), asyncio.Event()
    real_cleanup = handler.on_failed

    async def slow_cleanup(ctx: Any, error: str) -> None:
        cleaning.set()
        await release.wait()
        await real_cleanup(ctx, error)

    monkeypatch.setattr(handler, "on_failed", slow_cleanup)
    created = await api.provisioning.CreateCluster(create_request("ending", 1))
    job_id = created.jobs[0].id
    await asyncio.wait_for(cleaning.wait(), 20)

    await api.jobs.CancelJob(jobs_pb2.CancelJobRequest(id=job_id))  # still running: asks it
    release.set()
    [job] = await api.wait_jobs([job_id])

    assert job.state == common.JOB_STATE_FAILED  # it had failed before the cancel came
    droplet = await api.provisioning.GetDroplet(pb.GetDropletRequest(id=created.droplets[0].id))
    assert (droplet.status, droplet.locked) == (common.DROPLET_STATUS_ERRORED, False)
