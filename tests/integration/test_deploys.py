"""Versions and deploys in the simulation: a bad deploy is a bad version that the metrics show
as it rolls out, and a rollback deploys the previous version and ends the errors."""

from __future__ import annotations

import asyncio

import numpy as np

from clustergenie_server.api.v1 import common_pb2 as common
from clustergenie_server.api.v1 import jobs_pb2
from clustergenie_server.api.v1 import provisioning_pb2 as prov
from clustergenie_server.api.v1 import telemetry_pb2 as tel
from clustergenie_server.domain.deploys import INITIAL_VERSION, DeployState
from clustergenie_server.domain.telemetry import Metric
from clustergenie_server.services.deploys.deploy_service import DeployRequest

from .conftest import Api
from .test_telemetry_rpc import make_cluster, telemetry


async def error_rate_reaches(api: Api, cluster_id: int, above: bool, level: float) -> float:
    """Watch the simulation's ticks until the cluster's error rate is above (or below) level."""
    assert api.app.telemetry is not None
    runner = api.app.telemetry.runner
    queue = runner.subscribe()
    try:
        async with asyncio.timeout(20):
            while True:
                tick = await queue.get()
                rows = np.flatnonzero(tick.cluster_ids == cluster_id)
                if not len(rows):
                    continue
                rate = float(tick.cluster_values[rows[0], Metric.ERROR_RATE.column])
                if (rate > level) if above else (rate < level):
                    return rate
    finally:
        runner.unsubscribe(queue)


async def deploy_jobs(api: Api) -> list[jobs_pb2.Job]:
    """Every DEPLOY_VERSION job, newest first."""
    listed = await api.jobs.ListJobs(jobs_pb2.ListJobsRequest())
    return [j for j in listed.jobs if j.kind == common.JOB_KIND_DEPLOY_VERSION]


async def test_a_bad_deploy_fault_deploys_a_bad_version_and_a_rollback_ends_it(api: Api) -> None:
    cluster = await make_cluster(api, count=3)
    assert api.app.telemetry is not None
    deploys = api.app.telemetry.deploys
    await telemetry(api).InjectFault(
        tel.InjectFaultRequest(kind=tel.FAULT_KIND_BAD_DEPLOY, cluster_id=cluster.id, magnitude=0.4)
    )
    (job,) = await deploy_jobs(api)
    await api.wait_jobs([job.id])
    history = await deploys.history(cluster.id)
    assert [(d.version, d.previous_version, d.state) for d in history] == [
        ("v1.0.1", INITIAL_VERSION, DeployState.SUCCEEDED)
    ]
    assert history[0].droplets_total == 3
    assert await deploys.version(cluster.id) == "v1.0.1"
    assert await error_rate_reaches(api, cluster.id, above=True, level=0.35) < 0.5

    rollback, rollback_job = await deploys.rollback(cluster.id)
    assert (rollback.version, rollback.rollback) == (INITIAL_VERSION, True)
    await api.wait_jobs([rollback_job.id])
    assert await deploys.version(cluster.id) == INITIAL_VERSION
    assert await error_rate_reaches(api, cluster.id, above=False, level=0.01) >= 0


async def test_a_canary_bad_deploy_reaches_only_its_droplet(api: Api) -> None:
    cluster = await make_cluster(api, count=2)
    assert api.app.telemetry is not None
    droplets = (
        await api.provisioning.ListDroplets(prov.ListDropletsRequest(cluster_id=cluster.id))
    ).droplets
    target = droplets[0].id
    await telemetry(api).InjectFault(
        tel.InjectFaultRequest(
            kind=tel.FAULT_KIND_BAD_DEPLOY, cluster_id=cluster.id, droplet_id=target,
            magnitude=0.5,
        )
    )  # fmt: skip
    (job,) = await deploy_jobs(api)
    await api.wait_jobs([job.id])
    runner = api.app.telemetry.runner
    queue = runner.subscribe()
    try:
        async with asyncio.timeout(20):
            while True:
                tick = await queue.get()
                errors = dict(
                    zip(
                        tick.droplet_ids.tolist(),
                        tick.droplet_values[:, Metric.ERROR_RATE.column].tolist(),
                        strict=True,
                    )
                )
                if errors.get(target, 0.0) > 0.45:
                    break
    finally:
        runner.unsubscribe(queue)
    assert errors[droplets[1].id] < 0.01
    # The cluster still runs the old version; only the canary droplet runs the new one.
    assert await api.app.telemetry.deploys.version(cluster.id) == INITIAL_VERSION


async def test_a_cancelled_deploy_is_retried_through_its_own_handler(api: Api) -> None:
    cluster = await make_cluster(api, count=2)
    assert api.app.telemetry is not None
    deployment, job = await api.app.telemetry.deploys.deploy(DeployRequest(cluster.id, "v2.0.0"))
    await api.jobs.CancelJob(jobs_pb2.CancelJobRequest(id=job.id))
    (cancelled,) = await api.wait_jobs([job.id])
    assert cancelled.state == common.JOB_STATE_CANCELLED
    assert (await api.app.telemetry.deploys.history(cluster.id))[0].state is DeployState.FAILED
    retried = await api.jobs.RetryJob(jobs_pb2.RetryJobRequest(id=job.id))
    assert retried.kind == common.JOB_KIND_DEPLOY_VERSION
    await api.wait_jobs([retried.id])
    assert await api.app.telemetry.deploys.version(cluster.id) == "v2.0.0"
