"""Lines sent from outside (gRPC, Loki push, syslog): validated, labelled, accepted.

A batch's bad entries are refused with what was wrong; its valid entries are accepted anyway
(none lost around a bad one). Unknown droplets are labelled as the sender said, not refused.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Mapping

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

    def __init__(self, pipeline: LogPipeline, now: Callable[[], float] = time.time) -> None:
        self._pipeline = pipeline
        self._now = now
        # Label sets seen, checked once: (labels, level found) -> stream. An agent sends the
        # same few label sets again and again; checking and hashing them per line cost more
        # than the rest of ingest.
        self._streams: dict[tuple[tuple[tuple[str, str], ...], str], Stream] = {}
        self._refused: dict[tuple[tuple[str, str], ...], str] = {}

    def ingest(self, entries: Iterable[Entry], *, source: str) -> IngestResult:
        """Accept the valid entries; count and describe the others."""
        return self.ingest_rows(((e.labels, e.line, e.t) for e in entries), source=source)

    def ingest_rows(
        self, rows: Iterable[tuple[Mapping[str, str], str, float | None]], *, source: str
    ) -> IngestResult:
        """Like ingest, for (labels, line, time) rows (time None or 0: now)."""
        result = IngestResult()
        good: list[tuple[Stream, float, str, int]] = []
        now = float(self._now())
        streams, refused = self._streams, self._refused
        previous: Mapping[str, str] | None = None
        key: tuple[tuple[str, str], ...] = ()
        for n, (labels, line, t) in enumerate(rows):
            if n >= MAX_BATCH_LINES:
                result.rejected += 1
                _note(result, f"the batch has more than {MAX_BATCH_LINES} lines; send smaller ones")
                continue
            if labels is not previous:  # the lines of one stream share their labels object
                key, previous = tuple(sorted(labels.items())), labels
            given = labels.get(LEVEL) or labels.get("severity") or labels.get("detected_level")
            level = _LEVEL_WORDS.get(given.lower(), Level.UNKNOWN) if given else level_of({}, line)
            stream = streams.get((key, level))
            if stream is None:
                problem = refused.get(key) or check_labels(labels)
                if problem is not None:
                    refused[key] = problem
                    result.rejected += 1
                    _note(result, f"entry {n}: {problem}")
                    continue
                stream = self._stream(key, labels, level, source)
            if "\x00" in line or len(line) > MAX_LINE_BYTES:
                line = _clean(line)
            good.append((stream, t or now, line, 1))
        self._pipeline.accept(good)
        result.accepted = len(good)
        return result

    def _stream(
        self, key: tuple[tuple[str, str], ...], labels: Mapping[str, str], level: Level, source: str
    ) -> Stream:
        if len(self._streams) > 100_000:
            self._streams.clear()
        out = dict(labels)
        out.setdefault(SOURCE, source)
        out[LEVEL] = level.value
        out.pop("severity", None)
        stream = self._streams[(key, level)] = Stream.of(out)
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
