"""Types for grpc_health's asyncio servicer (health.aio), which grpc-stubs does not cover."""

from grpc import aio
from grpc_health.v1 import health_pb2 as _health_pb2

class HealthServicer:
    """The standard health service, for grpc.aio servers (add_HealthServicer_to_server)."""

    def __init__(self) -> None: ...
    async def Check(
        self, request: _health_pb2.HealthCheckRequest, context: aio.ServicerContext[object, object]
    ) -> _health_pb2.HealthCheckResponse: ...
    async def set(
        self, service: str, status: _health_pb2.HealthCheckResponse.ServingStatus.ValueType
    ) -> None: ...
    async def enter_graceful_shutdown(self) -> None: ...
