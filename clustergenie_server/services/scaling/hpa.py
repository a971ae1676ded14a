"""The Kubernetes Horizontal Pod Autoscaler rule as pure functions (droplets instead of pods).

Follows pkg/controller/podautoscaler (replica_calculator.go and horizontal.go): the usage ratio
with its tolerance band and the not-yet-ready rule, the stabilization windows, the rate limits
per period with selectPolicy, and min/max. Times are simulated seconds; nothing here reads a clock.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from clustergenie_server.domain.scaling import (
    DecisionRule,
    RateLimitKind,
    ScalingRules,
    SelectPolicy,
)


@dataclass(frozen=True, slots=True)
class TimedCount:
    """A recommendation (a droplet count) or a scale event (a change, > 0) at a time."""

    at: float
    count: int


@dataclass(frozen=True, slots=True)
class HpaInput:
    """Everything one evaluation needs; `current` is the count being scaled, `ready` serves."""

    now: float
    metric_value: float | None
    target: float
    ready: int
    current: int
    min_replicas: int
    max_replicas: int
    tolerance: float
    scale_up: ScalingRules
    scale_down: ScalingRules
    recommendations: Sequence[TimedCount] = ()  # earlier recommendations, any order
    scale_up_events: Sequence[TimedCount] = ()
    scale_down_events: Sequence[TimedCount] = ()
    scheduled_min: int = 0


@dataclass(frozen=True, slots=True)
class HpaResult:
    """The outcome and every intermediate count, with the rule that decided it."""

    formula: int  # ceil(ready × value / target)
    recommendation: int  # after the tolerance band: what the stabilization window remembers
    stabilized: int
    desired: int
    rule: DecisionRule
    reason: str
    record_recommendation: bool = True  # False when the formula was not evaluated


def replicas_for_metric(
    *, ready: int, current: int, value: float, target: float, tolerance: float
) -> tuple[int, int, bool]:
    """(formula, recommendation, within tolerance) for one metric, as the replica calculator.

    Droplets that are not ready count as 0 usage when scaling up, so capacity that is still
    booting is not bought twice; they are ignored when scaling down.
    """
    ratio = value / target
    formula = math.ceil(ready * ratio)
    if abs(1.0 - ratio) <= tolerance:
        return formula, current, True
    unready = current - ready
    if unready > 0 and ratio > 1.0:
        new_ratio = ready * value / (current * target)
        if abs(1.0 - new_ratio) <= tolerance or new_ratio < 1.0:
            return formula, current, True
        proposal = math.ceil(new_ratio * current)
        return formula, max(proposal, current), False
    return formula, formula, False


def stabilize(
    *,
    now: float,
    current: int,
    recommendation: int,
    history: Sequence[TimedCount],
    up: ScalingRules,
    down: ScalingRules,
) -> int:
    """Scale up to the lowest, down to the highest recommendation inside each window."""
    up_rec = down_rec = recommendation
    up_cutoff = now - up.stabilization_window_seconds
    down_cutoff = now - down.stabilization_window_seconds
    for rec in history:
        if rec.at > up_cutoff:
            up_rec = min(up_rec, rec.count)
        if rec.at > down_cutoff:
            down_rec = max(down_rec, rec.count)
    return min(max(current, up_rec), down_rec)


def _change_in_period(period: float, events: Sequence[TimedCount], now: float) -> int:
    cutoff = now - period
    return sum(e.count for e in events if e.at > cutoff)


def scale_up_limit(
    current: int,
    ups: Sequence[TimedCount],
    downs: Sequence[TimedCount],
    rules: ScalingRules,
    now: float,
) -> int:
    """The highest count the rate limits allow now (selectPolicy Max: the most permissive)."""
    if rules.select_policy is SelectPolicy.DISABLED:
        return current
    proposals = []
    for limit in rules.rate_limits:
        start = (
            current
            - _change_in_period(limit.period_seconds, ups, now)
            + _change_in_period(limit.period_seconds, downs, now)
        )
        if limit.kind is RateLimitKind.DROPLETS:
            proposals.append(start + limit.value)
        else:  # rounded up, or a small cluster could never grow by a percentage
            proposals.append(math.ceil(start * (1 + limit.value / 100)))
    if not proposals:
        return 2**31 - 1
    return min(proposals) if rules.select_policy is SelectPolicy.MIN else max(proposals)


def scale_down_limit(
    current: int,
    ups: Sequence[TimedCount],
    downs: Sequence[TimedCount],
    rules: ScalingRules,
    now: float,
) -> int:
    """The lowest count the rate limits allow now (selectPolicy Max: the most permissive)."""
    if rules.select_policy is SelectPolicy.DISABLED:
        return current
    proposals = []
    for limit in rules.rate_limits:
        start = (
            current
            - _change_in_period(limit.period_seconds, ups, now)
            + _change_in_period(limit.period_seconds, downs, now)
        )
        if limit.kind is RateLimitKind.DROPLETS:
            proposals.append(start - limit.value)
        else:  # truncated toward zero, as Kubernetes' int32() conversion
            proposals.append(int(start * (1 - limit.value / 100)))
    if not proposals:
        return -(2**31)
    return max(proposals) if rules.select_policy is SelectPolicy.MIN else min(proposals)


def apply_rate_and_bounds(h: HpaInput, desired: int) -> tuple[int, DecisionRule | None]:
    """Clamp to the rate limits and to min/max; returns the count and the rule that bound it."""
    min_rule = DecisionRule.SCHEDULE if h.scheduled_min > h.min_replicas else DecisionRule.MIN
    min_allowed = max(h.min_replicas, h.scheduled_min)
    if desired > h.current:
        limit = scale_up_limit(h.current, h.scale_up_events, h.scale_down_events, h.scale_up, h.now)
        limit = max(limit, h.current)
        if h.max_replicas > limit:
            rule = (
                DecisionRule.DISABLED
                if h.scale_up.select_policy is SelectPolicy.DISABLED
                else DecisionRule.RATE_LIMIT
            )
            bound = limit
        else:
            rule, bound = DecisionRule.MAX, h.max_replicas
        if desired > bound:
            return bound, rule
    elif desired < h.current:
        limit = scale_down_limit(
            h.current, h.scale_up_events, h.scale_down_events, h.scale_down, h.now
        )
        limit = min(limit, h.current)
        if min_allowed < limit:
            rule = (
                DecisionRule.DISABLED
                if h.scale_down.select_policy is SelectPolicy.DISABLED
                else DecisionRule.RATE_LIMIT
            )
            bound = limit
        else:
            rule, bound = min_rule, min_allowed
        if desired < bound:
            return bound, rule
    return desired, None


def decide(h: HpaInput) -> HpaResult:
    """One evaluation of the HPA rule: formula, tolerance, stabilization, rate limits, bounds."""
    min_allowed = max(h.min_replicas, h.scheduled_min)
    if h.current > h.max_replicas:
        why = f"{h.current} droplets is above the maximum of {h.max_replicas}"
        return HpaResult(0, h.current, h.current, h.max_replicas, DecisionRule.MAX, why, False)
    if h.current < min_allowed:
        rule = DecisionRule.SCHEDULE if h.scheduled_min > h.min_replicas else DecisionRule.MIN
        what = "scheduled minimum" if rule is DecisionRule.SCHEDULE else "minimum"
        why = f"{h.current} droplets is below the {what} of {min_allowed}"
        return HpaResult(0, h.current, h.current, min_allowed, rule, why, False)
    if h.metric_value is None or h.ready == 0:
        why = "no serving droplet has reported the metric yet; keeping the count"
        return HpaResult(0, h.current, h.current, h.current, DecisionRule.NO_METRICS, why, False)
    formula, rec, within = replicas_for_metric(
        ready=h.ready,
        current=h.current,
        value=h.metric_value,
        target=h.target,
        tolerance=h.tolerance,
    )
    history = list(h.recommendations)
    if not history:
        # As Kubernetes does for a new autoscaler: the count it found is its first
        # recommendation, so it does not scale down before one window has passed.
        history = [TimedCount(h.now, h.current)]
    stabilized = stabilize(
        now=h.now,
        current=h.current,
        recommendation=rec,
        history=history,
        up=h.scale_up,
        down=h.scale_down,
    )
    desired, bound_rule = apply_rate_and_bounds(h, stabilized)
    ratio = h.metric_value / h.target
    why = (
        f"metric {h.metric_value:.4g} vs target {h.target:.4g} (ratio {ratio:.2f}); "
        f"{h.ready} ready × {ratio:.2f} → {formula}"
    )
    if bound_rule is not None:
        rule, why = bound_rule, f"{why}; {stabilized} bounded to {desired} by {bound_rule.value}"
    elif within and desired == h.current:
        rule = DecisionRule.TOLERANCE
        why = f"{why}; within the tolerance of {h.tolerance:g} (or capacity still booting)"
    elif stabilized != rec:
        rule, why = DecisionRule.STABILIZATION, f"{why}; held at {stabilized} by the window"
    else:
        rule = DecisionRule.FORMULA
    return HpaResult(formula, rec, stabilized, desired, rule, why)
