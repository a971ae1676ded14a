"""Fault injection: validate, persist (so a restart keeps them), announce, and clear."""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy.orm import Session

from clustergenie_server.bus.outbox import Outbox
from clustergenie_server.db import ClusterRepository, Database, DropletRepository
from clustergenie_server.db.fault_repository import FaultRepository
from clustergenie_server.domain.errors import FailedPrecondition, InvalidArgument, NotFound
from clustergenie_server.domain.events import Event, FaultChanged
from clustergenie_server.domain.models import ClusterStatus, DropletStatus
from clustergenie_server.domain.telemetry import (
    FAULT_DEFAULTS,
    FAULT_LIMITS,
    Fault,
    FaultKind,
    FaultState,
)
from clustergenie_server.services.deploys.deploy_service import DeployRequest, DeployService
from clustergenie_server.services.shared import validation
from clustergenie_server.services.telemetry.telemetry_runner import TelemetryRunner
from clustergenie_server.simulation.clock import as_datetime

MAX_START_AFTER = 7 * 86_400.0
MAX_DURATION = 30 * 86_400.0
_LABELS = {
    FaultKind.CPU_HOG: "CPU hog ({m:.0%})",
    FaultKind.MEMORY_LEAK: "memory leak ({m:g} %/min)",
    FaultKind.DISK_FILL: "disk filling ({m:g} %/min)",
    FaultKind.NETWORK_LATENCY: "network latency (+{m:g} ms)",
    FaultKind.NETWORK_PARTITION: "network partition",
    FaultKind.CRASH_LOOP: "crash loop (every {m:g} s)",
    FaultKind.BAD_DEPLOY: "bad deploy ({m:.0%} errors)",
    FaultKind.TRAFFIC_SPIKE: "traffic spike (×{m:g})",
}


@dataclass(frozen=True, slots=True)
class FaultRequest:
    """What InjectFault asks for; zeros mean "the default"."""

    kind: FaultKind
    cluster_id: int
    droplet_id: int = 0
    magnitude: float = 0.0
    start_after_seconds: float = 0.0
    duration_seconds: float = 0.0


def check_magnitude(kind: FaultKind, magnitude: float) -> float:
    """The magnitude to use: the kind's default for 0, else one within the kind's limits."""
    if magnitude == 0:
        return FAULT_DEFAULTS[kind]
    low, high, what = FAULT_LIMITS[kind]
    if not low <= magnitude <= high:
        raise InvalidArgument(f"magnitude {magnitude:g} is out of range for {kind.value}: {what}")
    return magnitude


class FaultService:
    """Injects, lists and clears faults; the runner applies them from its next refresh."""

    def __init__(
        self,
        db: Database,
        outbox: Outbox,
        runner: TelemetryRunner,
        deploys: DeployService | None = None,
    ) -> None:
        self._db, self._outbox, self._runner = db, outbox, runner
        self._deploys = deploys

    async def inject(self, r: FaultRequest) -> Fault:
        """Persist a new fault and start applying it at its start time."""
        validation.positive_id(r.cluster_id, "cluster")
        if r.droplet_id < 0:
            raise InvalidArgument(
                f"droplet id must be 0 (whole cluster) or positive: {r.droplet_id}"
            )
        if r.kind is FaultKind.TRAFFIC_SPIKE and r.droplet_id:
            raise InvalidArgument("a traffic spike hits a whole cluster; set droplet_id to 0")
        magnitude = check_magnitude(r.kind, r.magnitude)
        if not 0 <= r.start_after_seconds <= MAX_START_AFTER:
            raise InvalidArgument(
                f"start_after_seconds {r.start_after_seconds:g} is out of range; give 0 (now) "
                f"to {MAX_START_AFTER:g}"
            )
        if not 0 <= r.duration_seconds <= MAX_DURATION:
            raise InvalidArgument(
                f"duration_seconds {r.duration_seconds:g} is out of range; give 0 (until "
                f"cleared) to {MAX_DURATION:g}"
            )
        if r.kind is FaultKind.BAD_DEPLOY and r.start_after_seconds > 0:
            raise InvalidArgument(
                "a bad deploy is deployed when it is injected; give start_after_seconds 0"
            )
        now = self._runner.clock.now()
        state = FaultState.SCHEDULED if r.start_after_seconds > 0 else FaultState.ACTIVE

        def change(s: Session) -> tuple[Fault, list[Event]]:
            target = _target_name(s, r.cluster_id, r.droplet_id)
            label = _LABELS[r.kind].format(m=magnitude)
            lasting = f" for {r.duration_seconds:g} s" if r.duration_seconds else ""
            fault = FaultRepository(s).add(
                kind=r.kind,
                cluster_id=r.cluster_id,
                droplet_id=r.droplet_id or None,
                magnitude=magnitude,
                start_at=as_datetime(now + r.start_after_seconds),
                duration_seconds=r.duration_seconds,
                state=state,
                description=f"{label} on {target}{lasting}",
                now=as_datetime(now),
            )
            return fault, [FaultChanged(fault)]

        # The telemetry runner (of whichever server leads) hears of it on the bus and acts.
        fault = await self._outbox.commit(change)
        if r.kind is FaultKind.BAD_DEPLOY and self._deploys is not None:
            # A bad deploy is a bad version: deploy one, flawed; its effect follows the rollout
            # and ends with a rollback (or when the fault is cleared or expires: a hotfix).
            await self._deploys.deploy(
                DeployRequest(
                    r.cluster_id,
                    droplet_id=r.droplet_id,
                    defect_error_rate=magnitude,
                    fault_id=fault.id,
                )
            )
        return fault

    async def list(self, *, cluster_id: int = 0, include_ended: bool = False) -> list[Fault]:
        """Faults, newest first, each in the state it has now."""
        now = self._runner.clock.now()
        faults = await self._db.read(
            lambda s: FaultRepository(s).list(
                cluster_id=cluster_id or None, include_ended=include_ended
            )
        )
        # The runner moves states on its next refresh; show them as they are meanwhile.
        return [replace(f, state=f.state_at(now)) for f in faults]

    async def clear(self, fault_id: int) -> Fault:
        """End a scheduled or active fault now."""
        validation.positive_id(fault_id, "fault")
        now = self._runner.clock.now()

        def change(s: Session) -> tuple[Fault, list[Event]]:
            repo = FaultRepository(s)
            fault = repo.get(fault_id)
            if fault is None:
                raise NotFound(f"fault {fault_id} does not exist")
            state = fault.state_at(now)
            if state in (FaultState.CLEARED, FaultState.EXPIRED):
                raise FailedPrecondition(f"fault {fault_id} has ended already ({state.value})")
            cleared = repo.set_state(fault_id, FaultState.CLEARED, as_datetime(now))
            return cleared, [FaultChanged(cleared)]

        # The telemetry runner (of whichever server leads) hears of it on the bus and acts.
        return await self._outbox.commit(change)


def _target_name(s: Session, cluster_id: int, droplet_id: int) -> str:
    cluster = ClusterRepository(s).get(cluster_id)
    if cluster is None:
        raise NotFound(f"cluster {cluster_id} does not exist")
    if cluster.status is not ClusterStatus.ACTIVE:
        raise FailedPrecondition(f"cluster {cluster.name} is {cluster.status.value}")
    if not droplet_id:
        return f"cluster {cluster.name}"
    droplet = DropletRepository(s).get(droplet_id)
    if droplet is None or droplet.cluster_id != cluster_id:
        raise NotFound(f"droplet {droplet_id} does not exist in cluster {cluster.name}")
    if droplet.status is DropletStatus.ARCHIVE:
        raise FailedPrecondition(f"droplet {droplet.name} is destroyed")
    return droplet.name
