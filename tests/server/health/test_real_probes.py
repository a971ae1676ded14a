"""Real HTTP, TCP and gRPC-health probes against servers this test starts on 127.0.0.1."""

from __future__ import annotations

import asyncio
import datetime as dt
import ssl
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from grpc import aio
from grpc_health.v1 import _async as health_aio  # health.aio: grpc-stubs leaves it out
from grpc_health.v1 import health_pb2, health_pb2_grpc

from clustergenie_server.domain.health import (
    CheckDefinition,
    CheckKind,
    CheckResult,
    HttpSpec,
    Outcome,
    Target,
    TargetKind,
)
from clustergenie_server.rpc.grpc_health_probe import GrpcHealthProber
from clustergenie_server.services.health.checkers import Probers, SimWorld, judge
from clustergenie_server.services.health.conditions import parse
from clustergenie_server.services.health.probe import Probe
from clustergenie_server.services.health.real_http import http_probe
from clustergenie_server.services.health.real_net import tcp_probe

NO_WORLD = SimWorld(lambda: (), lambda: 0.0, lambda _: None, lambda _: [])


async def _app(hang: asyncio.Event) -> web.Application:
    async def ok(request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    async def down(request: web.Request) -> web.Response:
        return web.Response(status=503, text="maintenance")

    async def slow(request: web.Request) -> web.Response:
        await hang.wait()  # answers only when the test ends
        return web.Response(text="late")

    async def moved(request: web.Request) -> web.Response:
        raise web.HTTPFound("/ok")

    app = web.Application()
    app.router.add_get("/ok", ok)
    app.router.add_get("/down", down)
    app.router.add_get("/slow", slow)
    app.router.add_get("/moved", moved)
    return app


@pytest.fixture
async def http_server() -> AsyncIterator[str]:
    """An aiohttp server on a free port; yields its base URL."""
    hang = asyncio.Event()
    runner = web.AppRunner(await _app(hang))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    yield f"http://127.0.0.1:{port}"
    hang.set()
    await runner.cleanup()


def _expired_cert(directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 that expired yesterday."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=10)).not_valid_after(now - dt.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )  # fmt: skip
    cert_path, key_path = directory / "expired.pem", directory / "expired.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )  # fmt: skip
    return cert_path, key_path


def _judged(check: CheckDefinition, probe: Probe) -> CheckResult:
    return judge(
        check,
        parse(check.conditions),
        Target("address"),
        "nyc1",
        probe,
        at=time.time(),
        scheduled_at=0.0,
    )


def _http_check(url: str, conditions: str = "", *, tls_insecure: bool = False) -> CheckDefinition:
    return CheckDefinition(
        1, "real", CheckKind.HTTP, TargetKind.ADDRESS, address=url, interval_seconds=2,
        timeout_seconds=0.5, conditions=conditions, http=HttpSpec(tls_insecure=tls_insecure),
    )  # fmt: skip


async def test_http_200_with_phases_and_a_json_condition(http_server: str) -> None:
    check = _http_check(f"{http_server}/moved", '[STATUS] == 200 && [BODY].status == "ok"')
    probe = await Probers(NO_WORLD, None).probe(check, Target("address"), "nyc1")
    assert (probe.connected, probe.status_code) == (True, 200)  # the redirect was followed
    assert probe.phases.connect_ms > 0
    assert probe.phases.first_byte_ms > 0
    assert _judged(check, probe).outcome is Outcome.PASS


async def test_http_503_fails_with_the_reason(http_server: str) -> None:
    check = _http_check(f"{http_server}/down", "[STATUS] == 200")
    result = _judged(check, await http_probe(check.address, check.http, 1.0))
    assert result.outcome is Outcome.FAIL
    assert result.reason == "HTTP 503 is outside 200-399"


async def test_a_hanging_server_times_out(http_server: str) -> None:
    probe = await http_probe(f"{http_server}/slow", HttpSpec(), 0.3)
    assert (probe.connected, probe.error) == (False, "timed out after 0.3s")
    assert 300 <= probe.latency_ms < 1000


async def test_an_expired_certificate(tmp_path: Path, http_server: str) -> None:
    cert, key = _expired_cert(tmp_path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    hang = asyncio.Event()
    runner = web.AppRunner(await _app(hang))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=context)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        url = f"https://127.0.0.1:{port}/ok"
        verified = await http_probe(url, HttpSpec(), 2.0)
        assert not verified.connected
        assert verified.error.startswith("TLS: ")
        check = _http_check(url, "[CERT_EXPIRY] > 72h", tls_insecure=True)
        probe = await http_probe(url, check.http, 2.0)
        assert probe.connected
        assert probe.phases.tls_ms > 0
        assert probe.cert_expiry_at is not None
        assert probe.cert_expiry_at < dt.datetime.now(dt.UTC).timestamp()
        result = _judged(check, probe)
        assert result.outcome is Outcome.FAIL
        assert "[CERT_EXPIRY] was -" in result.reason
    finally:
        hang.set()
        await runner.cleanup()


async def test_tcp_connects_and_is_refused(http_server: str) -> None:
    address = http_server.removeprefix("http://")
    assert (await tcp_probe(address, 1.0)).connected
    refused = await tcp_probe("127.0.0.1:1", 1.0)
    assert (refused.connected, refused.error) == (False, "connection refused")


async def test_grpc_health_serving_and_not_serving() -> None:
    server = aio.server()
    servicer = health_aio.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(servicer, server)
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    try:
        check = CheckDefinition(
            2, "grpc", CheckKind.GRPC, TargetKind.ADDRESS, address=f"127.0.0.1:{port}",
            interval_seconds=2, timeout_seconds=1,
        )  # fmt: skip
        probers = Probers(NO_WORLD, GrpcHealthProber())
        await servicer.set("", health_pb2.HealthCheckResponse.SERVING)
        assert (
            _judged(check, await probers.probe(check, Target("address"), "nyc1")).outcome
            is Outcome.PASS
        )
        await servicer.set("", health_pb2.HealthCheckResponse.NOT_SERVING)
        result = _judged(check, await probers.probe(check, Target("address"), "nyc1"))
        assert (result.outcome, result.reason) == (Outcome.FAIL, "gRPC health: NOT_SERVING")
    finally:
        await server.stop(None)
