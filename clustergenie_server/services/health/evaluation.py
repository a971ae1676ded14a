"""The judgement of one round: results per target -> verdict -> tracker -> transitions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from clustergenie_server.db.health_repository import StatusRow
from clustergenie_server.domain.health import (
    CheckDefinition,
    CheckResult,
    HealthState,
    Target,
    TargetStatus,
    Transition,
)
from clustergenie_server.services.health.quorum import Verdict, verdict
from clustergenie_server.services.health.thresholds import Tracker


@dataclass(slots=True)
class TargetTrack:
    """A tracker with what the status grid shows of its target."""

    target: Target
    tracker: Tracker
    last: CheckResult | None = None
    failing: tuple[str, ...] = ()
    dirty: bool = False

    def status(self, check_id: int) -> TargetStatus:
        """The target's status now."""
        t = self.tracker
        return TargetStatus(check_id, self.target, t.state, t.since, self.last, self.failing)

    def row(self, check_id: int) -> StatusRow:
        """The stored form."""
        t = self.tracker
        return (
            check_id, self.target.key, self.target.cluster_id, t.state, t.since,
            t.fails, t.slows, t.bad, t.passes, self.failing,
        )  # fmt: skip


def observe(
    check: CheckDefinition, track: TargetTrack, results: Sequence[CheckResult], at: float
) -> tuple[Verdict, Transition | None]:
    """Count one round of a target (one result per location)."""
    v = verdict(results, check.quorum)
    track.last = next((r for r in results if r.outcome is v.outcome), results[0])
    track.failing = v.failing
    track.dirty = True
    before = track.tracker.state
    after = track.tracker.observe(v.outcome, at)
    if after is None:
        return v, None
    reason = v.reason or ("all locations pass" if after is HealthState.HEALTHY else "")
    return v, Transition(
        check_id=check.id,
        target=track.target.key,
        cluster_id=track.target.cluster_id,
        from_state=before,
        to_state=after,
        at=at,
        reason=reason,
        locations_failing=v.failing,
    )
