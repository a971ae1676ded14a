"""`clustergenie-ctl diagnose` and `timeline`: the investigation streamed to the terminal, and
what happened to a cluster."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated

import typer

from clustergenie_cli import output, resolve
from clustergenie_cli.commands.cluster import ClusterRef
from clustergenie_cli.completion import droplet_names
from clustergenie_cli.invocation import call, options, show
from clustergenie_gui.client import diagnosis_types as d
from clustergenie_gui.client.client import ClusterGenieClient
from clustergenie_gui.client.diagnosis_client import DiagnosisClient

TIMELINE: tuple[output.Column, ...] = (
    ("Time", lambda e: datetime.fromtimestamp(e.time).astimezone()),
    ("Kind", lambda e: e.kind),
    ("Severity", lambda e: e.severity),
    ("Event", lambda e: e.text),
)
REMEDIES: tuple[output.Column, ...] = (
    ("ID", lambda r: r.id),
    ("Action", lambda r: r.action),
    ("Remedy", lambda r: r.title),
    ("Fixes", lambda r: r.fixes),
    ("$/month after", lambda r: f"{r.cost_after:.2f}"),
)
Window = Annotated[
    float,
    typer.Option(
        "--window", metavar="SECONDS", help="how far back to look (simulated; 0: the default)"
    ),
]


@dataclass(slots=True)
class Investigation:
    """What one Diagnose call produced, for --output json|yaml."""

    session_id: int = 0
    question: str = ""
    steps: list[d.Step] = field(default_factory=list)
    causes: list[d.Cause] = field(default_factory=list)
    answer: str = ""
    remedies: list[d.Remedy] = field(default_factory=list)


def _live(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


def record_event(event: d.DiagnoseEvent, found: Investigation, live: bool) -> None:
    """Record one event; on a table run, show it as it arrives (steps on stderr)."""
    if isinstance(event, d.Step):
        found.steps.append(event)
        if live:
            output.message(f"· {event.tool}: {event.summary}")
    elif isinstance(event, d.Findings):
        found.causes = list(event.causes)
        if live and event.causes:
            top = event.causes[0].cause
            output.message(f"→ root cause: {top.kind} on {top.target} ({top.confidence:.0%})")
    elif isinstance(event, d.Token):
        found.answer += event.text
        if live:
            _live(event.text)
    elif isinstance(event, d.Remedies):
        found.remedies = list(event.remedies)
    elif isinstance(event, d.Done):
        found.session_id, found.answer = event.session_id, event.answer or found.answer


async def investigate(
    client: ClusterGenieClient,
    found: Investigation,
    cluster: str,
    droplet: str = "",
    window: float = 0.0,
    session: int = 0,
    *,
    live: bool = False,
) -> Investigation:
    """Run one Diagnose of a cluster (and droplet), by name or id, recording into found (its
    question is asked); on a live run each event also shows as it arrives."""
    cluster_id = await resolve.cluster_id(client, cluster)
    droplet_id = (await resolve.droplet(client, droplet)).id if droplet else 0
    stream = DiagnosisClient(client).diagnose(
        cluster_id, droplet_id, found.question, window, session
    )
    async for event in stream:
        record_event(event, found, live)
    return found


def diagnose(
    ctx: typer.Context,
    cluster: ClusterRef,
    question: Annotated[
        str, typer.Argument(help="what to ask (default: what is wrong with this cluster?)")
    ] = "",
    droplet: Annotated[
        str, typer.Option(help="focus on this droplet (name or id)", autocompletion=droplet_names)
    ] = "",
    window: Window = 0.0,
    session: Annotated[int, typer.Option(metavar="ID", help="follow up a stored session")] = 0,
) -> None:
    """Investigate a cluster: the steps, then the answer streamed as it is written, then the
    remedies (`-o json` prints it all as one object at the end)."""
    live = options(ctx).output == "table"
    found = Investigation(question=question)
    call(ctx, lambda c: investigate(c, found, cluster, droplet, window, session, live=live))
    if not live:
        show(ctx, found, ())
        return
    _live("\n" if found.answer and not found.answer.endswith("\n") else "")
    if found.remedies:
        output.message("")
        show(ctx, found.remedies, REMEDIES)
    output.message(f"session {found.session_id} (follow up: --session {found.session_id})")


def timeline(
    ctx: typer.Context,
    cluster: ClusterRef,
    window: Window = 0.0,
    kind: Annotated[
        list[str] | None,
        typer.Option(
            "--kind", help="only these kinds (repeat): deploy, provisioning, fault, finding, ..."
        ),
    ] = None,
) -> None:
    """What happened to a cluster, oldest first: deploys, jobs, faults, findings, alerts."""

    async def work(client: ClusterGenieClient) -> list[d.TimelineEntry]:
        cluster_id = await resolve.cluster_id(client, cluster)
        return await DiagnosisClient(client).timeline(cluster_id, window, kind or ())

    show(ctx, call(ctx, work), TIMELINE)
