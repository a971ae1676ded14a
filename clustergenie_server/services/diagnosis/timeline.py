"""The timeline: everything that happened to a cluster, in time order (simulated seconds)."""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from clustergenie_server.domain.diagnosis import Analysis, Finding
from clustergenie_server.domain.models import Job, JobKind
from clustergenie_server.services.diagnosis.window import TelemetryWindow


class EntryKind(enum.StrEnum):
    """What a timeline entry is."""

    PROVISIONING = "provisioning"
    SCALING = "scaling"
    JOB = "job"
    DEPLOY = "deploy"
    HEALTH = "health"
    LOG_PATTERN = "log_pattern"
    FINDING = "finding"


@dataclass(frozen=True, slots=True)
class Entry:
    """One thing that happened."""

    time: float
    kind: EntryKind
    text: str
    droplet_id: int = 0
    severity: str = ""


_PROVISIONING = {JobKind.PROVISION_DROPLET, JobKind.DESTROY_DROPLET, JobKind.DELETE_CLUSTER}


def job_entries(jobs: Iterable[Job], to_sim: Callable[[float], float]) -> list[Entry]:
    """Jobs (their times are wall clock; `to_sim` maps a wall time to simulated time)."""
    out = []
    for j in jobs:
        if j.created_at is None:
            continue
        kind = EntryKind.PROVISIONING if j.kind in _PROVISIONING else EntryKind.JOB
        what = j.kind.value.replace("_", " ")
        out.append(
            Entry(to_sim(j.created_at.timestamp()), kind,
                  f"{what} {j.target_name}: {j.state.value}", j.droplet_id or 0)
        )  # fmt: skip
    return out


def finding_entries(findings: Iterable[Finding]) -> list[Entry]:
    """Findings, at the time each began."""
    return [
        Entry(f.started_at, EntryKind.FINDING, f.summary, f.target.droplet_id, f.severity.label)
        for f in findings
    ]


def window_entries(
    w: TelemetryWindow, to_sim: Callable[[float], float] = lambda t: t
) -> list[Entry]:
    """Deploys, scaling changes, jobs, health transitions and new log patterns of a window."""
    out = [
        Entry(d.started_at, EntryKind.DEPLOY,
              f"{'rollback' if d.rollback else 'deploy'} {d.previous_version} → {d.version} "
              f"({d.state.value}, {d.droplets_done}/{d.droplets_total} droplets)",
              d.droplet_id or 0)
        for d in w.deploys
    ]  # fmt: skip
    out += [
        Entry(d.time.timestamp(), EntryKind.SCALING, d.reason or d.action.value)
        for d in w.decisions
        if d.action.value != "none"
    ]
    out += job_entries((j for j in w.jobs if j.kind is not JobKind.DEPLOY_VERSION), to_sim)
    out += [
        Entry(t.time, EntryKind.HEALTH,
              f"check {t.check} → {'healthy' if t.healthy else 'unhealthy'}", t.droplet_id)
        for t in w.health.transitions
    ]  # fmt: skip
    out += [
        Entry(p.first_seen, EntryKind.LOG_PATTERN, f"new log pattern “{p.pattern}” ×{p.count}")
        for p in w.logs.new_patterns
    ]
    return out


def ordered(
    entries: Iterable[Entry], since: float, until: float, kinds: Sequence[str] = ()
) -> list[Entry]:
    """Entries in [since, until), of the given kinds (all when empty), oldest first."""
    wanted = set(kinds)
    return sorted(
        (e for e in entries if since <= e.time < until and (not wanted or e.kind.value in wanted)),
        key=lambda e: e.time,
    )


def window_timeline(w: TelemetryWindow, a: Analysis) -> list[tuple[float, str]]:
    """(time, text) of the window's events and findings, for the model's "what changed?"."""
    entries = ordered([*window_entries(w), *finding_entries(a.findings)], w.since, w.until + 1)
    return [(e.time, f"{e.kind.value}: {e.text}") for e in entries]
