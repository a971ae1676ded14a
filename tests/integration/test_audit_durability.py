"""An audited change commits together with its audit entry: no crash can keep one and lose
the other."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import grpc
import pytest
from grpc import aio

from clustergenie_server.api.v1 import provisioning_pb2 as pb
from clustergenie_server.api.v1 import provisioning_pb2_grpc as prov_grpc
from clustergenie_server.api.v1 import scaling_pb2, scaling_pb2_grpc
from clustergenie_server.app import ServerApp, build_server
from clustergenie_server.db import Database
from clustergenie_server.db.audit_repository import AuditRepository
from tests.auth_support import TEST_TOKEN, authed_channel

from .conftest import SpawnServer, make_settings

CREATE = pb.CreateClusterRequest(
    name="kept", region="nyc1", size="s-1vcpu-1gb", image="ubuntu-24-04-x64", droplet_count=1
)


def stored_calls(database_url: str) -> list[tuple[str, str]]:
    """(method, outcome) of every stored entry, oldest first, read by a connection of our own."""
    db = Database.connect(database_url)
    try:
        entries = db.read_sync(lambda s: AuditRepository(s).newest(100))
    finally:
        db.close()
    return [(e.method.rpartition("/")[2], e.outcome) for e in reversed(entries)]


async def test_a_change_and_its_entry_commit_together(
    database: Database, database_url: str
) -> None:
    url = database_url  # emptied by the database fixture; SQLite and MariaDB
    app: ServerApp = await build_server(make_settings(url))
    await app.start()
    try:
        assert app.audit is not None
        await app.audit.stop()  # no background writer: only what commits with a change is stored
        async with authed_channel(app.address) as channel:
            provisioning = prov_grpc.ProvisioningServiceStub(channel)
            scaling = scaling_pb2_grpc.ScalingServiceStub(channel)
            created = await provisioning.CreateCluster(CREATE)  # through the outbox
            policy = scaling_pb2.ScalingPolicy(
                cluster_id=created.cluster.id,
                metric=scaling_pb2.SCALING_METRIC_CPU,
                target=60,
                min_droplets=1,
                max_droplets=3,
            )
            await scaling.SetPolicy(scaling_pb2.SetPolicyRequest(policy=policy))  # a plain unit
            no_policy = scaling_pb2.DeletePolicyRequest(cluster_id=policy.cluster_id)
            await scaling.DeletePolicy(no_policy)
            with pytest.raises(aio.AioRpcError) as taken:
                await provisioning.CreateCluster(CREATE)  # the name is taken: nothing changes
            assert taken.value.code() == grpc.StatusCode.ALREADY_EXISTS
            with pytest.raises(aio.AioRpcError) as gone:
                await scaling.DeletePolicy(no_policy)  # deleted just now
            assert gone.value.code() == grpc.StatusCode.NOT_FOUND
        assert stored_calls(url) == [
            ("CreateCluster", "OK"),
            ("SetPolicy", "OK"),
            ("DeletePolicy", "OK"),
        ]
        # The refusals changed nothing, so they wait for the writer; flushing stores them.
        await app.audit.flush()
        assert stored_calls(url)[3:] == [
            ("CreateCluster", "ALREADY_EXISTS"),
            ("DeletePolicy", "NOT_FOUND"),
        ]
    finally:
        await app.stop()


async def test_a_server_killed_right_after_a_change_keeps_its_entry(
    spawn_server: SpawnServer, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'killed.sqlite'}"
    server = spawn_server("--listen", "127.0.0.1:0", "--database-url", url)
    channel = aio.insecure_channel(server.address)
    try:
        stub = prov_grpc.ProvisioningServiceStub(channel)
        metadata = (("authorization", f"Bearer {TEST_TOKEN}"),)
        for index in range(5):
            request = pb.CreateClusterRequest()
            request.CopyFrom(CREATE)
            request.name = f"kept-{index}"
            await stub.CreateCluster(request, metadata=metadata, timeout=10)
        os.kill(server.process.pid, signal.SIGKILL)  # the moment the last reply arrived
        server.process.wait(timeout=10)
    finally:
        await channel.close(None)
    assert stored_calls(url) == [("CreateCluster", "OK")] * 5
