"""Lines sent from outside (gRPC, Loki push, syslog): validated, labelled, accepted.

A batch's bad entries are refused with what was wrong; its valid entries are accepted anyway
(none lost around a bad one). Unknown droplets are labelled as the sender said, not refused.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Mapping

from clustergenie_server.domain.errors import InvalidArgument
from clustergenie_server.domain.logs import (
    LEVEL,
    MAX_LABEL_NAME,
    MAX_LABEL_VALUE,
    MAX_LABELS,
    MAX_LINE_BYTES,
    SOURCE,
    Entry,
    IngestResult,
    Level,
    Stream,
)
from clustergenie_server.services.logs.pipeline import LogPipeline

MAX_BATCH_LINES = 10_000
_LABEL_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_LEVEL_WORDS = {
    "debug": Level.DEBUG, "trace": Level.DEBUG, "info": Level.INFO, "notice": Level.INFO,
    "information": Level.INFO, "warn": Level.WARN, "warning": Level.WARN, "error": Level.ERROR,
    "err": Level.ERROR, "crit": Level.ERROR, "critical": Level.ERROR, "fatal": Level.ERROR,
    "alert": Level.ERROR, "emerg": Level.ERROR, "panic": Level.ERROR,
}  # fmt: skip
_LEVEL_IN_LINE = re.compile(r"\b(ERROR|WARN(?:ING)?|INFO|DEBUG|FATAL|CRITICAL)\b|level=(\w+)", re.I)


def level_of(labels: Mapping[str, str], line: str) -> Level:
    """The level label if given (any common spelling), else one found in the line."""
    given = labels.get(LEVEL) or labels.get("severity") or labels.get("detected_level")
    if given:
        return _LEVEL_WORDS.get(given.lower(), Level.UNKNOWN)
    match = _LEVEL_IN_LINE.search(line[:200])
    if match:
        return _LEVEL_WORDS.get((match[1] or match[2]).lower(), Level.UNKNOWN)
    return Level.UNKNOWN


def check_labels(labels: Mapping[str, str]) -> str | None:
    """What is wrong with a label set, or None."""
    if len(labels) > MAX_LABELS:
        return f"{len(labels)} labels is more than {MAX_LABELS}"
    for name, value in labels.items():
        if not _LABEL_NAME.match(name) or len(name) > MAX_LABEL_NAME:
            return (
                f"label name {name[:80]!r} is not [A-Za-z_][A-Za-z0-9_]* of up to {MAX_LABEL_NAME}"
            )
        if len(value) > MAX_LABEL_VALUE:
            return f"label {name} is longer than {MAX_LABEL_VALUE} characters"
    return None


class Ingest:
    """Turns entries into accepted lines."""

    def __init__(self, pipeline: LogPipeline, now: object = time.time) -> None:
        self._pipeline = pipeline
        self._now = now
        self._streams: dict[tuple[tuple[str, str], ...], Stream] = {}

    def ingest(self, entries: Iterable[Entry], *, source: str) -> IngestResult:
        """Accept the valid entries; count and describe the others."""
        result = IngestResult()
        good: list[tuple[Stream, float, str, int]] = []
        assert callable(self._now)
        now = float(self._now())
        for n, entry in enumerate(entries):
            if n >= MAX_BATCH_LINES:
                result.rejected += 1
                _note(result, f"the batch has more than {MAX_BATCH_LINES} lines; send smaller ones")
                continue
            problem = check_labels(entry.labels)
            if problem is not None:
                result.rejected += 1
                _note(result, f"entry {n}: {problem}")
                continue
            good.append((self._stream(entry, source), entry.t or now, _clean(entry.line), 1))
        self._pipeline.accept(good)
        result.accepted = len(good)
        return result

    def _stream(self, entry: Entry, source: str) -> Stream:
        labels = dict(entry.labels)
        labels.setdefault(SOURCE, source)
        labels[LEVEL] = level_of(entry.labels, entry.line).value
        labels.pop("severity", None)
        key = tuple(sorted(labels.items()))
        stream = self._streams.get(key)
        if stream is None:
            if len(self._streams) > 100_000:
                self._streams.clear()
            stream = self._streams[key] = Stream.of(labels)
        return stream


def _note(result: IngestResult, reason: str) -> None:
    if len(result.errors) < 5:
        result.errors.append(reason)


def _clean(line: str) -> str:
    """NUL separates lines in chunks; and lines are cut at MAX_LINE_BYTES."""
    if "\x00" in line:
        line = line.replace("\x00", "\ufffd")
    if len(line) > MAX_LINE_BYTES:
        line = line[:MAX_LINE_BYTES]
    return line


def refuse_if_empty(result: IngestResult) -> None:
    """A batch whose every entry was refused is an error the sender must see."""
    if result.rejected and not result.accepted:
        raise InvalidArgument("; ".join(result.errors))
