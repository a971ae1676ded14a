"""Checks of a scaling policy at the edge; each failure names the field and the allowed range."""

from __future__ import annotations

from clustergenie_server.domain.errors import InvalidArgument
from clustergenie_server.domain.scaling import (
    RateLimitKind,
    ScalingMetric,
    ScalingPolicy,
    ScalingRules,
)
from clustergenie_server.services.shared.validation import MAX_DROPLETS_PER_CLUSTER

MAX_WINDOW_SECONDS = 3600.0
MAX_PERIOD_SECONDS = 1800.0
MAX_TOLERANCE = 0.9


def check_policy(p: ScalingPolicy) -> ScalingPolicy:
    """The policy unchanged, or InvalidArgument naming what is wrong."""
    if p.cluster_id <= 0:
        raise InvalidArgument(f"policy.cluster_id must be a positive number, got {p.cluster_id}")
    if not p.target > 0:
        raise InvalidArgument(f"policy.target must be greater than 0, got {p.target:g}")
    if p.metric is ScalingMetric.CPU and p.target > 100:
        raise InvalidArgument(f"policy.target {p.target:g} is a CPU percent: give 1 to 100")
    if p.min_droplets < 1:
        raise InvalidArgument(
            f"policy.min_droplets must be at least 1 (a cluster keeps one healthy droplet), "
            f"got {p.min_droplets}"
        )
    if not p.min_droplets <= p.max_droplets <= MAX_DROPLETS_PER_CLUSTER:
        raise InvalidArgument(
            f"policy.max_droplets {p.max_droplets} must be between min_droplets "
            f"({p.min_droplets}) and {MAX_DROPLETS_PER_CLUSTER}"
        )
    if not 0 <= p.tolerance <= MAX_TOLERANCE:
        raise InvalidArgument(
            f"policy.tolerance {p.tolerance:g} is out of range; give 0 to {MAX_TOLERANCE:g} "
            "(0.1 means ±10 % around the target)"
        )
    _check_rules(p.scale_up, "scale_up")
    _check_rules(p.scale_down, "scale_down")
    for i, s in enumerate(p.schedules):
        where = f"policy.schedules[{i}]"
        if not 1 <= s.min_droplets <= p.max_droplets:
            raise InvalidArgument(
                f"{where}.min_droplets {s.min_droplets} must be between 1 and max_droplets "
                f"({p.max_droplets})"
            )
        if not 0 <= s.start_hour <= 23 or not 1 <= s.end_hour <= 24:
            raise InvalidArgument(
                f"{where}: hours {s.start_hour}–{s.end_hour} are out of range; start_hour is "
                "0..23 and end_hour 1..24 (exclusive)"
            )
        if s.start_hour == s.end_hour:
            raise InvalidArgument(
                f"{where}: start_hour and end_hour are equal; the window is empty"
            )
        if bad := [d for d in s.weekdays if not 1 <= d <= 7]:
            raise InvalidArgument(
                f"{where}.weekdays {bad} are not ISO weekdays; use 1 (Monday) to 7 (Sunday)"
            )
    return p


def _check_rules(r: ScalingRules, name: str) -> None:
    where = f"policy.{name}"
    if not 0 <= r.stabilization_window_seconds <= MAX_WINDOW_SECONDS:
        raise InvalidArgument(
            f"{where}.stabilization_window_seconds {r.stabilization_window_seconds:g} is out of "
            f"range; give 0 to {MAX_WINDOW_SECONDS:g}"
        )
    for i, limit in enumerate(r.rate_limits):
        at = f"{where}.rate_limits[{i}]"
        if limit.value <= 0:
            raise InvalidArgument(f"{at}.value must be greater than 0, got {limit.value}")
        if limit.kind is RateLimitKind.PERCENT and limit.value > 1000:
            raise InvalidArgument(f"{at}.value {limit.value} % is too large; give 1 to 1000")
        if not 0 < limit.period_seconds <= MAX_PERIOD_SECONDS:
            raise InvalidArgument(
                f"{at}.period_seconds {limit.period_seconds:g} is out of range; give more than "
                f"0 and at most {MAX_PERIOD_SECONDS:g}"
            )
