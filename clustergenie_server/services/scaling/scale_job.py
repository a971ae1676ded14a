"""The SCALE_CLUSTER job: provision droplets, or drain and destroy the surplus.

Every step re-reads the cluster and works towards the target, so a job resumed at any step
(after a restart) neither adds nor removes a droplet twice.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from functools import partial
from typing import Protocol

from sqlalchemy.orm import Session

from clustergenie_server.db import DropletRepository
from clustergenie_server.db.scaling_repository import ScalingRepository
from clustergenie_server.domain.clock import utcnow
from clustergenie_server.domain.errors import FailedPrecondition
from clustergenie_server.domain.events import DropletChanged, Event
from clustergenie_server.domain.models import Droplet, DropletStatus, Job, JobKind
from clustergenie_server.services.jobs.job_context import JobContext
from clustergenie_server.services.jobs.job_handlers import JobHandler
from clustergenie_server.services.jobs.job_steps import Step
from clustergenie_server.services.scaling.scaling_service import counted
from clustergenie_server.services.shared import validation
from clustergenie_server.settings import ScalingSettings, SimulationSettings

POLL_SECONDS = 0.1  # wall clock; the droplets' own jobs may run on another server


class DropletActions(Protocol):
    """What the scale job asks of provisioning (ProvisioningService provides it)."""

    async def add_droplets(self, *, cluster_id: int, count: int, size: str = "") -> object: ...

    async def destroy_droplet(self, droplet_id: int, *, retry_of: int | None = None) -> object: ...


def surplus(droplets: Sequence[Droplet], target: int) -> list[Droplet]:
    """Which droplets to remove: not-yet-active ones first, then the newest active ones.

    The kept droplets are the oldest active ones, so a scale-down never removes the last
    healthy droplet while any is left (target is at least 1).
    """
    order = sorted(droplets, key=lambda d: (d.status is DropletStatus.ACTIVE, -d.id))
    return order[: max(0, len(droplets) - target)]


def _state(s: Session, cluster_id: int) -> tuple[list[Droplet], set[int]]:
    return DropletRepository(s).list(cluster_id=cluster_id), ScalingRepository(s).draining(
        cluster_id
    )


class ScaleCluster(JobHandler):
    """Reach job.params["target"] droplets (new or active, not draining)."""

    kind = JobKind.SCALE_CLUSTER
    retryable = True

    def __init__(
        self, sim: SimulationSettings, scaling: ScalingSettings, droplets: DropletActions
    ) -> None:
        super().__init__(sim)
        self._scaling, self._droplets = scaling, droplets

    def steps(self, job: Job) -> Sequence[Step]:
        target, cluster_id = int(job.params["target"]), job.cluster_id
        return (
            Step(f"Adding droplets to reach {target}", 0.0, partial(self._add, cluster_id, target)),
            Step(
                "Waiting for new droplets to become active", 0.0, partial(_wait_active, cluster_id)
            ),
            Step("Choosing droplets to drain", 0.0, partial(_drain, cluster_id, target)),
            Step("Draining (no new traffic)", self._scaling.drain_seconds),
            Step(
                f"Destroying drained droplets to reach {target}",
                0.0,
                partial(self._destroy, cluster_id),
            ),
        )

    async def _add(self, cluster_id: int, target: int, ctx: JobContext) -> None:
        droplets, draining = await ctx.db.run(lambda s: _state(s, cluster_id))
        missing = target - len(counted(droplets, draining))
        while missing > 0:
            chunk = min(missing, validation.MAX_DROPLETS_PER_REQUEST)
            await self._droplets.add_droplets(cluster_id=cluster_id, count=chunk)
            missing -= chunk

    async def _destroy(self, cluster_id: int, ctx: JobContext) -> None:
        droplets, draining = await ctx.db.run(lambda s: _state(s, cluster_id))
        victims = {
            d.id for d in droplets if d.id in draining and d.status is not DropletStatus.ARCHIVE
        }
        for droplet_id in sorted(victims):
            # A resumed job finds some being destroyed already: it waits for them below.
            with contextlib.suppress(FailedPrecondition):
                await self._droplets.destroy_droplet(droplet_id)
        while True:  # noqa: ASYNC110 - polled: destroy jobs may run on any server
            droplets, _ = await ctx.db.run(lambda s: _state(s, cluster_id))
            if all(d.status is DropletStatus.ARCHIVE for d in droplets if d.id in victims):
                break
            await asyncio.sleep(POLL_SECONDS)
        await ctx.db.run(lambda s: ScalingRepository(s).undrain(list(draining)))

    async def on_failed(self, ctx: JobContext, error: str) -> None:
        """Droplets still draining serve again: the scale-down did not happen."""
        cluster_id = ctx.job.cluster_id

        def change(s: Session) -> None:
            repo = ScalingRepository(s)
            repo.undrain(list(repo.draining(cluster_id)))

        await ctx.db.run(change)


async def _wait_active(cluster_id: int, ctx: JobContext) -> None:
    while True:  # noqa: ASYNC110 - polled: provision jobs may run on any server
        droplets, _ = await ctx.db.run(lambda s: _state(s, cluster_id))
        if not any(d.status is DropletStatus.NEW for d in droplets):
            return
        await asyncio.sleep(POLL_SECONDS)


async def _drain(cluster_id: int, target: int, ctx: JobContext) -> None:
    def change(s: Session) -> tuple[None, list[Event]]:
        droplets, draining = _state(s, cluster_id)
        repo, now = ScalingRepository(s), utcnow()
        victims = surplus(counted(droplets, draining), target)
        for d in victims:
            repo.drain(d.id, cluster_id, now)
        # Announced so the simulation stops routing to them now, not at its next refresh.
        return None, [DropletChanged(d) for d in victims]

    await ctx.write(change)
