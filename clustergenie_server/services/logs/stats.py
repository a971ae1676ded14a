"""Stats and metric queries: weighted line counts per time bucket, then LogQL's functions.

Every query is evaluated the same way: the lines its log query keeps are counted into buckets of
`step` seconds per label set (a sampled line counts as the lines it stands for), then the range
function sums the buckets of its range, then aggregations group the series. A plain log query is
read as `sum by (level) (count_over_time(q[step]))`: the graph of lines per level. The live
stream keeps adding to the same buckets, so a graph never pulls raw lines.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from clustergenie_server.domain.errors import InvalidArgument
from clustergenie_server.domain.logs import LEVEL, LogLine, SeriesValues
from clustergenie_server.services.logs.query_ast import (
    AggregateQuery,
    Aggregation,
    LogQuery,
    Query,
    RangeFunction,
    RangeQuery,
    log_query_of,
)
from clustergenie_server.services.logs.query_eval import CompiledQuery, compile_query

MAX_BUCKETS = 10_000
LabelKey = tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class StatsPlan:
    """How a query becomes series."""

    query: CompiledQuery
    step: float
    function: RangeFunction
    range_seconds: float
    aggregations: tuple[AggregateQuery, ...]  # innermost first
    by_bytes: bool

    @property
    def plain(self) -> bool:
        """True when counts per stream suffice (no stage looks at lines)."""
        return not self.query.filters_lines and not self.by_bytes


def plan_stats(query: Query, step: float) -> StatsPlan:
    """The plan of any query at `step` seconds; refuses a range that is not a whole number of
    steps (the buckets could not add up to it)."""
    if not step > 0:
        raise InvalidArgument("step must be more than 0 seconds")
    aggregations: list[AggregateQuery] = []
    node: Query = query
    while isinstance(node, AggregateQuery):
        aggregations.append(node)
        node = node.inner
    aggregations.reverse()
    if isinstance(node, LogQuery):
        per_level = AggregateQuery(
            Aggregation.SUM, RangeQuery(RangeFunction.COUNT_OVER_TIME, node, step), (LEVEL,)
        )
        return StatsPlan(
            compile_query(node), step, RangeFunction.COUNT_OVER_TIME, step, (per_level,), False
        )
    assert isinstance(node, RangeQuery)
    ratio = node.range_seconds / step
    if abs(ratio - round(ratio)) > 1e-9 or ratio < 1:
        raise InvalidArgument(
            f"the range [{node.range_seconds:g}s] must be a whole number of steps of {step:g}s; "
            f"use a range such as [{step * max(1, round(ratio)):g}s] or a step that divides it"
        )
    by_bytes = node.function in (RangeFunction.BYTES_OVER_TIME, RangeFunction.BYTES_RATE)
    return StatsPlan(
        compile_query(log_query_of(node)), step, node.function, node.range_seconds,
        tuple(aggregations), by_bytes,
    )  # fmt: skip


@dataclass(slots=True)
class BucketCounts:
    """Weighted counts per label set and bucket index (bucket i starts at origin + i * step)."""

    origin: float
    step: float
    counts: dict[LabelKey, dict[int, float]] = field(default_factory=lambda: defaultdict(dict))

    def add(self, key: LabelKey, t: float, weight: float) -> int:
        """Add weight at time t; returns the bucket index."""
        i = math.floor((t - self.origin) / self.step)
        row = self.counts[key]
        row[i] = row.get(i, 0.0) + weight
        return i

    def merge(self, other: BucketCounts) -> None:
        """Add another's counts (same origin and step) to these."""
        for key, row in other.counts.items():
            mine = self.counts[key]
            for i, w in row.items():
                mine[i] = mine.get(i, 0.0) + w

    def add_lines(self, plan: StatsPlan, lines: Sequence[LogLine], after_seq: int = 0) -> set[int]:
        """Count the lines the plan's query keeps; returns the buckets touched."""
        touched: set[int] = set()
        query = plan.query
        selected: dict[int, bool] = {}
        for line in lines:
            if line.seq <= after_seq and after_seq:
                continue
            take = selected.get(line.stream.id)
            if take is None:
                take = selected[line.stream.id] = query.selects(line.stream.labels)
            if not take:
                continue
            labels = (
                query.keep(line.line, line.stream.labels)
                if query.filters_lines
                else line.stream.labels
            )
            if labels is None:
                continue
            weight = line.count * (len(line.line.encode()) if plan.by_bytes else 1)
            touched.add(self.add(tuple(sorted(labels.items())), line.t, weight))
        return touched


@dataclass(frozen=True, slots=True)
class _Series:
    labels: Mapping[str, str]
    values: np.ndarray


def evaluate(plan: StatsPlan, counts: BucketCounts, first: int, n: int) -> list[SeriesValues]:
    """Values at the ends of buckets first .. first+n-1 of every series, after the range
    function and the aggregations."""
    if n > MAX_BUCKETS:
        raise InvalidArgument(f"{n} buckets is more than {MAX_BUCKETS}; use a longer step")
    span = round(plan.range_seconds / plan.step)
    series: list[_Series] = []
    for key, row in counts.counts.items():
        raw = np.zeros(n + span - 1)
        for i, w in row.items():
            j = i - first + span - 1
            if 0 <= j < len(raw):
                raw[j] += w
        summed = np.convolve(raw, np.ones(span), "valid") if span > 1 else raw
        if plan.function in (RangeFunction.RATE, RangeFunction.BYTES_RATE):
            summed = summed / plan.range_seconds
        series.append(_Series(dict(key), summed))
    for aggregation in plan.aggregations:
        series = _aggregate(aggregation, series, n)
    return [SeriesValues(s.labels, tuple(np.asarray(s.values).tolist())) for s in series]


def _aggregate(a: AggregateQuery, series: list[_Series], n: int) -> list[_Series]:
    groups: dict[LabelKey, list[np.ndarray]] = defaultdict(list)
    for s in series:
        if a.without:
            labels = {k: v for k, v in s.labels.items() if k not in a.by}
        else:
            labels = {k: s.labels.get(k, "") for k in a.by}
        groups[tuple(sorted(labels.items()))].append(np.asarray(s.values))
    out = []
    for key, values in groups.items():
        stacked = np.vstack(values) if values else np.zeros((0, n))
        match a.op:
            case Aggregation.SUM:
                v = stacked.sum(axis=0)
            case Aggregation.COUNT:
                v = (stacked > 0).sum(axis=0).astype(float)
            case Aggregation.AVG:
                v = stacked.mean(axis=0)
            case Aggregation.MIN:
                v = stacked.min(axis=0)
            case _:
                v = stacked.max(axis=0)
        out.append(_Series(dict(key), v))
    return out
