from clustergenie_server.api.v1 import jobs_pb2 as _jobs_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Severity(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SEVERITY_UNSPECIFIED: _ClassVar[Severity]
    SEVERITY_INFO: _ClassVar[Severity]
    SEVERITY_WARNING: _ClassVar[Severity]
    SEVERITY_CRITICAL: _ClassVar[Severity]
SEVERITY_UNSPECIFIED: Severity
SEVERITY_INFO: Severity
SEVERITY_WARNING: Severity
SEVERITY_CRITICAL: Severity

class DiagnosisTarget(_message.Message):
    __slots__ = ("cluster_id", "droplet_id", "name")
    CLUSTER_ID_FIELD_NUMBER: _ClassVar[int]
    DROPLET_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    cluster_id: int
    droplet_id: int
    name: str
    def __init__(self, cluster_id: _Optional[int] = ..., droplet_id: _Optional[int] = ..., name: _Optional[str] = ...) -> None: ...

class MetricEvidence(_message.Message):
    __slots__ = ("metric", "target", "times", "values", "has_baseline", "baseline", "unit")
    METRIC_FIELD_NUMBER: _ClassVar[int]
    TARGET_FIELD_NUMBER: _ClassVar[int]
    TIMES_FIELD_NUMBER: _ClassVar[int]
    VALUES_FIELD_NUMBER: _ClassVar[int]
    HAS_BASELINE_FIELD_NUMBER: _ClassVar[int]
    BASELINE_FIELD_NUMBER: _ClassVar[int]
    UNIT_FIELD_NUMBER: _ClassVar[int]
    metric: str
    target: DiagnosisTarget
    times: _containers.RepeatedScalarFieldContainer[float]
    values: _containers.RepeatedScalarFieldContainer[float]
    has_baseline: bool
    baseline: float
    unit: str
    def __init__(self, metric: _Optional[str] = ..., target: _Optional[_Union[DiagnosisTarget, _Mapping]] = ..., times: _Optional[_Iterable[float]] = ..., values: _Optional[_Iterable[float]] = ..., has_baseline: _Optional[bool] = ..., baseline: _Optional[float] = ..., unit: _Optional[str] = ...) -> None: ...

class EventEvidence(_message.Message):
    __slots__ = ("time", "kind", "text")
    TIME_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    time: float
    kind: str
    text: str
    def __init__(self, time: _Optional[float] = ..., kind: _Optional[str] = ..., text: _Optional[str] = ...) -> None: ...

class LogEvidence(_message.Message):
    __slots__ = ("pattern", "count", "examples")
    PATTERN_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    EXAMPLES_FIELD_NUMBER: _ClassVar[int]
    pattern: str
    count: int
    examples: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, pattern: _Optional[str] = ..., count: _Optional[int] = ..., examples: _Optional[_Iterable[str]] = ...) -> None: ...

class Fact(_message.Message):
    __slots__ = ("name", "value")
    NAME_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    name: str
    value: str
    def __init__(self, name: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...

class Finding(_message.Message):
    __slots__ = ("kind", "target", "severity", "confidence", "started_at", "summary", "metrics", "events", "logs", "facts")
    KIND_FIELD_NUMBER: _ClassVar[int]
    TARGET_FIELD_NUMBER: _ClassVar[int]
    SEVERITY_FIELD_NUMBER: _ClassVar[int]
    CONFIDENCE_FIELD_NUMBER: _ClassVar[int]
    STARTED_AT_FIELD_NUMBER: _ClassVar[int]
    SUMMARY_FIELD_NUMBER: _ClassVar[int]
    METRICS_FIELD_NUMBER: _ClassVar[int]
    EVENTS_FIELD_NUMBER: _ClassVar[int]
    LOGS_FIELD_NUMBER: _ClassVar[int]
    FACTS_FIELD_NUMBER: _ClassVar[int]
    kind: str
    target: DiagnosisTarget
    severity: Severity
    confidence: float
    started_at: float
    summary: str
    metrics: _containers.RepeatedCompositeFieldContainer[MetricEvidence]
    events: _containers.RepeatedCompositeFieldContainer[EventEvidence]
    logs: _containers.RepeatedCompositeFieldContainer[LogEvidence]
    facts: _containers.RepeatedCompositeFieldContainer[Fact]
    def __init__(self, kind: _Optional[str] = ..., target: _Optional[_Union[DiagnosisTarget, _Mapping]] = ..., severity: _Optional[_Union[Severity, str]] = ..., confidence: _Optional[float] = ..., started_at: _Optional[float] = ..., summary: _Optional[str] = ..., metrics: _Optional[_Iterable[_Union[MetricEvidence, _Mapping]]] = ..., events: _Optional[_Iterable[_Union[EventEvidence, _Mapping]]] = ..., logs: _Optional[_Iterable[_Union[LogEvidence, _Mapping]]] = ..., facts: _Optional[_Iterable[_Union[Fact, _Mapping]]] = ...) -> None: ...

class RootCause(_message.Message):
    __slots__ = ("cause", "symptoms", "chain", "score")
    CAUSE_FIELD_NUMBER: _ClassVar[int]
    SYMPTOMS_FIELD_NUMBER: _ClassVar[int]
    CHAIN_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    cause: Finding
    symptoms: _containers.RepeatedCompositeFieldContainer[Finding]
    chain: _containers.RepeatedScalarFieldContainer[str]
    score: float
    def __init__(self, cause: _Optional[_Union[Finding, _Mapping]] = ..., symptoms: _Optional[_Iterable[_Union[Finding, _Mapping]]] = ..., chain: _Optional[_Iterable[str]] = ..., score: _Optional[float] = ...) -> None: ...

class Analysis(_message.Message):
    __slots__ = ("causes", "unexplained", "checked", "since", "until")
    CAUSES_FIELD_NUMBER: _ClassVar[int]
    UNEXPLAINED_FIELD_NUMBER: _ClassVar[int]
    CHECKED_FIELD_NUMBER: _ClassVar[int]
    SINCE_FIELD_NUMBER: _ClassVar[int]
    UNTIL_FIELD_NUMBER: _ClassVar[int]
    causes: _containers.RepeatedCompositeFieldContainer[RootCause]
    unexplained: _containers.RepeatedCompositeFieldContainer[Finding]
    checked: _containers.RepeatedScalarFieldContainer[str]
    since: float
    until: float
    def __init__(self, causes: _Optional[_Iterable[_Union[RootCause, _Mapping]]] = ..., unexplained: _Optional[_Iterable[_Union[Finding, _Mapping]]] = ..., checked: _Optional[_Iterable[str]] = ..., since: _Optional[float] = ..., until: _Optional[float] = ...) -> None: ...

class InvestigationStep(_message.Message):
    __slots__ = ("index", "tool", "arguments", "summary", "seconds")
    class ArgumentsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    INDEX_FIELD_NUMBER: _ClassVar[int]
    TOOL_FIELD_NUMBER: _ClassVar[int]
    ARGUMENTS_FIELD_NUMBER: _ClassVar[int]
    SUMMARY_FIELD_NUMBER: _ClassVar[int]
    SECONDS_FIELD_NUMBER: _ClassVar[int]
    index: int
    tool: str
    arguments: _containers.ScalarMap[str, str]
    summary: str
    seconds: float
    def __init__(self, index: _Optional[int] = ..., tool: _Optional[str] = ..., arguments: _Optional[_Mapping[str, str]] = ..., summary: _Optional[str] = ..., seconds: _Optional[float] = ...) -> None: ...

class Remedy(_message.Message):
    __slots__ = ("id", "action", "title", "target", "params", "changes", "monthly_cost_before", "monthly_cost_after", "fixes")
    class ParamsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    ID_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    TARGET_FIELD_NUMBER: _ClassVar[int]
    PARAMS_FIELD_NUMBER: _ClassVar[int]
    CHANGES_FIELD_NUMBER: _ClassVar[int]
    MONTHLY_COST_BEFORE_FIELD_NUMBER: _ClassVar[int]
    MONTHLY_COST_AFTER_FIELD_NUMBER: _ClassVar[int]
    FIXES_FIELD_NUMBER: _ClassVar[int]
    id: str
    action: str
    title: str
    target: DiagnosisTarget
    params: _containers.ScalarMap[str, str]
    changes: str
    monthly_cost_before: float
    monthly_cost_after: float
    fixes: bool
    def __init__(self, id: _Optional[str] = ..., action: _Optional[str] = ..., title: _Optional[str] = ..., target: _Optional[_Union[DiagnosisTarget, _Mapping]] = ..., params: _Optional[_Mapping[str, str]] = ..., changes: _Optional[str] = ..., monthly_cost_before: _Optional[float] = ..., monthly_cost_after: _Optional[float] = ..., fixes: _Optional[bool] = ...) -> None: ...

class RemedyList(_message.Message):
    __slots__ = ("remedies",)
    REMEDIES_FIELD_NUMBER: _ClassVar[int]
    remedies: _containers.RepeatedCompositeFieldContainer[Remedy]
    def __init__(self, remedies: _Optional[_Iterable[_Union[Remedy, _Mapping]]] = ...) -> None: ...

class DiagnosisDone(_message.Message):
    __slots__ = ("session_id", "answer", "prompt_tokens", "completion_tokens")
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    ANSWER_FIELD_NUMBER: _ClassVar[int]
    PROMPT_TOKENS_FIELD_NUMBER: _ClassVar[int]
    COMPLETION_TOKENS_FIELD_NUMBER: _ClassVar[int]
    session_id: int
    answer: str
    prompt_tokens: int
    completion_tokens: int
    def __init__(self, session_id: _Optional[int] = ..., answer: _Optional[str] = ..., prompt_tokens: _Optional[int] = ..., completion_tokens: _Optional[int] = ...) -> None: ...

class DiagnoseEvent(_message.Message):
    __slots__ = ("step", "findings", "token", "remedies", "done")
    STEP_FIELD_NUMBER: _ClassVar[int]
    FINDINGS_FIELD_NUMBER: _ClassVar[int]
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    REMEDIES_FIELD_NUMBER: _ClassVar[int]
    DONE_FIELD_NUMBER: _ClassVar[int]
    step: InvestigationStep
    findings: Analysis
    token: str
    remedies: RemedyList
    done: DiagnosisDone
    def __init__(self, step: _Optional[_Union[InvestigationStep, _Mapping]] = ..., findings: _Optional[_Union[Analysis, _Mapping]] = ..., token: _Optional[str] = ..., remedies: _Optional[_Union[RemedyList, _Mapping]] = ..., done: _Optional[_Union[DiagnosisDone, _Mapping]] = ...) -> None: ...

class DiagnoseRequest(_message.Message):
    __slots__ = ("cluster_id", "droplet_id", "question", "window_seconds", "session_id", "max_steps")
    CLUSTER_ID_FIELD_NUMBER: _ClassVar[int]
    DROPLET_ID_FIELD_NUMBER: _ClassVar[int]
    QUESTION_FIELD_NUMBER: _ClassVar[int]
    WINDOW_SECONDS_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    MAX_STEPS_FIELD_NUMBER: _ClassVar[int]
    cluster_id: int
    droplet_id: int
    question: str
    window_seconds: float
    session_id: int
    max_steps: int
    def __init__(self, cluster_id: _Optional[int] = ..., droplet_id: _Optional[int] = ..., question: _Optional[str] = ..., window_seconds: _Optional[float] = ..., session_id: _Optional[int] = ..., max_steps: _Optional[int] = ...) -> None: ...

class ApplyRemedyRequest(_message.Message):
    __slots__ = ("session_id", "remedy_id", "confirmed")
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    REMEDY_ID_FIELD_NUMBER: _ClassVar[int]
    CONFIRMED_FIELD_NUMBER: _ClassVar[int]
    session_id: int
    remedy_id: str
    confirmed: bool
    def __init__(self, session_id: _Optional[int] = ..., remedy_id: _Optional[str] = ..., confirmed: _Optional[bool] = ...) -> None: ...

class RemedyVerdict(_message.Message):
    __slots__ = ("resolved", "text", "session_id")
    RESOLVED_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    resolved: bool
    text: str
    session_id: int
    def __init__(self, resolved: _Optional[bool] = ..., text: _Optional[str] = ..., session_id: _Optional[int] = ...) -> None: ...

class RemedyEvent(_message.Message):
    __slots__ = ("job", "follow_up", "verdict")
    JOB_FIELD_NUMBER: _ClassVar[int]
    FOLLOW_UP_FIELD_NUMBER: _ClassVar[int]
    VERDICT_FIELD_NUMBER: _ClassVar[int]
    job: _jobs_pb2.Job
    follow_up: DiagnoseEvent
    verdict: RemedyVerdict
    def __init__(self, job: _Optional[_Union[_jobs_pb2.Job, _Mapping]] = ..., follow_up: _Optional[_Union[DiagnoseEvent, _Mapping]] = ..., verdict: _Optional[_Union[RemedyVerdict, _Mapping]] = ...) -> None: ...

class ListSessionsRequest(_message.Message):
    __slots__ = ("cluster_id", "limit")
    CLUSTER_ID_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    cluster_id: int
    limit: int
    def __init__(self, cluster_id: _Optional[int] = ..., limit: _Optional[int] = ...) -> None: ...

class SessionSummary(_message.Message):
    __slots__ = ("id", "cluster_id", "droplet_id", "title", "created_at", "updated_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    CLUSTER_ID_FIELD_NUMBER: _ClassVar[int]
    DROPLET_ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    id: int
    cluster_id: int
    droplet_id: int
    title: str
    created_at: float
    updated_at: float
    def __init__(self, id: _Optional[int] = ..., cluster_id: _Optional[int] = ..., droplet_id: _Optional[int] = ..., title: _Optional[str] = ..., created_at: _Optional[float] = ..., updated_at: _Optional[float] = ...) -> None: ...

class ListSessionsResponse(_message.Message):
    __slots__ = ("sessions",)
    SESSIONS_FIELD_NUMBER: _ClassVar[int]
    sessions: _containers.RepeatedCompositeFieldContainer[SessionSummary]
    def __init__(self, sessions: _Optional[_Iterable[_Union[SessionSummary, _Mapping]]] = ...) -> None: ...

class GetSessionRequest(_message.Message):
    __slots__ = ("session_id",)
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    session_id: int
    def __init__(self, session_id: _Optional[int] = ...) -> None: ...

class DiagnosisTurn(_message.Message):
    __slots__ = ("question", "asked_at", "since", "until", "steps", "analysis", "answer", "remedies", "verdict", "follow_up_of")
    QUESTION_FIELD_NUMBER: _ClassVar[int]
    ASKED_AT_FIELD_NUMBER: _ClassVar[int]
    SINCE_FIELD_NUMBER: _ClassVar[int]
    UNTIL_FIELD_NUMBER: _ClassVar[int]
    STEPS_FIELD_NUMBER: _ClassVar[int]
    ANALYSIS_FIELD_NUMBER: _ClassVar[int]
    ANSWER_FIELD_NUMBER: _ClassVar[int]
    REMEDIES_FIELD_NUMBER: _ClassVar[int]
    VERDICT_FIELD_NUMBER: _ClassVar[int]
    FOLLOW_UP_OF_FIELD_NUMBER: _ClassVar[int]
    question: str
    asked_at: float
    since: float
    until: float
    steps: _containers.RepeatedCompositeFieldContainer[InvestigationStep]
    analysis: Analysis
    answer: str
    remedies: _containers.RepeatedCompositeFieldContainer[Remedy]
    verdict: str
    follow_up_of: str
    def __init__(self, question: _Optional[str] = ..., asked_at: _Optional[float] = ..., since: _Optional[float] = ..., until: _Optional[float] = ..., steps: _Optional[_Iterable[_Union[InvestigationStep, _Mapping]]] = ..., analysis: _Optional[_Union[Analysis, _Mapping]] = ..., answer: _Optional[str] = ..., remedies: _Optional[_Iterable[_Union[Remedy, _Mapping]]] = ..., verdict: _Optional[str] = ..., follow_up_of: _Optional[str] = ...) -> None: ...

class DiagnosisSession(_message.Message):
    __slots__ = ("summary", "turns")
    SUMMARY_FIELD_NUMBER: _ClassVar[int]
    TURNS_FIELD_NUMBER: _ClassVar[int]
    summary: SessionSummary
    turns: _containers.RepeatedCompositeFieldContainer[DiagnosisTurn]
    def __init__(self, summary: _Optional[_Union[SessionSummary, _Mapping]] = ..., turns: _Optional[_Iterable[_Union[DiagnosisTurn, _Mapping]]] = ...) -> None: ...

class ExportSessionResponse(_message.Message):
    __slots__ = ("markdown", "filename")
    MARKDOWN_FIELD_NUMBER: _ClassVar[int]
    FILENAME_FIELD_NUMBER: _ClassVar[int]
    markdown: str
    filename: str
    def __init__(self, markdown: _Optional[str] = ..., filename: _Optional[str] = ...) -> None: ...

class GetTimelineRequest(_message.Message):
    __slots__ = ("cluster_id", "window_seconds", "kinds")
    CLUSTER_ID_FIELD_NUMBER: _ClassVar[int]
    WINDOW_SECONDS_FIELD_NUMBER: _ClassVar[int]
    KINDS_FIELD_NUMBER: _ClassVar[int]
    cluster_id: int
    window_seconds: float
    kinds: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, cluster_id: _Optional[int] = ..., window_seconds: _Optional[float] = ..., kinds: _Optional[_Iterable[str]] = ...) -> None: ...

class TimelineEntry(_message.Message):
    __slots__ = ("time", "kind", "text", "droplet_id", "severity")
    TIME_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    DROPLET_ID_FIELD_NUMBER: _ClassVar[int]
    SEVERITY_FIELD_NUMBER: _ClassVar[int]
    time: float
    kind: str
    text: str
    droplet_id: int
    severity: str
    def __init__(self, time: _Optional[float] = ..., kind: _Optional[str] = ..., text: _Optional[str] = ..., droplet_id: _Optional[int] = ..., severity: _Optional[str] = ...) -> None: ...

class GetTimelineResponse(_message.Message):
    __slots__ = ("entries",)
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    entries: _containers.RepeatedCompositeFieldContainer[TimelineEntry]
    def __init__(self, entries: _Optional[_Iterable[_Union[TimelineEntry, _Mapping]]] = ...) -> None: ...

class DiagnosisFinished(_message.Message):
    __slots__ = ("session_id", "cluster_id", "droplet_id", "question", "asked_at", "root_kind", "root_target", "root_summary", "verdict")
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    CLUSTER_ID_FIELD_NUMBER: _ClassVar[int]
    DROPLET_ID_FIELD_NUMBER: _ClassVar[int]
    QUESTION_FIELD_NUMBER: _ClassVar[int]
    ASKED_AT_FIELD_NUMBER: _ClassVar[int]
    ROOT_KIND_FIELD_NUMBER: _ClassVar[int]
    ROOT_TARGET_FIELD_NUMBER: _ClassVar[int]
    ROOT_SUMMARY_FIELD_NUMBER: _ClassVar[int]
    VERDICT_FIELD_NUMBER: _ClassVar[int]
    session_id: int
    cluster_id: int
    droplet_id: int
    question: str
    asked_at: float
    root_kind: str
    root_target: str
    root_summary: str
    verdict: str
    def __init__(self, session_id: _Optional[int] = ..., cluster_id: _Optional[int] = ..., droplet_id: _Optional[int] = ..., question: _Optional[str] = ..., asked_at: _Optional[float] = ..., root_kind: _Optional[str] = ..., root_target: _Optional[str] = ..., root_summary: _Optional[str] = ..., verdict: _Optional[str] = ...) -> None: ...
