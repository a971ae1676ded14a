"""What active faults do this tick, as per-droplet arrays the metric model applies."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from clustergenie_server.domain.telemetry import Fault, FaultKind

CRASH_DOWN_SHARE = 1 / 3  # a crash-looping droplet is down for this share of each period


@dataclass(slots=True)
class FaultEffects:
    """Per-droplet effects (arrays in droplet order) and per-cluster traffic multipliers."""

    cpu_hog: np.ndarray  # share of CPU taken, 0..1
    leak_rate: np.ndarray  # memory percent per simulated minute
    disk_fill_rate: np.ndarray  # disk percent per simulated minute
    extra_latency_ms: np.ndarray
    partitioned: np.ndarray  # bool
    crashed: np.ndarray  # bool: down in this tick's part of a crash loop
    error_rate: np.ndarray  # error rate of a bad deploy
    spike: dict[int, float] = field(default_factory=dict)

    @classmethod
    def none(cls, n: int) -> FaultEffects:
        """No faults on n droplets."""
        zeros = np.zeros(n)
        return cls(
            zeros, zeros.copy(), zeros.copy(), zeros.copy(),
            np.zeros(n, bool), np.zeros(n, bool), zeros.copy(),
        )  # fmt: skip


def fault_effects(
    faults: Sequence[Fault],
    t: float,
    droplet_ids: np.ndarray,
    cluster_ids: np.ndarray,
    index_of: Mapping[int, int],
) -> FaultEffects:
    """Combine the faults active at t: hogs and error rates take the max, rates add up."""
    fx = FaultEffects.none(len(droplet_ids))
    for fault in faults:
        if not fault.active_at(t):
            continue
        if fault.kind is FaultKind.TRAFFIC_SPIKE:
            fx.spike[fault.cluster_id] = fx.spike.get(fault.cluster_id, 1.0) * fault.magnitude
            continue
        if fault.droplet_id is None:
            mask = cluster_ids == fault.cluster_id
        else:
            mask = np.zeros(len(droplet_ids), bool)
            if (i := index_of.get(fault.droplet_id)) is not None:
                mask[i] = True
        _apply(fx, fault, mask, t)
    return fx


def _apply(fx: FaultEffects, fault: Fault, mask: np.ndarray, t: float) -> None:
    m = fault.magnitude
    match fault.kind:
        case FaultKind.CPU_HOG:
            fx.cpu_hog[mask] = np.maximum(fx.cpu_hog[mask], m)
        case FaultKind.MEMORY_LEAK:
            fx.leak_rate[mask] += m
        case FaultKind.DISK_FILL:
            fx.disk_fill_rate[mask] += m
        case FaultKind.NETWORK_LATENCY:
            fx.extra_latency_ms[mask] += m
        case FaultKind.NETWORK_PARTITION:
            fx.partitioned[mask] = True
        case FaultKind.CRASH_LOOP:
            phase = (t - fault.start_at.timestamp()) % m
            if phase < m * CRASH_DOWN_SHARE:
                fx.crashed[mask] = True
        case FaultKind.BAD_DEPLOY:
            fx.error_rate[mask] = np.maximum(fx.error_rate[mask], m)
        case _:
            pass
