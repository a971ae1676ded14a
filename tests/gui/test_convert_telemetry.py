"""Telemetry and scaling proto <-> dataclass conversion (no Qt)."""

from __future__ import annotations

from datetime import UTC, datetime

from google.protobuf.timestamp_pb2 import Timestamp

from clustergenie_gui.client import convert_scaling as cs
from clustergenie_gui.client import convert_telemetry as ct
from clustergenie_gui.client.types import (
    Aggregation,
    DecisionRule,
    FaultKind,
    FaultState,
    Metric,
    RateLimit,
    RateLimitKind,
    ScalingAction,
    ScalingMetric,
    ScalingPolicy,
    ScalingRules,
    ScheduledMinimum,
    SelectPolicy,
    SnapshotComplete,
)
from clustergenie_server.api.v1 import scaling_pb2, telemetry_pb2

T = datetime(2026, 3, 1, 10, 0, 5, tzinfo=UTC)


def stamp(moment: datetime) -> Timestamp:
    result = Timestamp()
    result.FromDatetime(moment)
    return result


def test_sample_time_is_simulated_unix_seconds() -> None:
    message = telemetry_pb2.MetricSample(
        cluster_id=3,
        time=stamp(T),
        cpu_percent=42.5,
        serving_droplets=4,
        requests_per_droplet=12.0,
        latency_p95_ms=80.0,
    )
    update = telemetry_pb2.MetricsUpdate(samples=[message, message])
    samples = ct.samples_from_pb(update)
    assert len(samples) == 2
    sample = samples[0]
    assert sample.time == T.timestamp()
    assert (sample.cluster_id, sample.droplet_id, sample.cpu_percent) == (3, 0, 42.5)
    assert (sample.serving_droplets, sample.requests_per_droplet) == (4, 12.0)
    assert getattr(sample, ScalingMetric.P95_LATENCY.sample_field) == 80.0


def test_series_request_and_response() -> None:
    request = ct.query_series_request(
        5,
        [Metric.CPU_PERCENT, Metric.OFFERED_RPS],
        window_seconds=600,
        end=T,
        aggregation=Aggregation.MAX,
    )
    assert list(request.metrics) == [
        telemetry_pb2.METRIC_CPU_PERCENT,
        telemetry_pb2.METRIC_OFFERED_RPS,
    ]
    assert request.aggregation == telemetry_pb2.AGGREGATION_MAX
    assert request.end.ToDatetime(tzinfo=UTC) == T
    assert not ct.query_series_request(5, [Metric.CPU_PERCENT]).HasField("end")
    series = ct.series_from_pb(
        telemetry_pb2.Series(
            metric=telemetry_pb2.METRIC_OFFERED_RPS,
            cluster_id=5,
            step_seconds=10,
            times=[1.0, 2.0],
            values=[3.0, 4.0],
            mins=[3.0, 4.0],
            maxs=[3.0, 4.0],
        )
    )
    assert series.metric == Metric.OFFERED_RPS
    assert series.times == (1.0, 2.0)
    assert series.values == (3.0, 4.0)


def test_fault_round_trip() -> None:
    request = ct.inject_fault_request(FaultKind.TRAFFIC_SPIKE, 2, magnitude=4, duration_seconds=600)
    assert request.kind == telemetry_pb2.FAULT_KIND_TRAFFIC_SPIKE
    assert (request.cluster_id, request.magnitude, request.duration_seconds) == (2, 4, 600)
    fault = ct.fault_from_pb(
        telemetry_pb2.Fault(
            id=9,
            kind=telemetry_pb2.FAULT_KIND_CPU_HOG,
            cluster_id=2,
            droplet_id=7,
            magnitude=0.8,
            state=telemetry_pb2.FAULT_STATE_ACTIVE,
            start_at=stamp(T),
            description="CPU hog",
        )
    )
    assert fault.kind == FaultKind.CPU_HOG
    assert fault.state == FaultState.ACTIVE
    assert fault.start_at == T
    assert fault.ended_at is None
    newer = telemetry_pb2.FaultKind.ValueType(99)  # a kind from a newer server
    assert ct.fault_from_pb(telemetry_pb2.Fault(kind=newer)).kind == FaultKind.UNKNOWN


def test_clock() -> None:
    clock = ct.clock_from_pb(
        telemetry_pb2.SimulationClock(now=stamp(T), time_scale=60, tick_seconds=10, seed=3)
    )
    assert (clock.now, clock.time_scale, clock.tick_seconds, clock.seed) == (T, 60, 10, 3)


def test_policy_round_trip_keeps_unset_fields_unset() -> None:
    policy = ScalingPolicy(
        cluster_id=4,
        metric=ScalingMetric.REQUESTS_PER_DROPLET,
        target=50,
        min_droplets=2,
        max_droplets=10,
        scale_up=ScalingRules(
            0.0,
            SelectPolicy.MIN,
            (RateLimit(RateLimitKind.DROPLETS, 2, 60), RateLimit(RateLimitKind.PERCENT, 50, 60)),
        ),
        schedules=(ScheduledMinimum(4, 8, 18, (1, 2, 3, 4, 5)),),
        enabled=False,
    )
    message = cs.policy_to_pb(policy)
    assert message.metric == scaling_pb2.SCALING_METRIC_REQUESTS_PER_DROPLET
    assert not message.HasField("tolerance")
    assert message.scale_up.HasField("stabilization_window_seconds")
    assert not message.scale_down.HasField("stabilization_window_seconds")
    assert message.scale_down.select_policy == scaling_pb2.SELECT_POLICY_UNSPECIFIED
    assert message.scale_up.rate_limits[1].kind == scaling_pb2.RATE_LIMIT_KIND_PERCENT
    assert cs.policy_from_pb(message) == policy
    with_tolerance = cs.policy_to_pb(ScalingPolicy(4, ScalingMetric.CPU, 60, 1, 3, 0.0))
    assert with_tolerance.HasField("tolerance")
    assert with_tolerance.tolerance == 0.0


def test_decision_events() -> None:
    decision = scaling_pb2.ScalingDecision(
        id=1,
        cluster_id=4,
        time=stamp(T),
        metric=scaling_pb2.SCALING_METRIC_CPU,
        metric_value=90,
        target=60,
        current_droplets=2,
        desired_droplets=3,
        action=scaling_pb2.SCALING_ACTION_SCALE_UP,
        rule=scaling_pb2.DECISION_RULE_RATE_LIMIT,
        reason="capped",
    )
    event = cs.decision_event_from_pb(scaling_pb2.DecisionUpdate(decision=decision))
    assert event is not None
    assert not isinstance(event, SnapshotComplete)
    assert (event.action, event.rule, event.time) == (
        ScalingAction.SCALE_UP,
        DecisionRule.RATE_LIMIT,
        T,
    )
    assert isinstance(
        cs.decision_event_from_pb(scaling_pb2.DecisionUpdate(snapshot_complete=True)),
        SnapshotComplete,
    )
    assert cs.decision_event_from_pb(scaling_pb2.DecisionUpdate()) is None
