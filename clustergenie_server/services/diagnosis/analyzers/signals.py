"""Analyzers of what Health and Logs report (through diagnosis.sources): failing checks and
log patterns that are new or far more frequent than before."""

from __future__ import annotations

from collections import defaultdict

from clustergenie_server.domain.diagnosis import (
    EventEvidence,
    Finding,
    FindingKind,
    LogEvidence,
    Severity,
    Target,
)
from clustergenie_server.services.diagnosis.analyzers.common import Derived, clock

MIN_PATTERN_COUNT = 5
PATTERN_GROWTH = 5.0  # a pattern this many times more frequent than before is news


def _target(dv: Derived, droplet_id: int) -> Target:
    info = dv.w.droplet(droplet_id) if droplet_id else None
    return info.target if info is not None else dv.w.cluster


def failing_checks(dv: Derived) -> list[Finding]:
    """Checks whose latest result in the window is unhealthy."""
    latest: dict[tuple[str, int], list[object]] = defaultdict(list)
    for result in sorted(dv.w.health.results, key=lambda r: r.time):
        latest[(result.check, result.droplet_id)].append(result)
    out = []
    for (check, droplet_id), results in latest.items():
        last = results[-1]
        if getattr(last, "healthy", True):
            continue
        failed = [r for r in results if not getattr(r, "healthy", True)]
        transitions = [
            t for t in dv.w.health.transitions if t.check == check and t.droplet_id == droplet_id
        ]
        since = transitions[-1].time if transitions else getattr(failed[0], "time", dv.w.since)
        detail = getattr(last, "detail", "")
        out.append(
            Finding(
                FindingKind.HEALTH_CHECK_FAILING,
                _target(dv, droplet_id),
                Severity.CRITICAL,
                0.95,
                since,
                f"check {check} is unhealthy since {clock(since)}"
                + (f": {detail}" if detail else ""),
                events=tuple(
                    EventEvidence(
                        t.time, "health", f"{check} → {'healthy' if t.healthy else 'unhealthy'}"
                    )
                    for t in transitions[-5:]
                ),
                facts=(("check", check), ("failures", str(len(failed)))),
            )
        )
    return out


def log_patterns(dv: Derived) -> list[Finding]:
    """Log patterns new in the window, or much more frequent than before it."""
    out = []
    seen = {p.pattern for p in dv.w.logs.new_patterns}
    candidates = list(dv.w.logs.new_patterns) + [
        p
        for p in dv.w.logs.patterns
        if p.pattern not in seen and p.count >= PATTERN_GROWTH * max(1, p.baseline_count)
    ]
    for p in candidates:
        if p.count < MIN_PATTERN_COUNT:
            continue
        droplet_id = p.droplet_ids[0] if len(p.droplet_ids) == 1 else 0
        out.append(
            Finding(
                FindingKind.LOG_PATTERN,
                _target(dv, droplet_id),
                Severity.WARNING,
                0.7,
                p.first_seen or dv.w.since,
                f"log pattern “{p.pattern}” appeared {p.count} times (before: {p.baseline_count})",
                logs=(LogEvidence(p.pattern, p.count, p.examples[:5]),),
                facts=(("pattern", p.pattern),),
            )
        )
    return out
