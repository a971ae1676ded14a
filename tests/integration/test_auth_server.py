"""TLS with a certificate the test makes, the per-token stream limit, and the audit log."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import grpc
import pytest
from grpc import aio

from clustergenie_gui.client.channel import open_channel
from clustergenie_server.api.v1 import auth_pb2, auth_pb2_grpc, jobs_pb2, jobs_pb2_grpc
from clustergenie_server.api.v1 import provisioning_pb2 as pb
from clustergenie_server.api.v1 import provisioning_pb2_grpc as prov_grpc
from clustergenie_server.app import ServerApp, build_server
from clustergenie_server.settings import AuthSettings, LimitSettings, Settings
from tests.auth_support import ROLE_TOKENS, write_tokens_file
from tests.tls_support import make_tls_files

from .conftest import make_settings, next_message, status_of

StartServer = Callable[..., Awaitable[ServerApp]]


@pytest.fixture
async def start_server(tmp_path: Path) -> AsyncIterator[StartServer]:
    """Build servers on SQLite with one token per role; each is stopped after the test."""
    started: list[ServerApp] = []
    tokens = str(write_tokens_file(tmp_path / "tokens"))

    async def start(**changes: Any) -> ServerApp:
        base = make_settings(f"sqlite:///{tmp_path / f'db{len(started)}.sqlite'}")
        auth = changes.pop("auth", AuthSettings(tokens_file=tokens))
        settings: Settings = replace(base, auth=auth, **changes)
        app = await build_server(settings)
        await app.start()
        started.append(app)
        return app

    yield start
    for app in started:
        await app.stop()


async def test_tls_serves_clients_that_trust_its_ca_only(
    start_server: StartServer, tmp_path: Path
) -> None:
    tls = make_tls_files(tmp_path / "ours")
    other = make_tls_files(tmp_path / "other", ca_name="Other CA")
    auth = AuthSettings(
        tokens_file=str(write_tokens_file(tmp_path / "t")),
        tls_cert=str(tls.cert),
        tls_key=str(tls.key),
    )
    app = await start_server(auth=auth)
    request = auth_pb2.WhoAmIRequest()
    async with open_channel(app.address, ROLE_TOKENS["viewer"], tls.ca.read_bytes()) as channel:
        me = await auth_pb2_grpc.AuthServiceStub(channel).WhoAmI(request, timeout=10)
        assert me.name == "viewer"
    for channel in (
        open_channel(app.address, ROLE_TOKENS["viewer"], other.ca.read_bytes()),  # wrong CA
        open_channel(app.address, ROLE_TOKENS["viewer"]),  # plaintext
    ):
        async with channel:
            with pytest.raises(aio.AioRpcError) as error:
                await auth_pb2_grpc.AuthServiceStub(channel).WhoAmI(request, timeout=3)
            assert error.value.code() == grpc.StatusCode.UNAVAILABLE


async def test_a_token_gets_at_most_the_stream_limit(start_server: StartServer) -> None:
    app = await start_server(limits=LimitSettings(max_streams_per_client=2))
    async with (
        open_channel(app.address, ROLE_TOKENS["viewer"]) as viewer,
        open_channel(app.address, ROLE_TOKENS["operator"]) as operator,
    ):
        jobs = jobs_pb2_grpc.JobServiceStub(viewer)
        first, second = (
            jobs.WatchJobs(jobs_pb2.WatchJobsRequest()),
            jobs.WatchJobs(jobs_pb2.WatchJobsRequest()),
        )
        for call in (first, second):
            assert (await next_message(call)).HasField("snapshot_complete")  # both are open
        third = jobs.WatchJobs(jobs_pb2.WatchJobsRequest())
        with pytest.raises(aio.AioRpcError) as error:
            await third.read()
        code, details = status_of(error.value)
        assert code == grpc.StatusCode.RESOURCE_EXHAUSTED
        assert "2 open streams" in details
        assert "max_streams_per_client" in details
        # Another token has its own count.
        other = jobs_pb2_grpc.JobServiceStub(operator).WatchJobs(jobs_pb2.WatchJobsRequest())
        assert (await next_message(other)).HasField("snapshot_complete")
        other.cancel()
        # Closing one stream frees a place (the server notices the cancel asynchronously).
        first.cancel()
        codes: list[grpc.StatusCode] = []
        async with asyncio.timeout(10):
            while not codes or codes[-1] != grpc.StatusCode.OK:
                codes.append(await _open_stream(jobs))
        assert set(codes) <= {grpc.StatusCode.OK, grpc.StatusCode.RESOURCE_EXHAUSTED}
        second.cancel()


async def _open_stream(jobs: jobs_pb2_grpc.JobServiceStub) -> grpc.StatusCode:
    """OK when a WatchJobs stream opens (then it is closed), else the refusal's code."""
    call = jobs.WatchJobs(jobs_pb2.WatchJobsRequest())
    try:
        await call.read()
    except aio.AioRpcError as error:
        return error.code()
    call.cancel()
    return grpc.StatusCode.OK


async def test_mutating_calls_are_audited_for_admins(
    start_server: StartServer, caplog: pytest.LogCaptureFixture
) -> None:
    app = await start_server()
    create = pb.CreateClusterRequest(
        name="audited",
        region="nyc1",
        size="s-1vcpu-1gb",
        image="ubuntu-24-04-x64",
        droplet_count=1,
    )
    with caplog.at_level(logging.INFO, "clustergenie_server.audit"):
        async with open_channel(app.address, ROLE_TOKENS["operator"]) as channel:
            stub = prov_grpc.ProvisioningServiceStub(channel)
            created = await stub.CreateCluster(create)
            with pytest.raises(aio.AioRpcError):
                await stub.CreateCluster(create)  # the name is taken now
            await stub.ListClusters(pb.ListClustersRequest())  # a read: not audited
            with pytest.raises(aio.AioRpcError) as denied:
                await auth_pb2_grpc.AuthServiceStub(channel).ListAuditEntries(
                    auth_pb2.ListAuditEntriesRequest()
                )
            assert denied.value.code() == grpc.StatusCode.PERMISSION_DENIED
            assert "needs the admin role" in (denied.value.details() or "")
    async with open_channel(app.address, ROLE_TOKENS["admin"]) as channel:
        listed = await auth_pb2_grpc.AuthServiceStub(channel).ListAuditEntries(
            auth_pb2.ListAuditEntriesRequest(caller="operator")
        )
    entries = [(e.caller, e.role, e.method.rpartition("/")[2], e.outcome) for e in listed.entries]
    assert entries == [
        ("operator", auth_pb2.ROLE_OPERATOR, "CreateCluster", "ALREADY_EXISTS"),
        ("operator", auth_pb2.ROLE_OPERATOR, "CreateCluster", "OK"),
    ]
    assert "name=audited" in listed.entries[0].targets
    assert listed.entries[0].at.seconds > 0
    assert listed.entries[0].peer
    lines = [
        json.loads(r.getMessage().removeprefix("audit "))
        for r in caplog.records
        if r.name == "clustergenie_server.audit" and r.getMessage().startswith("audit ")
    ]
    assert [(line["method"].rpartition("/")[2], line["outcome"]) for line in lines] == [
        ("CreateCluster", "OK"),
        ("CreateCluster", "ALREADY_EXISTS"),
    ]
    assert all(t not in caplog.text for t in ROLE_TOKENS.values())
    assert created.cluster.id
