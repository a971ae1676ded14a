"""Compiled queries: which streams a selector takes and which lines its stages keep.

Stages run in the order written, as in LogQL: line filters on the raw text, a parser stage that
adds labels taken from the line, label filters on the labels so far.
"""

from __future__ import annotations

import json
import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from clustergenie_server.services.logs.query_ast import (
    CompareOp,
    LineFilter,
    LineOp,
    LogQuery,
    Matcher,
    MatchOp,
    NumberFilter,
    ParserStage,
)
from clustergenie_server.services.logs.regex_guard import compile_regex

Labels = Mapping[str, str]
# A stage takes the line and its labels and returns the labels it leaves, or None to drop it.
_Stage = Callable[[str, Labels], Labels | None]
_COMPARE: dict[CompareOp, Callable[[float, float], bool]] = {
    CompareOp.EQ: operator.eq,
    CompareOp.NE: operator.ne,
    CompareOp.GT: operator.gt,
    CompareOp.GE: operator.ge,
    CompareOp.LT: operator.lt,
    CompareOp.LE: operator.le,
}
_DURATION = re.compile(r"^(\d+(?:\.\d+)?)(ms|us|µs|s|m|h)$")
_DURATION_UNITS = {"ms": 0.001, "us": 1e-6, "µs": 1e-6, "s": 1.0, "m": 60.0, "h": 3600.0}
_LOGFMT = re.compile(r'([A-Za-z_][\w.\-]*)=("(?:[^"\\]|\\.)*"|\S*)')


def label_matcher(m: Matcher) -> Callable[[Labels], bool]:
    """A predicate over labels for one matcher (a missing label reads as the empty string)."""
    name, value = m.name, m.value
    if m.op is MatchOp.EQ:
        return lambda labels: labels.get(name, "") == value
    if m.op is MatchOp.NE:
        return lambda labels: labels.get(name, "") != value
    # Anchored, as in Prometheus and Loki: =~"err" matches "err" only, not "error".
    regex = compile_regex(f"^(?:{value})$", 0)
    if m.op is MatchOp.RE:
        return lambda labels: regex.match(labels.get(name, "")) is not None
    return lambda labels: regex.match(labels.get(name, "")) is None


@dataclass(frozen=True, slots=True)
class CompiledQuery:
    """A log query ready to run."""

    query: LogQuery
    selects: Callable[[Labels], bool]
    stages: tuple[_Stage, ...]
    # Texts every kept line contains, known before any parser stage: a chunk without them all
    # is skipped without splitting it into lines.
    needles: tuple[str, ...]

    def keep(self, line: str, labels: Labels) -> Labels | None:
        """The line's labels after the stages (extracted ones added), or None when dropped."""
        for stage in self.stages:
            result = stage(line, labels)
            if result is None:
                return None
            labels = result
        return labels

    @property
    def filters_lines(self) -> bool:
        """True when some stage looks at a line (not only at its stream's labels)."""
        return bool(self.stages)


def compile_query(query: LogQuery) -> CompiledQuery:
    """Compile a parsed log query."""
    matchers = [label_matcher(m) for m in query.selector]

    def selects(labels: Labels) -> bool:
        return all(m(labels) for m in matchers)

    stages: list[_Stage] = []
    needles: list[str] = []
    parsed = False
    for stage in query.stages:
        if isinstance(stage, LineFilter):
            stages.append(_line_stage(stage))
            if stage.op is LineOp.CONTAINS and not parsed and stage.value:
                needles.append(stage.value)
        elif isinstance(stage, ParserStage):
            parsed = True
            stages.append(_json_stage if stage.kind == "json" else _logfmt_stage)
        elif isinstance(stage, Matcher):
            stages.append(_label_stage(stage))
        else:
            stages.append(_number_stage(stage))
    return CompiledQuery(query, selects, tuple(stages), tuple(needles))


def _line_stage(f: LineFilter) -> _Stage:
    value = f.value
    if f.op is LineOp.CONTAINS:
        return lambda line, labels: labels if value in line else None
    if f.op is LineOp.NOT_CONTAINS:
        return lambda line, labels: None if value in line else labels
    regex = compile_regex(value, 0)
    if f.op is LineOp.MATCHES:
        return lambda line, labels: labels if regex.search(line) is not None else None
    return lambda line, labels: None if regex.search(line) is not None else labels


def _label_stage(m: Matcher) -> _Stage:
    test = label_matcher(m)
    return lambda line, labels: labels if test(labels) else None


def _number_stage(f: NumberFilter) -> _Stage:
    compare, name, value = _COMPARE[f.op], f.name, f.value

    def stage(line: str, labels: Labels) -> Labels | None:
        number = as_number(labels.get(name))
        return labels if number is not None and compare(number, value) else None

    return stage


def as_number(text: str | None) -> float | None:
    """A label value as a number: plain, or a duration such as 250ms (in seconds)."""
    if text is None or text == "":
        return None
    try:
        return float(text)
    except ValueError:
        match = _DURATION.match(text)
        return float(match[1]) * _DURATION_UNITS[match[2]] if match else None


def _json_stage(line: str, labels: Labels) -> Labels:
    out = dict(labels)
    try:
        data = json.loads(line)
    except ValueError:
        out["__error__"] = "JSONParserErr"
        return out
    if isinstance(data, dict):
        _flatten(data, "", out)
    return out


def _flatten(data: dict[str, Any], prefix: str, out: dict[str, str]) -> None:
    for key, value in data.items():
        name = f"{prefix}{key}".replace(".", "_").replace("-", "_")
        if isinstance(value, dict):
            _flatten(value, name + "_", out)
        elif isinstance(value, bool):
            out[name] = "true" if value else "false"
        elif value is not None and not isinstance(value, list):
            out[name] = str(value)


def _logfmt_stage(line: str, labels: Labels) -> Labels:
    out = dict(labels)
    for key, value in _LOGFMT.findall(line):
        if value.startswith('"') and value.endswith('"') and len(value) >= 2:
            value = value[1:-1].replace('\\"', '"').replace("\\\\", "\\")
        out[key.replace(".", "_").replace("-", "_")] = value
    return out
