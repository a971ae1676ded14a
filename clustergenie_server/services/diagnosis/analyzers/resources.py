"""Analyzers of a droplet's resources: CPU it cannot explain, memory that leaks, disk that fills,
and a cluster that is saturated as a whole."""

from __future__ import annotations

import numpy as np

from clustergenie_server.domain.diagnosis import Finding, FindingKind, Severity
from clustergenie_server.domain.telemetry import Metric
from clustergenie_server.services.diagnosis.analyzers.common import (
    MIN_RUN,
    Derived,
    clock,
    evidence,
    minutes,
    nanmedian,
    onset,
    slope_per_minute,
)

SATURATED_CPU = 85.0  # cluster mean CPU above which requests queue
OOM_DROP = 15.0  # memory points lost in one tick: the droplet was killed and restarted
MIN_LEAK_PER_MIN = 0.04  # memory percent per minute
MIN_FILL_PER_MIN = 0.03  # disk percent per minute
FULL_DISK = 97.0


def cpu_hog(dv: Derived) -> list[Finding]:
    """A droplet whose CPU its requests do not explain (a runaway process, a noisy neighbour)."""
    w, out = dv.w, []
    r = dv.cpu_residual
    threshold = max(5.0, 4.0 * dv.cpu_noise)
    cpu = dv.matrix(Metric.CPU_PERCENT)
    for i, info in enumerate(w.droplets):
        mask = np.nan_to_num(r[i], nan=0.0) > threshold
        start = onset(mask)
        if start is None:
            continue
        excess = float(nanmedian(r[i, start:]))
        now = float(nanmedian(cpu[i, -MIN_RUN:]))
        peers = (
            float(nanmedian(np.delete(cpu, i, axis=0)[:, start:])) if len(w.droplets) > 1 else None
        )
        severity = (
            Severity.CRITICAL if now >= 90 else Severity.WARNING if excess >= 15 else Severity.INFO
        )
        against = f" while its peers run at {peers:.0f} %" if peers is not None else ""
        out.append(
            Finding(
                FindingKind.CPU_HOG,
                info.target,
                severity,
                min(0.99, 0.55 + 0.45 * (1 - threshold / max(excess, threshold))),
                float(w.times[start]),
                f"{info.target.name} burns {excess:.0f} CPU points more than its requests "
                f"explain since {clock(w.times[start])} (now {now:.0f} %{against})",
                metrics=(
                    evidence(w, Metric.CPU_PERCENT, info.target, cpu[i], baseline=peers, unit="%"),
                ),
                facts=(("cpu now", f"{now:.0f} %"), ("unexplained cpu", f"{excess:.0f} points")),
            )
        )
    return out


def cluster_saturation(dv: Derived) -> list[Finding]:
    """The cluster's serving droplets are busy as a whole: requests queue."""
    w = dv.w
    cpu = w.cluster_series(Metric.CPU_PERCENT)
    start = onset(np.nan_to_num(cpu, nan=0.0) >= SATURATED_CPU)
    if start is None:
        return []
    now = float(nanmedian(cpu[-MIN_RUN:]))
    return [
        Finding(
            FindingKind.CPU_SATURATION,
            w.cluster,
            Severity.CRITICAL if now >= 95 else Severity.WARNING,
            0.9,
            float(w.times[start]),
            f"{w.cluster.name}'s serving droplets average {now:.0f} % CPU since "
            f"{clock(w.times[start])}: requests queue",
            metrics=(evidence(w, Metric.CPU_PERCENT, w.cluster, cpu, unit="%"),),
            facts=(("cluster cpu", f"{now:.0f} %"),),
        )
    ]


def _oom_drops(memory: np.ndarray) -> np.ndarray:
    """Ticks at which memory fell by OOM_DROP points or more (a kill and a restart)."""
    filled = np.copy(memory)
    ok = np.isfinite(filled)
    if ok.sum() < 2:
        return np.zeros(0, int)
    idx = np.flatnonzero(ok)
    drops = np.flatnonzero(np.diff(filled[idx]) <= -OOM_DROP)
    return idx[drops + 1]


def _growth(times: np.ndarray, memory: np.ndarray, rps: np.ndarray) -> tuple[float, float, int]:
    """Memory growth over time that load does not explain: (percent per minute, its t-statistic,
    the tick it began), from the change point that makes the growth the most certain."""
    ok = np.isfinite(memory) & np.isfinite(rps)
    idx = np.flatnonzero(ok)
    best = (0.0, 0.0, 0)
    stride = max(MIN_RUN, len(idx) // 40)  # ~40 candidates whatever the window's length
    for k in range(0, max(1, len(idx) - 2 * MIN_RUN), stride):
        sel = idx[k:]
        t = (times[sel] - times[sel][0]) / 60.0
        design = np.column_stack([np.ones(len(sel)), rps[sel], t])
        coef, *_ = np.linalg.lstsq(design, memory[sel], rcond=None)
        resid = memory[sel] - design @ coef
        dof = max(1, len(sel) - 3)
        sigma = max(float(np.sqrt(np.sum(resid**2) / dof)), 0.01)
        spread = float(np.sqrt(np.sum((t - t.mean()) ** 2)))
        tstat = float(coef[2]) * spread / sigma if spread > 0 else 0.0
        if tstat > best[1]:
            best = (float(coef[2]), tstat, int(sel[0]))
    return best


def memory_leak(dv: Derived) -> list[Finding]:
    """Memory that keeps growing while the load does not, with the time to exhaustion."""
    w, out = dv.w, []
    memory = dv.matrix(Metric.MEMORY_PERCENT)
    n = len(w.times)
    for i, info in enumerate(w.droplets):
        drops = _oom_drops(memory[i])
        # A cheap screen first (a fit of the newest quarter and half), the change-point search
        # only for droplets whose memory climbs at all: 100 droplets cost ~0.8 s otherwise.
        recent = [slope_per_minute(w.times[-k:], memory[i, -k:])[0] for k in (n // 4, n // 2)]
        if not len(drops) and max(recent) < MIN_LEAK_PER_MIN / 2:
            continue
        segment = _climb(drops, n)
        lo = segment.start or 0
        rate, tstat, begin = _growth(w.times[segment], memory[i, segment], dv.rps[i, segment])
        minutes_grown = (w.times[segment][-1] - w.times[lo + begin]) / 60.0 if rate else 0.0
        if rate < MIN_LEAK_PER_MIN or tstat < 10.0 or rate * minutes_grown < 0.5:
            continue
        now = float(memory[i, np.flatnonzero(np.isfinite(memory[i]))[-1]])
        to_full = max(0.0, (100.0 - now) / rate * 60.0)
        critical = len(drops) > 0 or to_full < 1800
        first = int(drops[0]) - 1 if len(drops) else lo + begin
        start = float(w.times[max(0, first)])
        oom = f"; killed for memory {len(drops)} time(s) (OOM)" if len(drops) else ""
        severity = (
            Severity.CRITICAL
            if critical
            else Severity.WARNING
            if to_full < 6 * 3600
            else Severity.INFO
        )
        out.append(
            Finding(
                FindingKind.MEMORY_LEAK,
                info.target,
                severity,
                min(0.99, 0.6 + 0.39 * min(1.0, tstat / 40.0)),
                start,
                f"{info.target.name}'s memory grows {rate:.2f} %/min while its load does not "
                f"(now {now:.0f} %): exhausted in {minutes(to_full)}{oom}",
                metrics=(evidence(w, Metric.MEMORY_PERCENT, info.target, memory[i], unit="%"),),
                facts=(
                    ("growth", f"{rate:.2f} %/min"),
                    ("time to exhaustion", minutes(to_full)),
                    ("oom kills", str(len(drops))),
                ),
            )
        )
    return out


def _first(row: np.ndarray) -> float:
    """The first finite value of a row (NaN when it has none)."""
    ok = np.flatnonzero(np.isfinite(row))
    return float(row[ok[0]]) if len(ok) else float("nan")


def _climb(drops: np.ndarray, n: int) -> slice:
    """The ticks of the newest climb: after the last OOM kill, or before it when the droplet
    has only just restarted."""
    if not len(drops):
        return slice(0, n)
    last = int(drops[-1])
    if n - last >= 2 * MIN_RUN:
        return slice(last, n)
    return slice(int(drops[-2]) if len(drops) >= 2 else 0, last)


def disk_filling(dv: Derived) -> list[Finding]:
    """A disk that keeps filling, with the time until it is full (or that is full)."""
    w, out = dv.w, []
    disk = dv.matrix(Metric.DISK_PERCENT)
    for i, info in enumerate(w.droplets):
        series = disk[i]
        ok = np.flatnonzero(np.isfinite(series))
        if len(ok) < MIN_RUN:
            continue
        rising = np.diff(series[ok]) > 1e-6
        start_rise = onset(rising, share=0.75)
        now = float(series[ok[-1]])
        if start_rise is None and now < FULL_DISK:
            continue
        begin = ok[start_rise] if start_rise is not None else ok[0]
        rate, _ = slope_per_minute(w.times[begin:], series[begin:])
        if rate < MIN_FILL_PER_MIN and now < FULL_DISK:
            continue
        to_full = max(0.0, (99.0 - now) / rate * 60.0) if rate > 0 else 0.0
        full = now >= FULL_DISK
        severity = Severity.CRITICAL if full or to_full < 1800 else Severity.WARNING
        when = "is full" if full else f"fills {rate:.2f} %/min: full in {minutes(to_full)}"
        out.append(
            Finding(
                FindingKind.DISK_FILLING,
                info.target,
                severity,
                0.95,
                float(w.times[begin]),
                f"{info.target.name}'s disk {when} "
                f"(now {now:.0f} %, since {clock(w.times[begin])})",
                metrics=(evidence(w, Metric.DISK_PERCENT, info.target, series, unit="%"),),
                facts=(("fill rate", f"{rate:.2f} %/min"), ("time to full", minutes(to_full))),
            )
        )
    return out
