"""Plain, Qt-free telemetry and scaling values (re-exported by client.types)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime


class Metric(enum.StrEnum):
    """A metric of a droplet or cluster aggregate; the last three are aggregate-only."""

    UNKNOWN = "unknown"
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


class Aggregation(enum.StrEnum):
    """How QuerySeries folds the samples of one bucket."""

    UNKNOWN = "unknown"
    MEAN = "mean"
    MAX = "max"
    MIN = "min"
    LAST = "last"


class FaultKind(enum.StrEnum):
    """What an injected fault does."""

    UNKNOWN = "unknown"
    CPU_HOG = "cpu_hog"
    MEMORY_LEAK = "memory_leak"
    DISK_FILL = "disk_fill"
    NETWORK_LATENCY = "network_latency"
    NETWORK_PARTITION = "network_partition"
    CRASH_LOOP = "crash_loop"
    BAD_DEPLOY = "bad_deploy"
    TRAFFIC_SPIKE = "traffic_spike"

    @property
    def label(self) -> str:
        """A short human label, e.g. "cpu hog"."""
        return self.value.replace("_", " ")


class FaultState(enum.StrEnum):
    """Where a fault is in its life."""

    UNKNOWN = "unknown"
    SCHEDULED = "scheduled"
    ACTIVE = "active"
    EXPIRED = "expired"
    CLEARED = "cleared"


class ScalingMetric(enum.StrEnum):
    """The metric an auto-scaling policy tracks."""

    UNKNOWN = "unknown"
    CPU = "cpu"
    REQUESTS_PER_DROPLET = "requests_per_droplet"
    P95_LATENCY = "p95_latency"

    @property
    def label(self) -> str:
        """Human label with the target's unit."""
        return _SCALING_METRIC_LABELS.get(self, self.value)

    @property
    def sample_field(self) -> str:
        """The MetricSample attribute that carries this metric."""
        return _SCALING_METRIC_FIELDS.get(self, "cpu_percent")


_SCALING_METRIC_LABELS = {
    ScalingMetric.CPU: "CPU %",
    ScalingMetric.REQUESTS_PER_DROPLET: "requests/s per droplet",
    ScalingMetric.P95_LATENCY: "p95 latency (ms)",
}
_SCALING_METRIC_FIELDS = {
    ScalingMetric.CPU: "cpu_percent",
    ScalingMetric.REQUESTS_PER_DROPLET: "requests_per_droplet",
    ScalingMetric.P95_LATENCY: "latency_p95_ms",
}


class SelectPolicy(enum.StrEnum):
    """Which rate limit wins (Kubernetes selectPolicy); UNKNOWN: the server default (MAX)."""

    UNKNOWN = "unknown"
    MAX = "max"
    MIN = "min"
    DISABLED = "disabled"


class RateLimitKind(enum.StrEnum):
    """A rate limit counts droplets or percent per period."""

    UNKNOWN = "unknown"
    DROPLETS = "droplets"
    PERCENT = "percent"


class ScalingAction(enum.StrEnum):
    """What a decision did."""

    UNKNOWN = "unknown"
    NONE = "none"
    SCALE_UP = "scale_up"
    SCALE_DOWN = "scale_down"


class DecisionRule(enum.StrEnum):
    """The rule that decided or bounded a decision."""

    UNKNOWN = "unknown"
    FORMULA = "formula"
    TOLERANCE = "tolerance"
    STABILIZATION = "stabilization"
    RATE_LIMIT = "rate_limit"
    MIN = "min"
    MAX = "max"
    SCHEDULE = "schedule"
    DISABLED = "disabled"
    NO_METRICS = "no_metrics"
    BUSY = "busy"
    LAST_DROPLET = "last_droplet"


@dataclass(frozen=True, slots=True)
class SimulationClock:
    """The simulated now, how fast it runs, the tick and the retention."""

    now: datetime | None
    time_scale: float = 1.0
    tick_seconds: float = 10.0
    seed: int = 0
    retention_seconds: float = 0.0


@dataclass(frozen=True, slots=True)
class MetricSample:
    """Every metric of one droplet (or cluster aggregate, droplet_id 0) at one tick."""

    cluster_id: int
    droplet_id: int
    time: float  # simulated Unix seconds
    cpu_percent: float = 0.0
    memory_percent: float = 0.0
    disk_percent: float = 0.0
    net_in_mbps: float = 0.0
    net_out_mbps: float = 0.0
    requests_per_second: float = 0.0
    latency_p50_ms: float = 0.0
    latency_p95_ms: float = 0.0
    latency_p99_ms: float = 0.0
    error_rate: float = 0.0
    serving_droplets: int = 0
    requests_per_droplet: float = 0.0
    offered_rps: float = 0.0


@dataclass(frozen=True, slots=True)
class Series:
    """A downsampled series: parallel tuples of bucket starts (simulated Unix s) and values."""

    metric: Metric
    cluster_id: int
    droplet_id: int = 0
    step_seconds: float = 0.0
    times: tuple[float, ...] = ()
    values: tuple[float, ...] = ()
    mins: tuple[float, ...] = ()
    maxs: tuple[float, ...] = ()


@dataclass(frozen=True, slots=True)
class Fault:
    """An injected fault and its state."""

    id: int
    kind: FaultKind
    cluster_id: int
    droplet_id: int = 0
    magnitude: float = 0.0
    start_at: datetime | None = None
    duration_seconds: float = 0.0
    state: FaultState = FaultState.SCHEDULED
    ended_at: datetime | None = None
    description: str = ""
    created_at: datetime | None = None

    @property
    def updated_at(self) -> datetime | None:
        """When it last changed (for the row models)."""
        return self.ended_at or self.created_at


@dataclass(frozen=True, slots=True)
class RateLimit:
    """At most `value` droplets (or percent) per `period_seconds`."""

    kind: RateLimitKind
    value: int
    period_seconds: float


@dataclass(frozen=True, slots=True)
class ScalingRules:
    """One direction's behaviour; None / empty fields take the server's HPA defaults."""

    stabilization_window_seconds: float | None = None
    select_policy: SelectPolicy = SelectPolicy.UNKNOWN
    rate_limits: tuple[RateLimit, ...] = ()


@dataclass(frozen=True, slots=True)
class ScheduledMinimum:
    """At least min_droplets from start_hour to end_hour (exclusive) on weekdays (empty: all)."""

    min_droplets: int
    start_hour: int
    end_hour: int
    weekdays: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class ScalingPolicy:
    """A cluster's auto-scaling policy."""

    cluster_id: int
    metric: ScalingMetric
    target: float
    min_droplets: int
    max_droplets: int
    tolerance: float | None = None
    scale_up: ScalingRules = ScalingRules()
    scale_down: ScalingRules = ScalingRules()
    schedules: tuple[ScheduledMinimum, ...] = ()
    enabled: bool = True
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class ScalingDecision:
    """One auto-scaler decision with its inputs and the rule that bounded it."""

    id: int
    cluster_id: int
    time: datetime | None
    metric: ScalingMetric
    metric_value: float
    target: float
    current_droplets: int
    total_droplets: int
    formula_droplets: int
    desired_droplets: int
    action: ScalingAction
    rule: DecisionRule
    reason: str = ""
    job_id: int = 0
    recommended_droplets: int = 0
    stabilized_droplets: int = 0

    @property
    def updated_at(self) -> datetime | None:
        """Decisions never change; their time stands in (for the row models)."""
        return self.time
