"""What diagnosis reads of Health (#14) and Logs (#15): narrow Protocols, null until wired.

The lead plugs the real services in with adapters that satisfy HealthReader and LogReader
(see diagnosis_app.build_diagnosis); until then the null readers report "nothing seen", and
the health and log analyzers find nothing rather than guessing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from clustergenie_server.domain.errors import FailedPrecondition


@dataclass(frozen=True, slots=True)
class CheckResult:
    """One health check result of a target."""

    check: str  # the check's name, e.g. "web-http"
    time: float  # simulated Unix seconds
    healthy: bool
    detail: str = ""  # "connection refused", "HTTP 503", "timeout after 2 s"
    droplet_id: int = 0  # 0: the check's target is the cluster


@dataclass(frozen=True, slots=True)
class CheckTransition:
    """A check that changed state (healthy -> unhealthy or back)."""

    check: str
    time: float
    healthy: bool  # the state it entered
    reason: str = ""
    droplet_id: int = 0


@dataclass(frozen=True, slots=True)
class LogLine:
    """One log line."""

    time: float
    droplet_id: int
    level: str
    text: str


@dataclass(frozen=True, slots=True)
class PatternCount:
    """A log pattern (template) and how often it appeared in the window."""

    pattern: str
    count: int
    baseline_count: int = 0  # in as long a time before the window
    first_seen: float = 0.0
    droplet_ids: tuple[int, ...] = ()
    examples: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class HealthView:
    """What the health service showed of a cluster in a window."""

    results: tuple[CheckResult, ...] = ()
    transitions: tuple[CheckTransition, ...] = ()


@dataclass(frozen=True, slots=True)
class LogView:
    """What the log service showed of a cluster in a window."""

    patterns: tuple[PatternCount, ...] = ()
    new_patterns: tuple[PatternCount, ...] = ()
    lines: tuple[LogLine, ...] = ()


class HealthReader(Protocol):
    """Recent health of a target: its checks' results and transitions in a window."""

    async def results(
        self, cluster_id: int, droplet_id: int, since: float, until: float
    ) -> Sequence[CheckResult]: ...

    async def transitions(
        self, cluster_id: int, droplet_id: int, since: float, until: float
    ) -> Sequence[CheckTransition]: ...


class LogReader(Protocol):
    """Recent logs of a target: matching lines, pattern counts, patterns new in the window."""

    async def lines(
        self, cluster_id: int, droplet_id: int, since: float, until: float, query: str, limit: int
    ) -> Sequence[LogLine]: ...

    async def pattern_counts(
        self, cluster_id: int, droplet_id: int, since: float, until: float
    ) -> Sequence[PatternCount]: ...

    async def new_patterns(
        self, cluster_id: int, droplet_id: int, since: float, until: float
    ) -> Sequence[PatternCount]: ...


class NullHealthReader:
    """No health service yet: no checks, so nothing failing."""

    async def results(
        self, cluster_id: int, droplet_id: int, since: float, until: float
    ) -> Sequence[CheckResult]:
        """No results."""
        return ()

    async def transitions(
        self, cluster_id: int, droplet_id: int, since: float, until: float
    ) -> Sequence[CheckTransition]:
        """No transitions."""
        return ()


class NullLogReader:
    """No log service yet: no lines and no patterns."""

    async def lines(
        self, cluster_id: int, droplet_id: int, since: float, until: float, query: str, limit: int
    ) -> Sequence[LogLine]:
        """No lines."""
        return ()

    async def pattern_counts(
        self, cluster_id: int, droplet_id: int, since: float, until: float
    ) -> Sequence[PatternCount]:
        """No patterns."""
        return ()

    async def new_patterns(
        self, cluster_id: int, droplet_id: int, since: float, until: float
    ) -> Sequence[PatternCount]:
        """No new patterns."""
        return ()


class HealthControl(Protocol):
    """What a remedy may ask of Health: pause a check while its cause is fixed."""

    async def pause_check(self, cluster_id: int, check: str) -> None: ...


class NullHealthControl:
    """No health service yet: pausing a check is refused with what to do."""

    async def pause_check(self, cluster_id: int, check: str) -> None:
        """Refuse: there is no check to pause."""
        raise FailedPrecondition(
            f"cannot pause check {check}: no health service is connected to diagnosis"
        )
