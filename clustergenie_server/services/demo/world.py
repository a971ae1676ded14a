"""The services a demo script drives (the public ones, as an operator's calls would) and the
alerts it waits for."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from clustergenie_server.services.diagnosis.diagnosis_service import DiagnosisService
from clustergenie_server.services.provisioning.provisioning_service import ProvisioningService
from clustergenie_server.services.scaling.scaling_service import ScalingService
from clustergenie_server.services.telemetry.fault_service import FaultService
from clustergenie_server.simulation.clock import SimClock

# An alert Health raised on (cluster id, droplet id): the check's name and the attached cause
# ("" while it has none). The demo asks for the newest alert on a target; None: none yet.
AlertLookup = Callable[[int, int], Awaitable[tuple[str, str] | None]]
# Health checks the script puts in place: (cluster id, cluster name) -> names of the checks.
CheckSetup = Callable[[int, str], Awaitable[list[str]]]


@dataclass(frozen=True, slots=True)
class DemoWorld:
    """Everything a step may call."""

    provisioning: ProvisioningService
    scaling: ScalingService
    faults: FaultService
    diagnosis: DiagnosisService
    clock: SimClock
    alerts: AlertLookup | None = None  # Health's alerts; None on a server without Health
    add_checks: CheckSetup | None = None

    async def sleep(self, simulated_seconds: float) -> None:
        """Let simulated time pass."""
        await self.clock.sleep_until(self.clock.now() + simulated_seconds)
