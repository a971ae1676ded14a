"""Log lines, streams, gaps, stats and patterns: plain, frozen domain types of the Logs feature."""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

# Labels every line carries (a sender may add others).
CLUSTER, DROPLET, SOURCE, LEVEL = "cluster", "droplet", "source", "level"
MAX_LABELS = 16
MAX_LABEL_NAME = 64
MAX_LABEL_VALUE = 255
MAX_LINE_BYTES = 16_384  # longer lines are cut (a stack trace fits; a core dump does not)


class Level(enum.StrEnum):
    """Severity as the level label spells it; UNKNOWN for lines that named none."""

    DEBUG = "debug"
    INFO = "info"
    WARN = "warn"
    ERROR = "error"
    UNKNOWN = "unknown"


LEVELS: tuple[Level, ...] = tuple(Level)
# Lines of these levels are never sampled: each one is a mark someone may look for.
UNSAMPLED_LEVELS = frozenset({Level.WARN, Level.ERROR})


def canonical_labels(labels: Mapping[str, str]) -> str:
    """The labels as `{a="1", b="2"}` sorted by name: a stream's identity and its display."""
    inner = ", ".join(f'{k}="{_escape(v)}"' for k, v in sorted(labels.items()))
    return "{" + inner + "}"


def stream_id_of(key: str) -> int:
    """A stable 63-bit id for a canonical label set: every server computes the same one, so a
    new stream needs no round trip to the database before its lines are accepted."""
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big") >> 1


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


@dataclass(frozen=True, slots=True)
class Stream:
    """A set of labels; every line belongs to exactly one stream."""

    id: int
    labels: Mapping[str, str]
    key: str

    @classmethod
    def of(cls, labels: Mapping[str, str]) -> Stream:
        """The stream of these labels."""
        key = canonical_labels(labels)
        return cls(stream_id_of(key), dict(labels), key)

    @property
    def level(self) -> Level:
        """The level label as a Level (UNKNOWN when missing or not one of ours)."""
        try:
            return Level(self.labels.get(LEVEL, "unknown"))
        except ValueError:
            return Level.UNKNOWN


@dataclass(frozen=True, slots=True)
class LogLine:
    """One line: when (simulated Unix seconds), which stream, the text, and how many lines it
    stands for (above 1 when routine lines were sampled). seq orders lines accepted by this
    server (0: not yet accepted)."""

    t: float
    stream: Stream
    line: str
    count: int = 1
    seq: int = 0


@dataclass(frozen=True, slots=True)
class Gap:
    """Lines a reader did not get: because it read too slowly, or because they were dropped
    (the database was unreachable longer than the buffer lasts)."""

    missed: int
    t: float
    reason: str


@dataclass(frozen=True, slots=True)
class LogBatch:
    """Lines one server accepted, as they travel to the other servers' live readers: keyed by
    the droplet they came from (one droplet's lines stay in order). `missed` counts the lines of
    origin that could not travel before these (a full backlog, a failed send)."""

    origin: str
    key: str
    lines: Sequence[LogLine]
    missed: int = 0


@dataclass(frozen=True, slots=True)
class StatsBucket:
    """Weighted line counts of one time bucket, per level (or per series of a metric query)."""

    start: float
    counts: Mapping[str, float]


@dataclass(frozen=True, slots=True)
class Pattern:
    """A line template of a window with its weighted count and when it was first seen there."""

    template: str
    count: int
    first_seen: float
    last_seen: float
    example: str
    new: bool  # not seen before the window's `since`


@dataclass(frozen=True, slots=True)
class NewPatternSeen:
    """The first sight of a template on a cluster: an event for Diagnose."""

    cluster: str
    template: str
    t: float
    example: str


@dataclass(frozen=True, slots=True)
class Entry:
    """One line as a sender gave it: labels, time (Unix seconds; None: now), text."""

    labels: Mapping[str, str]
    line: str
    t: float | None = None


@dataclass(slots=True)
class IngestResult:
    """What happened to a batch from outside."""

    accepted: int = 0
    rejected: int = 0
    errors: list[str] = field(default_factory=list)  # the first few reasons


@dataclass(frozen=True, slots=True)
class SeriesValues:
    """One series of a stats query: its labels and one value per bucket."""

    labels: Mapping[str, str]
    values: Sequence[float]


@dataclass(frozen=True, slots=True)
class StatsUpdate:
    """Values of buckets start, start+step, ... (the bucket of `start` is the first value)."""

    start: float
    step: float
    series: list[SeriesValues]
    complete: bool  # False: more updates follow (live)
