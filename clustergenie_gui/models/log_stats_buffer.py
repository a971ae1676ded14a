"""LogStatsBuffer: lines per level per bucket, merged from stats updates (plain data, no Qt)."""

from __future__ import annotations

import math

import numpy as np

from clustergenie_gui.client.logs_types import StatsUpdate

MAX_BUCKETS = 5000


class LogStatsBuffer:
    """Counts by level on a fixed bucket grid; live updates overwrite the buckets they carry."""

    def __init__(self) -> None:
        self.start = 0.0
        self.step = 60.0
        self.counts: dict[str, np.ndarray] = {}
        self.version = 0
        # The graph's range: live updates append buckets, and the oldest beyond it are let go
        # (a 10-minute graph left open for an hour must still show 10 minutes).
        self.window_seconds: float | None = None

    def clear(self) -> None:
        """Forget everything."""
        self.counts.clear()
        self.version += 1

    def apply(self, update: StatsUpdate) -> None:
        """Merge an update: the first (complete window) sets the grid; later ones overwrite."""
        if not self.counts or update.step != self.step:
            self.start, self.step = update.start, update.step
            self.counts = {}
        first = round((update.start - self.start) / self.step)
        for series in update.series:
            level = series.labels.get("level", "unknown") or "unknown"
            values = np.asarray(series.values, float)
            need = first + len(values)
            row = self.counts.get(level)
            if row is None or len(row) < need:
                grown = np.zeros(max(need, len(row) if row is not None else 0))
                if row is not None:
                    grown[: len(row)] = row
                row = self.counts[level] = grown
            row[first:need] = values
        size = max((len(r) for r in self.counts.values()), default=0)
        for level, row in self.counts.items():
            if len(row) < size:
                self.counts[level] = np.concatenate([row, np.zeros(size - len(row))])
        keep = MAX_BUCKETS
        if self.window_seconds is not None:
            keep = min(keep, math.ceil(self.window_seconds / self.step) + 1)
        if size > keep:
            cut = size - keep
            self.start += cut * self.step
            self.counts = {k: v[cut:] for k, v in self.counts.items()}
        self.version += 1

    def times(self) -> np.ndarray:
        """Bucket start times."""
        size = max((len(r) for r in self.counts.values()), default=0)
        return self.start + np.arange(size) * self.step

    def per_second(self, level: str) -> np.ndarray:
        """Lines per second of one level."""
        row = self.counts.get(level)
        return np.zeros(len(self.times())) if row is None else row / self.step

    def error_ratio(self) -> np.ndarray:
        """Errors over all lines per bucket (0 where there were none)."""
        total = sum(self.counts.values(), np.zeros(len(self.times())))
        errors = self.counts.get("error", np.zeros(len(total)))
        ratio: np.ndarray = np.divide(errors, total, out=np.zeros(len(total)), where=total > 0)
        return ratio

    def at(self, t: float) -> tuple[float, dict[str, float]]:
        """The bucket holding t: its start and the lines per second of each level."""
        i = int((t - self.start) // self.step)
        out = {k: float(v[i]) / self.step for k, v in self.counts.items() if 0 <= i < len(v)}
        return self.start + i * self.step, out
