"""Mutating RPCs are rate-limited per client; reads, health and reflection are not."""

from __future__ import annotations

from dataclasses import replace

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

from clustergenie_server.api.v1 import jobs_pb2, jobs_pb2_grpc, provisioning_pb2
from clustergenie_server.api.v1 import provisioning_pb2_grpc as prov_grpc
from clustergenie_server.app import build_server
from clustergenie_server.db import Database
from clustergenie_server.rpc.rate_limit_interceptor import is_mutating, peer_host
from clustergenie_server.settings import LimitSettings
from tests.auth_support import authed_channel
from tests.integration.conftest import make_settings, status_of


@pytest.mark.parametrize(
    ("method", "mutating"),
    [
        ("/clustergenie.v1.ProvisioningService/CreateCluster", True),
        ("/clustergenie.v1.JobService/CancelJob", True),
        ("/clustergenie.v1.JobService/GetJob", False),
        ("/clustergenie.v1.JobService/WatchJobs", False),
        ("/clustergenie.v1.ProvisioningService/ListDroplets", False),
        ("/clustergenie.v1.AuthService/WhoAmI", False),  # every GUI asks on connecting
        ("/grpc.health.v1.Health/Check", False),
        ("/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", False),
    ],
)
def test_which_methods_are_limited(method: str, mutating: bool) -> None:
    assert is_mutating(method) is mutating


def test_the_bucket_is_per_host_not_per_connection() -> None:
    assert peer_host("ipv4:127.0.0.1:53012") == "127.0.0.1"
    assert peer_host("ipv6:[::1]:53012") == "::1"
    assert peer_host("unix:/tmp/s") == "unix:/tmp/s"


async def test_too_many_changes_are_refused_with_a_clear_message(
    database: Database, database_url: str
) -> None:
    settings = replace(
        make_settings(database_url),
        limits=LimitSettings(mutations_per_second=0.01, mutation_burst=3),
    )
    app = await build_server(settings)
    await app.start()
    channel = authed_channel(app.address)
    provisioning = prov_grpc.ProvisioningServiceStub(channel)
    try:
        codes = []
        for _ in range(5):
            # An invalid request still counts: the limit is checked before the work.
            try:
                await provisioning.CreateCluster(provisioning_pb2.CreateClusterRequest(name=""))
            except grpc.RpcError as error:
                codes.append(status_of(error))
        assert [c for c, _ in codes[:3]] == [grpc.StatusCode.INVALID_ARGUMENT] * 3
        code, message = codes[3]
        assert code is grpc.StatusCode.RESOURCE_EXHAUSTED
        assert "too many changes from 127.0.0.1" in message
        assert "0.01 per second" in message
        # Reads, health and reflection go on.
        await jobs_pb2_grpc.JobServiceStub(channel).ListJobs(jobs_pb2.ListJobsRequest())
        await provisioning.GetCatalog(provisioning_pb2.GetCatalogRequest())
        health = await health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest())
        assert health.status == health_pb2.HealthCheckResponse.SERVING
    finally:
        await channel.close(None)
        await app.stop()
