"""The analyzers: each a small pure function over a window of telemetry that yields findings.

They read only what an operator's tools show (metrics, deploys, jobs, scaling decisions,
health and logs through their Protocols), never the fault injector's table.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from clustergenie_server.domain.diagnosis import Finding
from clustergenie_server.services.diagnosis.analyzers import availability, load, resources, signals
from clustergenie_server.services.diagnosis.analyzers.common import Derived
from clustergenie_server.services.diagnosis.window import TelemetryWindow

Analyzer = Callable[[Derived], list[Finding]]


@dataclass(frozen=True, slots=True)
class NamedAnalyzer:
    """An analyzer and what it checks, in words (for "no root cause found: checked ...")."""

    name: str
    checks: str
    run: Analyzer


ANALYZERS: Sequence[NamedAnalyzer] = (
    NamedAnalyzer("cpu", "CPU against what each droplet's requests explain", resources.cpu_hog),
    NamedAnalyzer("saturation", "the cluster's CPU saturation", resources.cluster_saturation),
    NamedAnalyzer("memory", "memory growth and OOM kills", resources.memory_leak),
    NamedAnalyzer("disk", "disk fill rate and free space", resources.disk_filling),
    NamedAnalyzer("availability", "droplets down or unreachable", availability.down_droplets),
    NamedAnalyzer(
        "latency", "each droplet's latency against its peers", availability.network_latency
    ),
    NamedAnalyzer(
        "errors", "error rates and the deploys before them", availability.errors_and_deploys
    ),
    NamedAnalyzer("traffic", "offered traffic against its earlier level", load.traffic_surge),
    NamedAnalyzer("scaling", "the auto-scaler against its policy's maximum", load.scaling_at_max),
    NamedAnalyzer("balance", "how evenly the droplets share the load", load.uneven_load),
    NamedAnalyzer("health", "health check results", signals.failing_checks),
    NamedAnalyzer("logs", "new and growing log patterns", signals.log_patterns),
)


def analyze(window: TelemetryWindow) -> tuple[list[Finding], list[str]]:
    """Every analyzer's findings over the window, and what was checked."""
    derived = Derived(window)
    findings: list[Finding] = []
    checked: list[str] = []
    for analyzer in ANALYZERS:
        findings.extend(analyzer.run(derived))
        checked.append(analyzer.checks)
    slo = availability.slo_of(window.cluster_tags)
    findings.extend(availability.latency_slo(derived, slo))
    checked.append(f"p95 latency against the {slo:.0f} ms SLO")
    return findings, checked
