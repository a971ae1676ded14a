"""Plain types of diagnosis as the GUI sees them (no protobuf)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Step:
    """One tool call of an investigation."""

    index: int
    tool: str
    summary: str
    seconds: float


@dataclass(frozen=True, slots=True)
class MetricPoints:
    """A metric's points that prove a finding."""

    metric: str
    target: str
    times: tuple[float, ...]
    values: tuple[float, ...]
    baseline: float | None
    unit: str


@dataclass(frozen=True, slots=True)
class Finding:
    """One finding with its evidence."""

    kind: str
    target: str
    droplet_id: int
    severity: str  # info, warning, critical
    confidence: float
    started_at: float
    summary: str
    facts: tuple[tuple[str, str], ...] = ()
    metrics: tuple[MetricPoints, ...] = ()
    events: tuple[str, ...] = ()
    logs: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Cause:
    """A root cause and the symptoms it explains."""

    cause: Finding
    symptoms: tuple[Finding, ...]
    chain: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Findings:
    """The analysis: causes best first, what nothing explains, what was checked."""

    causes: tuple[Cause, ...]
    unexplained: tuple[Finding, ...]
    checked: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Remedy:
    """A remedy with its preview."""

    id: str
    action: str
    title: str
    changes: str
    cost_before: float
    cost_after: float
    fixes: bool
    target: str = ""

    @property
    def cost_text(self) -> str:
        """The monthly cost change, for people."""
        delta = self.cost_after - self.cost_before
        if abs(delta) < 0.005:
            return f"no cost change (${self.cost_after:.2f}/month)"
        sign = "+" if delta > 0 else "−"
        return f"{sign}${abs(delta):.2f}/month (${self.cost_before:.2f} → ${self.cost_after:.2f})"


@dataclass(frozen=True, slots=True)
class Done:
    """The investigation ended."""

    session_id: int
    answer: str


@dataclass(frozen=True, slots=True)
class Token:
    """A piece of the answer."""

    text: str


@dataclass(frozen=True, slots=True)
class Remedies:
    """The remedies of the root cause."""

    remedies: tuple[Remedy, ...]


DiagnoseEvent = Step | Findings | Token | Remedies | Done


@dataclass(frozen=True, slots=True)
class RemedyJob:
    """A job a remedy ran, once it ended."""

    job_id: int
    kind: str
    state: str
    error: str = ""


@dataclass(frozen=True, slots=True)
class Verdict:
    """Whether the cause is gone after the remedy."""

    resolved: bool
    text: str
    session_id: int


RemedyEvent = RemedyJob | DiagnoseEvent | Verdict


@dataclass(frozen=True, slots=True)
class SessionInfo:
    """A stored session."""

    id: int
    cluster_id: int
    droplet_id: int
    title: str
    updated_at: float


@dataclass(frozen=True, slots=True)
class Turn:
    """A stored question and what it produced."""

    question: str
    answer: str
    steps: tuple[Step, ...]
    findings: Findings | None
    remedies: tuple[Remedy, ...]
    verdict: str = ""


@dataclass(frozen=True, slots=True)
class SessionDetail:
    """A stored session with its turns."""

    info: SessionInfo
    turns: tuple[Turn, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One thing that happened to a cluster."""

    time: float
    kind: str
    text: str
    severity: str = ""


@dataclass(frozen=True, slots=True)
class Deployment:
    """One rollout of a version to a cluster (DeployService); times in simulated seconds."""

    id: int
    cluster_id: int
    version: str
    started_at: float
    droplet_id: int = 0  # 0: the whole cluster
    previous_version: str = ""
    rollback: bool = False
    state: str = ""  # rolling, succeeded, failed
    finished_at: float = 0.0  # 0 while rolling
    job_id: int = 0
