import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from clustergenie_server.api.v1 import jobs_pb2 as _jobs_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ScalingMetric(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SCALING_METRIC_UNSPECIFIED: _ClassVar[ScalingMetric]
    SCALING_METRIC_CPU: _ClassVar[ScalingMetric]
    SCALING_METRIC_REQUESTS_PER_DROPLET: _ClassVar[ScalingMetric]
    SCALING_METRIC_P95_LATENCY: _ClassVar[ScalingMetric]

class SelectPolicy(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SELECT_POLICY_UNSPECIFIED: _ClassVar[SelectPolicy]
    SELECT_POLICY_MAX: _ClassVar[SelectPolicy]
    SELECT_POLICY_MIN: _ClassVar[SelectPolicy]
    SELECT_POLICY_DISABLED: _ClassVar[SelectPolicy]

class RateLimitKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    RATE_LIMIT_KIND_UNSPECIFIED: _ClassVar[RateLimitKind]
    RATE_LIMIT_KIND_DROPLETS: _ClassVar[RateLimitKind]
    RATE_LIMIT_KIND_PERCENT: _ClassVar[RateLimitKind]

class ScalingAction(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SCALING_ACTION_UNSPECIFIED: _ClassVar[ScalingAction]
    SCALING_ACTION_NONE: _ClassVar[ScalingAction]
    SCALING_ACTION_SCALE_UP: _ClassVar[ScalingAction]
    SCALING_ACTION_SCALE_DOWN: _ClassVar[ScalingAction]

class DecisionRule(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DECISION_RULE_UNSPECIFIED: _ClassVar[DecisionRule]
    DECISION_RULE_FORMULA: _ClassVar[DecisionRule]
    DECISION_RULE_TOLERANCE: _ClassVar[DecisionRule]
    DECISION_RULE_STABILIZATION: _ClassVar[DecisionRule]
    DECISION_RULE_RATE_LIMIT: _ClassVar[DecisionRule]
    DECISION_RULE_MIN: _ClassVar[DecisionRule]
    DECISION_RULE_MAX: _ClassVar[DecisionRule]
    DECISION_RULE_SCHEDULE: _ClassVar[DecisionRule]
    DECISION_RULE_DISABLED: _ClassVar[DecisionRule]
    DECISION_RULE_NO_METRICS: _ClassVar[DecisionRule]
    DECISION_RULE_BUSY: _ClassVar[DecisionRule]
    DECISION_RULE_LAST_DROPLET: _ClassVar[DecisionRule]
SCALING_METRIC_UNSPECIFIED: ScalingMetric
SCALING_METRIC_CPU: ScalingMetric
SCALING_METRIC_REQUESTS_PER_DROPLET: ScalingMetric
SCALING_METRIC_P95_LATENCY: ScalingMetric
SELECT_POLICY_UNSPECIFIED: SelectPolicy
SELECT_POLICY_MAX: SelectPolicy
SELECT_POLICY_MIN: SelectPolicy
SELECT_POLICY_DISABLED: SelectPolicy
RATE_LIMIT_KIND_UNSPECIFIED: RateLimitKind
RATE_LIMIT_KIND_DROPLETS: RateLimitKind
RATE_LIMIT_KIND_PERCENT: RateLimitKind
SCALING_ACTION_UNSPECIFIED: ScalingAction
SCALING_ACTION_NONE: ScalingAction
SCALING_ACTION_SCALE_UP: ScalingAction
SCALING_ACTION_SCALE_DOWN: ScalingAction
DECISION_RULE_UNSPECIFIED: DecisionRule
DECISION_RULE_FORMULA: DecisionRule
DECISION_RULE_TOLERANCE: DecisionRule
DECISION_RULE_STABILIZATION: DecisionRule
DECISION_RULE_RATE_LIMIT: DecisionRule
DECISION_RULE_MIN: DecisionRule
DECISION_RULE_MAX: DecisionRule
DECISION_RULE_SCHEDULE: DecisionRule
DECISION_RULE_DISABLED: DecisionRule
DECISION_RULE_NO_METRICS: DecisionRule
DECISION_RULE_BUSY: DecisionRule
DECISION_RULE_LAST_DROPLET: DecisionRule

class RateLimit(_message.Message):
    __slots__ = ("kind", "value", "period_seconds")
    KIND_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    PERIOD_SECONDS_FIELD_NUMBER: _ClassVar[int]
    kind: RateLimitKind
    value: int
    period_seconds: float
    def __init__(self, kind: _Optional[_Union[RateLimitKind, str]] = ..., value: _Optional[int] = ..., period_seconds: _Optional[float] = ...) -> None: ...

class ScalingRules(_message.Message):
    __slots__ = ("stabilization_window_seconds", "select_policy", "rate_limits")
    STABILIZATION_WINDOW_SECONDS_FIELD_NUMBER: _ClassVar[int]
    SELECT_POLICY_FIELD_NUMBER: _ClassVar[int]
    RATE_LIMITS_FIELD_NUMBER: _ClassVar[int]
    stabilization_window_seconds: float
    select_policy: SelectPolicy
    rate_limits: _containers.RepeatedCompositeFieldContainer[RateLimit]
    def __init__(self, stabilization_window_seconds: _Optional[float] = ..., select_policy: _Optional[_Union[SelectPolicy, str]] = ..., rate_limits: _Optional[_Iterable[_Union[RateLimit, _Mapping]]] = ...) -> None: ...

class ScheduledMinimum(_message.Message):
    __slots__ = ("min_droplets", "start_hour", "end_hour", "weekdays")
    MIN_DROPLETS_FIELD_NUMBER: _ClassVar[int]
    START_HOUR_FIELD_NUMBER: _ClassVar[int]
    END_HOUR_FIELD_NUMBER: _ClassVar[int]
    WEEKDAYS_FIELD_NUMBER: _ClassVar[int]
    min_droplets: int
    start_hour: int
    end_hour: int
    weekdays: _containers.RepeatedScalarFieldContainer[int]
    def __init__(self, min_droplets: _Optional[int] = ..., start_hour: _Optional[int] = ..., end_hour: _Optional[int] = ..., weekdays: _Optional[_Iterable[int]] = ...) -> None: ...

class ScalingPolicy(_message.Message):
    __slots__ = ("cluster_id", "metric", "target", "min_droplets", "max_droplets", "tolerance", "scale_up", "scale_down", "schedules", "enabled", "created_at", "updated_at")
    CLUSTER_ID_FIELD_NUMBER: _ClassVar[int]
    METRIC_FIELD_NUMBER: _ClassVar[int]
    TARGET_FIELD_NUMBER: _ClassVar[int]
    MIN_DROPLETS_FIELD_NUMBER: _ClassVar[int]
    MAX_DROPLETS_FIELD_NUMBER: _ClassVar[int]
    TOLERANCE_FIELD_NUMBER: _ClassVar[int]
    SCALE_UP_FIELD_NUMBER: _ClassVar[int]
    SCALE_DOWN_FIELD_NUMBER: _ClassVar[int]
    SCHEDULES_FIELD_NUMBER: _ClassVar[int]
    ENABLED_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    cluster_id: int
    metric: ScalingMetric
    target: float
    min_droplets: int
    max_droplets: int
    tolerance: float
    scale_up: ScalingRules
    scale_down: ScalingRules
    schedules: _containers.RepeatedCompositeFieldContainer[ScheduledMinimum]
    enabled: bool
    created_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    def __init__(self, cluster_id: _Optional[int] = ..., metric: _Optional[_Union[ScalingMetric, str]] = ..., target: _Optional[float] = ..., min_droplets: _Optional[int] = ..., max_droplets: _Optional[int] = ..., tolerance: _Optional[float] = ..., scale_up: _Optional[_Union[ScalingRules, _Mapping]] = ..., scale_down: _Optional[_Union[ScalingRules, _Mapping]] = ..., schedules: _Optional[_Iterable[_Union[ScheduledMinimum, _Mapping]]] = ..., enabled: _Optional[bool] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ScaleClusterRequest(_message.Message):
    __slots__ = ("cluster_id", "target_count")
    CLUSTER_ID_FIELD_NUMBER: _ClassVar[int]
    TARGET_COUNT_FIELD_NUMBER: _ClassVar[int]
    cluster_id: int
    target_count: int
    def __init__(self, cluster_id: _Optional[int] = ..., target_count: _Optional[int] = ...) -> None: ...

class ScaleClusterResponse(_message.Message):
    __slots__ = ("job",)
    JOB_FIELD_NUMBER: _ClassVar[int]
    job: _jobs_pb2.Job
    def __init__(self, job: _Optional[_Union[_jobs_pb2.Job, _Mapping]] = ...) -> None: ...

class GetPolicyRequest(_message.Message):
    __slots__ = ("cluster_id",)
    CLUSTER_ID_FIELD_NUMBER: _ClassVar[int]
    cluster_id: int
    def __init__(self, cluster_id: _Optional[int] = ...) -> None: ...

class ListPoliciesRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListPoliciesResponse(_message.Message):
    __slots__ = ("policies",)
    POLICIES_FIELD_NUMBER: _ClassVar[int]
    policies: _containers.RepeatedCompositeFieldContainer[ScalingPolicy]
    def __init__(self, policies: _Optional[_Iterable[_Union[ScalingPolicy, _Mapping]]] = ...) -> None: ...

class SetPolicyRequest(_message.Message):
    __slots__ = ("policy",)
    POLICY_FIELD_NUMBER: _ClassVar[int]
    policy: ScalingPolicy
    def __init__(self, policy: _Optional[_Union[ScalingPolicy, _Mapping]] = ...) -> None: ...

class DeletePolicyRequest(_message.Message):
    __slots__ = ("cluster_id",)
    CLUSTER_ID_FIELD_NUMBER: _ClassVar[int]
    cluster_id: int
    def __init__(self, cluster_id: _Optional[int] = ...) -> None: ...

class DeletePolicyResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ScalingDecision(_message.Message):
    __slots__ = ("id", "cluster_id", "time", "metric", "metric_value", "target", "current_droplets", "total_droplets", "formula_droplets", "desired_droplets", "action", "rule", "reason", "job_id", "recommended_droplets", "stabilized_droplets")
    ID_FIELD_NUMBER: _ClassVar[int]
    CLUSTER_ID_FIELD_NUMBER: _ClassVar[int]
    TIME_FIELD_NUMBER: _ClassVar[int]
    METRIC_FIELD_NUMBER: _ClassVar[int]
    METRIC_VALUE_FIELD_NUMBER: _ClassVar[int]
    TARGET_FIELD_NUMBER: _ClassVar[int]
    CURRENT_DROPLETS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_DROPLETS_FIELD_NUMBER: _ClassVar[int]
    FORMULA_DROPLETS_FIELD_NUMBER: _ClassVar[int]
    DESIRED_DROPLETS_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    RULE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    RECOMMENDED_DROPLETS_FIELD_NUMBER: _ClassVar[int]
    STABILIZED_DROPLETS_FIELD_NUMBER: _ClassVar[int]
    id: int
    cluster_id: int
    time: _timestamp_pb2.Timestamp
    metric: ScalingMetric
    metric_value: float
    target: float
    current_droplets: int
    total_droplets: int
    formula_droplets: int
    desired_droplets: int
    action: ScalingAction
    rule: DecisionRule
    reason: str
    job_id: int
    recommended_droplets: int
    stabilized_droplets: int
    def __init__(self, id: _Optional[int] = ..., cluster_id: _Optional[int] = ..., time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., metric: _Optional[_Union[ScalingMetric, str]] = ..., metric_value: _Optional[float] = ..., target: _Optional[float] = ..., current_droplets: _Optional[int] = ..., total_droplets: _Optional[int] = ..., formula_droplets: _Optional[int] = ..., desired_droplets: _Optional[int] = ..., action: _Optional[_Union[ScalingAction, str]] = ..., rule: _Optional[_Union[DecisionRule, str]] = ..., reason: _Optional[str] = ..., job_id: _Optional[int] = ..., recommended_droplets: _Optional[int] = ..., stabilized_droplets: _Optional[int] = ...) -> None: ...

class ListDecisionsRequest(_message.Message):
    __slots__ = ("cluster_id", "limit", "changes_only")
    CLUSTER_ID_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    CHANGES_ONLY_FIELD_NUMBER: _ClassVar[int]
    cluster_id: int
    limit: int
    changes_only: bool
    def __init__(self, cluster_id: _Optional[int] = ..., limit: _Optional[int] = ..., changes_only: _Optional[bool] = ...) -> None: ...

class ListDecisionsResponse(_message.Message):
    __slots__ = ("decisions",)
    DECISIONS_FIELD_NUMBER: _ClassVar[int]
    decisions: _containers.RepeatedCompositeFieldContainer[ScalingDecision]
    def __init__(self, decisions: _Optional[_Iterable[_Union[ScalingDecision, _Mapping]]] = ...) -> None: ...

class WatchDecisionsRequest(_message.Message):
    __slots__ = ("cluster_id", "snapshot_limit")
    CLUSTER_ID_FIELD_NUMBER: _ClassVar[int]
    SNAPSHOT_LIMIT_FIELD_NUMBER: _ClassVar[int]
    cluster_id: int
    snapshot_limit: int
    def __init__(self, cluster_id: _Optional[int] = ..., snapshot_limit: _Optional[int] = ...) -> None: ...

class DecisionUpdate(_message.Message):
    __slots__ = ("decision", "snapshot_complete")
    DECISION_FIELD_NUMBER: _ClassVar[int]
    SNAPSHOT_COMPLETE_FIELD_NUMBER: _ClassVar[int]
    decision: ScalingDecision
    snapshot_complete: bool
    def __init__(self, decision: _Optional[_Union[ScalingDecision, _Mapping]] = ..., snapshot_complete: _Optional[bool] = ...) -> None: ...
