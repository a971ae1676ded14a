"""Proto <-> domain conversion for ScalingService."""

from __future__ import annotations

from clustergenie_server.api.v1 import scaling_pb2 as pb
from clustergenie_server.domain.errors import InvalidArgument
from clustergenie_server.domain.scaling import (
    DEFAULT_SCALE_DOWN,
    DEFAULT_SCALE_UP,
    DEFAULT_TOLERANCE,
    DecisionRule,
    RateLimit,
    RateLimitKind,
    ScalingAction,
    ScalingDecision,
    ScalingMetric,
    ScalingPolicy,
    ScalingRules,
    ScheduledMinimum,
    SelectPolicy,
)
from clustergenie_server.wire.convert import timestamp
from clustergenie_server.wire.proto_to_domain import required_datetime

METRIC = {m: pb.ScalingMetric.Value(f"SCALING_METRIC_{m.name}") for m in ScalingMetric}
METRIC_BACK = {v: k for k, v in METRIC.items()}
SELECT = {s: pb.SelectPolicy.Value(f"SELECT_POLICY_{s.name}") for s in SelectPolicy}
SELECT_BACK = {v: k for k, v in SELECT.items()} | {pb.SELECT_POLICY_UNSPECIFIED: SelectPolicy.MAX}
RATE = {k: pb.RateLimitKind.Value(f"RATE_LIMIT_KIND_{k.name}") for k in RateLimitKind}
RATE_BACK = {v: k for k, v in RATE.items()}
ACTION = {a: pb.ScalingAction.Value(f"SCALING_ACTION_{a.name}") for a in ScalingAction}
RULE = {r: pb.DecisionRule.Value(f"DECISION_RULE_{r.name}") for r in DecisionRule}
ACTION_BACK = {v: k for k, v in ACTION.items()}
RULE_BACK = {v: k for k, v in RULE.items()}


def _rules_from_proto(r: pb.ScalingRules, default: ScalingRules, where: str) -> ScalingRules:
    if r.select_policy not in SELECT_BACK:
        raise InvalidArgument(f"policy.{where}.select_policy {r.select_policy} is unknown")
    limits = []
    for i, limit in enumerate(r.rate_limits):
        if limit.kind not in RATE_BACK:
            raise InvalidArgument(
                f"policy.{where}.rate_limits[{i}].kind is missing; use DROPLETS or PERCENT"
            )
        limits.append(RateLimit(RATE_BACK[limit.kind], limit.value, limit.period_seconds))
    return ScalingRules(
        stabilization_window_seconds=(
            r.stabilization_window_seconds
            if r.HasField("stabilization_window_seconds")
            else default.stabilization_window_seconds
        ),
        select_policy=SELECT_BACK[r.select_policy],
        rate_limits=tuple(limits) if limits else default.rate_limits,
    )


def policy_from_proto(p: pb.ScalingPolicy) -> ScalingPolicy:
    """A policy from a SetPolicy request; unset fields take the Kubernetes defaults."""
    if p.metric not in METRIC_BACK:
        raise InvalidArgument(
            "policy.metric is missing or unknown; use SCALING_METRIC_CPU, "
            "SCALING_METRIC_REQUESTS_PER_DROPLET or SCALING_METRIC_P95_LATENCY"
        )
    return ScalingPolicy(
        cluster_id=p.cluster_id,
        metric=METRIC_BACK[p.metric],
        target=p.target,
        min_droplets=p.min_droplets,
        max_droplets=p.max_droplets,
        tolerance=p.tolerance if p.HasField("tolerance") else DEFAULT_TOLERANCE,
        scale_up=_rules_from_proto(p.scale_up, DEFAULT_SCALE_UP, "scale_up"),
        scale_down=_rules_from_proto(p.scale_down, DEFAULT_SCALE_DOWN, "scale_down"),
        schedules=tuple(
            ScheduledMinimum(s.min_droplets, s.start_hour, s.end_hour, tuple(s.weekdays))
            for s in p.schedules
        ),
        enabled=p.enabled,
    )


def _rules_to_proto(r: ScalingRules) -> pb.ScalingRules:
    return pb.ScalingRules(
        stabilization_window_seconds=r.stabilization_window_seconds,
        select_policy=SELECT[r.select_policy],
        rate_limits=[
            pb.RateLimit(kind=RATE[x.kind], value=x.value, period_seconds=x.period_seconds)
            for x in r.rate_limits
        ],
    )


def policy_to_proto(p: ScalingPolicy) -> pb.ScalingPolicy:
    """A policy with every default filled in."""
    return pb.ScalingPolicy(
        cluster_id=p.cluster_id,
        metric=METRIC[p.metric],
        target=p.target,
        min_droplets=p.min_droplets,
        max_droplets=p.max_droplets,
        tolerance=p.tolerance,
        scale_up=_rules_to_proto(p.scale_up),
        scale_down=_rules_to_proto(p.scale_down),
        schedules=[
            pb.ScheduledMinimum(
                min_droplets=s.min_droplets,
                start_hour=s.start_hour,
                end_hour=s.end_hour,
                weekdays=s.weekdays,
            )
            for s in p.schedules
        ],
        enabled=p.enabled,
        created_at=timestamp(p.created_at),
        updated_at=timestamp(p.updated_at),
    )


def decision_to_proto(d: ScalingDecision) -> pb.ScalingDecision:
    """A decision with its inputs."""
    return pb.ScalingDecision(
        id=d.id,
        cluster_id=d.cluster_id,
        time=timestamp(d.time),
        metric=METRIC[d.metric],
        metric_value=d.metric_value,
        target=d.target,
        current_droplets=d.current_droplets,
        total_droplets=d.total_droplets,
        formula_droplets=d.formula_droplets,
        desired_droplets=d.desired_droplets,
        action=ACTION[d.action],
        rule=RULE[d.rule],
        reason=d.reason,
        job_id=d.job_id or 0,
        recommended_droplets=d.recommended_droplets,
        stabilized_droplets=d.stabilized_droplets,
    )


def decision_from_proto(d: pb.ScalingDecision) -> ScalingDecision:
    """A decision with its inputs, as the event bus carries it."""
    return ScalingDecision(
        id=d.id,
        cluster_id=d.cluster_id,
        time=required_datetime(d.time),
        metric=METRIC_BACK[d.metric],
        metric_value=d.metric_value,
        target=d.target,
        current_droplets=d.current_droplets,
        total_droplets=d.total_droplets,
        formula_droplets=d.formula_droplets,
        recommended_droplets=d.recommended_droplets,
        stabilized_droplets=d.stabilized_droplets,
        desired_droplets=d.desired_droplets,
        action=ACTION_BACK[d.action],
        rule=RULE_BACK[d.rule],
        reason=d.reason,
        job_id=d.job_id or None,
    )
