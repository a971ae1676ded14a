from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class CheckKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CHECK_KIND_UNSPECIFIED: _ClassVar[CheckKind]
    CHECK_KIND_HTTP: _ClassVar[CheckKind]
    CHECK_KIND_TCP: _ClassVar[CheckKind]
    CHECK_KIND_PING: _ClassVar[CheckKind]
    CHECK_KIND_GRPC: _ClassVar[CheckKind]

class TargetKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TARGET_KIND_UNSPECIFIED: _ClassVar[TargetKind]
    TARGET_KIND_DROPLET: _ClassVar[TargetKind]
    TARGET_KIND_CLUSTER: _ClassVar[TargetKind]
    TARGET_KIND_LOAD_BALANCER: _ClassVar[TargetKind]
    TARGET_KIND_ADDRESS: _ClassVar[TargetKind]

class HealthState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    HEALTH_STATE_UNSPECIFIED: _ClassVar[HealthState]
    HEALTH_STATE_UNKNOWN: _ClassVar[HealthState]
    HEALTH_STATE_HEALTHY: _ClassVar[HealthState]
    HEALTH_STATE_DEGRADED: _ClassVar[HealthState]
    HEALTH_STATE_UNHEALTHY: _ClassVar[HealthState]

class Outcome(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    OUTCOME_UNSPECIFIED: _ClassVar[Outcome]
    OUTCOME_PASS: _ClassVar[Outcome]
    OUTCOME_SLOW: _ClassVar[Outcome]
    OUTCOME_FAIL: _ClassVar[Outcome]

class AutoHeal(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    AUTO_HEAL_UNSPECIFIED: _ClassVar[AutoHeal]
    AUTO_HEAL_NONE: _ClassVar[AutoHeal]
    AUTO_HEAL_REBOOT: _ClassVar[AutoHeal]
    AUTO_HEAL_REPLACE: _ClassVar[AutoHeal]

class ChannelKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CHANNEL_KIND_UNSPECIFIED: _ClassVar[ChannelKind]
    CHANNEL_KIND_DESKTOP: _ClassVar[ChannelKind]
    CHANNEL_KIND_WEBHOOK: _ClassVar[ChannelKind]

class Recurrence(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    RECURRENCE_UNSPECIFIED: _ClassVar[Recurrence]
    RECURRENCE_ONCE: _ClassVar[Recurrence]
    RECURRENCE_DAILY: _ClassVar[Recurrence]
    RECURRENCE_WEEKLY: _ClassVar[Recurrence]
CHECK_KIND_UNSPECIFIED: CheckKind
CHECK_KIND_HTTP: CheckKind
CHECK_KIND_TCP: CheckKind
CHECK_KIND_PING: CheckKind
CHECK_KIND_GRPC: CheckKind
TARGET_KIND_UNSPECIFIED: TargetKind
TARGET_KIND_DROPLET: TargetKind
TARGET_KIND_CLUSTER: TargetKind
TARGET_KIND_LOAD_BALANCER: TargetKind
TARGET_KIND_ADDRESS: TargetKind
HEALTH_STATE_UNSPECIFIED: HealthState
HEALTH_STATE_UNKNOWN: HealthState
HEALTH_STATE_HEALTHY: HealthState
HEALTH_STATE_DEGRADED: HealthState
HEALTH_STATE_UNHEALTHY: HealthState
OUTCOME_UNSPECIFIED: Outcome
OUTCOME_PASS: Outcome
OUTCOME_SLOW: Outcome
OUTCOME_FAIL: Outcome
AUTO_HEAL_UNSPECIFIED: AutoHeal
AUTO_HEAL_NONE: AutoHeal
AUTO_HEAL_REBOOT: AutoHeal
AUTO_HEAL_REPLACE: AutoHeal
CHANNEL_KIND_UNSPECIFIED: ChannelKind
CHANNEL_KIND_DESKTOP: ChannelKind
CHANNEL_KIND_WEBHOOK: ChannelKind
RECURRENCE_UNSPECIFIED: Recurrence
RECURRENCE_ONCE: Recurrence
RECURRENCE_DAILY: Recurrence
RECURRENCE_WEEKLY: Recurrence

class Header(_message.Message):
    __slots__ = ("name", "value")
    NAME_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    name: str
    value: str
    def __init__(self, name: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...

class HttpSpec(_message.Message):
    __slots__ = ("method", "path", "headers", "body", "status_min", "status_max", "follow_redirects", "tls_insecure")
    METHOD_FIELD_NUMBER: _ClassVar[int]
    PATH_FIELD_NUMBER: _ClassVar[int]
    HEADERS_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    STATUS_MIN_FIELD_NUMBER: _ClassVar[int]
    STATUS_MAX_FIELD_NUMBER: _ClassVar[int]
    FOLLOW_REDIRECTS_FIELD_NUMBER: _ClassVar[int]
    TLS_INSECURE_FIELD_NUMBER: _ClassVar[int]
    method: str
    path: str
    headers: _containers.RepeatedCompositeFieldContainer[Header]
    body: str
    status_min: int
    status_max: int
    follow_redirects: bool
    tls_insecure: bool
    def __init__(self, method: _Optional[str] = ..., path: _Optional[str] = ..., headers: _Optional[_Iterable[_Union[Header, _Mapping]]] = ..., body: _Optional[str] = ..., status_min: _Optional[int] = ..., status_max: _Optional[int] = ..., follow_redirects: _Optional[bool] = ..., tls_insecure: _Optional[bool] = ...) -> None: ...

class HealthCheck(_message.Message):
    __slots__ = ("id", "name", "kind", "target_kind", "target_id", "address", "port", "http", "interval_seconds", "timeout_seconds", "conditions", "failure_threshold", "success_threshold", "locations", "quorum", "paused", "auto_heal", "auto_heal_after", "created_at", "updated_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    TARGET_KIND_FIELD_NUMBER: _ClassVar[int]
    TARGET_ID_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    PORT_FIELD_NUMBER: _ClassVar[int]
    HTTP_FIELD_NUMBER: _ClassVar[int]
    INTERVAL_SECONDS_FIELD_NUMBER: _ClassVar[int]
    TIMEOUT_SECONDS_FIELD_NUMBER: _ClassVar[int]
    CONDITIONS_FIELD_NUMBER: _ClassVar[int]
    FAILURE_THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    SUCCESS_THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    LOCATIONS_FIELD_NUMBER: _ClassVar[int]
    QUORUM_FIELD_NUMBER: _ClassVar[int]
    PAUSED_FIELD_NUMBER: _ClassVar[int]
    AUTO_HEAL_FIELD_NUMBER: _ClassVar[int]
    AUTO_HEAL_AFTER_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    id: int
    name: str
    kind: CheckKind
    target_kind: TargetKind
    target_id: int
    address: str
    port: int
    http: HttpSpec
    interval_seconds: float
    timeout_seconds: float
    conditions: str
    failure_threshold: int
    success_threshold: int
    locations: _containers.RepeatedScalarFieldContainer[str]
    quorum: int
    paused: bool
    auto_heal: AutoHeal
    auto_heal_after: int
    created_at: float
    updated_at: float
    def __init__(self, id: _Optional[int] = ..., name: _Optional[str] = ..., kind: _Optional[_Union[CheckKind, str]] = ..., target_kind: _Optional[_Union[TargetKind, str]] = ..., target_id: _Optional[int] = ..., address: _Optional[str] = ..., port: _Optional[int] = ..., http: _Optional[_Union[HttpSpec, _Mapping]] = ..., interval_seconds: _Optional[float] = ..., timeout_seconds: _Optional[float] = ..., conditions: _Optional[str] = ..., failure_threshold: _Optional[int] = ..., success_threshold: _Optional[int] = ..., locations: _Optional[_Iterable[str]] = ..., quorum: _Optional[int] = ..., paused: _Optional[bool] = ..., auto_heal: _Optional[_Union[AutoHeal, str]] = ..., auto_heal_after: _Optional[int] = ..., created_at: _Optional[float] = ..., updated_at: _Optional[float] = ...) -> None: ...

class Phases(_message.Message):
    __slots__ = ("connect_ms", "tls_ms", "first_byte_ms", "transfer_ms")
    CONNECT_MS_FIELD_NUMBER: _ClassVar[int]
    TLS_MS_FIELD_NUMBER: _ClassVar[int]
    FIRST_BYTE_MS_FIELD_NUMBER: _ClassVar[int]
    TRANSFER_MS_FIELD_NUMBER: _ClassVar[int]
    connect_ms: float
    tls_ms: float
    first_byte_ms: float
    transfer_ms: float
    def __init__(self, connect_ms: _Optional[float] = ..., tls_ms: _Optional[float] = ..., first_byte_ms: _Optional[float] = ..., transfer_ms: _Optional[float] = ...) -> None: ...

class CheckResult(_message.Message):
    __slots__ = ("id", "check_id", "target_key", "location", "at", "outcome", "latency_ms", "connected", "status_code", "error", "failed_condition", "reason", "phases", "cert_expiry_at", "scheduled_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    CHECK_ID_FIELD_NUMBER: _ClassVar[int]
    TARGET_KEY_FIELD_NUMBER: _ClassVar[int]
    LOCATION_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    LATENCY_MS_FIELD_NUMBER: _ClassVar[int]
    CONNECTED_FIELD_NUMBER: _ClassVar[int]
    STATUS_CODE_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    FAILED_CONDITION_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    PHASES_FIELD_NUMBER: _ClassVar[int]
    CERT_EXPIRY_AT_FIELD_NUMBER: _ClassVar[int]
    SCHEDULED_AT_FIELD_NUMBER: _ClassVar[int]
    id: int
    check_id: int
    target_key: str
    location: str
    at: float
    outcome: Outcome
    latency_ms: float
    connected: bool
    status_code: int
    error: str
    failed_condition: str
    reason: str
    phases: Phases
    cert_expiry_at: float
    scheduled_at: float
    def __init__(self, id: _Optional[int] = ..., check_id: _Optional[int] = ..., target_key: _Optional[str] = ..., location: _Optional[str] = ..., at: _Optional[float] = ..., outcome: _Optional[_Union[Outcome, str]] = ..., latency_ms: _Optional[float] = ..., connected: _Optional[bool] = ..., status_code: _Optional[int] = ..., error: _Optional[str] = ..., failed_condition: _Optional[str] = ..., reason: _Optional[str] = ..., phases: _Optional[_Union[Phases, _Mapping]] = ..., cert_expiry_at: _Optional[float] = ..., scheduled_at: _Optional[float] = ...) -> None: ...

class HealthTransition(_message.Message):
    __slots__ = ("id", "check_id", "target_key", "cluster_id", "from_state", "to_state", "at", "reason", "locations_failing")
    ID_FIELD_NUMBER: _ClassVar[int]
    CHECK_ID_FIELD_NUMBER: _ClassVar[int]
    TARGET_KEY_FIELD_NUMBER: _ClassVar[int]
    CLUSTER_ID_FIELD_NUMBER: _ClassVar[int]
    FROM_STATE_FIELD_NUMBER: _ClassVar[int]
    TO_STATE_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    LOCATIONS_FAILING_FIELD_NUMBER: _ClassVar[int]
    id: int
    check_id: int
    target_key: str
    cluster_id: int
    from_state: HealthState
    to_state: HealthState
    at: float
    reason: str
    locations_failing: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, id: _Optional[int] = ..., check_id: _Optional[int] = ..., target_key: _Optional[str] = ..., cluster_id: _Optional[int] = ..., from_state: _Optional[_Union[HealthState, str]] = ..., to_state: _Optional[_Union[HealthState, str]] = ..., at: _Optional[float] = ..., reason: _Optional[str] = ..., locations_failing: _Optional[_Iterable[str]] = ...) -> None: ...

class HealthAlert(_message.Message):
    __slots__ = ("id", "check_id", "cluster_id", "subject", "members", "opened_at", "resolved_at", "last_notified_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    CHECK_ID_FIELD_NUMBER: _ClassVar[int]
    CLUSTER_ID_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    MEMBERS_FIELD_NUMBER: _ClassVar[int]
    OPENED_AT_FIELD_NUMBER: _ClassVar[int]
    RESOLVED_AT_FIELD_NUMBER: _ClassVar[int]
    LAST_NOTIFIED_AT_FIELD_NUMBER: _ClassVar[int]
    id: int
    check_id: int
    cluster_id: int
    subject: str
    members: _containers.RepeatedScalarFieldContainer[str]
    opened_at: float
    resolved_at: float
    last_notified_at: float
    def __init__(self, id: _Optional[int] = ..., check_id: _Optional[int] = ..., cluster_id: _Optional[int] = ..., subject: _Optional[str] = ..., members: _Optional[_Iterable[str]] = ..., opened_at: _Optional[float] = ..., resolved_at: _Optional[float] = ..., last_notified_at: _Optional[float] = ...) -> None: ...

class HealthEvent(_message.Message):
    __slots__ = ("transition", "alert", "notice")
    TRANSITION_FIELD_NUMBER: _ClassVar[int]
    ALERT_FIELD_NUMBER: _ClassVar[int]
    NOTICE_FIELD_NUMBER: _ClassVar[int]
    transition: HealthTransition
    alert: HealthAlert
    notice: str
    def __init__(self, transition: _Optional[_Union[HealthTransition, _Mapping]] = ..., alert: _Optional[_Union[HealthAlert, _Mapping]] = ..., notice: _Optional[str] = ...) -> None: ...

class TargetStatus(_message.Message):
    __slots__ = ("check_id", "target_key", "label", "cluster_id", "droplet_id", "state", "since", "last", "failing_locations")
    CHECK_ID_FIELD_NUMBER: _ClassVar[int]
    TARGET_KEY_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    CLUSTER_ID_FIELD_NUMBER: _ClassVar[int]
    DROPLET_ID_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    SINCE_FIELD_NUMBER: _ClassVar[int]
    LAST_FIELD_NUMBER: _ClassVar[int]
    FAILING_LOCATIONS_FIELD_NUMBER: _ClassVar[int]
    check_id: int
    target_key: str
    label: str
    cluster_id: int
    droplet_id: int
    state: HealthState
    since: float
    last: CheckResult
    failing_locations: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, check_id: _Optional[int] = ..., target_key: _Optional[str] = ..., label: _Optional[str] = ..., cluster_id: _Optional[int] = ..., droplet_id: _Optional[int] = ..., state: _Optional[_Union[HealthState, str]] = ..., since: _Optional[float] = ..., last: _Optional[_Union[CheckResult, _Mapping]] = ..., failing_locations: _Optional[_Iterable[str]] = ...) -> None: ...

class ClusterRollup(_message.Message):
    __slots__ = ("cluster_id", "healthy", "total")
    CLUSTER_ID_FIELD_NUMBER: _ClassVar[int]
    HEALTHY_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    cluster_id: int
    healthy: int
    total: int
    def __init__(self, cluster_id: _Optional[int] = ..., healthy: _Optional[int] = ..., total: _Optional[int] = ...) -> None: ...

class NotificationChannel(_message.Message):
    __slots__ = ("id", "name", "kind", "url", "reminder_seconds")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    URL_FIELD_NUMBER: _ClassVar[int]
    REMINDER_SECONDS_FIELD_NUMBER: _ClassVar[int]
    id: int
    name: str
    kind: ChannelKind
    url: str
    reminder_seconds: float
    def __init__(self, id: _Optional[int] = ..., name: _Optional[str] = ..., kind: _Optional[_Union[ChannelKind, str]] = ..., url: _Optional[str] = ..., reminder_seconds: _Optional[float] = ...) -> None: ...

class Delivery(_message.Message):
    __slots__ = ("id", "channel_id", "alert_id", "event", "attempts", "delivered", "error", "at")
    ID_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_ID_FIELD_NUMBER: _ClassVar[int]
    ALERT_ID_FIELD_NUMBER: _ClassVar[int]
    EVENT_FIELD_NUMBER: _ClassVar[int]
    ATTEMPTS_FIELD_NUMBER: _ClassVar[int]
    DELIVERED_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    id: int
    channel_id: int
    alert_id: int
    event: str
    attempts: int
    delivered: bool
    error: str
    at: float
    def __init__(self, id: _Optional[int] = ..., channel_id: _Optional[int] = ..., alert_id: _Optional[int] = ..., event: _Optional[str] = ..., attempts: _Optional[int] = ..., delivered: _Optional[bool] = ..., error: _Optional[str] = ..., at: _Optional[float] = ...) -> None: ...

class MaintenanceWindow(_message.Message):
    __slots__ = ("id", "cluster_id", "start", "duration_seconds", "recurrence", "description")
    ID_FIELD_NUMBER: _ClassVar[int]
    CLUSTER_ID_FIELD_NUMBER: _ClassVar[int]
    START_FIELD_NUMBER: _ClassVar[int]
    DURATION_SECONDS_FIELD_NUMBER: _ClassVar[int]
    RECURRENCE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    id: int
    cluster_id: int
    start: float
    duration_seconds: float
    recurrence: Recurrence
    description: str
    def __init__(self, id: _Optional[int] = ..., cluster_id: _Optional[int] = ..., start: _Optional[float] = ..., duration_seconds: _Optional[float] = ..., recurrence: _Optional[_Union[Recurrence, str]] = ..., description: _Optional[str] = ...) -> None: ...

class UptimeWindow(_message.Message):
    __slots__ = ("window_seconds", "uptime_percent", "latency_p50_ms", "latency_p95_ms", "results")
    WINDOW_SECONDS_FIELD_NUMBER: _ClassVar[int]
    UPTIME_PERCENT_FIELD_NUMBER: _ClassVar[int]
    LATENCY_P50_MS_FIELD_NUMBER: _ClassVar[int]
    LATENCY_P95_MS_FIELD_NUMBER: _ClassVar[int]
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    window_seconds: float
    uptime_percent: float
    latency_p50_ms: float
    latency_p95_ms: float
    results: int
    def __init__(self, window_seconds: _Optional[float] = ..., uptime_percent: _Optional[float] = ..., latency_p50_ms: _Optional[float] = ..., latency_p95_ms: _Optional[float] = ..., results: _Optional[int] = ...) -> None: ...

class Span(_message.Message):
    __slots__ = ("start", "end")
    START_FIELD_NUMBER: _ClassVar[int]
    END_FIELD_NUMBER: _ClassVar[int]
    start: float
    end: float
    def __init__(self, start: _Optional[float] = ..., end: _Optional[float] = ...) -> None: ...

class CreateCheckRequest(_message.Message):
    __slots__ = ("check",)
    CHECK_FIELD_NUMBER: _ClassVar[int]
    check: HealthCheck
    def __init__(self, check: _Optional[_Union[HealthCheck, _Mapping]] = ...) -> None: ...

class UpdateCheckRequest(_message.Message):
    __slots__ = ("check",)
    CHECK_FIELD_NUMBER: _ClassVar[int]
    check: HealthCheck
    def __init__(self, check: _Optional[_Union[HealthCheck, _Mapping]] = ...) -> None: ...

class DeleteCheckRequest(_message.Message):
    __slots__ = ("check_id",)
    CHECK_ID_FIELD_NUMBER: _ClassVar[int]
    check_id: int
    def __init__(self, check_id: _Optional[int] = ...) -> None: ...

class DeleteCheckResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetCheckRequest(_message.Message):
    __slots__ = ("check_id",)
    CHECK_ID_FIELD_NUMBER: _ClassVar[int]
    check_id: int
    def __init__(self, check_id: _Optional[int] = ...) -> None: ...

class ListChecksRequest(_message.Message):
    __slots__ = ("cluster_id", "kind")
    CLUSTER_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    cluster_id: int
    kind: CheckKind
    def __init__(self, cluster_id: _Optional[int] = ..., kind: _Optional[_Union[CheckKind, str]] = ...) -> None: ...

class ListChecksResponse(_message.Message):
    __slots__ = ("checks",)
    CHECKS_FIELD_NUMBER: _ClassVar[int]
    checks: _containers.RepeatedCompositeFieldContainer[HealthCheck]
    def __init__(self, checks: _Optional[_Iterable[_Union[HealthCheck, _Mapping]]] = ...) -> None: ...

class PauseCheckRequest(_message.Message):
    __slots__ = ("check_id", "paused")
    CHECK_ID_FIELD_NUMBER: _ClassVar[int]
    PAUSED_FIELD_NUMBER: _ClassVar[int]
    check_id: int
    paused: bool
    def __init__(self, check_id: _Optional[int] = ..., paused: _Optional[bool] = ...) -> None: ...

class RunCheckRequest(_message.Message):
    __slots__ = ("check_id",)
    CHECK_ID_FIELD_NUMBER: _ClassVar[int]
    check_id: int
    def __init__(self, check_id: _Optional[int] = ...) -> None: ...

class RunCheckResponse(_message.Message):
    __slots__ = ("results",)
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    results: _containers.RepeatedCompositeFieldContainer[CheckResult]
    def __init__(self, results: _Optional[_Iterable[_Union[CheckResult, _Mapping]]] = ...) -> None: ...

class ValidateConditionsRequest(_message.Message):
    __slots__ = ("conditions",)
    CONDITIONS_FIELD_NUMBER: _ClassVar[int]
    conditions: str
    def __init__(self, conditions: _Optional[str] = ...) -> None: ...

class ValidateConditionsResponse(_message.Message):
    __slots__ = ("valid", "error", "column")
    VALID_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    COLUMN_FIELD_NUMBER: _ClassVar[int]
    valid: bool
    error: str
    column: int
    def __init__(self, valid: _Optional[bool] = ..., error: _Optional[str] = ..., column: _Optional[int] = ...) -> None: ...

class GetStatusRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetStatusResponse(_message.Message):
    __slots__ = ("targets", "clusters")
    TARGETS_FIELD_NUMBER: _ClassVar[int]
    CLUSTERS_FIELD_NUMBER: _ClassVar[int]
    targets: _containers.RepeatedCompositeFieldContainer[TargetStatus]
    clusters: _containers.RepeatedCompositeFieldContainer[ClusterRollup]
    def __init__(self, targets: _Optional[_Iterable[_Union[TargetStatus, _Mapping]]] = ..., clusters: _Optional[_Iterable[_Union[ClusterRollup, _Mapping]]] = ...) -> None: ...

class ListResultsRequest(_message.Message):
    __slots__ = ("check_id", "target_key", "since", "limit")
    CHECK_ID_FIELD_NUMBER: _ClassVar[int]
    TARGET_KEY_FIELD_NUMBER: _ClassVar[int]
    SINCE_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    check_id: int
    target_key: str
    since: float
    limit: int
    def __init__(self, check_id: _Optional[int] = ..., target_key: _Optional[str] = ..., since: _Optional[float] = ..., limit: _Optional[int] = ...) -> None: ...

class ListResultsResponse(_message.Message):
    __slots__ = ("results",)
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    results: _containers.RepeatedCompositeFieldContainer[CheckResult]
    def __init__(self, results: _Optional[_Iterable[_Union[CheckResult, _Mapping]]] = ...) -> None: ...

class ListTransitionsRequest(_message.Message):
    __slots__ = ("check_id", "target_key", "since", "limit")
    CHECK_ID_FIELD_NUMBER: _ClassVar[int]
    TARGET_KEY_FIELD_NUMBER: _ClassVar[int]
    SINCE_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    check_id: int
    target_key: str
    since: float
    limit: int
    def __init__(self, check_id: _Optional[int] = ..., target_key: _Optional[str] = ..., since: _Optional[float] = ..., limit: _Optional[int] = ...) -> None: ...

class ListTransitionsResponse(_message.Message):
    __slots__ = ("transitions",)
    TRANSITIONS_FIELD_NUMBER: _ClassVar[int]
    transitions: _containers.RepeatedCompositeFieldContainer[HealthTransition]
    def __init__(self, transitions: _Optional[_Iterable[_Union[HealthTransition, _Mapping]]] = ...) -> None: ...

class GetUptimeRequest(_message.Message):
    __slots__ = ("check_id", "target_key", "series_seconds", "step_seconds")
    CHECK_ID_FIELD_NUMBER: _ClassVar[int]
    TARGET_KEY_FIELD_NUMBER: _ClassVar[int]
    SERIES_SECONDS_FIELD_NUMBER: _ClassVar[int]
    STEP_SECONDS_FIELD_NUMBER: _ClassVar[int]
    check_id: int
    target_key: str
    series_seconds: float
    step_seconds: float
    def __init__(self, check_id: _Optional[int] = ..., target_key: _Optional[str] = ..., series_seconds: _Optional[float] = ..., step_seconds: _Optional[float] = ...) -> None: ...

class GetUptimeResponse(_message.Message):
    __slots__ = ("windows", "times", "latency_ms", "latency_max_ms", "failures", "maintenance")
    WINDOWS_FIELD_NUMBER: _ClassVar[int]
    TIMES_FIELD_NUMBER: _ClassVar[int]
    LATENCY_MS_FIELD_NUMBER: _ClassVar[int]
    LATENCY_MAX_MS_FIELD_NUMBER: _ClassVar[int]
    FAILURES_FIELD_NUMBER: _ClassVar[int]
    MAINTENANCE_FIELD_NUMBER: _ClassVar[int]
    windows: _containers.RepeatedCompositeFieldContainer[UptimeWindow]
    times: _containers.RepeatedScalarFieldContainer[float]
    latency_ms: _containers.RepeatedScalarFieldContainer[float]
    latency_max_ms: _containers.RepeatedScalarFieldContainer[float]
    failures: _containers.RepeatedCompositeFieldContainer[Span]
    maintenance: _containers.RepeatedCompositeFieldContainer[Span]
    def __init__(self, windows: _Optional[_Iterable[_Union[UptimeWindow, _Mapping]]] = ..., times: _Optional[_Iterable[float]] = ..., latency_ms: _Optional[_Iterable[float]] = ..., latency_max_ms: _Optional[_Iterable[float]] = ..., failures: _Optional[_Iterable[_Union[Span, _Mapping]]] = ..., maintenance: _Optional[_Iterable[_Union[Span, _Mapping]]] = ...) -> None: ...

class WatchHealthRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class HealthUpdate(_message.Message):
    __slots__ = ("status", "result", "transition", "alert", "snapshot_complete", "notice")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    TRANSITION_FIELD_NUMBER: _ClassVar[int]
    ALERT_FIELD_NUMBER: _ClassVar[int]
    SNAPSHOT_COMPLETE_FIELD_NUMBER: _ClassVar[int]
    NOTICE_FIELD_NUMBER: _ClassVar[int]
    status: TargetStatus
    result: CheckResult
    transition: HealthTransition
    alert: HealthAlert
    snapshot_complete: bool
    notice: str
    def __init__(self, status: _Optional[_Union[TargetStatus, _Mapping]] = ..., result: _Optional[_Union[CheckResult, _Mapping]] = ..., transition: _Optional[_Union[HealthTransition, _Mapping]] = ..., alert: _Optional[_Union[HealthAlert, _Mapping]] = ..., snapshot_complete: _Optional[bool] = ..., notice: _Optional[str] = ...) -> None: ...

class ListAlertsRequest(_message.Message):
    __slots__ = ("open_only",)
    OPEN_ONLY_FIELD_NUMBER: _ClassVar[int]
    open_only: bool
    def __init__(self, open_only: _Optional[bool] = ...) -> None: ...

class ListAlertsResponse(_message.Message):
    __slots__ = ("alerts",)
    ALERTS_FIELD_NUMBER: _ClassVar[int]
    alerts: _containers.RepeatedCompositeFieldContainer[HealthAlert]
    def __init__(self, alerts: _Optional[_Iterable[_Union[HealthAlert, _Mapping]]] = ...) -> None: ...

class ListDeliveriesRequest(_message.Message):
    __slots__ = ("alert_id",)
    ALERT_ID_FIELD_NUMBER: _ClassVar[int]
    alert_id: int
    def __init__(self, alert_id: _Optional[int] = ...) -> None: ...

class ListDeliveriesResponse(_message.Message):
    __slots__ = ("deliveries",)
    DELIVERIES_FIELD_NUMBER: _ClassVar[int]
    deliveries: _containers.RepeatedCompositeFieldContainer[Delivery]
    def __init__(self, deliveries: _Optional[_Iterable[_Union[Delivery, _Mapping]]] = ...) -> None: ...

class CreateChannelRequest(_message.Message):
    __slots__ = ("channel",)
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    channel: NotificationChannel
    def __init__(self, channel: _Optional[_Union[NotificationChannel, _Mapping]] = ...) -> None: ...

class ListChannelsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListChannelsResponse(_message.Message):
    __slots__ = ("channels",)
    CHANNELS_FIELD_NUMBER: _ClassVar[int]
    channels: _containers.RepeatedCompositeFieldContainer[NotificationChannel]
    def __init__(self, channels: _Optional[_Iterable[_Union[NotificationChannel, _Mapping]]] = ...) -> None: ...

class DeleteChannelRequest(_message.Message):
    __slots__ = ("channel_id",)
    CHANNEL_ID_FIELD_NUMBER: _ClassVar[int]
    channel_id: int
    def __init__(self, channel_id: _Optional[int] = ...) -> None: ...

class DeleteChannelResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class CreateMaintenanceRequest(_message.Message):
    __slots__ = ("window",)
    WINDOW_FIELD_NUMBER: _ClassVar[int]
    window: MaintenanceWindow
    def __init__(self, window: _Optional[_Union[MaintenanceWindow, _Mapping]] = ...) -> None: ...

class ListMaintenanceRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListMaintenanceResponse(_message.Message):
    __slots__ = ("windows",)
    WINDOWS_FIELD_NUMBER: _ClassVar[int]
    windows: _containers.RepeatedCompositeFieldContainer[MaintenanceWindow]
    def __init__(self, windows: _Optional[_Iterable[_Union[MaintenanceWindow, _Mapping]]] = ...) -> None: ...

class DeleteMaintenanceRequest(_message.Message):
    __slots__ = ("window_id",)
    WINDOW_ID_FIELD_NUMBER: _ClassVar[int]
    window_id: int
    def __init__(self, window_id: _Optional[int] = ...) -> None: ...

class DeleteMaintenanceResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...
