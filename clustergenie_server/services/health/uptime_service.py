"""Uptime figures and the downsampled latency series of one target, served like the metrics."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from clustergenie_server.domain.health import Outcome, UptimeFigures
from clustergenie_server.domain.telemetry import Aggregation
from clustergenie_server.services.health.health_service import HealthService
from clustergenie_server.services.health.uptime import uptime
from clustergenie_server.services.telemetry.downsample import bucket_start, downsample

WINDOWS = (3600.0, 86_400.0, 7 * 86_400.0, 30 * 86_400.0)
SERIES_POINTS = 300


@dataclass(frozen=True, slots=True)
class UptimeReport:
    """Uptime per window, a latency series, and the failure and maintenance spans."""

    windows: list[UptimeFigures]
    times: list[float]
    latency_ms: list[float]
    latency_max_ms: list[float]
    failures: list[tuple[float, float]]
    maintenance: list[tuple[float, float]]


class UptimeService:
    """Reads results and computes the figures."""

    def __init__(self, health: HealthService) -> None:
        self._health = health

    async def report(
        self, check_id: int, target: str, now: float, series_seconds: float, step_seconds: float
    ) -> UptimeReport:
        """Figures over 1 h, 24 h, 7 d, 30 d and the series of the last series_seconds."""
        since = now - WINDOWS[-1]
        results = await self._health.recent_results(target, since, now + 1.0)
        if check_id:
            results = [r for r in results if r.check_id == check_id]
        interval = 10.0
        check = self._health.checks.get(check_id)
        if check is not None:
            interval = check.interval_seconds
        # Windows of this target's cluster or of everything (as alerts are silenced).
        cluster = self._health.cluster_of(check) if check is not None else 0
        windows = [
            w for w in await self._health.maintenance_windows() if w.cluster_id in (0, cluster)
        ]
        spans = [s for w in windows for s in w.spans(since, now)]
        figures = [
            uptime(results, since=now - w, until=now, max_gap=2.5 * interval, maintenance=spans)
            for w in WINDOWS
        ]
        series_seconds = series_seconds or 3600.0
        if results:  # a young check: buckets over the time it has run, not the whole window
            series_seconds = min(series_seconds, max(60.0, now - results[0].at))
        step = step_seconds or max(1.0, series_seconds / SERIES_POINTS)
        start = bucket_start(now - series_seconds, step)
        recent = [r for r in results if r.at >= start and r.connected]
        t, v, _, mx = downsample(
            np.array([r.at for r in recent]), np.array([r.latency_ms for r in recent]),
            start=start, step=step, aggregation=Aggregation.MEAN,
        )  # fmt: skip
        return UptimeReport(
            figures, t.tolist(), v.tolist(), mx.tolist(),
            _failure_spans([r for r in results if r.at >= start], interval),
            [s for w in windows for s in w.spans(start, now)],
        )  # fmt: skip


def _failure_spans(results: list, interval: float) -> list[tuple[float, float]]:  # type: ignore[type-arg]
    """Merged [start, end) spans where results failed (each stands for one interval)."""
    spans: list[tuple[float, float]] = []
    for r in sorted(results, key=lambda r: r.at):
        if r.outcome is not Outcome.FAIL:
            continue
        end = r.at + interval
        if spans and r.at <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], end))
        else:
            spans.append((r.at, end))
    return spans
