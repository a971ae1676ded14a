"""What the model is told: the system prompt, the tools, and the analysis as JSON."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from clustergenie_server.domain.diagnosis import Analysis, Finding, Remedy
from clustergenie_server.domain.telemetry import Metric
from clustergenie_server.llm.provider import Tool
from clustergenie_server.services.diagnosis.analyzers.availability import slo_of
from clustergenie_server.services.diagnosis.analyzers.common import clock, nanmedian
from clustergenie_server.services.diagnosis.window import TelemetryWindow

SYSTEM = (
    "You are ClusterGenie, an SRE assistant for a cloud of droplets. Investigate with the tools "
    "(query_metrics, read_events, read_health, search_logs, then analyze), then answer the "
    "question in a few short Markdown paragraphs: the root cause with its evidence and causal "
    "chain, or 'no root cause found' and what was checked, then what to do. Use only figures "
    "the tools returned."
)

_TARGET = {"droplet": {"type": "string", "description": "a droplet's name; empty: the cluster"}}
TOOLS: Sequence[Tool] = (
    Tool("query_metrics", "Read the cluster's and its droplets' metrics in the window.",
         {"type": "object", "properties": _TARGET}),
    Tool("read_events", "Read deploys, jobs, provisioning and scaling decisions in the window.",
         {"type": "object", "properties": {}}),
    Tool("read_health", "Read health check results and transitions in the window.",
         {"type": "object", "properties": _TARGET}),
    Tool("search_logs", "Search log lines and patterns (a regular expression).",
         {"type": "object", "properties": {**_TARGET, "query": {"type": "string"}},
          "required": ["query"]}),
    Tool("analyze", "Run the analyzers over everything read; returns ranked root causes.",
         {"type": "object", "properties": {}}),
)  # fmt: skip


def finding_json(f: Finding) -> dict[str, Any]:
    """A finding as the model reads it."""
    return {
        "kind": f.kind.value,
        "target": f.target.name,
        "severity": f.severity.label,
        "confidence": round(f.confidence, 2),
        "since": clock(f.started_at),
        "summary": f.summary,
        "facts": dict(f.facts),
        "logs": [e for log in f.logs for e in log.examples[:3]],
    }


def analysis_json(
    a: Analysis,
    w: TelemetryWindow,
    remedies: Sequence[Remedy],
    timeline: Sequence[tuple[float, str]],
    previous: Sequence[str] = (),
) -> str:
    """The analyze tool's result: what the answer is written from."""
    cluster = {
        "droplets": len(w.droplets),
        "cpu_percent": _now(w, Metric.CPU_PERCENT),
        "p95_ms": _now(w, Metric.LATENCY_P95_MS),
        "slo_p95_ms": slo_of(w.cluster_tags),
        "error_rate": _now(w, Metric.ERROR_RATE),
        "offered_rps": _now(w, Metric.OFFERED_RPS),
    }
    data = {
        "target": w.cluster.name,
        "window": f"{clock(a.window[0])}–{clock(a.window[1])}",
        "cluster": cluster,
        "causes": [
            {
                **finding_json(rc.cause),
                "chain": list(rc.chain),
                "symptoms": [s.summary for s in rc.symptoms],
            }
            for rc in a.causes[:5]
        ],  # fmt: skip
        "unexplained": [f.summary for f in a.unexplained[:10]],
        "findings": [finding_json(f) for f in a.findings[:20]],
        "checked": list(a.checked),
        "remedies": [{"id": r.id, "title": r.title, "preview": _preview(r)} for r in remedies],
        "timeline": [{"time": clock(t), "text": text} for t, text in timeline[-30:]],
        "previous": list(previous),
    }
    return json.dumps(data, ensure_ascii=False)


def _preview(r: Remedy) -> str:
    delta = r.monthly_cost_after - r.monthly_cost_before
    cost = f"{'+' if delta >= 0 else '−'}${abs(delta):.2f}/month" if delta else "no cost change"
    return f"{r.changes} ({cost})"


def _now(w: TelemetryWindow, metric: Metric) -> float | None:
    series = w.cluster_series(metric)[-3:]
    value = float(nanmedian(series)) if len(series) else float("nan")
    return round(value, 4) if value == value else None
