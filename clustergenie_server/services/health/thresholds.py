"""The state machine of one target: a transition only after N consecutive verdicts.

As Kubernetes probes do: `failure_threshold` consecutive failures make a target unhealthy,
`success_threshold` consecutive successes make it healthy again. A slow verdict (only latency
conditions failed, the target answered) counts toward `degraded` with the failure threshold.
"""

from __future__ import annotations

from dataclasses import dataclass

from clustergenie_server.domain.health import HealthState, Outcome


@dataclass(slots=True)
class Tracker:
    """Streaks and state of one (check, target)."""

    failure_threshold: int
    success_threshold: int
    state: HealthState = HealthState.UNKNOWN
    since: float = 0.0
    fails: int = 0  # consecutive FAIL verdicts
    slows: int = 0  # consecutive SLOW verdicts
    bad: int = 0  # consecutive FAIL or SLOW verdicts
    passes: int = 0

    def observe(self, outcome: Outcome, at: float) -> HealthState | None:
        """Count a verdict; the new state when it changed, else None."""
        if outcome is Outcome.PASS:
            self.passes, self.fails, self.slows, self.bad = self.passes + 1, 0, 0, 0
        elif outcome is Outcome.FAIL:
            self.passes, self.slows = 0, 0
            self.fails, self.bad = self.fails + 1, self.bad + 1
        else:
            self.passes, self.fails = 0, 0
            self.slows, self.bad = self.slows + 1, self.bad + 1
        new = self._wanted()
        if new is None or new is self.state:
            return None
        self.state, self.since = new, at
        return new

    def _wanted(self) -> HealthState | None:
        if self.passes >= self.success_threshold:
            return HealthState.HEALTHY
        if self.fails >= self.failure_threshold:
            return HealthState.UNHEALTHY
        if self.slows and self.state is HealthState.UNHEALTHY:
            # Better than unhealthy: needs as many answers in a row as a recovery does.
            return HealthState.DEGRADED if self.slows >= self.success_threshold else None
        if self.slows and self.bad >= self.failure_threshold:
            return HealthState.DEGRADED
        return None
