"""MetricBuffer: a Qt-free numpy ring buffer of metric samples with contiguous, copy-free views."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt

from clustergenie_gui.client.types import MetricSample

FloatArray = npt.NDArray[np.float64]


class MetricBuffer:
    """The last `capacity` samples of chosen fields, appended in time order.

    Storage is twice the capacity: when the write position reaches the end, the newest
    `capacity` rows move to the front once, so every view is one contiguous slice (what
    pyqtgraph's setData wants) and appends stay O(1) amortised.
    """

    def __init__(self, fields: Sequence[str], capacity: int = 2048) -> None:
        self.fields = tuple(fields)
        self.capacity = capacity
        self._data = np.zeros((1 + len(self.fields), 2 * capacity), dtype=np.float64)
        self._start = 0
        self._end = 0
        self._version = 0

    def __len__(self) -> int:
        return self._end - self._start

    @property
    def version(self) -> int:
        """Grows with every change: a redraw timer compares it to skip unchanged buffers."""
        return self._version

    @property
    def last_time(self) -> float | None:
        """Time of the newest sample, or None when empty."""
        return float(self._data[0, self._end - 1]) if len(self) else None

    def clear(self) -> None:
        """Forget every sample."""
        self._start = self._end = 0
        self._version += 1

    def append(self, sample: MetricSample) -> bool:
        """Add a sample newer than the last one; False (and ignored) when it is not newer."""
        last = self.last_time
        if last is not None and sample.time <= last:
            return False
        if self._end == self._data.shape[1]:
            keep = self.capacity - 1
            self._data[:, :keep] = self._data[:, self._end - keep : self._end]
            self._start, self._end = 0, keep
        column = self._end
        self._data[0, column] = sample.time
        for row, field in enumerate(self.fields, start=1):
            self._data[row, column] = float(getattr(sample, field))
        self._end += 1
        if len(self) > self.capacity:
            self._start += 1
        self._version += 1
        return True

    def extend_columns(self, times: FloatArray, values: FloatArray) -> int:
        """Append a block at once: times (n,) ascending, values (fields, n); returns rows kept.

        Rows not newer than the last sample are dropped; a block longer than the capacity
        keeps its newest `capacity` rows. One numpy copy per call, no Python loop per sample.
        """
        last = self.last_time
        if last is not None:
            newer = times > last
            times, values = times[newer], values[:, newer]
        count = min(times.size, self.capacity)
        if count == 0:
            return 0
        times, values = times[-count:], values[:, -count:]
        if self._end + count > self._data.shape[1]:
            keep = min(len(self), self.capacity - count)
            self._data[:, :keep] = self._data[:, self._end - keep : self._end]
            self._start, self._end = 0, keep
        self._data[0, self._end : self._end + count] = times
        self._data[1:, self._end : self._end + count] = values
        self._end += count
        self._start = max(self._start, self._end - self.capacity)
        self._version += 1
        return count

    def extend(self, samples: Iterable[MetricSample]) -> int:
        """Append each sample (in time order); returns how many were new."""
        return sum(self.append(sample) for sample in sorted(samples, key=lambda s: s.time))

    def times(self) -> FloatArray:
        """Sample times (simulated Unix seconds), oldest first; a view, not a copy."""
        return self._data[0, self._start : self._end]

    def values(self, field: str) -> FloatArray:
        """Values of one field, aligned with times(); a view, not a copy."""
        row = 1 + self.fields.index(field)
        return self._data[row, self._start : self._end]
