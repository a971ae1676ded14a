"""Server-side downsampling: samples into fixed buckets (mean, min, max or last), with numpy."""

from __future__ import annotations

import math

import numpy as np

from clustergenie_server.domain.telemetry import Aggregation


def bucket_start(since: float, step: float) -> float:
    """Buckets are aligned to multiples of step, so a scrolling window keeps its buckets."""
    return math.floor(since / step) * step


def downsample(
    times: np.ndarray, values: np.ndarray, *, start: float, step: float, aggregation: Aggregation
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(bucket times, values, mins, maxs) of one column; times ascending; empty buckets omitted."""
    if len(times) == 0:
        empty = np.zeros(0)
        return empty, empty, empty, empty
    index = np.floor((times - start) / step).astype(np.int64)
    starts = np.flatnonzero(np.diff(index, prepend=index[0] - 1))
    ends = np.append(starts[1:], len(times))
    mins = np.minimum.reduceat(values, starts)
    maxs = np.maximum.reduceat(values, starts)
    if aggregation is Aggregation.MAX:
        picked = maxs
    elif aggregation is Aggregation.MIN:
        picked = mins
    elif aggregation is Aggregation.LAST:
        picked = values[ends - 1]
    else:
        picked = np.add.reduceat(values, starts) / (ends - starts)
    return start + index[starts] * step, picked, mins, maxs
