"""Auto-scaling policies and decisions: plain, frozen domain types (Kubernetes HPA semantics)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime


class ScalingMetric(enum.StrEnum):
    """The cluster metric a policy keeps at its target."""

    CPU = "cpu"
    REQUESTS_PER_DROPLET = "requests_per_droplet"
    P95_LATENCY = "p95_latency"


class SelectPolicy(enum.StrEnum):
    """Which rate limit wins when several allow different changes (Kubernetes selectPolicy)."""

    MAX = "max"
    MIN = "min"
    DISABLED = "disabled"


class RateLimitKind(enum.StrEnum):
    """Droplets (Kubernetes "Pods") or percent per period."""

    DROPLETS = "droplets"
    PERCENT = "percent"


@dataclass(frozen=True, slots=True)
class RateLimit:
    """At most `value` droplets (or percent) of change per `period_seconds`."""

    kind: RateLimitKind
    value: int
    period_seconds: float


@dataclass(frozen=True, slots=True)
class ScalingRules:
    """One direction's behaviour: stabilization window, rate limits and how they combine."""

    stabilization_window_seconds: float
    select_policy: SelectPolicy = SelectPolicy.MAX
    rate_limits: tuple[RateLimit, ...] = ()


# The Kubernetes HPA defaults (autoscaling/v2 HorizontalPodAutoscalerBehavior).
DEFAULT_SCALE_UP = ScalingRules(
    0.0,
    SelectPolicy.MAX,
    (RateLimit(RateLimitKind.PERCENT, 100, 15.0), RateLimit(RateLimitKind.DROPLETS, 4, 15.0)),
)
DEFAULT_SCALE_DOWN = ScalingRules(
    300.0, SelectPolicy.MAX, (RateLimit(RateLimitKind.PERCENT, 100, 15.0),)
)
DEFAULT_TOLERANCE = 0.1


@dataclass(frozen=True, slots=True)
class ScheduledMinimum:
    """At least min_droplets during [start_hour, end_hour) UTC on the given ISO weekdays."""

    min_droplets: int
    start_hour: int
    end_hour: int
    weekdays: tuple[int, ...] = ()  # 1 = Monday .. 7 = Sunday; empty: every day

    def applies(self, when: datetime) -> bool:
        """True when `when` (UTC) falls inside this window."""
        hour = when.hour
        if self.start_hour < self.end_hour:
            inside, day = self.start_hour <= hour < self.end_hour, when.isoweekday()
        else:  # wraps midnight: the early hours belong to the previous day's window
            inside = hour >= self.start_hour or hour < self.end_hour
            day = when.isoweekday() if hour >= self.start_hour else (when.isoweekday() - 2) % 7 + 1
        return inside and (not self.weekdays or day in self.weekdays)


@dataclass(frozen=True, slots=True)
class ScalingPolicy:
    """A cluster's auto-scaling policy."""

    cluster_id: int
    metric: ScalingMetric
    target: float
    min_droplets: int
    max_droplets: int
    tolerance: float = DEFAULT_TOLERANCE
    scale_up: ScalingRules = DEFAULT_SCALE_UP
    scale_down: ScalingRules = DEFAULT_SCALE_DOWN
    schedules: tuple[ScheduledMinimum, ...] = ()
    enabled: bool = True
    created_at: datetime | None = None
    updated_at: datetime | None = None

    def scheduled_minimum(self, when: datetime) -> int:
        """The highest scheduled minimum that applies at `when`, or 0."""
        return max((s.min_droplets for s in self.schedules if s.applies(when)), default=0)


class ScalingAction(enum.StrEnum):
    """What a decision did."""

    NONE = "none"
    SCALE_UP = "scale_up"
    SCALE_DOWN = "scale_down"


class DecisionRule(enum.StrEnum):
    """The rule that decided or bounded a decision."""

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
class ScalingDecision:
    """One evaluation of a policy, with every input that led to its outcome."""

    id: int
    cluster_id: int
    time: datetime  # simulated
    metric: ScalingMetric
    metric_value: float
    target: float
    current_droplets: int  # ready capacity
    total_droplets: int  # the count being scaled (new + active, not draining)
    formula_droplets: int
    recommended_droplets: int
    stabilized_droplets: int
    desired_droplets: int
    action: ScalingAction
    rule: DecisionRule
    reason: str
    job_id: int | None = None
