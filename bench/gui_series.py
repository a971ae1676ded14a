"""The live graph's load, the same for ours and the reference: 10 series × 10,000 points."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

SERIES = 10
POINTS = 10_000
PER_SECOND = 10  # new points per series each second; the oldest as many drop off
STEP_SECONDS = 1.0  # simulated seconds between points: 10,000 points span ~2.8 h

FloatArray = npt.NDArray[np.float64]


class SyntheticSeries:
    """Random walks with a seeded generator: `initial()` once, then `next_block()` each second."""

    def __init__(self, seed: int = 6) -> None:
        self._rng = np.random.default_rng(seed)
        self._time = 1_767_225_600.0  # 2026-01-01 UTC
        self._level = np.full(SERIES, 50.0)

    def _block(self, count: int) -> tuple[FloatArray, FloatArray]:
        times = np.asarray(self._time + STEP_SECONDS * np.arange(1, count + 1), dtype=np.float64)
        steps = self._rng.normal(0.0, 1.0, size=(SERIES, count))
        values: FloatArray = self._level[:, None] + np.cumsum(steps, axis=1)
        self._time, self._level = float(times[-1]), values[:, -1]
        return times, values

    def initial(self) -> tuple[FloatArray, FloatArray]:
        """POINTS points of every series: times (POINTS,), values (SERIES, POINTS)."""
        return self._block(POINTS)

    def next_block(self) -> tuple[FloatArray, FloatArray]:
        """The next PER_SECOND points of every series."""
        return self._block(PER_SECOND)
