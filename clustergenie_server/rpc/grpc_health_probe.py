"""The grpc.health.v1 prober for health checks (here because only rpc/ may use grpc)."""

from __future__ import annotations

import grpc
from grpc import aio
from grpc_health.v1 import health_pb2, health_pb2_grpc


class GrpcHealthProber:
    """Calls grpc.health.v1 Check on a real host:port (plaintext)."""

    async def check(self, address: str, service: str, limit_seconds: float) -> tuple[bool, str]:
        """(serving, status name or error code)."""
        async with aio.insecure_channel(address) as channel:
            stub = health_pb2_grpc.HealthStub(channel)
            try:
                reply = await stub.Check(
                    health_pb2.HealthCheckRequest(service=service), timeout=limit_seconds
                )
            except aio.AioRpcError as exc:
                code: grpc.StatusCode = exc.code()
                return False, code.name
        name = health_pb2.HealthCheckResponse.ServingStatus.Name(reply.status)
        return reply.status == health_pb2.HealthCheckResponse.SERVING, name
