"""Property: every RPC of every clustergenie.v1 service, fed random and boundary messages, ends in
OK or a documented error code with a message, never UNKNOWN/INTERNAL, and the server lives on."""

from __future__ import annotations

import asyncio
import importlib
import os
import pkgutil
from dataclasses import dataclass
from typing import Any

import grpc
import pytest
from google.protobuf.descriptor import MethodDescriptor
from google.protobuf.message import Message
from google.protobuf.message_factory import GetMessageClass
from grpc import aio
from grpc_health.v1 import health_pb2, health_pb2_grpc
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import clustergenie_server.api.v1 as api_v1
from clustergenie_server.api.v1 import provisioning_pb2 as pb

from .conftest import STREAM_END, Api
from .proto_strategies import messages

OK = grpc.StatusCode.OK
DOCUMENTED = {
    OK,
    grpc.StatusCode.INVALID_ARGUMENT,
    grpc.StatusCode.NOT_FOUND,
    grpc.StatusCode.ALREADY_EXISTS,
    grpc.StatusCode.FAILED_PRECONDITION,
    grpc.StatusCode.RESOURCE_EXHAUSTED,
    grpc.StatusCode.OUT_OF_RANGE,
    grpc.StatusCode.UNAVAILABLE,
}
UNARY_DEADLINE = 15.0  # a unary call that takes longer than this hangs: a bug
STREAM_READ_TIMEOUT = 0.2  # streams may idle; read a few messages, then cancel
STREAM_READS = 3

# Modest and deterministic in CI: each RPC gets its own fresh server, so the whole module stays
# within about a minute; derandomize makes CI runs repeatable (and failures reproducible).
_IN_CI = os.environ.get("CI", "").lower() == "true"
_PROFILE: dict[str, Any] = {
    "deadline": None,
    "derandomize": _IN_CI,
    "database": None,  # no .hypothesis/ directory in the work tree
    "suppress_health_check": [
        HealthCheck.function_scoped_fixture,  # one server per RPC is shared by its examples
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
}
# CLUSTERGENIE_FUZZ_EXAMPLES=500 hunts longer on a developer's machine.
_EXAMPLES = int(os.environ.get("CLUSTERGENIE_FUZZ_EXAMPLES", "25"))
settings.register_profile("rpc-fuzz", max_examples=_EXAMPLES, **_PROFILE)
UNARY_SETTINGS = settings(settings.get_profile("rpc-fuzz"))
STREAM_SETTINGS = settings(UNARY_SETTINGS, max_examples=max(_EXAMPLES // 2, 5))  # streams idle


@dataclass(frozen=True)
class Rpc:
    """One RPC of the contract, found through the generated descriptors."""

    path: str
    method: MethodDescriptor

    @property
    def streaming(self) -> bool:
        """True for server-streaming RPCs."""
        return bool(self.method.server_streaming)


def discover_rpcs() -> list[Rpc]:
    """Every method of every clustergenie.v1 service in the generated *_pb2 modules."""
    rpcs = []
    for info in pkgutil.iter_modules(api_v1.__path__):
        if not info.name.endswith("_pb2"):
            continue
        module = importlib.import_module(f"{api_v1.__name__}.{info.name}")
        for service in module.DESCRIPTOR.services_by_name.values():
            if not service.full_name.startswith("clustergenie.v1."):
                continue
            for method in service.methods:
                rpcs.append(Rpc(f"/{service.full_name}/{method.name}", method))
    return sorted(rpcs, key=lambda r: r.path)


RPCS = discover_rpcs()
UNARY = [r for r in RPCS if not r.streaming]
STREAMS = [r for r in RPCS if r.streaming and not r.method.client_streaming]
BIDI = [r for r in RPCS if r.streaming and r.method.client_streaming]  # IngestLogs


def _id(rpc: Rpc) -> str:
    return rpc.path.rsplit(".", 1)[-1].replace("/", ".")


async def call_unary(
    channel: aio.Channel, rpc: Rpc, request: Message
) -> tuple[grpc.StatusCode, str]:
    """(code, details) of one unary call."""
    response_cls = GetMessageClass(rpc.method.output_type)
    call = channel.unary_unary(
        rpc.path,
        request_serializer=lambda m: m.SerializeToString(),
        response_deserializer=response_cls.FromString,
    )
    try:
        await call(request, timeout=UNARY_DEADLINE)
    except aio.AioRpcError as error:
        return error.code(), error.details() or ""
    return OK, ""


async def call_stream(
    channel: aio.Channel, rpc: Rpc, request: Message
) -> tuple[grpc.StatusCode, str]:
    """(code, details) of a stream read for a few messages, then cancelled by us (OK)."""
    response_cls = GetMessageClass(rpc.method.output_type)
    call = channel.unary_stream(
        rpc.path,
        request_serializer=lambda m: m.SerializeToString(),
        response_deserializer=response_cls.FromString,
    )(request)
    try:
        for _ in range(STREAM_READS):
            message = await asyncio.wait_for(call.read(), STREAM_READ_TIMEOUT)
            if message is STREAM_END:
                return await call.code(), await call.details() or ""
    except TimeoutError:
        # An idle stream is fine (it waits for changes); wait_for cancelled the call for us.
        call.cancel()
        return OK, ""
    except aio.AioRpcError as error:
        return error.code(), error.details() or ""
    call.cancel()  # it answered: enough
    return OK, ""


async def call_bidi(
    channel: aio.Channel, rpc: Rpc, request: Message
) -> tuple[grpc.StatusCode, str]:
    """(code, details) of a bidirectional call sent one message, then closed by us."""
    response_cls = GetMessageClass(rpc.method.output_type)
    call = channel.stream_stream(
        rpc.path,
        request_serializer=lambda m: m.SerializeToString(),
        response_deserializer=response_cls.FromString,
    )(iter([request]))
    try:
        async with asyncio.timeout(STREAM_READ_TIMEOUT * STREAM_READS):
            async for _ in call:
                pass
    except TimeoutError:
        call.cancel()
        return OK, ""
    except aio.AioRpcError as error:
        return error.code(), error.details() or ""
    return OK, ""


async def assert_serving(channel: aio.Channel) -> None:
    """The server still answers a health check."""
    stub = health_pb2_grpc.HealthStub(channel)
    reply = await stub.Check(health_pb2.HealthCheckRequest(), timeout=5)
    assert reply.status == health_pb2.HealthCheckResponse.SERVING


def check(rpc: Rpc, request: Message, code: grpc.StatusCode, details: str) -> None:
    """Fail with the request that produced an undocumented code or a silent error."""
    shown = str(request)[:500]
    assert code in DOCUMENTED, f"{rpc.path} -> {code.name} ({details!r}) for:\n{shown}"
    assert code is OK or details.strip(), f"{rpc.path} -> {code.name} without a message"


@pytest.fixture
async def seeded(api: Api) -> Api:
    """A server with one small cluster, so that small ids name rows that exist."""
    created = await api.provisioning.CreateCluster(
        pb.CreateClusterRequest(
            name="seed",
            region="nyc1",
            size="s-1vcpu-1gb",
            image="ubuntu-24-04-x64",
            droplet_count=2,
        )
    )
    await api.wait_jobs([j.id for j in created.jobs])
    return api


def test_every_service_is_discovered() -> None:
    """The fuzzed list grows with the contract: each service of the API is in it."""
    services = {r.path.split("/")[1].rsplit(".", 1)[-1] for r in RPCS}
    assert {"ProvisioningService", "JobService"} <= services
    assert STREAMS
    assert UNARY


@pytest.mark.parametrize("rpc", UNARY, ids=_id)
@UNARY_SETTINGS
@given(data=st.data())
async def test_unary_rpc_survives_random_requests(
    seeded: Api, rpc: Rpc, data: st.DataObject
) -> None:
    """Each unary RPC answers any message with OK or a documented, explained error."""
    request = data.draw(messages(rpc.method.input_type), label="request")
    code, details = await call_unary(seeded.channel, rpc, request)
    check(rpc, request, code, details)
    await assert_serving(seeded.channel)


@pytest.mark.parametrize("rpc", STREAMS, ids=_id)
@STREAM_SETTINGS
@given(data=st.data())
async def test_stream_rpc_survives_random_requests(
    seeded: Api, rpc: Rpc, data: st.DataObject
) -> None:
    """Each streaming RPC starts (or refuses with a documented error) and can be cancelled."""
    request = data.draw(messages(rpc.method.input_type), label="request")
    code, details = await call_stream(seeded.channel, rpc, request)
    check(rpc, request, code, details)
    await assert_serving(seeded.channel)


@pytest.mark.parametrize("rpc", BIDI, ids=_id)
@STREAM_SETTINGS
@given(data=st.data())
async def test_bidi_rpc_survives_random_requests(
    seeded: Api, rpc: Rpc, data: st.DataObject
) -> None:
    """Each bidirectional RPC takes any message (or refuses it with a documented error)."""
    request = data.draw(messages(rpc.method.input_type), label="request")
    code, details = await call_bidi(seeded.channel, rpc, request)
    check(rpc, request, code, details)
    await assert_serving(seeded.channel)
