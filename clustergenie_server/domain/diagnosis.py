"""Findings, root causes and diagnoses: plain, frozen domain types."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class FindingKind(enum.StrEnum):
    """What an analyzer found; causes first, then symptoms."""

    # Causes: something that, once removed, makes the symptoms go away.
    CPU_HOG = "cpu_hog"  # a droplet burns CPU its requests do not explain (noisy neighbour)
    MEMORY_LEAK = "memory_leak"
    DISK_FILLING = "disk_filling"
    BAD_DEPLOY = "bad_deploy"  # errors that began with a deploy
    NETWORK_LATENCY = "network_latency"  # a droplet slow while not busy: latency, packet loss
    NETWORK_PARTITION = "network_partition"  # a droplet up but unreachable
    CRASH_LOOP = "crash_loop"  # a droplet that keeps going down and coming back
    TRAFFIC_SURGE = "traffic_surge"
    SCALING_AT_MAX = "scaling_at_max"  # the policy's maximum stops the scaler while saturated
    # Symptoms: what users feel, explained by a cause when one is found.
    CPU_SATURATION = "cpu_saturation"
    ERROR_RATE_SPIKE = "error_rate_spike"
    LATENCY_SLO_BREACH = "latency_slo_breach"
    UNEVEN_LOAD = "uneven_load"
    HEALTH_CHECK_FAILING = "health_check_failing"
    LOG_PATTERN = "log_pattern"

    @property
    def is_cause(self) -> bool:
        """True for kinds that can be a root cause."""
        return self in CAUSES


CAUSES = frozenset(list(FindingKind)[:9])


class Severity(enum.IntEnum):
    """How much a finding matters now."""

    INFO = 1
    WARNING = 2
    CRITICAL = 3

    @property
    def label(self) -> str:
        """The lower-case name."""
        return self.name.lower()


@dataclass(frozen=True, slots=True)
class Target:
    """What a finding is about: a cluster (droplet_id 0) or one of its droplets."""

    cluster_id: int
    droplet_id: int = 0
    name: str = ""

    @property
    def is_cluster(self) -> bool:
        """True when the target is the whole cluster."""
        return self.droplet_id == 0


@dataclass(frozen=True, slots=True)
class MetricEvidence:
    """Points of one metric series that support a finding (downsampled for display)."""

    metric: str
    target: Target
    times: tuple[float, ...]
    values: tuple[float, ...]
    baseline: float | None = None  # what it would be without the problem (peers, before)
    unit: str = ""


@dataclass(frozen=True, slots=True)
class EventEvidence:
    """Something that happened (a deploy, a job, a scaling decision, a health transition)."""

    time: float
    kind: str
    text: str


@dataclass(frozen=True, slots=True)
class LogEvidence:
    """Log lines or a pattern that support a finding."""

    pattern: str
    count: int
    examples: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing an analyzer found, with the evidence that supports it."""

    kind: FindingKind
    target: Target
    severity: Severity
    confidence: float  # 0..1
    started_at: float  # simulated Unix seconds: when it began, as far as the window shows
    summary: str
    metrics: tuple[MetricEvidence, ...] = ()
    events: tuple[EventEvidence, ...] = ()
    logs: tuple[LogEvidence, ...] = ()
    facts: tuple[tuple[str, str], ...] = ()  # named figures: ("time to exhaustion", "14 min")

    @property
    def key(self) -> tuple[str, int, int]:
        """Identity of a finding across diagnoses of the same target (kind and target)."""
        return (self.kind.value, self.target.cluster_id, self.target.droplet_id)

    def fact(self, name: str) -> str:
        """A named figure, or ""."""
        return next((v for k, v in self.facts if k == name), "")


@dataclass(frozen=True, slots=True)
class RootCause:
    """A cause with the symptoms it explains, and the chain from one to the others."""

    cause: Finding
    symptoms: tuple[Finding, ...]
    chain: tuple[str, ...]  # "deploy v2.4 at 14:02", "5xx on 3/5 droplets from 14:03", ...
    score: float


@dataclass(frozen=True, slots=True)
class Analysis:
    """The ranked outcome of one window: causes best first, findings nothing explains, and
    what was checked (so "no root cause found" says what it looked at)."""

    causes: tuple[RootCause, ...]
    unexplained: tuple[Finding, ...]
    checked: tuple[str, ...]
    window: tuple[float, float]
    findings: tuple[Finding, ...] = field(default=())

    @property
    def root(self) -> RootCause | None:
        """The most likely root cause, or None when nothing explains the window."""
        return self.causes[0] if self.causes else None


class RemedyAction(enum.StrEnum):
    """What a remedy does to the world."""

    SCALE_OUT = "scale_out"
    REBOOT = "reboot"
    REPLACE = "replace"
    RESIZE = "resize"
    ROLL_BACK = "roll_back"
    FREE_DISK = "free_disk"
    RAISE_MAX = "raise_max"
    PAUSE_CHECK = "pause_check"


@dataclass(frozen=True, slots=True)
class Remedy:
    """A concrete action that removes (or relieves) a root cause, with its preview."""

    id: str  # stable within a session: "r1", "r2", ...
    action: RemedyAction
    title: str  # "Roll back web to v1.0.0"
    target: Target
    params: tuple[tuple[str, str], ...]
    changes: str  # what will change, in words
    monthly_cost_before: float
    monthly_cost_after: float
    fixes: bool  # True when it removes the cause; False when it only relieves it (a reboot
    # resets a leak's memory, not the leak)
    cause_key: tuple[str, int, int] = ("", 0, 0)

    def param(self, name: str) -> str:
        """One parameter, or ""."""
        return next((v for k, v in self.params if k == name), "")


@dataclass(frozen=True, slots=True)
class Step:
    """One tool call of an investigation and its result, summarised."""

    index: int
    tool: str
    arguments: tuple[tuple[str, str], ...]
    summary: str
    seconds: float = 0.0


@dataclass(frozen=True, slots=True)
class Session:
    """A conversation about one target: its questions, steps, findings, answers, remedies."""

    id: int
    cluster_id: int
    droplet_id: int
    title: str
    created_at: float  # simulated
    updated_at: float
    turns: tuple[Turn, ...] = ()


@dataclass(frozen=True, slots=True)
class Turn:
    """One question and everything the investigation produced for it."""

    question: str
    asked_at: float
    window: tuple[float, float]
    steps: tuple[Step, ...]
    analysis: Analysis | None
    answer: str
    remedies: tuple[Remedy, ...]
    prompt_tokens: int = 0
    completion_tokens: int = 0
    follow_up_of: str = ""  # the remedy id whose application this turn verified
    verdict: str = ""  # "resolved", "not resolved: ..." for a follow-up


@dataclass(frozen=True, slots=True)
class StepTaken:
    """The investigation ran a tool."""

    step: Step


@dataclass(frozen=True, slots=True)
class FindingsReady:
    """The analysis: root causes and symptoms."""

    analysis: Analysis


@dataclass(frozen=True, slots=True)
class AnswerToken:
    """A piece of the explanation."""

    text: str


@dataclass(frozen=True, slots=True)
class RemediesReady:
    """The remedies proposed for the root cause."""

    remedies: tuple[Remedy, ...]


@dataclass(frozen=True, slots=True)
class DiagnosisDone:
    """The investigation ended; its turn is stored in the session."""

    session_id: int
    turn: Turn


DiagnoseEvent = StepTaken | FindingsReady | AnswerToken | RemediesReady | DiagnosisDone
