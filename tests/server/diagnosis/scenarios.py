"""Fault scenarios for the accuracy matrix: the simulation engine driven directly (fast), and
the window of telemetry an operator's tools would show of it (never the faults themselves)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np

from clustergenie_server.domain.deploys import Deployment, DeployState
from clustergenie_server.domain.diagnosis import FindingKind, Target
from clustergenie_server.domain.telemetry import Fault, FaultKind, FaultState
from clustergenie_server.services.diagnosis.window import DropletInfo, TelemetryWindow
from clustergenie_server.simulation.catalog import DEFAULT_CATALOG
from clustergenie_server.simulation.engine import ClusterInfo, SimulationEngine, TickResult
from clustergenie_server.simulation.engine import DropletInfo as SimDroplet

TICK = 10.0
CLUSTER_ID = 1
EXPECTED: dict[FaultKind, FindingKind] = {
    FaultKind.CPU_HOG: FindingKind.CPU_HOG,
    FaultKind.MEMORY_LEAK: FindingKind.MEMORY_LEAK,
    FaultKind.DISK_FILL: FindingKind.DISK_FILLING,
    FaultKind.NETWORK_LATENCY: FindingKind.NETWORK_LATENCY,
    FaultKind.NETWORK_PARTITION: FindingKind.NETWORK_PARTITION,
    FaultKind.CRASH_LOOP: FindingKind.CRASH_LOOP,
    FaultKind.BAD_DEPLOY: FindingKind.BAD_DEPLOY,
    FaultKind.TRAFFIC_SPIKE: FindingKind.TRAFFIC_SURGE,
}
SIZES = ("s-1vcpu-1gb", "s-2vcpu-2gb", "s-2vcpu-4gb", "s-4vcpu-8gb")


@dataclass(frozen=True, slots=True)
class Injection:
    """One fault of a scenario: kind, target droplet (0: the cluster) and magnitude."""

    kind: FaultKind
    droplet_id: int
    magnitude: float

    cluster_wide: bool = False  # a bad deploy to the whole cluster

    @property
    def expected(self) -> tuple[FindingKind, int]:
        """The root cause a right diagnosis names: its kind and target droplet (0: cluster)."""
        return EXPECTED[self.kind], 0 if self.cluster_wide else self.droplet_id


@dataclass(slots=True)
class Scenario:
    """A cluster, its traffic, and the faults injected after a healthy warm-up."""

    seed: int
    droplets: int
    flat: bool
    utilisation: float  # of the cluster's capacity, before any fault
    injections: Sequence[Injection] = ()
    warmup_minutes: float = 40.0
    after_minutes: float = 10.0
    mixed_sizes: bool = False
    start_hour: float = 10.0
    cluster_wide_deploy: bool = False
    window_minutes: float = 30.0
    extra: dict[str, float] = field(default_factory=dict)


def _fault(i: int, inj: Injection, at: float) -> Fault:
    when = datetime.fromtimestamp(at, UTC)
    return Fault(
        i, inj.kind, CLUSTER_ID, inj.droplet_id or None, inj.magnitude, when, 0.0,
        FaultState.ACTIVE, None, "", when,
    )  # fmt: skip


def run(s: Scenario) -> TelemetryWindow:
    """Simulate the scenario and return the window an operator would diagnose.

    With cluster_wide_deploy a bad deploy rolls to every droplet (its Injection should say
    cluster_wide, so the expected target is the cluster)."""
    rng = np.random.default_rng([s.seed, 77])
    sizes = [
        SIZES[int(rng.integers(len(SIZES)))] if s.mixed_sizes else SIZES[1]
        for _ in range(s.droplets)
    ]
    vcpus = [DEFAULT_CATALOG.size(z).vcpus for z in sizes]  # type: ignore[union-attr]
    rps = s.utilisation * 100.0 * sum(vcpus)
    tags = (f"rps:{rps:.0f}",) + (("traffic:flat",) if s.flat else ())
    engine = SimulationEngine(
        s.seed, DEFAULT_CATALOG, tick_seconds=TICK, bursts_per_day=0.0 if s.flat else 4.0
    )
    sim_droplets = [SimDroplet(i + 1, CLUSTER_ID, z) for i, z in enumerate(sizes)]
    engine.set_inventory([ClusterInfo(CLUSTER_ID, tags)], sim_droplets)
    day = 86_400.0 * (20_000 + s.seed % 7)
    t0 = day + s.start_hour * 3600.0
    inject_at = t0 + s.warmup_minutes * 60.0
    end = inject_at + s.after_minutes * 60.0
    deploys: list[Deployment] = []
    errors: dict[int, float] = {}
    faults = [
        _fault(i, inj, inject_at) for i, inj in enumerate(s.injections)
        if inj.kind is not FaultKind.BAD_DEPLOY
    ]  # fmt: skip
    bad = [inj for inj in s.injections if inj.kind is FaultKind.BAD_DEPLOY]
    engine.set_faults(faults)
    ticks: list[TickResult] = []
    t = t0
    while t < end:
        for n, inj in enumerate(bad):
            if t >= inject_at and not deploys[n:]:
                deploys.append(_deploy(n + 1, inj, inject_at, s))
            if t >= inject_at:
                # A canary reaches its droplet; a whole-cluster deploy rolls droplet by droplet.
                whole = s.cluster_wide_deploy or not inj.droplet_id
                rolled = [
                    d.id for d in sim_droplets if t >= inject_at + (d.id - 1) * 3 * TICK
                ] if whole else [inj.droplet_id]  # fmt: skip
                errors.update({d: inj.magnitude for d in rolled})
        engine.set_version_errors(errors)
        ticks.append(engine.tick(t))
        t += TICK
    # As the service reads it: the window, and as long again before it for the baselines.
    return _window(ticks, sizes, end - 2 * s.window_minutes * 60.0, end, deploys)


def _deploy(n: int, inj: Injection, at: float, s: Scenario) -> Deployment:
    whole = s.cluster_wide_deploy or not inj.droplet_id
    total = s.droplets if whole else 1
    return Deployment(
        n, CLUSTER_ID, None if whole else inj.droplet_id, f"v1.0.{n}", f"v1.0.{n - 1}", False,
        DeployState.SUCCEEDED, None, at, at + total * 3 * TICK, total, total,
    )  # fmt: skip


def _window(
    ticks: list[TickResult], sizes: list[str], since: float, until: float, deploys: list[Deployment]
) -> TelemetryWindow:
    kept = [r for r in ticks if since <= r.t < until]
    times = np.array([r.t for r in kept])
    cluster = np.vstack([r.cluster_values[0] for r in kept])
    n = len(sizes)
    droplets = np.full((n, len(kept), cluster.shape[1]), np.nan)
    for j, r in enumerate(kept):
        for k, d in enumerate(r.droplet_ids.tolist()):
            droplets[d - 1, j] = r.droplet_values[k]
    infos = tuple(
        DropletInfo(
            Target(CLUSTER_ID, i + 1, f"web-{i + 1}"),
            DEFAULT_CATALOG.size(z).vcpus,  # type: ignore[union-attr]
            DEFAULT_CATALOG.size(z).memory_mb,  # type: ignore[union-attr]
            z,
        )
        for i, z in enumerate(sizes)
    )
    return TelemetryWindow(
        Target(CLUSTER_ID, 0, "web"), since, until, TICK, times, cluster, infos, droplets,
        deploys=tuple(deploys),
    )  # fmt: skip
