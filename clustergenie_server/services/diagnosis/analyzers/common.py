"""What several analyzers share: the window's derived arrays and robust statistics.

Baselines are relative (a droplet against its serving peers at the same tick, or against its
own earlier samples when it has none) and spreads robust (median absolute deviation), so the
thresholds hold across cluster sizes, traffic shapes and droplet sizes.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property

import numpy as np

from clustergenie_server.domain.diagnosis import MetricEvidence, Target
from clustergenie_server.domain.telemetry import Metric
from clustergenie_server.services.diagnosis.window import TelemetryWindow

EVIDENCE_POINTS = 60  # points of a metric kept as evidence (enough for a small graph)
MIN_RUN = 3  # ticks a condition must hold to count (30 s at the default tick)


def nanmedian(a: np.ndarray, axis: int | None = None) -> np.ndarray:
    """np.nanmedian without the all-NaN warning (NaN stays NaN)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.asarray(np.nanmedian(a, axis=axis))


def robust_sigma(a: np.ndarray) -> float:
    """1.4826 x the median absolute deviation of the finite values (0 when there are none)."""
    v = a[np.isfinite(a)]
    if len(v) == 0:
        return 0.0
    return float(1.4826 * np.median(np.abs(v - np.median(v))))


def step_sigma(a: np.ndarray) -> float:
    """The noise of series (rows) from their tick-to-tick changes: a step (the fault) is one
    change, so unlike the spread of the values it does not inflate this."""
    if a.ndim == 1:
        a = a.reshape(1, -1)
    return float(robust_sigma(np.diff(a, axis=1)) / np.sqrt(2.0))


def onset(mask: np.ndarray, min_run: int = MIN_RUN, share: float = 0.8) -> int | None:
    """The first tick from which `mask` holds for at least `share` of the remaining ticks
    (at least min_run of them, the last tick among them), or None: a condition that holds now."""
    n = len(mask)
    if n < min_run or not mask[-1]:
        return None
    hits = np.cumsum(mask[::-1])[::-1]  # hits[i]: true ticks in mask[i:]
    remaining = np.arange(n, 0, -1)
    ok = (hits >= share * remaining) & (remaining >= min_run) & mask
    found = np.flatnonzero(ok)
    return int(found[0]) if len(found) else None


def slope_per_minute(times: np.ndarray, values: np.ndarray) -> tuple[float, float]:
    """Least-squares slope (units per minute) and r² of the finite points."""
    ok = np.isfinite(values)
    if ok.sum() < 3:
        return 0.0, 0.0
    t, y = (times[ok] - times[ok][0]) / 60.0, values[ok]
    if np.ptp(t) == 0:
        return 0.0, 0.0
    b, a = np.polyfit(t, y, 1)
    ss = float(np.sum((y - y.mean()) ** 2))
    r2 = 1.0 - float(np.sum((y - (a + b * t)) ** 2)) / ss if ss > 0 else 0.0
    return float(b), r2


def clock(t: float) -> str:
    """A simulated time as HH:MM (UTC), the way the chain of events is written."""
    return datetime.fromtimestamp(t, UTC).strftime("%H:%M")


def minutes(seconds: float) -> str:
    """A duration for people: 45 s, 14 min, 3.2 h, 2.1 days."""
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    if seconds < 2 * 86_400:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86_400:.1f} days"


def evidence(
    w: TelemetryWindow,
    metric: Metric,
    target: Target,
    values: np.ndarray,
    *,
    baseline: float | None = None,
    unit: str = "",
) -> MetricEvidence:
    """A metric's points as evidence, downsampled to EVIDENCE_POINTS (max of each bucket, so
    spikes survive), NaN points left out."""
    ok = np.isfinite(values)
    t, v = w.times[ok], values[ok]
    if len(t) > EVIDENCE_POINTS:
        edges = np.linspace(0, len(t), EVIDENCE_POINTS + 1).astype(int)
        t = np.array([t[a] for a, b in zip(edges, edges[1:], strict=False) if b > a])
        v = np.array([v[a:b].max() for a, b in zip(edges, edges[1:], strict=False) if b > a])
    return MetricEvidence(
        metric.value,
        target,
        tuple(round(float(x), 3) for x in t),
        tuple(round(float(x), 4) for x in v),
        baseline,
        unit,
    )


def peer_baseline(x: np.ndarray, serving: np.ndarray) -> np.ndarray:
    """Each droplet's expected value at each tick: the median of its serving peers (leave one
    out below five droplets), or its own median over the first third when it has no peer."""
    d, n = x.shape
    masked = np.where(serving, x, np.nan)
    out = np.full((d, n), np.nan)
    if d >= 5:
        out[:] = nanmedian(masked, axis=0)[None, :]
    else:
        for i in range(d):
            others = np.delete(masked, i, axis=0)
            if len(others):
                out[i] = nanmedian(others, axis=0)
    lonely = np.isnan(out)
    if lonely.any():
        early = nanmedian(masked[:, : max(MIN_RUN, n // 3)], axis=1)
        out = np.where(lonely, early[:, None], out)
    return out


@dataclass
class Derived:
    """Arrays several analyzers need, computed once per window."""

    w: TelemetryWindow

    @cached_property
    def rps(self) -> np.ndarray:
        """Requests per second each droplet received, (droplets, ticks)."""
        return self.w.droplet_matrix(Metric.REQUESTS_PER_SECOND)

    @cached_property
    def per_vcpu(self) -> np.ndarray:
        """Requests per second per vCPU: load that compares across sizes."""
        return np.asarray(self.rps / self.w.vcpus)

    @cached_property
    def present(self) -> np.ndarray:
        """Whether a droplet had a sample at a tick."""
        return np.asarray(np.isfinite(self.rps))

    @cached_property
    def expected_share(self) -> np.ndarray:
        """Requests per vCPU a droplet would get if every present droplet served."""
        offered = self.w.cluster_series(Metric.OFFERED_RPS)
        vcpus: np.ndarray = np.where(self.present, self.w.vcpus, 0.0).sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.asarray(np.where(vcpus > 0, offered / vcpus, np.nan))

    @cached_property
    def serving(self) -> np.ndarray:
        """Whether a droplet took traffic at a tick (False where it had no sample)."""
        expected = self.expected_share[None, :]
        low = np.nan_to_num(self.per_vcpu, nan=-1.0) <= np.maximum(0.05 * expected, 0.05)
        return np.asarray(self.present & ~(low & (expected > 1.0)))

    @cached_property
    def down(self) -> np.ndarray:
        """Present but taking no traffic while the cluster has traffic: down or unreachable."""
        return np.asarray(self.present & ~self.serving)

    def matrix(self, metric: Metric) -> np.ndarray:
        """One droplet metric, (droplets, ticks)."""
        return self.w.droplet_matrix(metric)

    @cached_property
    def cpu_residual(self) -> np.ndarray:
        """CPU a droplet burns beyond what its requests explain, (droplets, ticks).

        The cost of a request is learnt from the window itself: a line through the idle CPU
        and a low quantile of the CPU-per-request ratios (a hogged droplet only raises them).
        """
        cpu, x = self.matrix(Metric.CPU_PERCENT), self.per_vcpu
        # A saturated droplet fails what it cannot serve: at 100 % CPU its work is the served
        # share, so one that serves less than its cost explains burns CPU on something else.
        errors = np.nan_to_num(self.matrix(Metric.ERROR_RATE), nan=0.0)
        x = np.where(np.nan_to_num(cpu, nan=0.0) >= 95.0, x * (1.0 - errors), x)
        idle_ticks = self.present & (np.nan_to_num(x, nan=0.0) < 0.5)
        idle = float(nanmedian(cpu[idle_ticks])) if idle_ticks.sum() >= MIN_RUN else 2.0
        idle = min(max(idle, 0.0), 10.0)
        usable = self.serving & (x > 1.0) & (cpu < 90.0)
        if usable.sum() >= MIN_RUN:
            cost = float(np.nanpercentile((cpu[usable] - idle) / x[usable], 25))
        else:
            cost = 1.0  # nothing to learn from: the catalog's 100 requests/s per vCPU
        cost = max(cost, 0.05)
        expected = np.minimum(idle + cost * np.nan_to_num(x, nan=0.0), 100.0)
        return np.where(self.serving, cpu - expected, np.nan)

    @cached_property
    def cpu_noise(self) -> float:
        """The spread of cpu_residual over healthy-looking points."""
        return max(1.0, step_sigma(self.cpu_residual))
