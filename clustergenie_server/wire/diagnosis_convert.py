"""Diagnosis and deploy domain types as protobuf (the server only encodes them)."""

from __future__ import annotations

from clustergenie_server.api.v1 import deploys_pb2 as dpb
from clustergenie_server.api.v1 import diagnosis_pb2 as pb
from clustergenie_server.domain.deploys import Deployment
from clustergenie_server.domain.diagnosis import (
    Analysis,
    AnswerToken,
    DiagnoseEvent,
    DiagnosisDone,
    Finding,
    FindingsReady,
    RemediesReady,
    Remedy,
    Session,
    Step,
    StepTaken,
    Target,
    Turn,
)
from clustergenie_server.domain.events import DiagnosisFinished


def target_to_proto(t: Target) -> pb.DiagnosisTarget:
    """A finding's target."""
    return pb.DiagnosisTarget(cluster_id=t.cluster_id, droplet_id=t.droplet_id, name=t.name)


def finding_to_proto(f: Finding) -> pb.Finding:
    """A finding with its evidence."""
    return pb.Finding(
        kind=f.kind.value,
        target=target_to_proto(f.target),
        severity=int(f.severity),  # type: ignore[arg-type]
        confidence=f.confidence,
        started_at=f.started_at,
        summary=f.summary,
        metrics=[
            pb.MetricEvidence(
                metric=m.metric,
                target=target_to_proto(m.target),
                times=m.times,
                values=m.values,
                has_baseline=m.baseline is not None,
                baseline=m.baseline or 0.0,
                unit=m.unit,
            )
            for m in f.metrics
        ],  # fmt: skip
        events=[pb.EventEvidence(time=e.time, kind=e.kind, text=e.text) for e in f.events],
        logs=[
            pb.LogEvidence(pattern=g.pattern, count=g.count, examples=g.examples) for g in f.logs
        ],
        facts=[pb.Fact(name=k, value=v) for k, v in f.facts],
    )


def analysis_to_proto(a: Analysis) -> pb.Analysis:
    """Root causes best first, unexplained findings, what was checked."""
    return pb.Analysis(
        causes=[
            pb.RootCause(
                cause=finding_to_proto(rc.cause),
                symptoms=[finding_to_proto(s) for s in rc.symptoms],
                chain=rc.chain,
                score=rc.score,
            )
            for rc in a.causes
        ],
        unexplained=[finding_to_proto(f) for f in a.unexplained],
        checked=a.checked,
        since=a.window[0],
        until=a.window[1],
    )


def step_to_proto(s: Step) -> pb.InvestigationStep:
    """One tool call of an investigation."""
    return pb.InvestigationStep(
        index=s.index, tool=s.tool, arguments=dict(s.arguments), summary=s.summary,
        seconds=s.seconds,
    )  # fmt: skip


def remedy_to_proto(r: Remedy) -> pb.Remedy:
    """A remedy with its preview."""
    return pb.Remedy(
        id=r.id, action=r.action.value, title=r.title, target=target_to_proto(r.target),
        params=dict(r.params), changes=r.changes, monthly_cost_before=r.monthly_cost_before,
        monthly_cost_after=r.monthly_cost_after, fixes=r.fixes,
    )  # fmt: skip


def event_to_proto(e: DiagnoseEvent) -> pb.DiagnoseEvent:
    """One event of the Diagnose stream."""
    if isinstance(e, StepTaken):
        return pb.DiagnoseEvent(step=step_to_proto(e.step))
    if isinstance(e, FindingsReady):
        return pb.DiagnoseEvent(findings=analysis_to_proto(e.analysis))
    if isinstance(e, AnswerToken):
        return pb.DiagnoseEvent(token=e.text)
    if isinstance(e, RemediesReady):
        return pb.DiagnoseEvent(
            remedies=pb.RemedyList(remedies=[remedy_to_proto(r) for r in e.remedies])
        )
    assert isinstance(e, DiagnosisDone)
    t = e.turn
    return pb.DiagnoseEvent(
        done=pb.DiagnosisDone(
            session_id=e.session_id, answer=t.answer, prompt_tokens=t.prompt_tokens,
            completion_tokens=t.completion_tokens,
        )
    )  # fmt: skip


def session_summary_to_proto(s: Session) -> pb.SessionSummary:
    """A session without its turns."""
    return pb.SessionSummary(
        id=s.id, cluster_id=s.cluster_id, droplet_id=s.droplet_id, title=s.title,
        created_at=s.created_at, updated_at=s.updated_at,
    )  # fmt: skip


def turn_to_proto(t: Turn) -> pb.DiagnosisTurn:
    """One question of a session and what it produced."""
    out = pb.DiagnosisTurn(
        question=t.question, asked_at=t.asked_at, since=t.window[0], until=t.window[1],
        steps=[step_to_proto(s) for s in t.steps], answer=t.answer,
        remedies=[remedy_to_proto(r) for r in t.remedies], verdict=t.verdict,
        follow_up_of=t.follow_up_of,
    )  # fmt: skip
    if t.analysis is not None:
        out.analysis.CopyFrom(analysis_to_proto(t.analysis))
    return out


def session_to_proto(s: Session) -> pb.DiagnosisSession:
    """A session with its turns."""
    return pb.DiagnosisSession(
        summary=session_summary_to_proto(s), turns=[turn_to_proto(t) for t in s.turns]
    )


def deployment_to_proto(d: Deployment) -> dpb.Deployment:
    """A deployment."""
    return dpb.Deployment(
        id=d.id, cluster_id=d.cluster_id, droplet_id=d.droplet_id or 0, version=d.version,
        previous_version=d.previous_version, rollback=d.rollback, state=d.state.value,
        job_id=d.job_id or 0, started_at=d.started_at, finished_at=d.finished_at or 0.0,
        droplets_done=d.droplets_done, droplets_total=d.droplets_total,
    )  # fmt: skip


def finished_to_proto(e: DiagnosisFinished) -> pb.DiagnosisFinished:
    """The bus payload of a stored diagnosis turn."""
    return pb.DiagnosisFinished(
        session_id=e.session_id, cluster_id=e.cluster_id, droplet_id=e.droplet_id,
        question=e.question, asked_at=e.asked_at, root_kind=e.root_kind,
        root_target=e.root_target, root_summary=e.root_summary, verdict=e.verdict,
    )  # fmt: skip


def finished_from_proto(m: pb.DiagnosisFinished) -> DiagnosisFinished:
    """A stored diagnosis turn, from the bus."""
    return DiagnosisFinished(
        m.session_id, m.cluster_id, m.droplet_id, m.question, m.asked_at, m.root_kind,
        m.root_target, m.root_summary, m.verdict,
    )  # fmt: skip
