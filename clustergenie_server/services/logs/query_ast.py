"""The parsed form of a LogQL-shaped query: a log query, or a metric query over one."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class MatchOp(enum.StrEnum):
    """How a stream matcher or string label filter compares."""

    EQ = "="
    NE = "!="
    RE = "=~"
    NRE = "!~"


class LineOp(enum.StrEnum):
    """The four line filters."""

    CONTAINS = "|="
    NOT_CONTAINS = "!="
    MATCHES = "|~"
    NOT_MATCHES = "!~"


class CompareOp(enum.StrEnum):
    """Numeric comparisons of a label filter."""

    EQ = "=="
    NE = "!="
    GT = ">"
    GE = ">="
    LT = "<"
    LE = "<="


@dataclass(frozen=True, slots=True)
class Matcher:
    """One `name op "value"` of a stream selector (or a string label filter)."""

    name: str
    op: MatchOp
    value: str


@dataclass(frozen=True, slots=True)
class LineFilter:
    """`|= "text"` and friends."""

    op: LineOp
    value: str


@dataclass(frozen=True, slots=True)
class ParserStage:
    """`| json` or `| logfmt`: extract labels from the line."""

    kind: str


@dataclass(frozen=True, slots=True)
class NumberFilter:
    """`| status >= 500`: a label compared with a number (durations in seconds)."""

    name: str
    op: CompareOp
    value: float


Stage = LineFilter | ParserStage | Matcher | NumberFilter


@dataclass(frozen=True, slots=True)
class LogQuery:
    """A stream selector and the stages lines pass through, in order."""

    selector: tuple[Matcher, ...]
    stages: tuple[Stage, ...] = ()


class RangeFunction(enum.StrEnum):
    """Functions of a range of lines."""

    RATE = "rate"
    COUNT_OVER_TIME = "count_over_time"
    BYTES_OVER_TIME = "bytes_over_time"
    BYTES_RATE = "bytes_rate"


class Aggregation(enum.StrEnum):
    """Vector aggregations over the series of a range function."""

    SUM = "sum"
    COUNT = "count"
    AVG = "avg"
    MIN = "min"
    MAX = "max"


@dataclass(frozen=True, slots=True)
class RangeQuery:
    """`rate({...} |= "x" [1m])`."""

    function: RangeFunction
    query: LogQuery
    range_seconds: float


@dataclass(frozen=True, slots=True)
class AggregateQuery:
    """`sum by (level) (count_over_time(...))`; `without` drops the named labels instead."""

    op: Aggregation
    inner: RangeQuery | AggregateQuery
    by: tuple[str, ...] = field(default=())
    without: bool = False


MetricQuery = RangeQuery | AggregateQuery
Query = LogQuery | MetricQuery


def log_query_of(query: Query) -> LogQuery:
    """The log query at the bottom of any query."""
    while not isinstance(query, LogQuery):
        query = query.query if isinstance(query, RangeQuery) else query.inner
    return query
