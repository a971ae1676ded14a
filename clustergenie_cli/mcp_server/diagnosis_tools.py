"""Diagnose (anyone) and apply a remedy (operators): the investigation as text for the model to
read and as structured data, root cause, evidence and remedies first."""

from __future__ import annotations

from typing import Annotated, Any

from mcp.server.mcpserver import MCPServer
from mcp.types import CallToolResult, TextContent, ToolAnnotations
from pydantic import Field

from clustergenie_cli.commands.diagnose import Investigation, investigate, record_event
from clustergenie_cli.mcp_server.backend import Backend, data
from clustergenie_cli.mcp_server.read_tools import READ_ONLY, ClusterRef, Window
from clustergenie_gui.client import diagnosis_types as d
from clustergenie_gui.client.diagnosis_client import DiagnosisClient

SessionId = Annotated[int, Field(ge=1, description="the session id a diagnose call returned")]


def finding(f: d.Finding) -> dict[str, Any]:
    """A finding with its evidence; each metric as its summary, not every point."""
    metrics = [
        {
            "metric": m.metric, "target": m.target, "unit": m.unit, "baseline": m.baseline,
            "points": len(m.values), "last": m.values[-1] if m.values else None,
            "peak": max(m.values, default=None),
        }
        for m in f.metrics
    ]  # fmt: skip
    return {
        "kind": f.kind, "target": f.target, "droplet_id": f.droplet_id, "severity": f.severity,
        "confidence": f.confidence, "started_at": f.started_at, "summary": f.summary,
        "facts": dict(f.facts), "events": list(f.events), "logs": list(f.logs), "metrics": metrics,
    }  # fmt: skip


def structured(found: Investigation) -> dict[str, Any]:
    """The investigation as an object: root_cause is the best cause's finding (or null)."""
    causes = [
        {"cause": finding(c.cause), "symptoms": [finding(s) for s in c.symptoms],
         "chain": list(c.chain)}
        for c in found.causes
    ]  # fmt: skip
    return {
        "session_id": found.session_id,
        "question": found.question,
        "root_cause": causes[0]["cause"] if causes else None,
        "causes": causes,
        "remedies": [{**data(r), "cost": r.cost_text} for r in found.remedies],
        "answer": found.answer,
        "steps": [f"{s.tool}: {s.summary}" for s in found.steps],
    }


def _evidence(f: d.Finding) -> list[str]:
    lines = [f"- {key}: {value}" for key, value in f.facts]
    lines += [f"- event: {e}" for e in f.events]
    lines += [f"- log: {line}" for line in f.logs]
    for m in f.metrics:
        if m.values:
            base = f", baseline {m.baseline:g}" if m.baseline is not None else ""
            now = f"{m.values[-1]:g} {m.unit}".rstrip()
            lines.append(f"- {m.metric} on {m.target}: now {now}{base}")
    return lines


def text(found: Investigation, can_apply: bool) -> str:
    """The investigation for the model to read: root cause, evidence, remedies, the answer."""
    parts: list[str] = []
    if found.causes:
        best = found.causes[0]
        top = best.cause
        parts.append(
            f"Root cause: {top.kind} on {top.target} ({top.severity}, confidence "
            f"{top.confidence:.0%}): {top.summary}"
        )
        if len(best.chain) > 1:
            parts.append("Chain: " + " → ".join(best.chain))
        if evidence := _evidence(top):
            parts.append("Evidence:\n" + "\n".join(evidence))
        if best.symptoms:
            parts.append(
                "Symptoms it explains:\n"
                + "\n".join(f"- {s.kind} on {s.target}: {s.summary}" for s in best.symptoms)
            )
        for other in found.causes[1:]:
            parts.append(f"Another cause: {other.cause.kind} on {other.cause.target}")
    else:
        parts.append("Root cause: none found.")
    if found.remedies:
        how = (
            f"apply one with apply_remedy(session_id={found.session_id}, remedy_id=ID)"
            if can_apply
            else "applying one needs an operator's token"
        )
        parts.append(
            f"Remedies ({how}):\n"
            + "\n".join(
                f"- {r.id} ({r.action}): {r.title}; {'fixes the cause' if r.fixes else 'mitigates'}"
                f"; {r.cost_text}"
                for r in found.remedies
            )
        )
    parts.append("Answer:\n" + found.answer.strip())
    parts.append(f"Session {found.session_id} (follow up: diagnose with session_id).")
    return "\n\n".join(parts)


def result(found: Investigation, can_apply: bool) -> CallToolResult:
    """The text and the structured investigation in one tool result."""
    return CallToolResult(
        content=[TextContent(type="text", text=text(found, can_apply))],
        structured_content=structured(found),
    )


def register_diagnose(server: MCPServer[Any], backend: Backend, can_apply: bool) -> None:
    """Add `diagnose` (read-only: it investigates, it changes nothing)."""

    async def diagnose(
        cluster: ClusterRef,
        question: Annotated[
            str, Field(description='what to ask ("": what is wrong with this cluster?)')
        ] = "",
        droplet: Annotated[str, Field(description="focus on this droplet (name or id)")] = "",
        window_seconds: Window = 0.0,
        session_id: Annotated[
            int, Field(ge=0, description="follow up this stored session (0: a new one)")
        ] = 0,
    ) -> CallToolResult:
        """Investigate a cluster (metrics, events, logs, deploys, health) and answer: the root
        cause with its evidence, the symptoms it explains, and remedies with their cost."""
        found = Investigation(question=question)
        with backend.errors():
            await investigate(backend.client, found, cluster, droplet, window_seconds, session_id)
        return result(found, can_apply)

    server.add_tool(diagnose, annotations=READ_ONLY)


def register_apply(server: MCPServer[Any], backend: Backend) -> None:
    """Add `apply_remedy` (operators: it runs jobs on the cluster)."""

    async def apply_remedy(
        session_id: SessionId,
        remedy_id: Annotated[
            str, Field(min_length=1, description="a remedy id the diagnose call listed")
        ],
    ) -> CallToolResult:
        """Apply a remedy diagnose proposed (e.g. roll back a deploy, scale out), wait for its
        jobs, diagnose again and say whether the root cause is gone."""
        jobs: list[d.RemedyJob] = []
        verdict: d.Verdict | None = None
        follow_up = Investigation(question="after the remedy")
        with backend.errors():
            async for event in DiagnosisClient(backend.client).apply_remedy(session_id, remedy_id):
                if isinstance(event, d.RemedyJob):
                    jobs.append(event)
                elif isinstance(event, d.Verdict):
                    verdict = event
                else:
                    record_event(event, follow_up, live=False)
        lines = [f"Applied remedy {remedy_id} of session {session_id}."]
        lines += [
            f"- job {j.job_id} ({j.kind}): {j.state}" + (f": {j.error}" if j.error else "")
            for j in jobs
        ]
        if verdict is not None:
            lines.append(("Resolved: " if verdict.resolved else "Not resolved: ") + verdict.text)
        body = {
            "jobs": data(jobs),
            "resolved": verdict.resolved if verdict else None,
            "verdict": verdict.text if verdict else "",
            "follow_up": structured(follow_up),
        }
        return CallToolResult(
            content=[TextContent(type="text", text="\n".join(lines))], structured_content=body
        )

    server.add_tool(
        apply_remedy,
        annotations=ToolAnnotations(read_only_hint=False, destructive_hint=True),
    )
