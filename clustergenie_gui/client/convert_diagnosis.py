"""Diagnosis protobuf messages <-> the GUI's plain types."""

from __future__ import annotations

from collections.abc import Iterable

from clustergenie_gui.client import diagnosis_types as d
from clustergenie_server.api.v1 import common_pb2, deploys_pb2
from clustergenie_server.api.v1 import diagnosis_pb2 as pb

_SEVERITY = {1: "info", 2: "warning", 3: "critical"}


def finding(f: pb.Finding) -> d.Finding:
    """A finding with its evidence."""
    return d.Finding(
        kind=f.kind,
        target=f.target.name,
        droplet_id=f.target.droplet_id,
        severity=_SEVERITY.get(f.severity, "info"),
        confidence=f.confidence,
        started_at=f.started_at,
        summary=f.summary,
        facts=tuple((x.name, x.value) for x in f.facts),
        metrics=tuple(
            d.MetricPoints(
                m.metric,
                m.target.name,
                tuple(m.times),
                tuple(m.values),
                m.baseline if m.has_baseline else None,
                m.unit,
            )
            for m in f.metrics
        ),  # fmt: skip
        events=tuple(e.text for e in f.events),
        logs=tuple(x for g in f.logs for x in (g.pattern, *g.examples)),
    )


def findings(a: pb.Analysis) -> d.Findings:
    """The analysis."""
    return d.Findings(
        tuple(
            d.Cause(finding(c.cause), tuple(finding(s) for s in c.symptoms), tuple(c.chain))
            for c in a.causes
        ),
        tuple(finding(f) for f in a.unexplained),
        tuple(a.checked),
    )


def remedy(r: pb.Remedy) -> d.Remedy:
    """A remedy with its preview."""
    return d.Remedy(
        r.id, r.action, r.title, r.changes, r.monthly_cost_before, r.monthly_cost_after,
        r.fixes, r.target.name,
    )  # fmt: skip


def step(s: pb.InvestigationStep) -> d.Step:
    """A step."""
    return d.Step(s.index, s.tool, s.summary, s.seconds)


def diagnose_events(e: pb.DiagnoseEvent) -> Iterable[d.DiagnoseEvent]:
    """The GUI event of one Diagnose message."""
    which = e.WhichOneof("event")
    if which == "step":
        yield step(e.step)
    elif which == "findings":
        yield findings(e.findings)
    elif which == "token":
        yield d.Token(e.token)
    elif which == "remedies":
        yield d.Remedies(tuple(remedy(r) for r in e.remedies.remedies))
    elif which == "done":
        yield d.Done(e.done.session_id, e.done.answer)


def remedy_events(e: pb.RemedyEvent) -> Iterable[d.RemedyEvent]:
    """The GUI events of one ApplyRemedy message."""
    which = e.WhichOneof("event")
    if which == "job":
        state = common_pb2.JobState.Name(e.job.state).removeprefix("JOB_STATE_").lower()
        kind = common_pb2.JobKind.Name(e.job.kind).removeprefix("JOB_KIND_").lower()
        yield d.RemedyJob(e.job.id, kind, state, e.job.error)
    elif which == "verdict":
        yield d.Verdict(e.verdict.resolved, e.verdict.text, e.verdict.session_id)
    elif which == "follow_up":
        yield from diagnose_events(e.follow_up)


def session_info(s: pb.SessionSummary) -> d.SessionInfo:
    """A session without its turns."""
    return d.SessionInfo(s.id, s.cluster_id, s.droplet_id, s.title, s.updated_at)


def session_detail(s: pb.DiagnosisSession) -> d.SessionDetail:
    """A session with its turns."""
    return d.SessionDetail(
        session_info(s.summary),
        tuple(
            d.Turn(
                t.question, t.answer, tuple(step(x) for x in t.steps),
                findings(t.analysis) if t.HasField("analysis") else None,
                tuple(remedy(r) for r in t.remedies), t.verdict,
            )
            for t in s.turns
        ),
    )  # fmt: skip


def timeline_entry(e: pb.TimelineEntry) -> d.TimelineEntry:
    """A timeline entry."""
    return d.TimelineEntry(e.time, e.kind, e.text, e.severity)


def deployment(m: deploys_pb2.Deployment) -> d.Deployment:
    """A deployment."""
    return d.Deployment(
        m.id, m.cluster_id, m.version, m.started_at, m.droplet_id, m.previous_version,
        m.rollback, m.state, m.finished_at, m.job_id,
    )  # fmt: skip
