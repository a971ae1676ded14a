"""Redis stopped and restarted under a running server: it keeps answering and loses nothing."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace

import pytest
import redis

from clustergenie_server.api.v1 import common_pb2, jobs_pb2, jobs_pb2_grpc, provisioning_pb2
from clustergenie_server.api.v1 import provisioning_pb2_grpc as prov_grpc
from clustergenie_server.app import build_server
from clustergenie_server.cache.fallback_cache import FallbackCache
from clustergenie_server.db import Database
from clustergenie_server.settings import CacheSettings
from tests.auth_support import authed_channel
from tests.integration.conftest import Api, make_settings
from tests.redis_support import RedisServer

pytestmark = pytest.mark.slow


def hot_keys(server: RedisServer) -> list[bytes]:
    """The hot-view keys in the test's Redis."""
    client = redis.Redis(port=server.port, socket_connect_timeout=1, socket_timeout=1)
    try:
        return list(client.scan_iter(match="clustergenie:hot:*"))
    finally:
        client.close()


async def create(api: Api, name: str) -> list[int]:
    """A cluster of three droplets; returns its job ids."""
    response = await api.provisioning.CreateCluster(
        provisioning_pb2.CreateClusterRequest(
            name=name, region="fra1", size="s-1vcpu-1gb", image="ubuntu-24-04-x64", droplet_count=3
        )
    )
    return [j.id for j in response.jobs]


async def test_server_survives_redis_going_away_and_uses_it_again(
    database: Database,
    database_url: str,
    redis_server: RedisServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings = replace(
        make_settings(database_url),
        redis_url=redis_server.url,
        cache=CacheSettings(retry_seconds=0.1),
    )
    app = await build_server(settings)
    await app.start()
    channel = authed_channel(app.address)
    api = Api(
        app,
        channel,
        prov_grpc.ProvisioningServiceStub(channel),
        jobs_pb2_grpc.JobServiceStub(channel),
    )
    assert isinstance(app.cache, FallbackCache)
    try:
        before = await create(api, "before")
        await api.wait_jobs(before)
        for job_id in before:
            await api.jobs.GetJob(jobs_pb2.GetJobRequest(id=job_id))
        assert hot_keys(redis_server), "the hot view should live in Redis"

        redis_server.stop()
        with caplog.at_level(logging.WARNING, "clustergenie_server.cache"):
            during = await create(api, "during")
            done = await api.wait_jobs(during)
            assert {j.state for j in done} == {common_pb2.JOB_STATE_SUCCEEDED}
            for job_id in before + during:  # answered from the database
                job = await api.jobs.GetJob(jobs_pb2.GetJobRequest(id=job_id))
                assert job.state == common_pb2.JOB_STATE_SUCCEEDED
            droplet_id = done[0].droplet_id
            droplet = await api.provisioning.GetDroplet(
                provisioning_pb2.GetDropletRequest(id=droplet_id)
            )
            assert droplet.status == common_pb2.DROPLET_STATUS_ACTIVE
        outage_warnings = [
            r for r in caplog.records if r.name.startswith("clustergenie_server.cache")
        ]
        assert len(outage_warnings) == 1, [r.getMessage() for r in outage_warnings]
        assert redis_server.url.split("//")[1].split("/")[0] in outage_warnings[0].getMessage()

        redis_server.start()  # a fresh, empty Redis on the same port
        async with asyncio.timeout(10):
            while not app.cache.available:  # noqa: ASYNC110 - a property, no event to await
                await asyncio.sleep(0.05)
        after = await create(api, "after")
        await api.wait_jobs(after)
        await api.jobs.GetJob(jobs_pb2.GetJobRequest(id=after[0]))
        assert hot_keys(redis_server), "the hot view should be back in Redis"

        listed = await api.jobs.ListJobs(jobs_pb2.ListJobsRequest())
        assert {j.id for j in listed.jobs} == set(before + during + after)
        assert {j.state for j in listed.jobs} == {common_pb2.JOB_STATE_SUCCEEDED}
    finally:
        await channel.close(None)
        await app.stop()
