"""One handler per job kind: its steps, their effects, and how it cleans up after failure."""

from __future__ import annotations

import asyncio
from abc import ABC, abstractmethod
from collections.abc import Sequence

from sqlalchemy.orm import Session

from clustergenie_server.db import ClusterRepository, DropletRepository
from clustergenie_server.domain.clock import utcnow
from clustergenie_server.domain.events import DropletChanged, Event
from clustergenie_server.domain.models import ClusterStatus, DropletStatus, Job, JobKind
from clustergenie_server.services.jobs.job_cloud import CloudError
from clustergenie_server.services.jobs.job_context import JobContext, cluster_changed
from clustergenie_server.services.jobs.job_steps import Effect, Step
from clustergenie_server.settings import SimulationSettings


class JobHandler(ABC):
    """Base handler: unlocks the droplet when the job fails or is cancelled."""

    kind: JobKind
    retryable = False  # may the engine retry automatically after a retryable CloudError?

    def __init__(self, sim: SimulationSettings) -> None:
        self.sim = sim

    @abstractmethod
    def steps(self, job: Job) -> Sequence[Step]:
        """The steps, in order; the same job always gets the same steps (jobs resume by index)."""

    async def on_failed(self, ctx: JobContext, error: str) -> None:
        """Leave the target in a state people can act on after a final failure."""
        if ctx.job.droplet_id is not None:
            await ctx.update_droplet(locked=False)

    async def on_cancelled(self, ctx: JobContext) -> None:
        """Leave the target consistent after a cancel."""
        await self.on_failed(ctx, "cancelled")


async def _wait_for_other_jobs(ctx: JobContext) -> None:
    """Wait until the jobs that were cancelled to make way for this one have finished."""
    # Polled through the database: the other jobs may be running on another server.
    while await ctx.other_active_jobs():  # noqa: ASYNC110
        await asyncio.sleep(0.2)


class ProvisionDroplet(JobHandler):
    """new → active: allocate, boot, network, health check; some attempts fail like real ones."""

    kind = JobKind.PROVISION_DROPLET
    retryable = True

    def steps(self, job: Job) -> Sequence[Step]:
        total = self.sim.provision_seconds
        region, image = job.params.get("region", ""), job.params.get("image", "")

        async def allocate(ctx: JobContext) -> None:
            plan = ctx.cloud.provision_failure(region=region, image=image)
            if plan is not None and plan.retryable:
                raise CloudError(plan.message, retryable=True)
            if plan is not None:
                # A permanent failure shows itself only when the image boots, as on a real cloud.
                ctx.scratch["boot_failure"] = plan.message

        async def boot(ctx: JobContext) -> None:
            if message := ctx.scratch.get("boot_failure"):
                raise CloudError(message, retryable=False)

        async def network(ctx: JobContext) -> None:
            assert ctx.job.droplet_id is not None
            ctx.stage_droplet(ip_address=ctx.cloud.ip_address(ctx.job.droplet_id))

        async def activate(ctx: JobContext) -> None:
            ctx.stage_droplet(status=DropletStatus.ACTIVE, locked=False)

        return (
            Step(f"Allocating capacity in {region}", total * 0.3, allocate),
            Step(f"Booting {image}", total * 0.4, boot),
            Step("Configuring the network", total * 0.2, network),
            Step("Checking the droplet is healthy", total * 0.1, activate),
        )

    async def on_failed(self, ctx: JobContext, error: str) -> None:
        await ctx.update_droplet(status=DropletStatus.ERRORED, locked=False)

    async def on_cancelled(self, ctx: JobContext) -> None:
        # A droplet cancelled before it was active is released, as a cloud does with the order.
        await ctx.update_droplet(status=DropletStatus.ARCHIVE, ip_address="", locked=False)


def _set_status(status: DropletStatus, *, unlock: bool = False) -> Effect:
    async def effect(ctx: JobContext) -> None:
        ctx.stage_droplet(status=status, locked=False if unlock else None)

    return effect


class ResizeDroplet(JobHandler):
    """Power off, resize, and power on again if the droplet was running."""

    kind = JobKind.RESIZE_DROPLET

    def steps(self, job: Job) -> Sequence[Step]:
        size = job.params["size"]
        power_on = job.params.get("power_on") == "1"

        async def resize(ctx: JobContext) -> None:
            ctx.stage_droplet(size=size, locked=None if power_on else False)

        steps = [
            Step("Shutting down", self.sim.action_seconds, _set_status(DropletStatus.OFF)),
            Step(f"Resizing to {size}", self.sim.resize_seconds, resize),
        ]
        if power_on:
            steps.append(
                Step(
                    "Booting",
                    self.sim.action_seconds,
                    _set_status(DropletStatus.ACTIVE, unlock=True),
                )
            )
        return steps


class RebootDroplet(JobHandler):
    """active → off → active."""

    kind = JobKind.REBOOT_DROPLET
    retryable = True

    def steps(self, job: Job) -> Sequence[Step]:
        half = self.sim.action_seconds / 2
        return (
            Step("Shutting down", half, _set_status(DropletStatus.OFF)),
            Step("Booting", half, _set_status(DropletStatus.ACTIVE, unlock=True)),
        )


class PowerOffDroplet(JobHandler):
    """active → off."""

    kind = JobKind.POWER_OFF_DROPLET
    retryable = True

    def steps(self, job: Job) -> Sequence[Step]:
        return (
            Step(
                "Shutting down",
                self.sim.action_seconds,
                _set_status(DropletStatus.OFF, unlock=True),
            ),
        )


class PowerOnDroplet(JobHandler):
    """off → active."""

    kind = JobKind.POWER_ON_DROPLET
    retryable = True

    def steps(self, job: Job) -> Sequence[Step]:
        return (
            Step(
                "Booting", self.sim.action_seconds, _set_status(DropletStatus.ACTIVE, unlock=True)
            ),
        )


class DestroyDroplet(JobHandler):
    """Any state → archive, after the droplet's other jobs (cancelled for it) have stopped."""

    kind = JobKind.DESTROY_DROPLET
    retryable = True

    def steps(self, job: Job) -> Sequence[Step]:
        async def destroy(ctx: JobContext) -> None:
            ctx.stage_droplet(status=DropletStatus.ARCHIVE, ip_address="", locked=False)

        return (
            Step("Stopping the droplet's other jobs", 0.0, _wait_for_other_jobs),
            Step("Destroying", self.sim.action_seconds, destroy),
        )


class DeleteCluster(JobHandler):
    """Destroy every droplet of the cluster, then the cluster."""

    kind = JobKind.DELETE_CLUSTER
    retryable = True

    def steps(self, job: Job) -> Sequence[Step]:
        cluster_id = job.cluster_id

        async def destroy_droplets(ctx: JobContext) -> None:
            def change(s: Session) -> tuple[None, list[Event]]:
                repo, now = DropletRepository(s), utcnow()
                events: list[Event] = [
                    DropletChanged(
                        repo.update(
                            d.id, now=now, status=DropletStatus.ARCHIVE, ip_address="", locked=False
                        )
                    )
                    for d in repo.list(cluster_id=cluster_id)
                ]
                return None, [*events, *cluster_changed(s, cluster_id)]

            await ctx.write(change)

        async def remove(ctx: JobContext) -> None:
            await ctx.write(lambda s: _set_cluster_status(s, cluster_id, ClusterStatus.DELETED))

        return (
            Step("Stopping the cluster's other jobs", 0.0, _wait_for_other_jobs),
            Step("Destroying droplets", self.sim.action_seconds, destroy_droplets),
            Step("Removing the cluster", 0.5, remove),
        )

    async def on_failed(self, ctx: JobContext, error: str) -> None:
        cluster_id = ctx.job.cluster_id
        await ctx.write(lambda s: _set_cluster_status(s, cluster_id, ClusterStatus.ACTIVE))


def _set_cluster_status(
    s: Session, cluster_id: int, status: ClusterStatus
) -> tuple[None, list[Event]]:
    ClusterRepository(s).set_status(cluster_id, status, utcnow())
    return None, cluster_changed(s, cluster_id)


# The handlers of the droplet and cluster kinds (SCALE_CLUSTER's is services.scaling.scale_job).
DROPLET_AND_CLUSTER_HANDLERS: Sequence[type[JobHandler]] = (
    ProvisionDroplet,
    ResizeDroplet,
    RebootDroplet,
    PowerOffDroplet,
    PowerOnDroplet,
    DestroyDroplet,
    DeleteCluster,
)
