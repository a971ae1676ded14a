"""The auth matrix: each role x each RPC, no token and a wrong token, open health/reflection."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import grpc
import pytest
from google.protobuf.message_factory import GetMessageClass
from grpc import aio
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc

from clustergenie_server.api.v1 import auth_pb2, auth_pb2_grpc
from clustergenie_server.api.v1 import health_pb2 as hp
from clustergenie_server.api.v1 import health_pb2_grpc as hp_grpc
from clustergenie_server.app import ServerApp, build_server
from clustergenie_server.domain.auth import Role
from clustergenie_server.rpc.method_roles import METHOD_ROLES
from clustergenie_server.settings import AuthSettings
from tests.auth_support import ROLE_TOKENS, authed_channel, write_tokens_file

from .conftest import make_settings
from .test_rpc_fuzz import RPCS, Rpc, call_stream, call_unary

REFUSED = {grpc.StatusCode.PERMISSION_DENIED, grpc.StatusCode.UNAUTHENTICATED}


@pytest.fixture
async def server(tmp_path: Path) -> AsyncIterator[ServerApp]:
    """A server on SQLite that accepts one token per role (and nothing else)."""
    settings = make_settings(f"sqlite:///{tmp_path / 'auth.db'}")
    tokens = write_tokens_file(tmp_path / "tokens")
    app = await build_server(replace(settings, auth=AuthSettings(tokens_file=str(tokens))))
    await app.start()
    yield app
    await app.stop()


async def call(channel: aio.Channel, rpc: Rpc) -> tuple[grpc.StatusCode, str]:
    """(code, details) of rpc called with an empty request."""
    request = GetMessageClass(rpc.method.input_type)()
    if rpc.streaming:
        return await call_stream(channel, rpc, request)
    return await call_unary(channel, rpc, request)


def test_every_rpc_of_every_service_has_a_role() -> None:
    """A new RPC fails here until its minimum role is written into METHOD_ROLES."""
    assert {r.path for r in RPCS} - METHOD_ROLES.keys() == set()
    assert METHOD_ROLES.keys() - {r.path for r in RPCS} == set(), "stale entries in the table"


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.label)
async def test_each_role_calls_exactly_the_rpcs_of_its_role(
    server: ServerApp, role: Role, caplog: pytest.LogCaptureFixture
) -> None:
    """Allowed: OK or a domain error. Above the role: PERMISSION_DENIED naming the role."""
    results = {}
    with caplog.at_level(logging.DEBUG):
        async with authed_channel(server.address, ROLE_TOKENS[role.label]) as channel:
            for rpc in RPCS:
                results[rpc.path] = await call(channel, rpc)
    for path, (code, details) in results.items():
        needed = METHOD_ROLES[path]
        if role >= needed:
            assert code not in REFUSED, f"{role.label} {path} -> {code.name}: {details}"
        else:
            assert code == grpc.StatusCode.PERMISSION_DENIED, (role.label, path, code)
            assert f"needs the {needed.label} role" in details
    assert sum(role >= needed for needed in METHOD_ROLES.values()) > 0
    for token in ROLE_TOKENS.values():
        assert token not in caplog.text  # never in a log line, at any level


@pytest.mark.parametrize("token", ["", "not-a-token-of-this-server-0123"], ids=["none", "wrong"])
async def test_without_a_valid_token_every_rpc_is_unauthenticated(
    server: ServerApp, token: str
) -> None:
    async with authed_channel(server.address, token) as channel:
        for rpc in RPCS:
            code, details = await call(channel, rpc)
            assert code == grpc.StatusCode.UNAUTHENTICATED, (rpc.path, code)
            assert "token" in details


async def test_health_and_reflection_need_no_token(server: ServerApp) -> None:
    async with aio.insecure_channel(server.address) as channel:
        reply = await health_pb2_grpc.HealthStub(channel).Check(
            health_pb2.HealthCheckRequest(), timeout=5
        )
        assert reply.status == health_pb2.HealthCheckResponse.SERVING
        stub = reflection_pb2_grpc.ServerReflectionStub(channel)
        requests = [reflection_pb2.ServerReflectionRequest(list_services="")]
        async for response in stub.ServerReflectionInfo(iter(requests), timeout=5):
            names = {s.name for s in response.list_services_response.service}
            assert "clustergenie.v1.AuthService" in names
            break


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.label)
async def test_who_am_i_names_the_token_and_its_role(server: ServerApp, role: Role) -> None:
    async with authed_channel(server.address, ROLE_TOKENS[role.label]) as channel:
        me = await auth_pb2_grpc.AuthServiceStub(channel).WhoAmI(auth_pb2.WhoAmIRequest())
    assert me.name == role.label
    assert me.role == auth_pb2.Role.Value(f"ROLE_{role.name}")


@pytest.mark.parametrize(
    ("header", "code"),
    [
        (f"bearer {ROLE_TOKENS['viewer']}", grpc.StatusCode.OK),  # the scheme ignores case
        (f"Basic {ROLE_TOKENS['viewer']}", grpc.StatusCode.UNAUTHENTICATED),
        (f"Bearer {ROLE_TOKENS['viewer']}x", grpc.StatusCode.UNAUTHENTICATED),
    ],
)
async def test_the_authorization_header_is_read_strictly(
    server: ServerApp, header: str, code: grpc.StatusCode
) -> None:
    async with aio.insecure_channel(server.address) as channel:
        call = auth_pb2_grpc.AuthServiceStub(channel).WhoAmI(
            auth_pb2.WhoAmIRequest(), metadata=(("authorization", header),)
        )
        with contextlib.suppress(aio.AioRpcError):
            await call
        assert await call.code() == code


async def test_a_checks_credentials_are_shown_to_admins_only(server: ServerApp) -> None:
    """An Authorization header on a check is the admin's secret: viewers and operators read
    the check with that value redacted, and the other headers as they are."""
    check = hp.HealthCheck(
        name="api-auth", kind=hp.CHECK_KIND_HTTP, target_kind=hp.TARGET_KIND_ADDRESS,
        address="http://127.0.0.1:9/orders", interval_seconds=30, timeout_seconds=2,
        conditions="[STATUS] == 200", failure_threshold=1, success_threshold=1, paused=True,
        http=hp.HttpSpec(method="GET", path="/", status_min=200, status_max=299, headers=[
            hp.Header(name="Authorization", value="Bearer s3cr3t-value"),
            hp.Header(name="X-Api-Key", value="k-123"),
            hp.Header(name="Accept", value="application/json"),
        ]),
    )  # fmt: skip
    async with authed_channel(server.address, ROLE_TOKENS["admin"]) as channel:
        admin = hp_grpc.HealthCheckServiceStub(channel)
        created = await admin.CreateCheck(hp.CreateCheckRequest(check=check))
        got = await admin.GetCheck(hp.GetCheckRequest(check_id=created.id))
        assert [(h.name, h.value) for h in got.http.headers][0] == (
            "Authorization", "Bearer s3cr3t-value"
        )  # fmt: skip
    for role in ("viewer", "operator"):
        async with authed_channel(server.address, ROLE_TOKENS[role]) as channel:
            stub = hp_grpc.HealthCheckServiceStub(channel)
            one = await stub.GetCheck(hp.GetCheckRequest(check_id=created.id))
            listed = (await stub.ListChecks(hp.ListChecksRequest())).checks
            for seen in (one, *listed):
                headers = {h.name: h.value for h in seen.http.headers}
                assert headers == {
                    "Authorization": "[redacted]",
                    "X-Api-Key": "[redacted]",
                    "Accept": "application/json",
                }, role
