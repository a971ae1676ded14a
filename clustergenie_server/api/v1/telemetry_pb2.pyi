import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Metric(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    METRIC_UNSPECIFIED: _ClassVar[Metric]
    METRIC_CPU_PERCENT: _ClassVar[Metric]
    METRIC_MEMORY_PERCENT: _ClassVar[Metric]
    METRIC_DISK_PERCENT: _ClassVar[Metric]
    METRIC_NET_IN_MBPS: _ClassVar[Metric]
    METRIC_NET_OUT_MBPS: _ClassVar[Metric]
    METRIC_REQUESTS_PER_SECOND: _ClassVar[Metric]
    METRIC_LATENCY_P50_MS: _ClassVar[Metric]
    METRIC_LATENCY_P95_MS: _ClassVar[Metric]
    METRIC_LATENCY_P99_MS: _ClassVar[Metric]
    METRIC_ERROR_RATE: _ClassVar[Metric]
    METRIC_SERVING_DROPLETS: _ClassVar[Metric]
    METRIC_REQUESTS_PER_DROPLET: _ClassVar[Metric]
    METRIC_OFFERED_RPS: _ClassVar[Metric]

class Aggregation(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    AGGREGATION_UNSPECIFIED: _ClassVar[Aggregation]
    AGGREGATION_MEAN: _ClassVar[Aggregation]
    AGGREGATION_MAX: _ClassVar[Aggregation]
    AGGREGATION_MIN: _ClassVar[Aggregation]
    AGGREGATION_LAST: _ClassVar[Aggregation]

class FaultKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    FAULT_KIND_UNSPECIFIED: _ClassVar[FaultKind]
    FAULT_KIND_CPU_HOG: _ClassVar[FaultKind]
    FAULT_KIND_MEMORY_LEAK: _ClassVar[FaultKind]
    FAULT_KIND_DISK_FILL: _ClassVar[FaultKind]
    FAULT_KIND_NETWORK_LATENCY: _ClassVar[FaultKind]
    FAULT_KIND_NETWORK_PARTITION: _ClassVar[FaultKind]
    FAULT_KIND_CRASH_LOOP: _ClassVar[FaultKind]
    FAULT_KIND_BAD_DEPLOY: _ClassVar[FaultKind]
    FAULT_KIND_TRAFFIC_SPIKE: _ClassVar[FaultKind]

class FaultState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    FAULT_STATE_UNSPECIFIED: _ClassVar[FaultState]
    FAULT_STATE_SCHEDULED: _ClassVar[FaultState]
    FAULT_STATE_ACTIVE: _ClassVar[FaultState]
    FAULT_STATE_EXPIRED: _ClassVar[FaultState]
    FAULT_STATE_CLEARED: _ClassVar[FaultState]
METRIC_UNSPECIFIED: Metric
METRIC_CPU_PERCENT: Metric
METRIC_MEMORY_PERCENT: Metric
METRIC_DISK_PERCENT: Metric
METRIC_NET_IN_MBPS: Metric
METRIC_NET_OUT_MBPS: Metric
METRIC_REQUESTS_PER_SECOND: Metric
METRIC_LATENCY_P50_MS: Metric
METRIC_LATENCY_P95_MS: Metric
METRIC_LATENCY_P99_MS: Metric
METRIC_ERROR_RATE: Metric
METRIC_SERVING_DROPLETS: Metric
METRIC_REQUESTS_PER_DROPLET: Metric
METRIC_OFFERED_RPS: Metric
AGGREGATION_UNSPECIFIED: Aggregation
AGGREGATION_MEAN: Aggregation
AGGREGATION_MAX: Aggregation
AGGREGATION_MIN: Aggregation
AGGREGATION_LAST: Aggregation
FAULT_KIND_UNSPECIFIED: FaultKind
FAULT_KIND_CPU_HOG: FaultKind
FAULT_KIND_MEMORY_LEAK: FaultKind
FAULT_KIND_DISK_FILL: FaultKind
FAULT_KIND_NETWORK_LATENCY: FaultKind
FAULT_KIND_NETWORK_PARTITION: FaultKind
FAULT_KIND_CRASH_LOOP: FaultKind
FAULT_KIND_BAD_DEPLOY: FaultKind
FAULT_KIND_TRAFFIC_SPIKE: FaultKind
FAULT_STATE_UNSPECIFIED: FaultState
FAULT_STATE_SCHEDULED: FaultState
FAULT_STATE_ACTIVE: FaultState
FAULT_STATE_EXPIRED: FaultState
FAULT_STATE_CLEARED: FaultState

class GetClockRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class SimulationClock(_message.Message):
    __slots__ = ("now", "time_scale", "tick_seconds", "seed", "retention_seconds")
    NOW_FIELD_NUMBER: _ClassVar[int]
    TIME_SCALE_FIELD_NUMBER: _ClassVar[int]
    TICK_SECONDS_FIELD_NUMBER: _ClassVar[int]
    SEED_FIELD_NUMBER: _ClassVar[int]
    RETENTION_SECONDS_FIELD_NUMBER: _ClassVar[int]
    now: _timestamp_pb2.Timestamp
    time_scale: float
    tick_seconds: float
    seed: int
    retention_seconds: float
    def __init__(self, now: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., time_scale: _Optional[float] = ..., tick_seconds: _Optional[float] = ..., seed: _Optional[int] = ..., retention_seconds: _Optional[float] = ...) -> None: ...

class QuerySeriesRequest(_message.Message):
    __slots__ = ("cluster_id", "droplet_id", "metrics", "window_seconds", "end", "step_seconds", "max_points", "aggregation")
    CLUSTER_ID_FIELD_NUMBER: _ClassVar[int]
    DROPLET_ID_FIELD_NUMBER: _ClassVar[int]
    METRICS_FIELD_NUMBER: _ClassVar[int]
    WINDOW_SECONDS_FIELD_NUMBER: _ClassVar[int]
    END_FIELD_NUMBER: _ClassVar[int]
    STEP_SECONDS_FIELD_NUMBER: _ClassVar[int]
    MAX_POINTS_FIELD_NUMBER: _ClassVar[int]
    AGGREGATION_FIELD_NUMBER: _ClassVar[int]
    cluster_id: int
    droplet_id: int
    metrics: _containers.RepeatedScalarFieldContainer[Metric]
    window_seconds: float
    end: _timestamp_pb2.Timestamp
    step_seconds: float
    max_points: int
    aggregation: Aggregation
    def __init__(self, cluster_id: _Optional[int] = ..., droplet_id: _Optional[int] = ..., metrics: _Optional[_Iterable[_Union[Metric, str]]] = ..., window_seconds: _Optional[float] = ..., end: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., step_seconds: _Optional[float] = ..., max_points: _Optional[int] = ..., aggregation: _Optional[_Union[Aggregation, str]] = ...) -> None: ...

class Series(_message.Message):
    __slots__ = ("metric", "cluster_id", "droplet_id", "step_seconds", "times", "values", "mins", "maxs")
    METRIC_FIELD_NUMBER: _ClassVar[int]
    CLUSTER_ID_FIELD_NUMBER: _ClassVar[int]
    DROPLET_ID_FIELD_NUMBER: _ClassVar[int]
    STEP_SECONDS_FIELD_NUMBER: _ClassVar[int]
    TIMES_FIELD_NUMBER: _ClassVar[int]
    VALUES_FIELD_NUMBER: _ClassVar[int]
    MINS_FIELD_NUMBER: _ClassVar[int]
    MAXS_FIELD_NUMBER: _ClassVar[int]
    metric: Metric
    cluster_id: int
    droplet_id: int
    step_seconds: float
    times: _containers.RepeatedScalarFieldContainer[float]
    values: _containers.RepeatedScalarFieldContainer[float]
    mins: _containers.RepeatedScalarFieldContainer[float]
    maxs: _containers.RepeatedScalarFieldContainer[float]
    def __init__(self, metric: _Optional[_Union[Metric, str]] = ..., cluster_id: _Optional[int] = ..., droplet_id: _Optional[int] = ..., step_seconds: _Optional[float] = ..., times: _Optional[_Iterable[float]] = ..., values: _Optional[_Iterable[float]] = ..., mins: _Optional[_Iterable[float]] = ..., maxs: _Optional[_Iterable[float]] = ...) -> None: ...

class QuerySeriesResponse(_message.Message):
    __slots__ = ("series",)
    SERIES_FIELD_NUMBER: _ClassVar[int]
    series: _containers.RepeatedCompositeFieldContainer[Series]
    def __init__(self, series: _Optional[_Iterable[_Union[Series, _Mapping]]] = ...) -> None: ...

class MetricSample(_message.Message):
    __slots__ = ("cluster_id", "droplet_id", "time", "cpu_percent", "memory_percent", "disk_percent", "net_in_mbps", "net_out_mbps", "requests_per_second", "latency_p50_ms", "latency_p95_ms", "latency_p99_ms", "error_rate", "serving_droplets", "requests_per_droplet", "offered_rps")
    CLUSTER_ID_FIELD_NUMBER: _ClassVar[int]
    DROPLET_ID_FIELD_NUMBER: _ClassVar[int]
    TIME_FIELD_NUMBER: _ClassVar[int]
    CPU_PERCENT_FIELD_NUMBER: _ClassVar[int]
    MEMORY_PERCENT_FIELD_NUMBER: _ClassVar[int]
    DISK_PERCENT_FIELD_NUMBER: _ClassVar[int]
    NET_IN_MBPS_FIELD_NUMBER: _ClassVar[int]
    NET_OUT_MBPS_FIELD_NUMBER: _ClassVar[int]
    REQUESTS_PER_SECOND_FIELD_NUMBER: _ClassVar[int]
    LATENCY_P50_MS_FIELD_NUMBER: _ClassVar[int]
    LATENCY_P95_MS_FIELD_NUMBER: _ClassVar[int]
    LATENCY_P99_MS_FIELD_NUMBER: _ClassVar[int]
    ERROR_RATE_FIELD_NUMBER: _ClassVar[int]
    SERVING_DROPLETS_FIELD_NUMBER: _ClassVar[int]
    REQUESTS_PER_DROPLET_FIELD_NUMBER: _ClassVar[int]
    OFFERED_RPS_FIELD_NUMBER: _ClassVar[int]
    cluster_id: int
    droplet_id: int
    time: _timestamp_pb2.Timestamp
    cpu_percent: float
    memory_percent: float
    disk_percent: float
    net_in_mbps: float
    net_out_mbps: float
    requests_per_second: float
    latency_p50_ms: float
    latency_p95_ms: float
    latency_p99_ms: float
    error_rate: float
    serving_droplets: int
    requests_per_droplet: float
    offered_rps: float
    def __init__(self, cluster_id: _Optional[int] = ..., droplet_id: _Optional[int] = ..., time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., cpu_percent: _Optional[float] = ..., memory_percent: _Optional[float] = ..., disk_percent: _Optional[float] = ..., net_in_mbps: _Optional[float] = ..., net_out_mbps: _Optional[float] = ..., requests_per_second: _Optional[float] = ..., latency_p50_ms: _Optional[float] = ..., latency_p95_ms: _Optional[float] = ..., latency_p99_ms: _Optional[float] = ..., error_rate: _Optional[float] = ..., serving_droplets: _Optional[int] = ..., requests_per_droplet: _Optional[float] = ..., offered_rps: _Optional[float] = ...) -> None: ...

class WatchMetricsRequest(_message.Message):
    __slots__ = ("cluster_id", "droplet_id", "include_droplets", "backfill_seconds")
    CLUSTER_ID_FIELD_NUMBER: _ClassVar[int]
    DROPLET_ID_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_DROPLETS_FIELD_NUMBER: _ClassVar[int]
    BACKFILL_SECONDS_FIELD_NUMBER: _ClassVar[int]
    cluster_id: int
    droplet_id: int
    include_droplets: bool
    backfill_seconds: float
    def __init__(self, cluster_id: _Optional[int] = ..., droplet_id: _Optional[int] = ..., include_droplets: _Optional[bool] = ..., backfill_seconds: _Optional[float] = ...) -> None: ...

class MetricsUpdate(_message.Message):
    __slots__ = ("samples", "backfill_complete")
    SAMPLES_FIELD_NUMBER: _ClassVar[int]
    BACKFILL_COMPLETE_FIELD_NUMBER: _ClassVar[int]
    samples: _containers.RepeatedCompositeFieldContainer[MetricSample]
    backfill_complete: bool
    def __init__(self, samples: _Optional[_Iterable[_Union[MetricSample, _Mapping]]] = ..., backfill_complete: _Optional[bool] = ...) -> None: ...

class Fault(_message.Message):
    __slots__ = ("id", "kind", "cluster_id", "droplet_id", "magnitude", "start_at", "duration_seconds", "state", "ended_at", "description", "created_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    CLUSTER_ID_FIELD_NUMBER: _ClassVar[int]
    DROPLET_ID_FIELD_NUMBER: _ClassVar[int]
    MAGNITUDE_FIELD_NUMBER: _ClassVar[int]
    START_AT_FIELD_NUMBER: _ClassVar[int]
    DURATION_SECONDS_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    ENDED_AT_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    id: int
    kind: FaultKind
    cluster_id: int
    droplet_id: int
    magnitude: float
    start_at: _timestamp_pb2.Timestamp
    duration_seconds: float
    state: FaultState
    ended_at: _timestamp_pb2.Timestamp
    description: str
    created_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[int] = ..., kind: _Optional[_Union[FaultKind, str]] = ..., cluster_id: _Optional[int] = ..., droplet_id: _Optional[int] = ..., magnitude: _Optional[float] = ..., start_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., duration_seconds: _Optional[float] = ..., state: _Optional[_Union[FaultState, str]] = ..., ended_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., description: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class InjectFaultRequest(_message.Message):
    __slots__ = ("kind", "cluster_id", "droplet_id", "magnitude", "start_after_seconds", "duration_seconds")
    KIND_FIELD_NUMBER: _ClassVar[int]
    CLUSTER_ID_FIELD_NUMBER: _ClassVar[int]
    DROPLET_ID_FIELD_NUMBER: _ClassVar[int]
    MAGNITUDE_FIELD_NUMBER: _ClassVar[int]
    START_AFTER_SECONDS_FIELD_NUMBER: _ClassVar[int]
    DURATION_SECONDS_FIELD_NUMBER: _ClassVar[int]
    kind: FaultKind
    cluster_id: int
    droplet_id: int
    magnitude: float
    start_after_seconds: float
    duration_seconds: float
    def __init__(self, kind: _Optional[_Union[FaultKind, str]] = ..., cluster_id: _Optional[int] = ..., droplet_id: _Optional[int] = ..., magnitude: _Optional[float] = ..., start_after_seconds: _Optional[float] = ..., duration_seconds: _Optional[float] = ...) -> None: ...

class ListFaultsRequest(_message.Message):
    __slots__ = ("cluster_id", "include_ended")
    CLUSTER_ID_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_ENDED_FIELD_NUMBER: _ClassVar[int]
    cluster_id: int
    include_ended: bool
    def __init__(self, cluster_id: _Optional[int] = ..., include_ended: _Optional[bool] = ...) -> None: ...

class ListFaultsResponse(_message.Message):
    __slots__ = ("faults",)
    FAULTS_FIELD_NUMBER: _ClassVar[int]
    faults: _containers.RepeatedCompositeFieldContainer[Fault]
    def __init__(self, faults: _Optional[_Iterable[_Union[Fault, _Mapping]]] = ...) -> None: ...

class ClearFaultRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: int
    def __init__(self, id: _Optional[int] = ...) -> None: ...
