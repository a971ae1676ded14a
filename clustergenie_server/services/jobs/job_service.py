"""Reading, cancelling and retrying jobs."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Collection

from clustergenie_server.db import Database, JobRepository
from clustergenie_server.domain.errors import FailedPrecondition, InvalidArgument, NotFound
from clustergenie_server.domain.models import Job, JobKind, JobState
from clustergenie_server.services.jobs.job_engine import JobEngine
from clustergenie_server.services.jobs.job_watch import JobWatch
from clustergenie_server.services.provisioning.provisioning_service import ProvisioningService
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
        watch: JobWatch,
        hot_view: HotView | None = None,
    ) -> None:
        self._db, self._engine, self._provisioning = db, engine, provisioning
        self._watch = watch
        self._hot_view = hot_view
        # Kinds whose retry belongs to another feature's service (a deploy repeats its rollout).
        self._retries: dict[JobKind, Callable[[Job], Awaitable[Job]]] = {}

    def add_retry(self, kind: JobKind, retry: Callable[[Job], Awaitable[Job]]) -> None:
        """RetryJob of `kind` calls `retry(old_job)`, which queues and returns the new job."""
        self._retries[kind] = retry

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
        """A new job that repeats a failed or cancelled one; the old one stays as it is."""
        job = await self._job_from_db(job_id)
        if job.state not in (JobState.FAILED, JobState.CANCELLED):
            raise FailedPrecondition(
                f"job {job_id} is {job.state.value}; only a failed or cancelled job can be retried"
            )
        if (retry := self._retries.get(job.kind)) is not None:
            return await retry(job)
        p = self._provisioning
        if job.kind is JobKind.DELETE_CLUSTER:
            return (await p.delete_cluster(job.cluster_id, retry_of=job.id)).jobs[0]
        assert job.droplet_id is not None
        droplet_actions = {
            JobKind.PROVISION_DROPLET: p.reprovision_droplet,
            JobKind.REBOOT_DROPLET: p.reboot_droplet,
            JobKind.POWER_OFF_DROPLET: p.power_off_droplet,
            JobKind.POWER_ON_DROPLET: p.power_on_droplet,
            JobKind.DESTROY_DROPLET: p.destroy_droplet,
        }
        if job.kind is JobKind.RESIZE_DROPLET:
            action = await p.resize_droplet(job.droplet_id, job.params["size"], retry_of=job.id)
        else:
            action = await droplet_actions[job.kind](job.droplet_id, retry_of=job.id)
        return action.job
