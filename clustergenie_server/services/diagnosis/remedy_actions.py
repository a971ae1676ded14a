"""Applying a remedy: the job (or jobs) that change the world, through the owning services."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace

from sqlalchemy.orm import Session

from clustergenie_server.bus.outbox import Outbox
from clustergenie_server.db import Database, DropletRepository, JobRepository
from clustergenie_server.domain.diagnosis import Remedy, RemedyAction
from clustergenie_server.domain.errors import FailedPrecondition, NotFound
from clustergenie_server.domain.events import Event, JobChanged
from clustergenie_server.domain.models import Job, JobKind
from clustergenie_server.services.deploys.deploy_service import DeployService
from clustergenie_server.services.diagnosis.sources import HealthControl
from clustergenie_server.services.jobs.job_engine import JobEngine
from clustergenie_server.services.provisioning.provisioning_service import ProvisioningService
from clustergenie_server.services.scaling.scaling_service import ScalingService

POLL_SECONDS = 0.1  # wall clock: the job may run on another server


class RemedyActions:
    """Runs remedies as jobs."""

    def __init__(
        self,
        db: Database,
        outbox: Outbox,
        engine: JobEngine,
        provisioning: ProvisioningService,
        scaling: ScalingService,
        deploys: DeployService,
        health: HealthControl,
    ) -> None:
        self._db, self._outbox, self._engine = db, outbox, engine
        self._provisioning, self._scaling, self._deploys = provisioning, scaling, deploys
        self._health = health

    async def apply(self, r: Remedy) -> AsyncIterator[Job]:
        """Start the remedy; yields each job it runs once that job is final."""
        t = r.target
        match r.action:
            case RemedyAction.REBOOT:
                yield await self.wait((await self._provisioning.reboot_droplet(t.droplet_id)).job)
            case RemedyAction.RESIZE:
                action = await self._provisioning.resize_droplet(t.droplet_id, r.param("size"))
                yield await self.wait(action.job)
            case RemedyAction.REPLACE:
                async for job in self._replace(r):
                    yield job
            case RemedyAction.ROLL_BACK:
                _, job = await self._deploys.rollback(t.cluster_id)
                yield await self.wait(job)
            case RemedyAction.FREE_DISK:
                yield await self.wait(await self._free_disk(t.cluster_id, t.droplet_id, t.name))
            case RemedyAction.SCALE_OUT:
                count = int(r.param("count"))
                yield await self.wait(
                    await self._scaling.scale_cluster(t.cluster_id, count, origin="diagnosis")
                )
            case RemedyAction.RAISE_MAX:
                policy = await self._scaling.get_policy(t.cluster_id)
                top = int(r.param("max"))
                await self._scaling.set_policy(replace(policy, max_droplets=top))
                yield await self.wait(
                    await self._scaling.scale_cluster(t.cluster_id, top, origin="diagnosis")
                )
            case RemedyAction.PAUSE_CHECK:
                await self._health.pause_check(t.cluster_id, r.param("check"))

    async def _replace(self, r: Remedy) -> AsyncIterator[Job]:
        t = r.target
        old = await self._db.read(lambda s: DropletRepository(s).get(t.droplet_id))
        if old is None:
            raise NotFound(f"droplet {t.name} no longer exists; diagnose again")
        added = await self._provisioning.add_droplets(
            cluster_id=t.cluster_id, count=1, size=old.size
        )
        for job in added.jobs:
            done = await self.wait(job)
            yield done
            if done.state.value != "succeeded":
                return
        yield await self.wait((await self._provisioning.destroy_droplet(t.droplet_id)).job)

    async def retry_free_disk(self, job: Job) -> Job:
        """RetryJob of a FREE_DISK job: the same job again on the same droplet."""
        if job.droplet_id is None:
            raise FailedPrecondition(f"job {job.id} has no droplet to free disk on")
        return await self._free_disk(job.cluster_id, job.droplet_id, job.target_name)

    async def _free_disk(self, cluster_id: int, droplet_id: int, name: str) -> Job:
        def change(s: Session) -> tuple[Job, list[Event]]:
            if JobRepository(s).active_for_droplet(droplet_id) is not None:
                raise FailedPrecondition(f"{name} is busy with another job; wait for it")
            job = self._engine.new_job(
                s, kind=JobKind.FREE_DISK, cluster_id=cluster_id, droplet_id=droplet_id,
                target_name=name,
            )  # fmt: skip
            return job, [JobChanged(job)]

        job = await self._outbox.commit(change)
        await self._engine.submitted([job])
        return job

    async def wait(self, job: Job) -> Job:
        """The job once it is final."""
        job_id = job.id
        while not job.state.is_final:  # noqa: ASYNC110 - polled: it may run on any server
            await asyncio.sleep(POLL_SECONDS)
            latest = await self._db.read(lambda s: JobRepository(s).get(job_id))
            if latest is not None:
                job = latest
        return job
