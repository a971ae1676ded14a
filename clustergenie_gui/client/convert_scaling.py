"""Scaling proto <-> GUI dataclasses (with convert.py and convert_telemetry.py: all *_pb2 use)."""

from __future__ import annotations

from clustergenie_gui.client import types as t
from clustergenie_gui.client.convert import _enum, _time
from clustergenie_gui.client.convert_telemetry import enum_to_pb
from clustergenie_server.api.v1 import scaling_pb2 as pb


def scaling_metric(value: pb.ScalingMetric.ValueType) -> t.ScalingMetric:
    """ScalingMetric number -> enum."""
    return _enum(pb.ScalingMetric, "SCALING_METRIC_", value, t.ScalingMetric)


def scaling_metric_to_pb(value: t.ScalingMetric) -> pb.ScalingMetric.ValueType:
    """ScalingMetric enum -> number."""
    return enum_to_pb(pb.ScalingMetric, "SCALING_METRIC_", value)


def rate_limit_from_pb(message: pb.RateLimit) -> t.RateLimit:
    """RateLimit message -> RateLimit."""
    kind = _enum(pb.RateLimitKind, "RATE_LIMIT_KIND_", message.kind, t.RateLimitKind)
    return t.RateLimit(kind, message.value, message.period_seconds)


def rules_from_pb(message: pb.ScalingRules) -> t.ScalingRules:
    """ScalingRules message -> ScalingRules (an unset window stays None)."""
    window = (
        message.stabilization_window_seconds
        if message.HasField("stabilization_window_seconds")
        else None
    )
    return t.ScalingRules(
        stabilization_window_seconds=window,
        select_policy=_enum(
            pb.SelectPolicy, "SELECT_POLICY_", message.select_policy, t.SelectPolicy
        ),
        rate_limits=tuple(rate_limit_from_pb(r) for r in message.rate_limits),
    )


def rules_to_pb(rules: t.ScalingRules) -> pb.ScalingRules:
    """ScalingRules -> message (None leaves the window unset: the server's default)."""
    message = pb.ScalingRules(
        select_policy=enum_to_pb(pb.SelectPolicy, "SELECT_POLICY_", rules.select_policy),
        rate_limits=[
            pb.RateLimit(
                kind=enum_to_pb(pb.RateLimitKind, "RATE_LIMIT_KIND_", r.kind),
                value=r.value,
                period_seconds=r.period_seconds,
            )
            for r in rules.rate_limits
        ],
    )
    if rules.stabilization_window_seconds is not None:
        message.stabilization_window_seconds = rules.stabilization_window_seconds
    return message


def policy_from_pb(message: pb.ScalingPolicy) -> t.ScalingPolicy:
    """ScalingPolicy message -> ScalingPolicy."""
    return t.ScalingPolicy(
        cluster_id=message.cluster_id,
        metric=scaling_metric(message.metric),
        target=message.target,
        min_droplets=message.min_droplets,
        max_droplets=message.max_droplets,
        tolerance=message.tolerance if message.HasField("tolerance") else None,
        scale_up=rules_from_pb(message.scale_up),
        scale_down=rules_from_pb(message.scale_down),
        schedules=tuple(
            t.ScheduledMinimum(s.min_droplets, s.start_hour, s.end_hour, tuple(s.weekdays))
            for s in message.schedules
        ),
        enabled=message.enabled,
        created_at=_time(message, "created_at"),
        updated_at=_time(message, "updated_at"),
    )


def policy_to_pb(policy: t.ScalingPolicy) -> pb.ScalingPolicy:
    """ScalingPolicy -> message (times are left out: the server sets them)."""
    message = pb.ScalingPolicy(
        cluster_id=policy.cluster_id,
        metric=scaling_metric_to_pb(policy.metric),
        target=policy.target,
        min_droplets=policy.min_droplets,
        max_droplets=policy.max_droplets,
        scale_up=rules_to_pb(policy.scale_up),
        scale_down=rules_to_pb(policy.scale_down),
        schedules=[
            pb.ScheduledMinimum(
                min_droplets=s.min_droplets,
                start_hour=s.start_hour,
                end_hour=s.end_hour,
                weekdays=list(s.weekdays),
            )
            for s in policy.schedules
        ],
        enabled=policy.enabled,
    )
    if policy.tolerance is not None:
        message.tolerance = policy.tolerance
    return message


def decision_from_pb(message: pb.ScalingDecision) -> t.ScalingDecision:
    """ScalingDecision message -> ScalingDecision."""
    return t.ScalingDecision(
        id=message.id,
        cluster_id=message.cluster_id,
        time=_time(message, "time"),
        metric=scaling_metric(message.metric),
        metric_value=message.metric_value,
        target=message.target,
        current_droplets=message.current_droplets,
        total_droplets=message.total_droplets,
        formula_droplets=message.formula_droplets,
        desired_droplets=message.desired_droplets,
        action=_enum(pb.ScalingAction, "SCALING_ACTION_", message.action, t.ScalingAction),
        rule=_enum(pb.DecisionRule, "DECISION_RULE_", message.rule, t.DecisionRule),
        reason=message.reason,
        job_id=message.job_id,
        recommended_droplets=message.recommended_droplets,
        stabilized_droplets=message.stabilized_droplets,
    )


def decision_event_from_pb(message: pb.DecisionUpdate) -> t.DecisionEvent | None:
    """DecisionUpdate -> ScalingDecision or SnapshotComplete; None for an empty update."""
    change = message.WhichOneof("change")
    if change == "decision":
        return decision_from_pb(message.decision)
    if change == "snapshot_complete":
        return t.SnapshotComplete()
    return None


# Requests ---------------------------------------------------------------------------------


def scale_cluster_request(cluster_id: int, target_count: int) -> pb.ScaleClusterRequest:
    """Build a ScaleClusterRequest."""
    return pb.ScaleClusterRequest(cluster_id=cluster_id, target_count=target_count)


def get_policy_request(cluster_id: int) -> pb.GetPolicyRequest:
    """Build a GetPolicyRequest."""
    return pb.GetPolicyRequest(cluster_id=cluster_id)


def list_policies_request() -> pb.ListPoliciesRequest:
    """Build a ListPoliciesRequest."""
    return pb.ListPoliciesRequest()


def set_policy_request(policy: t.ScalingPolicy) -> pb.SetPolicyRequest:
    """Build a SetPolicyRequest."""
    return pb.SetPolicyRequest(policy=policy_to_pb(policy))


def delete_policy_request(cluster_id: int) -> pb.DeletePolicyRequest:
    """Build a DeletePolicyRequest."""
    return pb.DeletePolicyRequest(cluster_id=cluster_id)


def list_decisions_request(
    cluster_id: int, limit: int, changes_only: bool
) -> pb.ListDecisionsRequest:
    """Build a ListDecisionsRequest (cluster_id 0: every cluster)."""
    return pb.ListDecisionsRequest(cluster_id=cluster_id, limit=limit, changes_only=changes_only)


def watch_decisions_request(cluster_id: int, snapshot_limit: int) -> pb.WatchDecisionsRequest:
    """Build a WatchDecisionsRequest (cluster_id 0: every cluster)."""
    return pb.WatchDecisionsRequest(cluster_id=cluster_id, snapshot_limit=snapshot_limit)
