from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class LogStream(_message.Message):
    __slots__ = ("id", "labels")
    class LabelsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    ID_FIELD_NUMBER: _ClassVar[int]
    LABELS_FIELD_NUMBER: _ClassVar[int]
    id: int
    labels: _containers.ScalarMap[str, str]
    def __init__(self, id: _Optional[int] = ..., labels: _Optional[_Mapping[str, str]] = ...) -> None: ...

class LogEntry(_message.Message):
    __slots__ = ("time", "stream_id", "line", "count", "seq")
    TIME_FIELD_NUMBER: _ClassVar[int]
    STREAM_ID_FIELD_NUMBER: _ClassVar[int]
    LINE_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    SEQ_FIELD_NUMBER: _ClassVar[int]
    time: float
    stream_id: int
    line: str
    count: int
    seq: int
    def __init__(self, time: _Optional[float] = ..., stream_id: _Optional[int] = ..., line: _Optional[str] = ..., count: _Optional[int] = ..., seq: _Optional[int] = ...) -> None: ...

class LogGap(_message.Message):
    __slots__ = ("missed", "time", "reason")
    MISSED_FIELD_NUMBER: _ClassVar[int]
    TIME_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    missed: int
    time: float
    reason: str
    def __init__(self, missed: _Optional[int] = ..., time: _Optional[float] = ..., reason: _Optional[str] = ...) -> None: ...

class TailLogsRequest(_message.Message):
    __slots__ = ("query", "since", "replay_limit")
    QUERY_FIELD_NUMBER: _ClassVar[int]
    SINCE_FIELD_NUMBER: _ClassVar[int]
    REPLAY_LIMIT_FIELD_NUMBER: _ClassVar[int]
    query: str
    since: float
    replay_limit: int
    def __init__(self, query: _Optional[str] = ..., since: _Optional[float] = ..., replay_limit: _Optional[int] = ...) -> None: ...

class TailLogsResponse(_message.Message):
    __slots__ = ("streams", "entries", "gap", "replay_complete")
    STREAMS_FIELD_NUMBER: _ClassVar[int]
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    GAP_FIELD_NUMBER: _ClassVar[int]
    REPLAY_COMPLETE_FIELD_NUMBER: _ClassVar[int]
    streams: _containers.RepeatedCompositeFieldContainer[LogStream]
    entries: _containers.RepeatedCompositeFieldContainer[LogEntry]
    gap: LogGap
    replay_complete: bool
    def __init__(self, streams: _Optional[_Iterable[_Union[LogStream, _Mapping]]] = ..., entries: _Optional[_Iterable[_Union[LogEntry, _Mapping]]] = ..., gap: _Optional[_Union[LogGap, _Mapping]] = ..., replay_complete: _Optional[bool] = ...) -> None: ...

class SearchLogsRequest(_message.Message):
    __slots__ = ("query", "start", "end", "limit", "before_time", "before_seq")
    QUERY_FIELD_NUMBER: _ClassVar[int]
    START_FIELD_NUMBER: _ClassVar[int]
    END_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    BEFORE_TIME_FIELD_NUMBER: _ClassVar[int]
    BEFORE_SEQ_FIELD_NUMBER: _ClassVar[int]
    query: str
    start: float
    end: float
    limit: int
    before_time: float
    before_seq: int
    def __init__(self, query: _Optional[str] = ..., start: _Optional[float] = ..., end: _Optional[float] = ..., limit: _Optional[int] = ..., before_time: _Optional[float] = ..., before_seq: _Optional[int] = ...) -> None: ...

class SearchLogsResponse(_message.Message):
    __slots__ = ("streams", "entries", "done")
    STREAMS_FIELD_NUMBER: _ClassVar[int]
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    DONE_FIELD_NUMBER: _ClassVar[int]
    streams: _containers.RepeatedCompositeFieldContainer[LogStream]
    entries: _containers.RepeatedCompositeFieldContainer[LogEntry]
    done: bool
    def __init__(self, streams: _Optional[_Iterable[_Union[LogStream, _Mapping]]] = ..., entries: _Optional[_Iterable[_Union[LogEntry, _Mapping]]] = ..., done: _Optional[bool] = ...) -> None: ...

class LogSeries(_message.Message):
    __slots__ = ("labels", "values")
    class LabelsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    LABELS_FIELD_NUMBER: _ClassVar[int]
    VALUES_FIELD_NUMBER: _ClassVar[int]
    labels: _containers.ScalarMap[str, str]
    values: _containers.RepeatedScalarFieldContainer[float]
    def __init__(self, labels: _Optional[_Mapping[str, str]] = ..., values: _Optional[_Iterable[float]] = ...) -> None: ...

class LogStatsRequest(_message.Message):
    __slots__ = ("query", "start", "end", "step_seconds", "live")
    QUERY_FIELD_NUMBER: _ClassVar[int]
    START_FIELD_NUMBER: _ClassVar[int]
    END_FIELD_NUMBER: _ClassVar[int]
    STEP_SECONDS_FIELD_NUMBER: _ClassVar[int]
    LIVE_FIELD_NUMBER: _ClassVar[int]
    query: str
    start: float
    end: float
    step_seconds: float
    live: bool
    def __init__(self, query: _Optional[str] = ..., start: _Optional[float] = ..., end: _Optional[float] = ..., step_seconds: _Optional[float] = ..., live: _Optional[bool] = ...) -> None: ...

class LogStatsResponse(_message.Message):
    __slots__ = ("start", "step_seconds", "series", "complete")
    START_FIELD_NUMBER: _ClassVar[int]
    STEP_SECONDS_FIELD_NUMBER: _ClassVar[int]
    SERIES_FIELD_NUMBER: _ClassVar[int]
    COMPLETE_FIELD_NUMBER: _ClassVar[int]
    start: float
    step_seconds: float
    series: _containers.RepeatedCompositeFieldContainer[LogSeries]
    complete: bool
    def __init__(self, start: _Optional[float] = ..., step_seconds: _Optional[float] = ..., series: _Optional[_Iterable[_Union[LogSeries, _Mapping]]] = ..., complete: _Optional[bool] = ...) -> None: ...

class LogPattern(_message.Message):
    __slots__ = ("template", "count", "first_seen", "last_seen", "example", "is_new")
    TEMPLATE_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    FIRST_SEEN_FIELD_NUMBER: _ClassVar[int]
    LAST_SEEN_FIELD_NUMBER: _ClassVar[int]
    EXAMPLE_FIELD_NUMBER: _ClassVar[int]
    IS_NEW_FIELD_NUMBER: _ClassVar[int]
    template: str
    count: int
    first_seen: float
    last_seen: float
    example: str
    is_new: bool
    def __init__(self, template: _Optional[str] = ..., count: _Optional[int] = ..., first_seen: _Optional[float] = ..., last_seen: _Optional[float] = ..., example: _Optional[str] = ..., is_new: _Optional[bool] = ...) -> None: ...

class LogPatternsRequest(_message.Message):
    __slots__ = ("query", "start", "end", "since", "limit")
    QUERY_FIELD_NUMBER: _ClassVar[int]
    START_FIELD_NUMBER: _ClassVar[int]
    END_FIELD_NUMBER: _ClassVar[int]
    SINCE_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    query: str
    start: float
    end: float
    since: float
    limit: int
    def __init__(self, query: _Optional[str] = ..., start: _Optional[float] = ..., end: _Optional[float] = ..., since: _Optional[float] = ..., limit: _Optional[int] = ...) -> None: ...

class LogPatternsResponse(_message.Message):
    __slots__ = ("patterns",)
    PATTERNS_FIELD_NUMBER: _ClassVar[int]
    patterns: _containers.RepeatedCompositeFieldContainer[LogPattern]
    def __init__(self, patterns: _Optional[_Iterable[_Union[LogPattern, _Mapping]]] = ...) -> None: ...

class IngestEntry(_message.Message):
    __slots__ = ("labels", "time", "line")
    class LabelsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    LABELS_FIELD_NUMBER: _ClassVar[int]
    TIME_FIELD_NUMBER: _ClassVar[int]
    LINE_FIELD_NUMBER: _ClassVar[int]
    labels: _containers.ScalarMap[str, str]
    time: float
    line: str
    def __init__(self, labels: _Optional[_Mapping[str, str]] = ..., time: _Optional[float] = ..., line: _Optional[str] = ...) -> None: ...

class IngestStream(_message.Message):
    __slots__ = ("labels", "lines")
    class LabelsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    LABELS_FIELD_NUMBER: _ClassVar[int]
    LINES_FIELD_NUMBER: _ClassVar[int]
    labels: _containers.ScalarMap[str, str]
    lines: _containers.RepeatedCompositeFieldContainer[IngestLine]
    def __init__(self, labels: _Optional[_Mapping[str, str]] = ..., lines: _Optional[_Iterable[_Union[IngestLine, _Mapping]]] = ...) -> None: ...

class IngestLine(_message.Message):
    __slots__ = ("time", "line")
    TIME_FIELD_NUMBER: _ClassVar[int]
    LINE_FIELD_NUMBER: _ClassVar[int]
    time: float
    line: str
    def __init__(self, time: _Optional[float] = ..., line: _Optional[str] = ...) -> None: ...

class IngestLogsRequest(_message.Message):
    __slots__ = ("batch_id", "entries", "streams")
    BATCH_ID_FIELD_NUMBER: _ClassVar[int]
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    STREAMS_FIELD_NUMBER: _ClassVar[int]
    batch_id: int
    entries: _containers.RepeatedCompositeFieldContainer[IngestEntry]
    streams: _containers.RepeatedCompositeFieldContainer[IngestStream]
    def __init__(self, batch_id: _Optional[int] = ..., entries: _Optional[_Iterable[_Union[IngestEntry, _Mapping]]] = ..., streams: _Optional[_Iterable[_Union[IngestStream, _Mapping]]] = ...) -> None: ...

class IngestLogsAck(_message.Message):
    __slots__ = ("batch_id", "accepted", "rejected", "errors")
    BATCH_ID_FIELD_NUMBER: _ClassVar[int]
    ACCEPTED_FIELD_NUMBER: _ClassVar[int]
    REJECTED_FIELD_NUMBER: _ClassVar[int]
    ERRORS_FIELD_NUMBER: _ClassVar[int]
    batch_id: int
    accepted: int
    rejected: int
    errors: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, batch_id: _Optional[int] = ..., accepted: _Optional[int] = ..., rejected: _Optional[int] = ..., errors: _Optional[_Iterable[str]] = ...) -> None: ...

class ListLogLabelsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class LabelValues(_message.Message):
    __slots__ = ("name", "values")
    NAME_FIELD_NUMBER: _ClassVar[int]
    VALUES_FIELD_NUMBER: _ClassVar[int]
    name: str
    values: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, name: _Optional[str] = ..., values: _Optional[_Iterable[str]] = ...) -> None: ...

class ListLogLabelsResponse(_message.Message):
    __slots__ = ("labels",)
    LABELS_FIELD_NUMBER: _ClassVar[int]
    labels: _containers.RepeatedCompositeFieldContainer[LabelValues]
    def __init__(self, labels: _Optional[_Iterable[_Union[LabelValues, _Mapping]]] = ...) -> None: ...
