"""Metrics and faults of the simulated cloud: plain, frozen domain types."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime


class Metric(enum.StrEnum):
    """One column of a metric sample; the last three exist for cluster aggregates only."""

    CPU_PERCENT = "cpu_percent"
    MEMORY_PERCENT = "memory_percent"
    DISK_PERCENT = "disk_percent"
    NET_IN_MBPS = "net_in_mbps"
    NET_OUT_MBPS = "net_out_mbps"
    REQUESTS_PER_SECOND = "requests_per_second"
    LATENCY_P50_MS = "latency_p50_ms"
    LATENCY_P95_MS = "latency_p95_ms"
    LATENCY_P99_MS = "latency_p99_ms"
    ERROR_RATE = "error_rate"
    SERVING_DROPLETS = "serving_droplets"
    REQUESTS_PER_DROPLET = "requests_per_droplet"
    OFFERED_RPS = "offered_rps"

    @property
    def column(self) -> int:
        """The index of this metric in a sample row (see METRICS)."""
        return METRICS.index(self)


# The order of the columns in every sample matrix, hot window and table row.
METRICS: tuple[Metric, ...] = tuple(Metric)
CLUSTER_ONLY = frozenset({Metric.SERVING_DROPLETS, Metric.REQUESTS_PER_DROPLET, Metric.OFFERED_RPS})


class Aggregation(enum.StrEnum):
    """How the samples of one bucket become its value."""

    MEAN = "mean"
    MAX = "max"
    MIN = "min"
    LAST = "last"


@dataclass(frozen=True, slots=True)
class Sample:
    """Every metric of one droplet (or a cluster aggregate, droplet_id 0) at one tick."""

    cluster_id: int
    droplet_id: int
    time: float  # simulated Unix seconds
    values: tuple[float, ...]  # in METRICS order

    def get(self, metric: Metric) -> float:
        """One metric's value."""
        return self.values[metric.column]


@dataclass(frozen=True, slots=True)
class Series:
    """A downsampled series: bucket start times and each bucket's value, min and max."""

    metric: Metric
    cluster_id: int
    droplet_id: int
    step_seconds: float
    times: tuple[float, ...]
    values: tuple[float, ...]
    mins: tuple[float, ...]
    maxs: tuple[float, ...]


class FaultKind(enum.StrEnum):
    """What a fault does to its target; see telemetry.proto for each magnitude's meaning."""

    CPU_HOG = "cpu_hog"
    MEMORY_LEAK = "memory_leak"
    DISK_FILL = "disk_fill"
    NETWORK_LATENCY = "network_latency"
    NETWORK_PARTITION = "network_partition"
    CRASH_LOOP = "crash_loop"
    BAD_DEPLOY = "bad_deploy"
    TRAFFIC_SPIKE = "traffic_spike"


# The magnitude used when a request gives 0, and the largest one allowed.
FAULT_DEFAULTS: dict[FaultKind, float] = {
    FaultKind.CPU_HOG: 0.8,
    FaultKind.MEMORY_LEAK: 2.0,
    FaultKind.DISK_FILL: 1.0,
    FaultKind.NETWORK_LATENCY: 200.0,
    FaultKind.NETWORK_PARTITION: 1.0,
    FaultKind.CRASH_LOOP: 60.0,
    FaultKind.BAD_DEPLOY: 0.3,
    FaultKind.TRAFFIC_SPIKE: 3.0,
}
FAULT_LIMITS: dict[FaultKind, tuple[float, float, str]] = {
    FaultKind.CPU_HOG: (0.01, 1.0, "a share of the CPU between 0.01 and 1"),
    FaultKind.MEMORY_LEAK: (0.1, 100.0, "0.1 to 100 percent of memory per simulated minute"),
    FaultKind.DISK_FILL: (0.1, 100.0, "0.1 to 100 percent of disk per simulated minute"),
    FaultKind.NETWORK_LATENCY: (1.0, 60_000.0, "1 to 60000 milliseconds"),
    FaultKind.NETWORK_PARTITION: (1.0, 1.0, "no magnitude (leave it 0)"),
    FaultKind.CRASH_LOOP: (10.0, 3600.0, "10 to 3600 simulated seconds between crashes"),
    FaultKind.BAD_DEPLOY: (0.01, 1.0, "an error rate between 0.01 and 1"),
    FaultKind.TRAFFIC_SPIKE: (1.1, 100.0, "a traffic multiplier between 1.1 and 100"),
}


class FaultState(enum.StrEnum):
    """Where a fault is in its life; the last two are final."""

    SCHEDULED = "scheduled"
    ACTIVE = "active"
    EXPIRED = "expired"
    CLEARED = "cleared"


@dataclass(frozen=True, slots=True)
class Fault:
    """An injected fault; its times are simulated."""

    id: int
    kind: FaultKind
    cluster_id: int
    droplet_id: int | None  # None: every droplet of the cluster
    magnitude: float
    start_at: datetime
    duration_seconds: float  # 0: until cleared
    state: FaultState
    ended_at: datetime | None
    description: str
    created_at: datetime

    def active_at(self, t: float) -> bool:
        """True when the fault acts at simulated Unix time t."""
        if self.state in (FaultState.CLEARED, FaultState.EXPIRED):
            return False
        start = self.start_at.timestamp()
        if t < start:
            return False
        return self.duration_seconds <= 0 or t < start + self.duration_seconds

    def state_at(self, t: float) -> FaultState:
        """The state this fault has at t (a cleared fault stays cleared)."""
        if self.state is FaultState.CLEARED:
            return self.state
        start = self.start_at.timestamp()
        if t < start:
            return FaultState.SCHEDULED
        if self.duration_seconds > 0 and t >= start + self.duration_seconds:
            return FaultState.EXPIRED
        return FaultState.ACTIVE
