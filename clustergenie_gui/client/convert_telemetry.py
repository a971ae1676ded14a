"""Telemetry proto <-> GUI dataclasses (with convert.py and convert_scaling.py: all *_pb2 use)."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from clustergenie_gui.client import types as t
from clustergenie_gui.client.convert import V, _enum, _time
from clustergenie_server.api.v1 import telemetry_pb2 as pb

if TYPE_CHECKING:
    from google.protobuf.internal.enum_type_wrapper import _EnumTypeWrapper


def enum_to_pb(pb_enum: _EnumTypeWrapper[V], prefix: str, value: enum.StrEnum) -> V:
    """One of our StrEnums -> proto number; UNKNOWN -> 0 (UNSPECIFIED)."""
    name = "UNSPECIFIED" if value.value == "unknown" else value.value.upper()
    return pb_enum.Value(prefix + name)


def metric(value: pb.Metric.ValueType) -> t.Metric:
    """Metric number -> enum."""
    return _enum(pb.Metric, "METRIC_", value, t.Metric)


def metric_to_pb(value: t.Metric) -> pb.Metric.ValueType:
    """Metric enum -> number."""
    return enum_to_pb(pb.Metric, "METRIC_", value)


def fault_kind_to_pb(value: t.FaultKind) -> pb.FaultKind.ValueType:
    """FaultKind enum -> number."""
    return enum_to_pb(pb.FaultKind, "FAULT_KIND_", value)


def clock_from_pb(message: pb.SimulationClock) -> t.SimulationClock:
    """SimulationClock message -> SimulationClock."""
    return t.SimulationClock(
        now=_time(message, "now"),
        time_scale=message.time_scale or 1.0,
        tick_seconds=message.tick_seconds,
        seed=message.seed,
        retention_seconds=message.retention_seconds,
    )


def sample_from_pb(message: pb.MetricSample) -> t.MetricSample:
    """MetricSample message -> MetricSample (time as simulated Unix seconds)."""
    stamp = message.time
    return t.MetricSample(
        cluster_id=message.cluster_id,
        droplet_id=message.droplet_id,
        time=stamp.seconds + stamp.nanos / 1e9,
        cpu_percent=message.cpu_percent,
        memory_percent=message.memory_percent,
        disk_percent=message.disk_percent,
        net_in_mbps=message.net_in_mbps,
        net_out_mbps=message.net_out_mbps,
        requests_per_second=message.requests_per_second,
        latency_p50_ms=message.latency_p50_ms,
        latency_p95_ms=message.latency_p95_ms,
        latency_p99_ms=message.latency_p99_ms,
        error_rate=message.error_rate,
        serving_droplets=message.serving_droplets,
        requests_per_droplet=message.requests_per_droplet,
        offered_rps=message.offered_rps,
    )


def samples_from_pb(message: pb.MetricsUpdate) -> list[t.MetricSample]:
    """MetricsUpdate -> its samples (one tick, or several in the backfill)."""
    return [sample_from_pb(s) for s in message.samples]


def series_from_pb(message: pb.Series) -> t.Series:
    """Series message -> Series."""
    return t.Series(
        metric=metric(message.metric),
        cluster_id=message.cluster_id,
        droplet_id=message.droplet_id,
        step_seconds=message.step_seconds,
        times=tuple(message.times),
        values=tuple(message.values),
        mins=tuple(message.mins),
        maxs=tuple(message.maxs),
    )


def fault_from_pb(message: pb.Fault) -> t.Fault:
    """Fault message -> Fault."""
    return t.Fault(
        id=message.id,
        kind=_enum(pb.FaultKind, "FAULT_KIND_", message.kind, t.FaultKind),
        cluster_id=message.cluster_id,
        droplet_id=message.droplet_id,
        magnitude=message.magnitude,
        start_at=_time(message, "start_at"),
        duration_seconds=message.duration_seconds,
        state=_enum(pb.FaultState, "FAULT_STATE_", message.state, t.FaultState),
        ended_at=_time(message, "ended_at"),
        description=message.description,
        created_at=_time(message, "created_at"),
    )


# Requests ---------------------------------------------------------------------------------


def clock_request() -> pb.GetClockRequest:
    """Build a GetClockRequest."""
    return pb.GetClockRequest()


def query_series_request(
    cluster_id: int,
    metrics: Iterable[t.Metric],
    droplet_id: int = 0,
    window_seconds: float = 0.0,
    end: datetime | None = None,
    step_seconds: float = 0.0,
    max_points: int = 0,
    aggregation: t.Aggregation = t.Aggregation.UNKNOWN,
) -> pb.QuerySeriesRequest:
    """Build a QuerySeriesRequest (zeros and None take the server's defaults)."""
    request = pb.QuerySeriesRequest(
        cluster_id=cluster_id,
        droplet_id=droplet_id,
        metrics=[metric_to_pb(m) for m in metrics],
        window_seconds=window_seconds,
        step_seconds=step_seconds,
        max_points=max_points,
        aggregation=enum_to_pb(pb.Aggregation, "AGGREGATION_", aggregation),
    )
    if end is not None:
        request.end.FromDatetime(end)
    return request


def watch_metrics_request(
    cluster_id: int,
    droplet_id: int = 0,
    include_droplets: bool = False,
    backfill_seconds: float = 0.0,
) -> pb.WatchMetricsRequest:
    """Build a WatchMetricsRequest."""
    return pb.WatchMetricsRequest(
        cluster_id=cluster_id,
        droplet_id=droplet_id,
        include_droplets=include_droplets,
        backfill_seconds=backfill_seconds,
    )


def inject_fault_request(
    kind: t.FaultKind,
    cluster_id: int,
    droplet_id: int = 0,
    magnitude: float = 0.0,
    start_after_seconds: float = 0.0,
    duration_seconds: float = 0.0,
) -> pb.InjectFaultRequest:
    """Build an InjectFaultRequest (zeros take the kind's defaults / now / until cleared)."""
    return pb.InjectFaultRequest(
        kind=fault_kind_to_pb(kind),
        cluster_id=cluster_id,
        droplet_id=droplet_id,
        magnitude=magnitude,
        start_after_seconds=start_after_seconds,
        duration_seconds=duration_seconds,
    )


def list_faults_request(cluster_id: int, include_ended: bool) -> pb.ListFaultsRequest:
    """Build a ListFaultsRequest (cluster_id 0: every cluster)."""
    return pb.ListFaultsRequest(cluster_id=cluster_id, include_ended=include_ended)


def clear_fault_request(fault_id: int) -> pb.ClearFaultRequest:
    """Build a ClearFaultRequest."""
    return pb.ClearFaultRequest(id=fault_id)
