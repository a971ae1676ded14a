"""Ranking findings into root causes, each with the symptoms it explains and its causal chain.

Three signals, as an on-call engineer weighs them: time order (a cause starts no later than
what it explains), topology (droplet -> its cluster -> the cluster's checks) and correlation
(some causes explain others: an OOM kill looks like a crash, a full disk like a bad deploy).
"""

from __future__ import annotations

from collections.abc import Sequence

from clustergenie_server.domain.diagnosis import (
    Analysis,
    Finding,
    FindingKind,
    RootCause,
    Severity,
)
from clustergenie_server.services.diagnosis.analyzers.common import clock

K = FindingKind
SEVERITY_WEIGHT = {Severity.INFO: 1.0, Severity.WARNING: 1.6, Severity.CRITICAL: 2.2}
# A cause on the same droplet that explains another finding taken for a cause.
EXPLAINS: dict[FindingKind, frozenset[FindingKind]] = {
    K.MEMORY_LEAK: frozenset({K.CRASH_LOOP, K.NETWORK_PARTITION, K.NETWORK_LATENCY}),
    K.CPU_HOG: frozenset({K.NETWORK_LATENCY}),
    K.DISK_FILLING: frozenset({K.ERROR_RATE_SPIKE}),
    K.TRAFFIC_SURGE: frozenset({K.SCALING_AT_MAX}),
}
SLACK_SECONDS = 60.0  # a symptom may show this much before its cause (sampling, rollout)


def _related(cause: Finding, other: Finding) -> bool:
    """Topology: the same droplet, or a cluster-wide finding of the cause's cluster."""
    if cause.target.cluster_id != other.target.cluster_id:
        return False
    return (
        other.target.is_cluster
        or cause.target.is_cluster
        or cause.target.droplet_id == other.target.droplet_id
    )


def _explains(cause: Finding, other: Finding) -> bool:
    if cause is other or not _related(cause, other):
        return False
    if other.started_at < cause.started_at - SLACK_SECONDS:
        return False
    if other.kind.is_cause:
        same_droplet = cause.target.droplet_id == other.target.droplet_id
        return other.kind in EXPLAINS.get(cause.kind, frozenset()) and (
            same_droplet or cause.target.is_cluster
        )
    return True


def _score(finding: Finding, explained: int) -> float:
    return SEVERITY_WEIGHT[finding.severity] * finding.confidence * (1.0 + 0.08 * min(explained, 5))


def _chain(cause: Finding, symptoms: Sequence[Finding]) -> tuple[str, ...]:
    first = f"{cause.summary}"
    rest = [f"{s.summary}" for s in sorted(symptoms, key=lambda s: s.started_at)]
    if not rest:
        return (first,)
    return (first, *rest)


def rank(
    findings: Sequence[Finding], checked: Sequence[str], window: tuple[float, float]
) -> Analysis:
    """Causes best first (each with the symptoms it explains); findings no cause explains."""
    causes = [f for f in findings if f.kind.is_cause]
    # Causes another cause explains are its symptoms (the OOM kill behind a "crash loop").
    demoted = {id(o) for c in causes for o in causes if _explains(c, o)}
    roots = [c for c in causes if id(c) not in demoted]
    ranked: list[RootCause] = []
    claimed: set[int] = set()
    scored = []
    for cause in roots:
        symptoms = [f for f in findings if f is not cause and _explains(cause, f)]
        scored.append((_score(cause, len(symptoms)), cause.started_at, cause, symptoms))
    scored.sort(key=lambda s: (-s[0], s[1]))
    for score, _, cause, symptoms in scored:
        own = [s for s in symptoms if id(s) not in claimed or s.target == cause.target]
        claimed.update(id(s) for s in own)
        ranked.append(RootCause(cause, tuple(own), _chain(cause, own), round(score, 4)))
    unexplained = tuple(f for f in findings if not f.kind.is_cause and id(f) not in claimed)
    return Analysis(tuple(ranked), unexplained, tuple(checked), window, tuple(findings))


def describe(analysis: Analysis) -> str:
    """The root cause and its chain in one paragraph, or "no root cause found" and why."""
    root = analysis.root
    if root is None:
        seen = "; ".join(f.summary for f in analysis.unexplained) or "nothing abnormal"
        return (
            f"No root cause found between {clock(analysis.window[0])} and "
            f"{clock(analysis.window[1])}. Checked: {', '.join(analysis.checked)}. Seen: {seen}."
        )
    return " → ".join(root.chain)
