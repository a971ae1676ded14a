"""Health checks: definitions, results, states, transitions, alerts and maintenance windows."""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass, field


class CheckKind(enum.StrEnum):
    """How a target is probed."""

    HTTP = "http"
    TCP = "tcp"
    PING = "ping"
    GRPC = "grpc"  # grpc.health.v1 Check


class TargetKind(enum.StrEnum):
    """What a check probes; the first three are simulated, ADDRESS really connects."""

    DROPLET = "droplet"
    CLUSTER = "cluster"  # every droplet of the cluster: one definition fans out
    LOAD_BALANCER = "load_balancer"  # the cluster's balancer: answers while a droplet serves
    ADDRESS = "address"  # a real host:port or URL


class HealthState(enum.StrEnum):
    """Where a target stands after its thresholds."""

    UNKNOWN = "unknown"
    HEALTHY = "healthy"
    DEGRADED = "degraded"  # answers, but a latency condition fails
    UNHEALTHY = "unhealthy"


class Outcome(enum.StrEnum):
    """What one probe says before thresholds: the conditions passed, only latency ones failed,
    or something else failed."""

    PASS = "pass"
    SLOW = "slow"
    FAIL = "fail"


class AutoHeal(enum.StrEnum):
    """What an unhealthy droplet gets when its check opts in."""

    NONE = "none"
    REBOOT = "reboot"
    REPLACE = "replace"


class Recurrence(enum.StrEnum):
    """How a maintenance window repeats."""

    ONCE = "once"
    DAILY = "daily"
    WEEKLY = "weekly"


class ChannelKind(enum.StrEnum):
    """Where alerts go."""

    DESKTOP = "desktop"  # the desktop app's status bar and a system notification
    WEBHOOK = "webhook"  # an HTTP POST with a JSON body


@dataclass(frozen=True, slots=True)
class HttpSpec:
    """The request an HTTP check sends (path joins a droplet's address or the URL)."""

    method: str = "GET"
    path: str = "/"
    headers: tuple[tuple[str, str], ...] = ()
    body: str = ""
    status_min: int = 200
    status_max: int = 399
    follow_redirects: bool = True
    tls_insecure: bool = False  # do not verify the certificate (its expiry is still read)


DEFAULT_LOCATIONS = ("nyc1",)


@dataclass(frozen=True, slots=True)
class CheckDefinition:
    """A check as defined by an admin; id 0 before it is stored."""

    id: int
    name: str
    kind: CheckKind
    target_kind: TargetKind
    target_id: int = 0  # droplet or cluster id
    address: str = ""  # host:port (TCP, gRPC), host (ping) or URL (HTTP)
    port: int = 80  # the port probed on a simulated droplet
    http: HttpSpec = field(default_factory=HttpSpec)
    interval_seconds: float = 10.0
    timeout_seconds: float = 5.0
    conditions: str = ""
    failure_threshold: int = 3
    success_threshold: int = 1
    locations: tuple[str, ...] = DEFAULT_LOCATIONS
    quorum: int = 1  # locations that must agree a target fails
    paused: bool = False
    auto_heal: AutoHeal = AutoHeal.NONE
    auto_heal_after: int = 5  # consecutive unhealthy results before a heal
    created_at: float = 0.0
    updated_at: float = 0.0

    @property
    def simulated(self) -> bool:
        """True when the target is in the simulated cloud."""
        return self.target_kind is not TargetKind.ADDRESS


@dataclass(frozen=True, slots=True)
class Target:
    """One thing a check probes: 'droplet:12', 'lb:3' or 'address'; cluster for roll-ups."""

    key: str
    cluster_id: int = 0
    droplet_id: int = 0
    label: str = ""


@dataclass(frozen=True, slots=True)
class Phases:
    """Milliseconds per phase of an HTTP probe (as blackbox_exporter reports them)."""

    connect_ms: float = 0.0
    tls_ms: float = 0.0
    first_byte_ms: float = 0.0  # request sent to first byte of the answer
    transfer_ms: float = 0.0


@dataclass(frozen=True, slots=True)
class CheckResult:
    """One probe of one target from one location, judged by the conditions."""

    check_id: int
    target: str
    location: str
    at: float  # Unix seconds (wall clock)
    outcome: Outcome
    latency_ms: float
    connected: bool
    status_code: int = 0
    error: str = ""
    failed_condition: str = ""  # the clause that failed, as written
    reason: str = ""  # why: "[STATUS] was 503, wanted == 200"
    phases: Phases = field(default_factory=Phases)
    cert_expiry_at: float | None = None  # Unix seconds
    scheduled_at: float = 0.0  # when it was due: at - scheduled_at is the drift
    id: int = 0


@dataclass(frozen=True, slots=True)
class Transition:
    """A target changed state after its thresholds."""

    check_id: int
    target: str
    cluster_id: int
    from_state: HealthState
    to_state: HealthState
    at: float
    reason: str
    locations_failing: tuple[str, ...] = ()
    id: int = 0


@dataclass(frozen=True, slots=True)
class TargetStatus:
    """A target's current state and its last result."""

    check_id: int
    target: Target
    state: HealthState
    since: float
    last: CheckResult | None
    failing_locations: tuple[str, ...] = ()  # seen failing, quorum or not


@dataclass(frozen=True, slots=True)
class MaintenanceWindow:
    """Alerts are silenced and uptime is not counted while a window is open."""

    id: int
    cluster_id: int  # 0: every cluster and address
    start: float
    duration_seconds: float
    recurrence: Recurrence = Recurrence.ONCE
    description: str = ""

    def spans(self, since: float, until: float) -> list[tuple[float, float]]:
        """The occurrences of this window that overlap [since, until), clipped to it."""
        period = {Recurrence.ONCE: 0.0, Recurrence.DAILY: 86400.0, Recurrence.WEEKLY: 604800.0}[
            self.recurrence
        ]
        starts = [self.start]
        if period:
            # The first occurrence that can still be open at `since`, then one per period.
            k = max(0, math.floor((since - self.start - self.duration_seconds) / period))
            s, starts = self.start + k * period, []
            while s < until:
                starts.append(s)
                s += period
        out = []
        for s in starts:
            lo, hi = max(s, since), min(s + self.duration_seconds, until)
            if lo < hi:
                out.append((lo, hi))
        return out

    def covers(self, t: float) -> bool:
        """True when t falls inside an occurrence."""
        return bool(self.spans(t, t + 1e-6))


@dataclass(frozen=True, slots=True)
class Alert:
    """An open (or resolved) alert: a cluster alert lists its failing droplets as members."""

    id: int
    check_id: int
    cluster_id: int
    subject: str  # "cluster web (3 of 3 droplets)" or a target key
    members: tuple[str, ...]
    opened_at: float
    resolved_at: float | None = None
    last_notified_at: float = 0.0


@dataclass(frozen=True, slots=True)
class Channel:
    """A notification channel."""

    id: int
    name: str
    kind: ChannelKind
    url: str = ""
    reminder_seconds: float = 0.0  # 0: no reminders


@dataclass(frozen=True, slots=True)
class Delivery:
    """One notification of one alert through one channel, with its attempts."""

    id: int
    channel_id: int
    alert_id: int
    event: str  # "opened", "reminder", "resolved"
    attempts: int
    delivered: bool
    error: str
    at: float


@dataclass(frozen=True, slots=True)
class UptimeFigures:
    """Uptime and latency over one window, maintenance excluded."""

    window_seconds: float
    uptime_percent: float | None  # None: no results counted in the window
    counted_seconds: float
    latency_p50_ms: float
    latency_p95_ms: float
    results: int
