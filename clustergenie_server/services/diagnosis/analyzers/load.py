"""Analyzers of the cluster's load: a surge of traffic, a scaler stopped at its maximum while
saturated, and load spread unevenly over the droplets."""

from __future__ import annotations

import math

import numpy as np

from clustergenie_server.domain.diagnosis import EventEvidence, Finding, FindingKind, Severity
from clustergenie_server.domain.scaling import DecisionRule
from clustergenie_server.domain.telemetry import Metric
from clustergenie_server.services.diagnosis.analyzers.common import (
    MIN_RUN,
    Derived,
    clock,
    evidence,
    nanmedian,
    robust_sigma,
)

MIN_SURGE = math.log(1.08)  # a sustained rise of 8 % or more
SUSTAINED_SHARE = 0.8


def _best_step(y: np.ndarray) -> tuple[int, float, float] | None:
    """The change point where traffic jumped and stayed up: (tick, sustained rise, jump at the
    tick), both in log units; the one whose smaller of the two is largest."""
    n = len(y)
    best: tuple[int, float, float] | None = None
    for k in range(MIN_RUN, n - MIN_RUN + 1):
        before = float(nanmedian(y[max(0, k - 30) : k]))
        after = y[k:]
        rise = float(nanmedian(after)) - before
        if not np.isfinite(rise) or rise <= 0:
            continue
        held = np.mean(np.nan_to_num(after, nan=-np.inf) > before + rise / 2)
        if held < SUSTAINED_SHARE:
            continue
        jump = float(y[k] - nanmedian(y[k - MIN_RUN : k]))
        if best is None or min(rise, jump) > min(best[1], best[2]):
            best = (k, rise, jump)
    return best


def traffic_surge(dv: Derived) -> list[Finding]:
    """Offered traffic that stepped up and stayed up (bursts decay within minutes)."""
    w = dv.w
    offered = w.cluster_series(Metric.OFFERED_RPS)
    if np.isfinite(offered).sum() < 2 * MIN_RUN or np.nanmax(offered) <= 0:
        return []
    y = np.log(np.maximum(offered, 1e-3))
    step = _best_step(y)
    if step is None:
        return []
    k, rise, jump = step
    jitter = robust_sigma(np.diff(y[np.isfinite(y)]))
    # A surge arrives at once (the AR noise of traffic wanders; it does not jump and stay).
    if rise < max(MIN_SURGE, 3.0 * jitter) or jump < max(0.5 * rise, 3.0 * jitter):
        return []
    before = float(np.exp(nanmedian(y[max(0, k - 30) : k])))
    now = float(nanmedian(offered[-MIN_RUN:]))
    factor = now / max(before, 1e-3)
    saturated = float(nanmedian(w.cluster_series(Metric.CPU_PERCENT)[-MIN_RUN:])) >= 85.0
    errors = float(nanmedian(w.cluster_series(Metric.ERROR_RATE)[-MIN_RUN:]))
    severity = (
        Severity.CRITICAL
        if saturated and errors > 0.05
        else (Severity.WARNING if saturated or factor >= 1.5 else Severity.INFO)
    )
    held = "and the droplets are saturated" if saturated else "and the droplets absorb it"
    return [
        Finding(
            FindingKind.TRAFFIC_SURGE,
            w.cluster,
            severity,
            min(0.97, 0.6 + 0.4 * (1 - MIN_SURGE / rise)),
            float(w.times[k]),
            f"traffic to {w.cluster.name} rose ×{factor:.1f} at {clock(w.times[k])} "
            f"({before:.0f} → {now:.0f} req/s) {held}",
            metrics=(
                evidence(w, Metric.OFFERED_RPS, w.cluster, offered, baseline=before, unit="req/s"),
            ),
            facts=(("factor", f"×{factor:.1f}"), ("offered now", f"{now:.0f} req/s")),
        )
    ]


def scaling_at_max(dv: Derived) -> list[Finding]:
    """The auto-scaler wants more droplets but its policy's maximum stops it, while saturated."""
    w, policy = dv.w, dv.w.policy
    if policy is None or not policy.enabled:
        return []
    capped = [
        d
        for d in w.decisions
        if d.rule is DecisionRule.MAX
        or (
            d.recommended_droplets > policy.max_droplets
            and d.desired_droplets >= policy.max_droplets
        )
    ]
    if not capped:
        return []
    cpu = float(nanmedian(w.cluster_series(Metric.CPU_PERCENT)[-MIN_RUN:]))
    if cpu < min(85.0, policy.target * 1.1 if policy.metric.value == "cpu" else 85.0):
        return []
    last = capped[-1]
    first = capped[0].time.timestamp()
    return [
        Finding(
            FindingKind.SCALING_AT_MAX,
            w.cluster,
            Severity.CRITICAL if cpu >= 95 else Severity.WARNING,
            0.85,
            first,
            f"the scaling policy of {w.cluster.name} wants {last.recommended_droplets} droplets "
            f"but its maximum is {policy.max_droplets}, while CPU is {cpu:.0f} %",
            metrics=(
                evidence(
                    w, Metric.CPU_PERCENT, w.cluster, w.cluster_series(Metric.CPU_PERCENT), unit="%"
                ),
            ),
            events=tuple(
                EventEvidence(d.time.timestamp(), "scaling", d.reason or d.rule.value)
                for d in capped[-3:]
            ),
            facts=(
                ("max droplets", str(policy.max_droplets)),
                ("wanted", str(last.recommended_droplets)),
            ),
        )
    ]


def uneven_load(dv: Derived) -> list[Finding]:
    """Serving droplets that take very different loads (per vCPU) from the balancer."""
    w = dv.w
    if len(w.droplets) < 2:
        return []
    load = np.where(dv.serving, dv.per_vcpu, np.nan)[:, -MIN_RUN * 2 :]
    per = nanmedian(load, axis=1)
    per = per[np.isfinite(per)]
    if len(per) < 2 or np.median(per) <= 1.0:
        return []
    spread = float((per.max() - per.min()) / np.median(per))
    if spread < 0.3:
        return []
    return [
        Finding(
            FindingKind.UNEVEN_LOAD,
            w.cluster,
            Severity.INFO,
            0.6,
            float(w.times[-MIN_RUN * 2]),
            f"{w.cluster.name}'s droplets take uneven loads ({per.min():.0f}–{per.max():.0f} "
            "req/s per vCPU)",
            facts=(("spread", f"{spread:.0%}"),),
        )
    ]
