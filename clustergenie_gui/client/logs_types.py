"""Plain types of the Logs client (no protobuf, no Qt)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class LogRow:
    """One line as the GUI shows it (time: simulated Unix seconds)."""

    t: float
    labels: Mapping[str, str]
    line: str
    count: int = 1
    seq: int = 0

    @property
    def level(self) -> str:
        """The level label ("unknown" when missing)."""
        return self.labels.get("level", "unknown")


@dataclass(frozen=True, slots=True)
class GapRow:
    """Lines that were missed (a slow reader) or dropped (an outage), shown as a row."""

    t: float
    missed: int
    reason: str


@dataclass(frozen=True, slots=True)
class ReplayComplete:
    """The tail's replay is done; live lines follow."""


@dataclass(frozen=True, slots=True)
class StatsSeries:
    """One series of a stats update."""

    labels: Mapping[str, str]
    values: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class StatsUpdate:
    """Bucket values from `start`, one per `step` seconds."""

    start: float
    step: float
    series: tuple[StatsSeries, ...]
    complete: bool


@dataclass(frozen=True, slots=True)
class LogPattern:
    """A template of a window."""

    template: str
    count: int
    first_seen: float
    last_seen: float
    example: str
    is_new: bool
