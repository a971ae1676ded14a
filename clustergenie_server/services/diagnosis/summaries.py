"""One-paragraph summaries of each tool's result: what a step shows, and what the model reads
to choose its next step (hints in brackets: [memory], [errors], ... and "suspect: NAME")."""

from __future__ import annotations

from collections.abc import Sequence

from clustergenie_server.domain.diagnosis import FindingKind, Target
from clustergenie_server.domain.telemetry import Metric
from clustergenie_server.services.diagnosis.analyzers import availability, resources
from clustergenie_server.services.diagnosis.analyzers.common import Derived, clock, nanmedian
from clustergenie_server.services.diagnosis.collect import Inventory, OpsEvents
from clustergenie_server.services.diagnosis.sources import HealthView, LogLine, LogView
from clustergenie_server.services.diagnosis.window import TelemetryWindow

HINTS = {
    FindingKind.CPU_HOG: "cpu",
    FindingKind.MEMORY_LEAK: "memory",
    FindingKind.DISK_FILLING: "disk",
    FindingKind.CRASH_LOOP: "down",
    FindingKind.NETWORK_PARTITION: "down",
    FindingKind.NETWORK_LATENCY: "latency",
    FindingKind.ERROR_RATE_SPIKE: "errors",
    FindingKind.BAD_DEPLOY: "errors",
}


def _now(w: TelemetryWindow, metric: Metric) -> float:
    series = w.cluster_series(metric)[-3:]
    return float(nanmedian(series)) if len(series) else float("nan")


def metrics_summary(w: TelemetryWindow, target: Target) -> str:
    """Ticks read, the cluster's current figures, and which droplets look wrong."""
    if not len(w.times):
        return f"no samples of {w.cluster.name} between {clock(w.since)} and {clock(w.until)}"
    d = Derived(w)
    quick = [
        *resources.cpu_hog(d), *resources.memory_leak(d), *resources.disk_filling(d),
        *availability.down_droplets(d), *availability.network_latency(d),
        *availability.errors_and_deploys(d),
    ]  # fmt: skip
    hints = sorted({f"[{HINTS[f.kind]}]" for f in quick if f.kind in HINTS})
    suspects = [f.target.name for f in quick if not f.target.is_cluster]
    text = (
        f"read {len(w.times)} ticks of {len(w.droplets)} droplets ({clock(w.since)}–"
        f"{clock(w.until)}); {w.cluster.name} now: CPU {_now(w, Metric.CPU_PERCENT):.0f} %, "
        f"p95 {_now(w, Metric.LATENCY_P95_MS):.0f} ms, errors "
        f"{_now(w, Metric.ERROR_RATE):.1%}, offered {_now(w, Metric.OFFERED_RPS):.0f} req/s"
    )
    if hints:
        text += "; unusual: " + " ".join(hints)
    if suspects:
        text += f"; suspect: {suspects[0]}"
    return text


def events_summary(e: OpsEvents, inventory: Inventory, since: float) -> str:
    """Deploys, jobs and scaling decisions in a sentence."""
    deploys = [
        f"{d.previous_version} → {d.version} at {clock(d.started_at)} ({d.state.value})"
        for d in e.deploys
    ]
    jobs = [j for j in e.jobs if j.created_at is not None]
    changes = [d for d in e.decisions if d.action.value != "none"]
    parts = [
        f"{len(deploys)} deploy(s)" + (": " + "; ".join(deploys[:3]) if deploys else ""),
        f"{len(jobs)} recent job(s)",
        f"{len(changes)} scaling change(s) of {len(e.decisions)} decision(s)",
    ]
    if e.policy is not None:
        parts.append(f"policy {e.policy.min_droplets}–{e.policy.max_droplets} droplets")
    return f"{inventory.cluster.name}: " + ", ".join(parts)


def health_summary(h: HealthView) -> str:
    """Checks seen and failing."""
    if not h.results and not h.transitions:
        return "no health check results in the window (no checks, or no health service)"
    failing = sorted({r.check for r in h.results if not r.healthy})
    checks = sorted({r.check for r in h.results})
    text = f"{len(checks)} check(s), {len(h.results)} result(s), {len(h.transitions)} transition(s)"
    return text + (f"; failing: {', '.join(failing)}" if failing else "; all healthy")


def logs_summary(query: str, target: Target, lines: Sequence[LogLine], view: LogView) -> str:
    """Matching lines and patterns."""
    where = target.name or "the cluster"
    if not lines and not view.patterns and not view.new_patterns:
        return f"no log lines match “{query}” on {where} (no lines, or no log service)"
    text = f"{len(lines)} line(s) match “{query}” on {where}"
    if lines:
        text += f", e.g. “{lines[0].text}”"
    if view.new_patterns:
        text += f"; {len(view.new_patterns)} new pattern(s): " + "; ".join(
            p.pattern for p in view.new_patterns[:3]
        )
    return text
