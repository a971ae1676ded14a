"""The DEPLOY_VERSION job: roll a version out to its droplets one by one, then record it.

Every step writes the droplet's version and announces the droplet, so the simulation (on
whichever server leads) re-reads the versions before its next tick: a bad version shows in the
metrics as soon as it reaches a droplet, as a real rolling deploy's does.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from sqlalchemy.orm import Session

from clustergenie_server.db import DropletRepository
from clustergenie_server.db.deploy_repository import DeployRepository
from clustergenie_server.domain.deploys import DeployState
from clustergenie_server.domain.events import DropletChanged, Event
from clustergenie_server.domain.models import DropletStatus, Job, JobKind
from clustergenie_server.services.jobs.job_context import JobContext
from clustergenie_server.services.jobs.job_handlers import JobHandler
from clustergenie_server.services.jobs.job_steps import Step
from clustergenie_server.settings import SimulationSettings
from clustergenie_server.simulation.clock import SimClock


def job_droplets(job: Job) -> list[int]:
    """The droplets a deploy job rolls to, in order (fixed when it was queued)."""
    return [int(d) for d in job.params.get("droplets", "").split(",") if d]


class DeployVersion(JobHandler):
    """Roll job.params["version"] out to job.params["droplets"]; retryable (steps idempotent)."""

    kind = JobKind.DEPLOY_VERSION
    retryable = True

    def __init__(self, sim: SimulationSettings, clock: SimClock) -> None:
        super().__init__(sim)
        self._clock = clock

    def steps(self, job: Job) -> Sequence[Step]:
        version = job.params["version"]
        droplets = job_droplets(job)
        steps = [
            Step(
                f"Rolling {version} to droplet {droplet_id} ({i + 1}/{len(droplets)})",
                self.sim.action_seconds,
                partial(self._roll, droplet_id, i + 1),
            )
            for i, droplet_id in enumerate(droplets)
        ]
        steps.append(Step(f"Recording {version} as deployed", 0.0, self._finish))
        return steps

    async def _roll(self, droplet_id: int, done: int, ctx: JobContext) -> None:
        job = ctx.job
        deployment_id = int(job.params["deployment"])

        def change(s: Session) -> tuple[None, list[Event]]:
            droplet = DropletRepository(s).get(droplet_id)
            repo = DeployRepository(s)
            repo.progress(deployment_id, done)
            if droplet is None or droplet.status is DropletStatus.ARCHIVE:
                return None, []  # destroyed meanwhile: nothing to roll to
            repo.set_droplet_version(droplet_id, job.cluster_id, job.params["version"])
            return None, [DropletChanged(droplet)]  # the simulation re-reads versions

        await ctx.write(change)

    async def _finish(self, ctx: JobContext) -> None:
        await self._end(ctx, DeployState.SUCCEEDED)

    async def _end(self, ctx: JobContext, state: DeployState) -> None:
        deployment_id, at = int(ctx.job.params["deployment"]), self._clock.now()

        def change(s: Session) -> tuple[None, list[Event]]:
            DeployRepository(s).finish(deployment_id, state, at)
            return None, []

        await ctx.write(change)

    async def on_failed(self, ctx: JobContext, error: str) -> None:
        """The deployment stays partly rolled out, recorded as failed."""
        await self._end(ctx, DeployState.FAILED)
