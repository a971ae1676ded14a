"""Analyzers of what users feel: droplets down or unreachable, slow droplets, errors (and the
deploy they began with), and the cluster's latency against its SLO."""

from __future__ import annotations

import numpy as np

from clustergenie_server.domain.deploys import Deployment
from clustergenie_server.domain.diagnosis import (
    EventEvidence,
    Finding,
    FindingKind,
    Severity,
)
from clustergenie_server.domain.telemetry import Metric
from clustergenie_server.services.diagnosis.analyzers.common import (
    MIN_RUN,
    Derived,
    clock,
    evidence,
    minutes,
    nanmedian,
    onset,
    peer_baseline,
    step_sigma,
)
from clustergenie_server.services.diagnosis.analyzers.resources import OOM_DROP

DEFAULT_SLO_P95_MS = 250.0  # a cluster tag slo_p95_ms:N sets its own
ERROR_FLOOR = 0.01  # an error rate below 1 % is noise
DISK_FULL_ERRORS = 98.5  # a droplet this full fails requests for lack of disk


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """(start, end) of each run of True."""
    padded = np.concatenate(([False], mask, [False])).astype(int)
    edges = np.flatnonzero(np.diff(padded))
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True)]


def _after_oom(memory: np.ndarray, start: int) -> bool:
    """True when a droplet went down right after its memory was nearly full (an OOM kill)."""
    before = memory[max(0, start - 2) : start]
    return bool(len(before)) and (
        np.nanmax(np.nan_to_num(before, nan=0.0)) >= 90.0
        or (
            start < len(memory)
            and np.isfinite(memory[start])
            and np.nanmax(np.nan_to_num(before, nan=0.0)) - memory[start] >= OOM_DROP
        )
    )


def down_droplets(dv: Derived) -> list[Finding]:
    """Droplets up but taking no traffic: repeatedly (a crash loop) or since some time and
    still (a network partition). Down spells that follow an OOM kill belong to the leak."""
    w, out = dv.w, []
    memory = dv.matrix(Metric.MEMORY_PERCENT)
    for i, info in enumerate(w.droplets):
        spells = [(a, b) for a, b in _runs(dv.down[i]) if not _after_oom(memory[i], a)]
        if not spells:
            continue
        ongoing = spells[-1][1] == len(w.times)
        down_ticks = sum(b - a for a, b in spells)
        if len(spells) >= 2 or (not ongoing and down_ticks >= 2):
            starts = [w.times[a] for a, _ in spells]
            period = float(np.median(np.diff(starts))) if len(starts) >= 2 else 0.0
            every = f", every ~{minutes(period)}" if period else ""
            out.append(
                Finding(
                    FindingKind.CRASH_LOOP,
                    info.target,
                    Severity.CRITICAL if len(spells) >= 3 else Severity.WARNING,
                    min(0.95, 0.6 + 0.1 * len(spells)),
                    float(starts[0]),
                    f"{info.target.name} went down {len(spells)} time(s) since "
                    f"{clock(starts[0])}{every}: connections refused while it restarts",
                    metrics=(
                        evidence(
                            w, Metric.REQUESTS_PER_SECOND, info.target, dv.rps[i], unit="req/s"
                        ),
                    ),
                    facts=(
                        ("restarts", str(len(spells))),
                        ("period", minutes(period) if period else ""),
                    ),
                )
            )
        elif ongoing and down_ticks >= MIN_RUN:
            start = spells[-1][0]
            out.append(
                Finding(
                    FindingKind.NETWORK_PARTITION,
                    info.target,
                    Severity.CRITICAL,
                    0.85,
                    float(w.times[start]),
                    f"{info.target.name} is up but has taken no traffic since "
                    f"{clock(w.times[start])} ({minutes(down_ticks * w.tick_seconds)}): "
                    "unreachable from the balancer",
                    metrics=(
                        evidence(
                            w, Metric.REQUESTS_PER_SECOND, info.target, dv.rps[i], unit="req/s"
                        ),
                        evidence(
                            w,
                            Metric.NET_IN_MBPS,
                            info.target,
                            dv.matrix(Metric.NET_IN_MBPS)[i],
                            unit="Mb/s",
                        ),
                    ),
                    facts=(("down for", minutes(down_ticks * w.tick_seconds)),),
                )
            )
    return out


def network_latency(dv: Derived) -> list[Finding]:
    """A droplet slower than its peers at the same load, while its CPU is not the reason."""
    w, out = dv.w, []
    p50 = dv.matrix(Metric.LATENCY_P50_MS)
    expected = peer_baseline(p50, dv.serving)
    r = np.where(dv.serving, p50 - expected, np.nan)
    noise = max(1.0, step_sigma(r))
    busy = np.nan_to_num(dv.cpu_residual, nan=0.0) > max(5.0, 4.0 * dv.cpu_noise)
    busy |= np.nan_to_num(dv.matrix(Metric.CPU_PERCENT), nan=0.0) >= 90.0
    for i, info in enumerate(w.droplets):
        limit = np.maximum(np.maximum(8.0, 4.0 * noise), 0.3 * np.nan_to_num(expected[i], nan=20.0))
        mask = (np.nan_to_num(r[i], nan=0.0) > limit) & ~busy[i]
        start = onset(mask)
        if start is None:
            continue
        extra = float(nanmedian(r[i, start:]))
        base = float(nanmedian(expected[i, start:]))
        p95 = dv.matrix(Metric.LATENCY_P95_MS)[i]
        out.append(
            Finding(
                FindingKind.NETWORK_LATENCY,
                info.target,
                Severity.CRITICAL
                if extra >= 200
                else Severity.WARNING
                if extra >= 30
                else Severity.INFO,
                min(0.95, 0.6 + 0.35 * (1 - 8.0 / max(extra, 8.0))),
                float(w.times[start]),
                f"{info.target.name} answers {extra:.0f} ms slower than its peers ({base:.0f} ms) "
                f"since {clock(w.times[start])} while its CPU is normal: network latency or "
                "packet loss",
                metrics=(evidence(w, Metric.LATENCY_P95_MS, info.target, p95, unit="ms"),),
                facts=(("extra latency", f"{extra:.0f} ms"),),
            )
        )
    return out


def _error_onsets(dv: Derived) -> dict[int, int]:
    """For each droplet with errors its disk or load do not explain: the tick they began."""
    w = dv.w
    errors = dv.matrix(Metric.ERROR_RATE)
    disk = np.nan_to_num(dv.matrix(Metric.DISK_PERCENT), nan=0.0)
    cpu = np.nan_to_num(dv.matrix(Metric.CPU_PERCENT), nan=0.0)
    base = float(nanmedian(errors[:, : max(MIN_RUN, len(w.times) // 4)]))
    floor = max(ERROR_FLOOR, 5 * (base if np.isfinite(base) else 0.0))
    explained = (disk >= DISK_FULL_ERRORS) | (cpu >= 97.0)
    found = {}
    for i in range(len(w.droplets)):
        mask = (np.nan_to_num(errors[i], nan=0.0) > floor) & ~explained[i]
        start = onset(mask, share=0.7)
        if start is not None:
            found[i] = start
    return found


def _began_with(deploy: Deployment, onset: float, from_the_start: bool, slack: float) -> bool:
    """Errors that began during the deploy's rollout (or soon after it), or that were there
    from the window's first tick when the deploy came before it."""
    if from_the_start and deploy.started_at <= onset + slack:
        return True
    end = deploy.finished_at if deploy.finished_at is not None else onset
    return deploy.started_at - slack <= onset <= end + 6 * slack


def _reached(deploy: Deployment, droplet_id: int) -> bool:
    return deploy.droplet_id is None or deploy.droplet_id == droplet_id


def errors_and_deploys(dv: Derived) -> list[Finding]:
    """Errors that began with a deploy (a bad version), or errors nothing explains yet."""
    w = dv.w
    onsets = _error_onsets(dv)
    if not onsets:
        return []
    errors = dv.matrix(Metric.ERROR_RATE)
    out: list[Finding] = []
    explained: set[int] = set()
    slack = 3 * w.tick_seconds
    for deploy in sorted(w.deploys, key=lambda d: d.started_at, reverse=True):
        if deploy.rollback:
            continue
        hit = [
            i
            for i, start in onsets.items()
            if i not in explained
            and _reached(deploy, w.droplets[i].target.droplet_id)
            and _began_with(deploy, float(w.times[start]), start == 0, slack)
        ]
        if not hit:
            continue
        explained.update(hit)
        out.append(_bad_deploy(dv, deploy, hit, onsets))
    rest = [i for i in onsets if i not in explained]
    for i in rest:
        info = w.droplets[i]
        rate = float(nanmedian(errors[i, onsets[i] :]))
        out.append(
            Finding(
                FindingKind.ERROR_RATE_SPIKE,
                info.target,
                Severity.CRITICAL if rate >= 0.2 else Severity.WARNING,
                0.8,
                float(w.times[onsets[i]]),
                f"{info.target.name} fails {rate:.0%} of requests "
                f"since {clock(w.times[onsets[i]])}",
                metrics=(evidence(w, Metric.ERROR_RATE, info.target, errors[i]),),
                facts=(("error rate", f"{rate:.0%}"),),
            )
        )
    return out


def _bad_deploy(dv: Derived, deploy: Deployment, hit: list[int], onsets: dict[int, int]) -> Finding:
    w = dv.w
    errors = dv.matrix(Metric.ERROR_RATE)
    first = min(w.times[onsets[i]] for i in hit)
    rate = float(nanmedian(np.concatenate([errors[i, onsets[i] :] for i in hit])))
    if deploy.droplet_id is None:
        target = w.cluster
        scope = f"{len(hit)}/{len(w.droplets)} droplets"
    else:
        info = w.droplets[hit[0]]
        target = info.target
        scope = info.target.name
    worst = max(hit, key=lambda i: float(nanmedian(errors[i, onsets[i] :])))
    return Finding(
        FindingKind.BAD_DEPLOY,
        target,
        Severity.CRITICAL if rate >= 0.1 else Severity.WARNING,
        0.95,
        deploy.started_at,
        f"deploy {deploy.version} at {clock(deploy.started_at)} → {rate:.0%} errors on {scope} "
        f"from {clock(first)} (the previous version {deploy.previous_version} had none)",
        metrics=(
            evidence(w, Metric.ERROR_RATE, w.droplets[worst].target, errors[worst]),
            evidence(w, Metric.ERROR_RATE, w.cluster, w.cluster_series(Metric.ERROR_RATE)),
        ),
        events=(
            EventEvidence(
                deploy.started_at,
                "deploy",
                f"deploy {deploy.previous_version} → {deploy.version} to "
                f"{'the cluster' if deploy.droplet_id is None else target.name} "
                f"({deploy.state.value})",
            ),
        ),
        facts=(
            ("version", deploy.version),
            ("previous version", deploy.previous_version),
            ("error rate", f"{rate:.0%}"),
            ("droplets failing", str(len(hit))),
            ("deployment", str(deploy.id)),
        ),
    )


def slo_of(tags: tuple[str, ...]) -> float:
    """The cluster's p95 SLO in ms (tag slo_p95_ms:N), else the default."""
    for tag in tags:
        key, _, value = tag.partition(":")
        if key == "slo_p95_ms":
            try:
                return max(1.0, float(value))
            except ValueError:
                continue
    return DEFAULT_SLO_P95_MS


def latency_slo(dv: Derived, slo_ms: float = DEFAULT_SLO_P95_MS) -> list[Finding]:
    """The cluster's p95 latency above its SLO."""
    w = dv.w
    p95 = w.cluster_series(Metric.LATENCY_P95_MS)
    start = onset(np.nan_to_num(p95, nan=0.0) > slo_ms)
    if start is None:
        return []
    now = float(nanmedian(p95[-MIN_RUN:]))
    return [
        Finding(
            FindingKind.LATENCY_SLO_BREACH,
            w.cluster,
            Severity.CRITICAL if now >= 2 * slo_ms else Severity.WARNING,
            0.9,
            float(w.times[start]),
            f"{w.cluster.name}'s p95 latency is {now:.0f} ms since {clock(w.times[start])}, "
            f"above its {slo_ms:.0f} ms SLO",
            metrics=(
                evidence(w, Metric.LATENCY_P95_MS, w.cluster, p95, baseline=slo_ms, unit="ms"),
            ),
            facts=(("p95", f"{now:.0f} ms"), ("slo", f"{slo_ms:.0f} ms")),
        )
    ]
