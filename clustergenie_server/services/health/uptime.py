"""Uptime and latency arithmetic over results, with maintenance windows and gaps.

Each result stands for the time until the next one, but never for longer than `max_gap`
(about two intervals): while no checks ran (the servers were down) nothing is counted, up or
down. Time inside a maintenance window is not counted either.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from clustergenie_server.domain.health import CheckResult, Outcome, UptimeFigures


def uptime(
    results: Sequence[CheckResult],
    *,
    since: float,
    until: float,
    max_gap: float,
    maintenance: Sequence[tuple[float, float]] = (),
) -> UptimeFigures:
    """Uptime % and latency p50/p95 of results (ascending by time) over [since, until)."""
    up = counted = 0.0
    latencies: list[float] = []
    ordered = sorted(results, key=lambda r: r.at)
    for i, r in enumerate(ordered):
        end = ordered[i + 1].at if i + 1 < len(ordered) else until
        lo, hi = max(r.at, since), min(end, r.at + max_gap, until)
        if hi <= lo:
            continue
        seconds = (hi - lo) - _overlap(lo, hi, maintenance)
        counted += seconds
        if r.outcome is not Outcome.FAIL:
            up += seconds
        if since <= r.at < until and not _inside(r.at, maintenance) and r.connected:
            latencies.append(r.latency_ms)
    p50, p95 = np.percentile(latencies, [50, 95]).tolist() if latencies else [0.0, 0.0]
    return UptimeFigures(
        window_seconds=until - since,
        uptime_percent=100.0 * up / counted if counted > 0 else None,
        counted_seconds=counted,
        latency_p50_ms=float(p50),
        latency_p95_ms=float(p95),
        results=len(latencies),
    )


def _overlap(lo: float, hi: float, spans: Sequence[tuple[float, float]]) -> float:
    """Seconds of [lo, hi) inside the spans (merged first, so overlapping windows count once)."""
    total, cursor = 0.0, lo
    for a, b in sorted(spans):
        a, b = max(a, cursor), min(b, hi)
        if b > a:
            total += b - a
            cursor = b
    return total


def _inside(t: float, spans: Sequence[tuple[float, float]]) -> bool:
    return any(a <= t < b for a, b in spans)
