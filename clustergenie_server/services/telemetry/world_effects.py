"""What operators' actions do to the simulated world's faults (the simulation's side).

A reboot kills a runaway process (it ends a CPU hog, and the engine restarts the droplet's
memory clean, but a leak in the software grows again); freeing disk stops the runaway writer;
a replaced droplet's faults end with it (the runner clears faults of destroyed droplets); a
rollback replaces a bad version (deploys). Diagnosis never reads any of this: it sees metrics.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from clustergenie_server.db import DropletRepository
from clustergenie_server.db.fault_repository import FaultRepository
from clustergenie_server.domain.events import DropletChanged, Event, FaultChanged
from clustergenie_server.domain.models import DropletStatus, Job, JobKind
from clustergenie_server.domain.telemetry import FaultKind, FaultState
from clustergenie_server.services.jobs.job_context import JobContext
from clustergenie_server.services.jobs.job_handlers import JobHandler, RebootDroplet
from clustergenie_server.services.jobs.job_steps import Effect, Step
from clustergenie_server.settings import SimulationSettings
from clustergenie_server.simulation.clock import SimClock, as_datetime


def end_faults(s: Session, droplet_id: int, kinds: frozenset[FaultKind], now: float) -> list[Event]:
    """Clear the droplet's live faults of these kinds; their events."""
    repo = FaultRepository(s)
    events: list[Event] = []
    for fault in repo.list(include_ended=False, limit=10_000):
        if fault.droplet_id == droplet_id and fault.kind in kinds:
            cleared = repo.set_state(fault.id, FaultState.CLEARED, as_datetime(now))
            events.append(FaultChanged(cleared))
    return events


def _ending(kinds: frozenset[FaultKind], clock: SimClock) -> Effect:
    async def effect(ctx: JobContext) -> None:
        droplet_id = ctx.job.droplet_id
        if droplet_id is None:
            return
        now = clock.now()
        await ctx.write(lambda s: (None, end_faults(s, droplet_id, kinds, now)))

    return effect


class RebootEndsRunaways(RebootDroplet):
    """A reboot, which also kills a runaway process (a CPU hog) on the droplet."""

    def __init__(self, sim: SimulationSettings, clock: SimClock) -> None:
        super().__init__(sim)
        self._end = _ending(frozenset({FaultKind.CPU_HOG}), clock)

    def steps(self, job: Job) -> Sequence[Step]:
        off, on = super().steps(job)

        async def shut_down(ctx: JobContext) -> None:
            if off.effect is not None:
                await off.effect(ctx)
            await self._end(ctx)

        return (Step(off.title, off.seconds, shut_down), on)


class FreeDisk(JobHandler):
    """Stop the runaway writer and delete old logs: the disk stops filling and is reclaimed."""

    kind = JobKind.FREE_DISK
    retryable = True

    def __init__(self, sim: SimulationSettings, clock: SimClock) -> None:
        super().__init__(sim)
        self._end = _ending(frozenset({FaultKind.DISK_FILL}), clock)

    def steps(self, job: Job) -> Sequence[Step]:
        async def announce(ctx: JobContext) -> None:
            droplet_id = ctx.job.droplet_id
            if droplet_id is None:
                return

            def change(s: Session) -> tuple[None, list[Event]]:
                droplet = DropletRepository(s).get(droplet_id)
                if droplet is None or droplet.status is not DropletStatus.ACTIVE:
                    return None, []
                return None, [DropletChanged(droplet)]

            await ctx.write(change)

        return (
            Step("Stopping the runaway log writer", self.sim.action_seconds / 2, self._end),
            Step("Deleting old logs", self.sim.action_seconds / 2, announce),
        )
