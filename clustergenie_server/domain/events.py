"""Domain events: what changed, published after the change is committed."""

from __future__ import annotations

from dataclasses import dataclass

from clustergenie_server.domain.health import Alert, Transition
from clustergenie_server.domain.models import Cluster, Droplet, Job
from clustergenie_server.domain.scaling import ScalingDecision
from clustergenie_server.domain.telemetry import Fault


@dataclass(frozen=True, slots=True)
class ClusterChanged:
    """A cluster was created or its status or counts changed."""

    cluster: Cluster


@dataclass(frozen=True, slots=True)
class DropletChanged:
    """A droplet was created or changed state, size, address or lock."""

    droplet: Droplet


@dataclass(frozen=True, slots=True)
class JobChanged:
    """A job was queued, made progress, or finished."""

    job: Job


@dataclass(frozen=True, slots=True)
class FaultChanged:
    """A fault was injected, started, expired or was cleared."""

    fault: Fault


@dataclass(frozen=True, slots=True)
class ScalingDecided:
    """The auto-scaler evaluated a cluster's policy (whether or not it changed anything)."""

    decision: ScalingDecision


@dataclass(frozen=True, slots=True)
class DiagnosisFinished:
    """A diagnosis turn was stored (its root cause, or none; a follow-up's verdict)."""

    session_id: int
    cluster_id: int
    droplet_id: int
    question: str
    asked_at: float  # simulated
    root_kind: str = ""
    root_target: str = ""
    root_summary: str = ""
    verdict: str = ""


@dataclass(frozen=True, slots=True)
class HealthChanged:
    """A health target changed state, or an alert opened, was reminded of, changed or resolved."""

    check_id: int
    transition: Transition | None = None
    alert: Alert | None = None
    notice: str = ""  # with an alert: opened, reminder, updated, resolved


Event = (
    ClusterChanged
    | DropletChanged
    | JobChanged
    | FaultChanged
    | ScalingDecided
    | DiagnosisFinished
    | HealthChanged
)
