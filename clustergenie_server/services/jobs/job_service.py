"""Reading, cancelling and retrying jobs."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Collection, Mapping

from clustergenie_server.db import Database, JobRepository
from clustergenie_server.domain.errors import FailedPrecondition, InvalidArgument, NotFound
from clustergenie_server.domain.job_retry import retry_refusal
from clustergenie_server.domain.models import Job, JobKind, JobState
from clustergenie_server.services.jobs.job_engine import JobEngine
from clustergenie_server.services.jobs.job_watch import JobWatch
from clustergenie_server.services.provisioning.provisioning_service import (
    DropletAction,
    ProvisioningService,
)
from clustergenie_server.services.scaling.scaling_service import ScalingService
from clustergenie_server.services.shared import validation
from clustergenie_server.services.shared.hot_view import HotView
from clustergenie_server.services.shared.watch import Snapshot

MAX_LIST = 1000
DEFAULT_LIST = 200


def list_limit(limit: int) -> int:
    """0 means the default; more than MAX_LIST is refused rather than silently cut."""
    if limit < 0 or limit > MAX_LIST:
        raise InvalidArgument(
            f"limit {limit} is out of range; give 0 (default {DEFAULT_LIST}) to {MAX_LIST}"
        )
    return limit or DEFAULT_LIST


class JobService:
    """The job queue as people see it."""

    def __init__(
        self,
        db: Database,
        engine: JobEngine,
        provisioning: ProvisioningService,
        scaling: ScalingService,
        watch: JobWatch,
        hot_view: HotView | None = None,
        *,
        other_retries: Mapping[JobKind, Callable[[Job], Awaitable[Job]]] | None = None,
    ) -> None:
        """`other_retries`: the kinds whose retry belongs to another feature's service (a deploy
        repeats its rollout, a disk cleanup its job)."""
        self._db, self._engine, self._provisioning = db, engine, provisioning
        self._scaling = scaling
        self._retries = {**self._retry_table(), **(other_retries or {})}
        if missing := set(JobKind) - self._retries.keys():
            # Checked at wiring, so a new kind without a retry fails every server test at once.
            raise TypeError(f"JobService has no retry for {sorted(missing)}")
        self._watch = watch
        self._hot_view = hot_view

    async def list_jobs(
        self, *, states: Collection[JobState] = (), cluster_id: int | None = None, limit: int = 0
    ) -> list[Job]:
        """Newest first."""
        count = list_limit(limit)
        return await self._db.read(
            lambda s: JobRepository(s).list(states=states, cluster_id=cluster_id, limit=count)
        )

    def watch(self, snapshot_limit: int = 0) -> AsyncIterator[Snapshot[Job] | Job]:
        """WatchJobs: a Snapshot of the newest jobs (oldest first), then each change."""
        return self._watch.watch(list_limit(snapshot_limit))

    async def get_job(self, job_id: int) -> Job:
        """One job, or NotFound; read through the hot view when there is one."""
        validation.positive_id(job_id, "job")
        if self._hot_view and (cached := await self._hot_view.job(job_id)):
            return cached
        job = await self._job_from_db(job_id)
        if self._hot_view:
            await self._hot_view.put_job(job)
        return job

    async def _job_from_db(self, job_id: int) -> Job:
        # Decisions (may it be cancelled? retried?) read the truth, never the hot view.
        validation.positive_id(job_id, "job")
        job = await self._db.read(lambda s: JobRepository(s).get(job_id))
        if job is None:
            raise NotFound(f"job {job_id} does not exist")
        return job

    async def cancel_job(self, job_id: int) -> Job:
        """Cancel a queued job now, or ask a running one to stop."""
        job = await self._job_from_db(job_id)
        if job.state.is_final:
            raise FailedPrecondition(
                f"job {job_id} has {job.state.value} already; "
                "only a queued or running job can be cancelled"
            )
        return await self._engine.cancel(job_id)

    async def retry_job(self, job_id: int) -> Job:
        """A new job that repeats a failed or cancelled one; the old one links to it.

        Every kind has a retry below; what a kind's retry cannot do is refused with a reason
        (domain.job_retry), and the action itself re-checks its target as a new request would.
        """
        job = await self._job_from_db(job_id)
        if (reason := retry_refusal(job)) is not None:
            raise FailedPrecondition(reason)
        return await self._retries[job.kind](job)

    def _retry_table(self) -> Mapping[JobKind, Callable[[Job], Awaitable[Job]]]:
        p = self._provisioning
        droplet_actions = {
            JobKind.PROVISION_DROPLET: p.reprovision_droplet,
            JobKind.REBOOT_DROPLET: p.reboot_droplet,
            JobKind.POWER_OFF_DROPLET: p.power_off_droplet,
            JobKind.POWER_ON_DROPLET: p.power_on_droplet,
            JobKind.DESTROY_DROPLET: p.destroy_droplet,
        }

        def droplet_retry(
            action: Callable[..., Awaitable[DropletAction]],
        ) -> Callable[[Job], Awaitable[Job]]:
            async def retry(job: Job) -> Job:
                return (await action(_droplet_id(job), retry_of=job.id)).job

            return retry

        async def resize(job: Job) -> Job:
            size = job.params["size"]
            return (await p.resize_droplet(_droplet_id(job), size, retry_of=job.id)).job

        async def delete_cluster(job: Job) -> Job:
            return (await p.delete_cluster(job.cluster_id, retry_of=job.id)).jobs[0]

        async def scale_cluster(job: Job) -> Job:
            target, origin = int(job.params["target"]), job.params.get("origin", "manual")
            return await self._scaling.scale_cluster(
                job.cluster_id, target, origin=origin, retry_of=job.id
            )

        table: dict[JobKind, Callable[[Job], Awaitable[Job]]] = {
            kind: droplet_retry(action) for kind, action in droplet_actions.items()
        }
        table[JobKind.RESIZE_DROPLET] = resize
        table[JobKind.DELETE_CLUSTER] = delete_cluster
        table[JobKind.SCALE_CLUSTER] = scale_cluster
        return table


def _droplet_id(job: Job) -> int:
    if job.droplet_id is None:  # every droplet kind has one; the schema cannot say so
        raise FailedPrecondition(f"job {job.id} names no droplet, so it cannot be retried")
    return job.droplet_id
