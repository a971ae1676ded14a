"""RetryJob over real RPCs: every kind retried or refused with a reason, and a job retried once."""

from __future__ import annotations

import asyncio

import grpc
import pytest
from grpc import aio

from clustergenie_server.api.v1 import common_pb2 as common
from clustergenie_server.api.v1 import jobs_pb2, scaling_pb2, scaling_pb2_grpc
from clustergenie_server.api.v1 import provisioning_pb2 as pb

from .conftest import Api, StartApi, status_of
from .test_provisioning_rpc import create_request


async def wait_state(api: Api, job_id: int, state: int, *, timeout: float = 20.0) -> jobs_pb2.Job:
    """Watch the job until it is in state."""
    async with asyncio.timeout(timeout):
        async for update in api.jobs.WatchJobs(jobs_pb2.WatchJobsRequest()):
            job: jobs_pb2.Job = update.job
            if update.HasField("job") and job.id == job_id and job.state == state:
                return job
    raise AssertionError("unreachable")


async def retry_error(api: Api, job_id: int) -> tuple[grpc.StatusCode, str]:
    with pytest.raises(aio.AioRpcError) as caught:
        await api.jobs.RetryJob(jobs_pb2.RetryJobRequest(id=job_id))
    return status_of(caught.value)


async def test_a_cancelled_scale_job_is_retried_once(start_api: StartApi) -> None:
    # Slow enough that the scale job is still waiting for its new droplet when it is cancelled.
    api = await start_api(time_scale=4.0)
    scaling = scaling_pb2_grpc.ScalingServiceStub(api.channel)
    created = await api.provisioning.CreateCluster(create_request("grow", 1))
    scale = (
        await scaling.ScaleCluster(
            scaling_pb2.ScaleClusterRequest(cluster_id=created.cluster.id, target_count=2)
        )
    ).job
    await wait_state(api, scale.id, common.JOB_STATE_RUNNING)
    await api.jobs.CancelJob(jobs_pb2.CancelJobRequest(id=scale.id))
    [cancelled] = await api.wait_jobs([scale.id])
    assert cancelled.state == common.JOB_STATE_CANCELLED
    assert cancelled.retryable
    assert not cancelled.retried_as_job_id

    retry = await api.jobs.RetryJob(jobs_pb2.RetryJobRequest(id=scale.id))

    assert (retry.kind, retry.retry_of) == (common.JOB_KIND_SCALE_CLUSTER, scale.id)
    original = await api.jobs.GetJob(jobs_pb2.GetJobRequest(id=scale.id))
    assert (original.state, original.retried_as_job_id) == (common.JOB_STATE_CANCELLED, retry.id)
    code, message = await retry_error(api, scale.id)
    assert code == grpc.StatusCode.FAILED_PRECONDITION
    assert f"already retried as job #{retry.id}" in message
    [done] = await api.wait_jobs([retry.id], timeout=60)
    assert done.state == common.JOB_STATE_SUCCEEDED
    cluster = await api.provisioning.GetCluster(pb.GetClusterRequest(id=created.cluster.id))
    assert cluster.active_droplet_count == 2


async def test_watchers_see_the_original_linked_to_its_retry(start_api: StartApi) -> None:
    api = await start_api(failure_rate=1.0)
    created = await api.provisioning.CreateCluster(create_request("flaky", 1))
    [failed] = await api.wait_jobs([created.jobs[0].id])
    assert failed.state == common.JOB_STATE_FAILED
    assert failed.retryable

    async def first_linked_version() -> jobs_pb2.Job:
        async for update in api.jobs.WatchJobs(jobs_pb2.WatchJobsRequest()):
            job: jobs_pb2.Job = update.job
            if update.HasField("job") and job.id == failed.id and job.retried_as_job_id:
                return job
        raise AssertionError("unreachable")

    watching = asyncio.create_task(first_linked_version())
    retry = await api.jobs.RetryJob(jobs_pb2.RetryJobRequest(id=failed.id))
    async with asyncio.timeout(10):
        linked = await watching
    assert (linked.retried_as_job_id, linked.state) == (retry.id, common.JOB_STATE_FAILED)


async def test_two_retries_racing_queue_one_job(start_api: StartApi) -> None:
    api = await start_api(failure_rate=1.0)
    created = await api.provisioning.CreateCluster(create_request("race", 1))
    [failed] = await api.wait_jobs([created.jobs[0].id])

    results = await asyncio.gather(
        *(api.jobs.RetryJob(jobs_pb2.RetryJobRequest(id=failed.id)) for _ in range(4)),
        return_exceptions=True,
    )

    retries = [r for r in results if isinstance(r, jobs_pb2.Job)]
    errors = [status_of(r) for r in results if isinstance(r, aio.AioRpcError)]
    assert len(retries) == 1, results
    assert {code for code, _ in errors} == {grpc.StatusCode.FAILED_PRECONDITION}
    listed = await api.jobs.ListJobs(jobs_pb2.ListJobsRequest())
    assert [j.id for j in listed.jobs if j.retry_of == failed.id] == [retries[0].id]


async def test_a_cancelled_provision_is_refused_with_what_to_do(start_api: StartApi) -> None:
    api = await start_api(time_scale=2.0)
    created = await api.provisioning.CreateCluster(create_request("gone", 1))
    job_id = created.jobs[0].id
    await wait_state(api, job_id, common.JOB_STATE_RUNNING)
    await api.jobs.CancelJob(jobs_pb2.CancelJobRequest(id=job_id))
    [cancelled] = await api.wait_jobs([job_id])
    assert cancelled.state == common.JOB_STATE_CANCELLED
    assert not cancelled.retryable

    code, message = await retry_error(api, job_id)

    assert code == grpc.StatusCode.FAILED_PRECONDITION
    assert "add a new droplet" in message


async def test_a_succeeded_job_is_refused(api: Api) -> None:
    created = await api.provisioning.CreateCluster(create_request("fine", 1))
    [done] = await api.wait_jobs([created.jobs[0].id])
    assert not done.retryable
    code, message = await retry_error(api, done.id)
    assert code == grpc.StatusCode.FAILED_PRECONDITION
    assert "only a failed or cancelled job can be retried" in message
