"""Manual scaling (a SCALE_CLUSTER job), auto-scaling policies, and the decision history."""

from __future__ import annotations

from collections.abc import AsyncIterator

from sqlalchemy.orm import Session

from clustergenie_server.bus.event_bus import SCALING_TOPIC
from clustergenie_server.bus.outbox import Outbox
from clustergenie_server.db import ClusterRepository, Database, DropletRepository, JobRepository
from clustergenie_server.db.scaling_repository import ScalingRepository
from clustergenie_server.domain.clock import utcnow
from clustergenie_server.domain.errors import FailedPrecondition, InvalidArgument, NotFound
from clustergenie_server.domain.events import Event, JobChanged, ScalingDecided
from clustergenie_server.domain.models import (
    Cluster,
    ClusterStatus,
    Droplet,
    DropletStatus,
    Job,
    JobKind,
)
from clustergenie_server.domain.scaling import ScalingDecision, ScalingPolicy
from clustergenie_server.services.jobs.job_engine import JobEngine
from clustergenie_server.services.jobs.job_retry_link import link_retry
from clustergenie_server.services.scaling.policy_validation import check_policy
from clustergenie_server.services.shared import validation

MAX_LIST = 1000
DEFAULT_LIST = 200


def counted(droplets: list[Droplet], draining: set[int]) -> list[Droplet]:
    """The droplets a scale counts: new or active, not being drained (errored/off ones are not)."""
    return [
        d
        for d in droplets
        if d.status in (DropletStatus.NEW, DropletStatus.ACTIVE) and d.id not in draining
    ]


class ScalingService:
    """Queues scale jobs, keeps policies, and reads and streams decisions."""

    def __init__(self, db: Database, outbox: Outbox, jobs: JobEngine) -> None:
        self._db, self._outbox, self._jobs = db, outbox, jobs

    async def scale_cluster(
        self, cluster_id: int, target: int, *, origin: str = "manual", retry_of: int | None = None
    ) -> Job:
        """A job that provisions or drains and destroys droplets until the cluster has target."""
        validation.positive_id(cluster_id, "cluster")
        if not 1 <= target <= validation.MAX_DROPLETS_PER_CLUSTER:
            raise InvalidArgument(
                f"target_count {target} is out of range; give 1 to "
                f"{validation.MAX_DROPLETS_PER_CLUSTER} (a cluster keeps at least one droplet)"
            )

        def change(s: Session) -> tuple[Job, list[Event]]:
            cluster = _live_cluster(s, cluster_id)
            for job in JobRepository(s).active_for_cluster(cluster_id):
                if job.kind in (JobKind.SCALE_CLUSTER, JobKind.DELETE_CLUSTER):
                    raise FailedPrecondition(
                        f"cluster {cluster.name} is busy with job {job.id} "
                        f"({job.kind.value.replace('_', ' ')}); wait for it or cancel it"
                    )
            job = self._jobs.new_job(
                s,
                kind=JobKind.SCALE_CLUSTER,
                cluster_id=cluster_id,
                droplet_id=None,
                target_name=cluster.name,
                params={"target": str(target), "origin": origin},
                retry_of=retry_of,
            )
            # "queued", in the job's own transaction
            return job, [JobChanged(job), *link_retry(s, retry_of, job)]

        job = await self._outbox.commit(change)
        await self._jobs.submitted([job])
        return job

    async def counts(self, cluster_id: int) -> tuple[int, bool]:
        """(droplets counted for scaling, whether a scale or delete job is running)."""

        def read(s: Session) -> tuple[int, bool]:
            droplets = DropletRepository(s).list(cluster_id=cluster_id)
            busy = any(
                j.kind in (JobKind.SCALE_CLUSTER, JobKind.DELETE_CLUSTER)
                for j in JobRepository(s).active_for_cluster(cluster_id)
            )
            return len(counted(droplets, ScalingRepository(s).draining(cluster_id))), busy

        return await self._db.read(read)

    # -- policies ------------------------------------------------------------------------------

    async def get_policy(self, cluster_id: int) -> ScalingPolicy:
        """The cluster's policy, or NotFound."""
        validation.positive_id(cluster_id, "cluster")

        def read(s: Session) -> ScalingPolicy:
            _cluster(s, cluster_id)
            policy = ScalingRepository(s).get_policy(cluster_id)
            if policy is None:
                raise NotFound(
                    f"cluster {cluster_id} has no scaling policy; create one with SetPolicy"
                )
            return policy

        return await self._db.read(read)

    async def list_policies(self) -> list[ScalingPolicy]:
        """Every policy."""
        return await self._db.read(lambda s: ScalingRepository(s).list_policies())

    async def set_policy(self, policy: ScalingPolicy) -> ScalingPolicy:
        """Create or replace the cluster's policy after checking every field."""
        check_policy(policy)

        def change(s: Session) -> ScalingPolicy:
            _live_cluster(s, policy.cluster_id)
            return ScalingRepository(s).put_policy(policy, utcnow())

        return await self._db.run(change)

    async def delete_policy(self, cluster_id: int) -> None:
        """Remove the cluster's policy; NotFound when it has none."""
        validation.positive_id(cluster_id, "cluster")

        def change(s: Session) -> None:
            # Raised inside the unit of work, so nothing (not even an audit entry) commits.
            if not ScalingRepository(s).delete_policy(cluster_id):
                raise NotFound(f"cluster {cluster_id} has no scaling policy")

        await self._db.run(change)

    # -- decisions -----------------------------------------------------------------------------

    async def list_decisions(
        self, *, cluster_id: int = 0, limit: int = 0, changes_only: bool = False
    ) -> list[ScalingDecision]:
        """Decisions, newest first."""
        limit = _limit(limit)
        if cluster_id:
            await self._db.read(lambda s: _cluster(s, cluster_id))
        return await self._db.read(
            lambda s: ScalingRepository(s).list_decisions(
                cluster_id=cluster_id or None, limit=limit, changes_only=changes_only
            )
        )

    async def watch_decisions(
        self, *, cluster_id: int = 0, snapshot_limit: int = 0
    ) -> AsyncIterator[ScalingDecision | None]:
        """The recent decisions oldest first, None (snapshot complete), then each new one."""
        # Before the snapshot: nothing falls between.
        subscription = self._outbox.bus.subscribe([SCALING_TOPIC])
        try:
            recent = await self.list_decisions(cluster_id=cluster_id, limit=snapshot_limit)
            last_id = max((d.id for d in recent), default=0)
            for decision in reversed(recent):
                yield decision
            yield None
            async for event in subscription:
                if not isinstance(event, ScalingDecided):
                    continue
                d = event.decision
                if d.id > last_id and (not cluster_id or d.cluster_id == cluster_id):
                    yield d
        finally:
            subscription.close()


def _limit(limit: int) -> int:
    if limit < 0 or limit > MAX_LIST:
        raise InvalidArgument(
            f"limit {limit} is out of range; give 0 (= {DEFAULT_LIST}) to {MAX_LIST}"
        )
    return limit or DEFAULT_LIST


def _cluster(s: Session, cluster_id: int) -> Cluster:
    cluster = ClusterRepository(s).get(cluster_id)
    if cluster is None:
        raise NotFound(f"cluster {cluster_id} does not exist")
    return cluster


def _live_cluster(s: Session, cluster_id: int) -> Cluster:
    cluster = _cluster(s, cluster_id)
    if cluster.status is not ClusterStatus.ACTIVE:
        raise FailedPrecondition(f"cluster {cluster.name} is {cluster.status.value}")
    return cluster
