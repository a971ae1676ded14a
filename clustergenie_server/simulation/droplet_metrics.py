"""Per-droplet metrics as numpy arrays: load against capacity (from the size), plus faults."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from clustergenie_server.domain.telemetry import METRICS, Metric
from clustergenie_server.simulation.faults import FaultEffects

RPS_PER_VCPU = 100.0  # requests/s one vCPU serves at 100 % CPU
SERVICE_MS = 20.0  # latency of a request on an idle droplet
IDLE_CPU = 2.0
BASE_MEMORY_MB = 180.0  # the OS and the app at rest
MEMORY_MB_PER_RPS = 0.4
OOM_RESTART_SECONDS = 30.0  # a droplet killed for memory is down this long
DISK_RECLAIM_PER_MINUTE = 2.0  # without a fill fault, log rotation frees this much
FULL_DISK = 99.0
FULL_DISK_ERROR_RATE = 0.5
MAX_LATENCY_MS = 30_000.0
COLS = {m: m.column for m in METRICS}


@dataclass(slots=True)
class DropletArrays:
    """State of the active droplets, one element per droplet (the engine keeps the order)."""

    ids: np.ndarray  # int64
    cluster_index: np.ndarray  # index into the engine's cluster arrays
    vcpus: np.ndarray
    memory_mb: np.ndarray
    draining: np.ndarray  # bool: no traffic is routed to it
    leaked_mb: np.ndarray
    disk_percent: np.ndarray
    disk_floor: np.ndarray  # where the disk settles without faults
    restart_until: np.ndarray  # simulated time until which an OOM restart keeps it down

    def __len__(self) -> int:
        return len(self.ids)


def serving_mask(d: DropletArrays, fx: FaultEffects, t: float) -> np.ndarray:
    """Droplets the balancer routes to: not draining, reachable, up."""
    serving: np.ndarray = ~d.draining & ~fx.partitioned & ~fx.crashed & (d.restart_until <= t)
    return serving


def step_droplets(
    d: DropletArrays,
    fx: FaultEffects,
    routed_rps: np.ndarray,
    t: float,
    dt: float,
    rng: np.random.Generator,
) -> np.ndarray:
    """Advance the droplets' state by dt and return their samples, shape (n, len(METRICS))."""
    n = len(d)
    out = np.zeros((n, len(METRICS)))
    full_capacity = d.vcpus * RPS_PER_VCPU
    capacity = np.maximum(full_capacity * (1.0 - fx.cpu_hog), 1e-6)
    served = np.minimum(routed_rps, capacity)
    rho = routed_rps / capacity

    cpu = IDLE_CPU + 100.0 * served / full_capacity + 100.0 * fx.cpu_hog
    out[:, COLS[Metric.CPU_PERCENT]] = np.clip(cpu + rng.normal(0, 1.0, n), 0.0, 100.0)

    # Memory leaks grow until the droplet is killed (OOM), which restarts it with clean memory.
    d.leaked_mb += fx.leak_rate / 100.0 * d.memory_mb * dt / 60.0
    memory = (BASE_MEMORY_MB + MEMORY_MB_PER_RPS * served + d.leaked_mb) / d.memory_mb * 100.0
    oom = memory >= 100.0
    if oom.any():
        d.leaked_mb[oom] = 0.0
        d.restart_until[oom] = t + OOM_RESTART_SECONDS
        memory[oom] = BASE_MEMORY_MB / d.memory_mb[oom] * 100.0
    out[:, COLS[Metric.MEMORY_PERCENT]] = np.clip(memory, 0.0, 100.0)

    filling = fx.disk_fill_rate > 0
    d.disk_percent += fx.disk_fill_rate * dt / 60.0
    reclaim = ~filling & (d.disk_percent > d.disk_floor)
    d.disk_percent[reclaim] = np.maximum(
        d.disk_floor[reclaim], d.disk_percent[reclaim] - DISK_RECLAIM_PER_MINUTE * dt / 60.0
    )
    np.clip(d.disk_percent, 0.0, 100.0, out=d.disk_percent)
    out[:, COLS[Metric.DISK_PERCENT]] = d.disk_percent

    out[:, COLS[Metric.NET_IN_MBPS]] = served * 0.016  # ~2 KB per request in
    out[:, COLS[Metric.NET_OUT_MBPS]] = served * 0.16  # ~20 KB per response out
    out[:, COLS[Metric.REQUESTS_PER_SECOND]] = routed_rps

    # Queueing: latency grows as 1/(1 - load) and explodes past saturation.
    q = np.clip(rho, 0.0, 0.97)
    p50 = SERVICE_MS * (1.0 + 0.5 * q / (1.0 - q)) * np.maximum(rho, 1.0) + fx.extra_latency_ms
    p95 = p50 * (1.6 + 1.2 * q)
    p99 = p95 * 1.4
    out[:, COLS[Metric.LATENCY_P50_MS]] = np.minimum(p50, MAX_LATENCY_MS)
    out[:, COLS[Metric.LATENCY_P95_MS]] = np.minimum(p95, MAX_LATENCY_MS)
    out[:, COLS[Metric.LATENCY_P99_MS]] = np.minimum(p99, MAX_LATENCY_MS)

    overload = np.where(routed_rps > capacity, 1.0 - capacity / np.maximum(routed_rps, 1e-9), 0.0)
    full = np.where(d.disk_percent >= FULL_DISK, FULL_DISK_ERROR_RATE, 0.0)
    ok = (1.0 - 0.001) * (1.0 - overload) * (1.0 - fx.error_rate) * (1.0 - full)
    out[:, COLS[Metric.ERROR_RATE]] = np.where(routed_rps > 0, 1.0 - ok, 0.0)
    return out
