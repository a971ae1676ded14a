"""A database outage in the middle of a job neither fails the job nor stops the job engine."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest

from clustergenie_server.api.v1 import common_pb2 as common
from clustergenie_server.api.v1 import jobs_pb2
from clustergenie_server.api.v1 import provisioning_pb2 as pb
from clustergenie_server.domain.errors import Unavailable
from tests.waiting import eventually

from .conftest import StartApi


async def test_job_interrupted_by_database_outage_resumes_and_succeeds(
    start_api: StartApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    api = await start_api(time_scale=10.0)  # a provision takes ~0.8 s: long enough to interrupt
    created = await api.provisioning.CreateCluster(
        pb.CreateClusterRequest(
            name="outage",
            region="nyc1",
            size="s-1vcpu-1gb",
            image="ubuntu-24-04-x64",
            droplet_count=1,
        )
    )
    async with asyncio.timeout(10):
        while True:
            job = await api.jobs.GetJob(jobs_pb2.GetJobRequest(id=created.jobs[0].id))
            if job.state == common.JOB_STATE_RUNNING and job.progress > 0:
                break
            await asyncio.sleep(0.02)

    # Every unit of work of this server fails as it does when MariaDB is down.
    real_run = api.app.db.run

    refused: list[object] = []

    async def down(fn: Callable[..., Any]) -> Any:
        refused.append(fn)
        raise Unavailable("the database at test:3306 cannot be reached (test outage)")

    monkeypatch.setattr(api.app.db, "run", down)
    # The outage lasts until the engine has hit it: the step ended and its write was refused.
    await eventually(lambda: len(refused) >= 2, what="the engine's writes to fail")
    monkeypatch.setattr(api.app.db, "run", real_run)

    [done] = await api.wait_jobs([created.jobs[0].id])
    assert done.state == common.JOB_STATE_SUCCEEDED, done.error
    assert done.attempt == 1  # the outage was not the job's fault: no attempt spent
    # The engine still claims new work after the outage.
    more = await api.provisioning.AddDroplets(
        pb.AddDropletsRequest(cluster_id=created.cluster.id, count=1)
    )
    [added] = await api.wait_jobs([more.jobs[0].id])
    assert added.state == common.JOB_STATE_SUCCEEDED
