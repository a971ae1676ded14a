"""The HPA rule against the worked examples of the Kubernetes documentation.

kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/ ("Algorithm details",
"Configurable scaling behavior", "Default Behavior", "Scaling Policies", "Stabilization window").
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from clustergenie_server.domain.scaling import (
    DEFAULT_SCALE_DOWN,
    DEFAULT_SCALE_UP,
    DecisionRule,
    RateLimit,
    RateLimitKind,
    ScalingRules,
    SelectPolicy,
)
from clustergenie_server.services.scaling.hpa import (
    HpaInput,
    TimedCount,
    decide,
    replicas_for_metric,
    scale_down_limit,
    scale_up_limit,
)

NOW = 10_000.0
NO_WINDOW_DOWN = replace(DEFAULT_SCALE_DOWN, stabilization_window_seconds=0.0)


def hpa(**overrides: Any) -> HpaInput:
    """An input with defaults: 4 ready droplets of 4, min 1, max 100, Kubernetes behaviour."""
    fields: dict[str, Any] = {
        "now": NOW,
        "metric_value": 100.0,
        "target": 100.0,
        "ready": 4,
        "current": 4,
        "min_replicas": 1,
        "max_replicas": 100,
        "tolerance": 0.1,
        "scale_up": DEFAULT_SCALE_UP,
        "scale_down": DEFAULT_SCALE_DOWN,
    }
    fields.update(overrides)
    return HpaInput(**fields)


# -- algorithm details -------------------------------------------------------------------------


def test_doubles_when_the_metric_is_twice_the_target() -> None:
    # "if the current metric value is 200m, and the desired value is 100m, the number of
    # replicas will be doubled, since 200.0 / 100.0 == 2.0"
    result = decide(hpa(metric_value=200.0, target=100.0, ready=3, current=3))
    assert (result.formula, result.desired, result.rule) == (6, 6, DecisionRule.FORMULA)


def test_halves_when_the_metric_is_half_the_target() -> None:
    # "If the current value is instead 50m, you'll halve the number of replicas"
    result = decide(hpa(metric_value=50.0, ready=4, current=4, scale_down=NO_WINDOW_DOWN))
    assert (result.formula, result.desired) == (2, 2)


def test_rounds_up() -> None:
    # desiredReplicas = ceil[currentReplicas * ( currentMetricValue / desiredMetricValue )]
    assert replicas_for_metric(ready=3, current=3, value=70, target=50, tolerance=0.1)[0] == 5


@pytest.mark.parametrize(("value", "changes"), [(105.0, False), (91.0, False), (111.0, True)])
def test_skips_scaling_inside_the_tolerance(value: float, changes: bool) -> None:
    # "the control plane skips any scaling action if the ratio is sufficiently close to 1.0
    # (within a globally-configurable tolerance, 0.1 by default)"
    result = decide(hpa(metric_value=value, ready=10, current=10, scale_down=NO_WINDOW_DOWN))
    assert (result.desired != 10) is changes
    if not changes:
        assert result.rule is DecisionRule.TOLERANCE


def test_droplets_not_yet_ready_count_as_zero_usage_when_scaling_up() -> None:
    # Pods not yet ready are assumed to use 0 % when scaling up, so capacity still booting is
    # not bought twice: 3 ready at 150 % of target, 5 in all → 3×1.5/5 = 0.9 → no change.
    result = decide(hpa(metric_value=150.0, ready=3, current=5))
    assert result.desired == 5
    # With fewer still booting the proposal still grows, to ceil(3 × 1.5) = 5 → from 4.
    assert decide(hpa(metric_value=150.0, ready=3, current=4)).desired == 5


# -- min / max ---------------------------------------------------------------------------------


def test_clamped_to_max_and_min() -> None:
    up = decide(hpa(metric_value=300.0, ready=6, current=6, max_replicas=10))
    assert (up.desired, up.rule) == (10, DecisionRule.MAX)
    down = decide(
        hpa(metric_value=10.0, ready=4, current=4, min_replicas=3, scale_down=NO_WINDOW_DOWN)
    )
    assert (down.desired, down.rule) == (3, DecisionRule.MIN)


def test_a_count_outside_min_max_is_brought_back_at_once() -> None:
    assert decide(hpa(current=12, ready=12, max_replicas=10)).desired == 10
    below = decide(hpa(current=1, ready=1, min_replicas=3))
    assert (below.desired, below.rule) == (3, DecisionRule.MIN)


def test_a_scheduled_minimum_raises_the_floor() -> None:
    result = decide(
        hpa(metric_value=10.0, current=4, ready=4, scheduled_min=3, scale_down=NO_WINDOW_DOWN)
    )
    assert (result.desired, result.rule) == (3, DecisionRule.SCHEDULE)


# -- stabilization window ----------------------------------------------------------------------


def test_scale_down_uses_the_highest_recommendation_in_the_window() -> None:
    # "the algorithm looks into previously computed desired states, and uses the highest value
    # from the specified interval" (stabilizationWindowSeconds: 300)
    history = [TimedCount(NOW - 400, 9), TimedCount(NOW - 200, 6), TimedCount(NOW - 100, 5)]
    result = decide(hpa(metric_value=50.0, ready=8, current=8, recommendations=history))
    assert (result.recommendation, result.stabilized, result.desired) == (4, 6, 6)
    assert result.rule is DecisionRule.STABILIZATION


def test_a_new_autoscaler_does_not_scale_down_within_its_first_window() -> None:
    result = decide(hpa(metric_value=50.0, ready=8, current=8))
    assert (result.desired, result.rule) == (8, DecisionRule.STABILIZATION)


def test_scale_up_uses_the_lowest_recommendation_in_its_window() -> None:
    up = ScalingRules(60.0, SelectPolicy.MAX, DEFAULT_SCALE_UP.rate_limits)
    history = [TimedCount(NOW - 30, 5)]
    result = decide(
        hpa(metric_value=200.0, ready=4, current=4, scale_up=up, recommendations=history)
    )
    assert (result.recommendation, result.desired) == (8, 5)


# -- scaling policies --------------------------------------------------------------------------

DOCS_POLICIES = (
    RateLimit(RateLimitKind.DROPLETS, 4, 60.0),
    RateLimit(RateLimitKind.PERCENT, 10, 60.0),
)


def test_docs_scale_down_example_picks_the_policy_allowing_the_biggest_change() -> None:
    # "if there are 80 replicas and the target has to be scaled down to 10 replicas then
    # during the first step 8 replicas will be reduced. In the next iteration when the number
    # of replicas is 72, 10% of the pods is 7.2 but the number is rounded up to 8 ... When the
    # number of replicas falls below 40 the first policy (Pods) is applied and 4 replicas will
    # be reduced at a time."
    rules = ScalingRules(0.0, SelectPolicy.MAX, DOCS_POLICIES)
    assert scale_down_limit(80, [], [], rules, NOW) == 72
    assert scale_down_limit(72, [], [], rules, NOW) == 64
    assert scale_down_limit(30, [], [], rules, NOW) == 26


def test_scale_downs_within_the_period_count_against_the_limit() -> None:
    rules = ScalingRules(0.0, SelectPolicy.MAX, DOCS_POLICIES)
    downs = [TimedCount(NOW - 30, 8)]
    # Still inside the 60 s period of the first step: the period started at 80, so no more.
    assert scale_down_limit(72, [], downs, rules, NOW) == 72
    result = decide(
        hpa(metric_value=10.0, target=100.0, ready=72, current=72, scale_down=rules,
            scale_down_events=downs)
    )  # fmt: skip
    assert (result.desired, result.rule) == (72, DecisionRule.RATE_LIMIT)
    # Once the period is over the next step is allowed.
    assert scale_down_limit(72, [], [TimedCount(NOW - 61, 8)], rules, NOW) == 64


def test_select_policy_min_picks_the_smallest_change() -> None:
    rules = ScalingRules(0.0, SelectPolicy.MIN, DOCS_POLICIES)
    assert scale_down_limit(80, [], [], rules, NOW) == 76


def test_select_policy_disabled_turns_a_direction_off() -> None:
    rules = ScalingRules(0.0, SelectPolicy.DISABLED, ())
    result = decide(hpa(metric_value=10.0, ready=8, current=8, scale_down=rules))
    assert (result.desired, result.rule) == (8, DecisionRule.DISABLED)


def test_default_scale_up_doubles_or_adds_four_whichever_is_higher() -> None:
    # Default behaviour: "double or add 4 pods every 15 seconds, whichever is higher".
    assert scale_up_limit(1, [], [], DEFAULT_SCALE_UP, NOW) == 5
    assert scale_up_limit(10, [], [], DEFAULT_SCALE_UP, NOW) == 20
    result = decide(hpa(metric_value=1000.0, ready=2, current=2))
    assert (result.formula, result.desired, result.rule) == (20, 6, DecisionRule.RATE_LIMIT)


def test_pods_policy_limits_scale_up_per_period() -> None:
    # "type: Pods, value: 4, periodSeconds: 60": at most 4 added per minute.
    rules = ScalingRules(0.0, SelectPolicy.MAX, (RateLimit(RateLimitKind.DROPLETS, 4, 60.0),))
    assert scale_up_limit(10, [TimedCount(NOW - 20, 3)], [], rules, NOW) == 11
    assert scale_up_limit(10, [TimedCount(NOW - 70, 3)], [], rules, NOW) == 14


def test_percent_scale_up_is_rounded_up() -> None:
    rules = ScalingRules(0.0, SelectPolicy.MAX, (RateLimit(RateLimitKind.PERCENT, 10, 60.0),))
    assert scale_up_limit(3, [], [], rules, NOW) == 4  # ceil(3.3): a small cluster still grows


def test_no_metrics_keeps_the_count() -> None:
    result = decide(hpa(metric_value=None, ready=0, current=3))
    assert (result.desired, result.rule, result.record_recommendation) == (
        3,
        DecisionRule.NO_METRICS,
        False,
    )
