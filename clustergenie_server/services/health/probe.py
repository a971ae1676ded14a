"""What one probe saw, before the conditions judge it, and the interface every prober follows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from clustergenie_server.domain.health import CheckDefinition, Phases, Target


@dataclass(frozen=True, slots=True)
class Probe:
    """The raw observation of one probe."""

    connected: bool
    latency_ms: float
    status_code: int = 0
    body: bytes = b""
    error: str = ""
    phases: Phases = field(default_factory=Phases)
    cert_expiry_at: float | None = None


class Prober(Protocol):
    """Probes one target of a check from one location."""

    async def probe(self, check: CheckDefinition, target: Target, location: str) -> Probe: ...


class GrpcHealthProbe(Protocol):
    """A grpc.health.v1 Check against host:port (implemented in rpc/, which may use grpc)."""

    async def check(self, address: str, service: str, limit_seconds: float) -> tuple[bool, str]: ...
