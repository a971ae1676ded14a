"""Proto <-> domain conversion for TelemetryService."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from google.protobuf.timestamp_pb2 import Timestamp

from clustergenie_server.api.v1 import telemetry_pb2 as pb
from clustergenie_server.domain.errors import InvalidArgument
from clustergenie_server.domain.telemetry import (
    METRICS,
    Aggregation,
    Fault,
    FaultKind,
    FaultState,
    Metric,
    Sample,
    Series,
)
from clustergenie_server.wire.convert import timestamp
from clustergenie_server.wire.proto_to_domain import optional_datetime, required_datetime

METRIC = {m: pb.Metric.Value(f"METRIC_{m.name}") for m in Metric}
METRIC_BACK = {v: k for k, v in METRIC.items()}
_SAMPLE_FIELDS = tuple(m.value for m in METRICS)  # MetricSample's field per Sample.values column
FAULT_KIND = {k: pb.FaultKind.Value(f"FAULT_KIND_{k.name}") for k in FaultKind}
FAULT_KIND_BACK = {v: k for k, v in FAULT_KIND.items()}
FAULT_STATE = {s: pb.FaultState.Value(f"FAULT_STATE_{s.name}") for s in FaultState}
FAULT_STATE_BACK = {v: k for k, v in FAULT_STATE.items()}
AGGREGATION_BACK = {
    pb.AGGREGATION_UNSPECIFIED: Aggregation.MEAN,
    pb.AGGREGATION_MEAN: Aggregation.MEAN,
    pb.AGGREGATION_MAX: Aggregation.MAX,
    pb.AGGREGATION_MIN: Aggregation.MIN,
    pb.AGGREGATION_LAST: Aggregation.LAST,
}


def seconds(ts: Timestamp) -> float:
    """A Timestamp as Unix seconds."""
    return ts.seconds + ts.nanos / 1e9


def unix_timestamp(value: float) -> Timestamp:
    """Unix seconds as a Timestamp."""
    seconds, nanos = divmod(round(value * 1e9), 1_000_000_000)
    return Timestamp(seconds=seconds, nanos=nanos)


def metrics_from_proto(values: Iterable[pb.Metric.ValueType]) -> list[Metric]:
    """Metrics named in a request; unknown or unspecified ones are refused."""
    try:
        return [METRIC_BACK[v] for v in values]
    except KeyError as exc:
        raise InvalidArgument(
            f"unknown metric {exc.args[0]}; use one of the Metric values, e.g. METRIC_CPU_PERCENT"
        ) from None


def aggregation_from_proto(value: pb.Aggregation.ValueType) -> Aggregation:
    """The bucket aggregation."""
    if value not in AGGREGATION_BACK:
        raise InvalidArgument(f"unknown aggregation {value}; use MEAN, MAX, MIN or LAST")
    return AGGREGATION_BACK[value]


def fault_kind_from_proto(value: pb.FaultKind.ValueType) -> FaultKind:
    """The fault kind; UNSPECIFIED is refused."""
    if value not in FAULT_KIND_BACK:
        raise InvalidArgument(
            "fault kind is missing or unknown; use one of FaultKind, e.g. FAULT_KIND_CPU_HOG"
        )
    return FAULT_KIND_BACK[value]


def series_to_proto(s: Series) -> pb.Series:
    """A downsampled series as parallel arrays."""
    return pb.Series(
        metric=METRIC[s.metric],
        cluster_id=s.cluster_id,
        droplet_id=s.droplet_id,
        step_seconds=s.step_seconds,
        times=s.times,
        values=s.values,
        mins=s.mins,
        maxs=s.maxs,
    )


def sample_to_proto(s: Sample) -> pb.MetricSample:
    """Every metric of one droplet or aggregate at one tick."""
    # Float fields, and one int (serving_droplets): hence Any.
    fields: dict[str, Any] = dict(zip(_SAMPLE_FIELDS, s.values, strict=True))
    fields["serving_droplets"] = int(fields["serving_droplets"])
    return pb.MetricSample(
        cluster_id=s.cluster_id, droplet_id=s.droplet_id, time=unix_timestamp(s.time), **fields
    )


def fault_to_proto(f: Fault) -> pb.Fault:
    """A fault."""
    return pb.Fault(
        id=f.id,
        kind=FAULT_KIND[f.kind],
        cluster_id=f.cluster_id,
        droplet_id=f.droplet_id or 0,
        magnitude=f.magnitude,
        start_at=timestamp(f.start_at),
        duration_seconds=f.duration_seconds,
        state=FAULT_STATE[f.state],
        ended_at=timestamp(f.ended_at),
        description=f.description,
        created_at=timestamp(f.created_at),
    )


def fault_from_proto(f: pb.Fault) -> Fault:
    """A fault, as the event bus carries it."""
    return Fault(
        id=f.id,
        kind=FAULT_KIND_BACK[f.kind],
        cluster_id=f.cluster_id,
        droplet_id=f.droplet_id or None,
        magnitude=f.magnitude,
        start_at=required_datetime(f.start_at),
        duration_seconds=f.duration_seconds,
        state=FAULT_STATE_BACK[f.state],
        ended_at=optional_datetime(f.ended_at, f.HasField("ended_at")),
        description=f.description,
        created_at=required_datetime(f.created_at),
    )
