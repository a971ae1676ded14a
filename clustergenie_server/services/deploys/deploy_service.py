"""Deploys as operators ask for them: roll a version out, roll back, list what ran when."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from clustergenie_server.bus.outbox import Outbox
from clustergenie_server.db import ClusterRepository, Database, DropletRepository, JobRepository
from clustergenie_server.db.deploy_repository import DefectRepository, DeployRepository
from clustergenie_server.domain.deploys import Deployment, next_version, valid_version
from clustergenie_server.domain.errors import FailedPrecondition, InvalidArgument, NotFound
from clustergenie_server.domain.events import Event, JobChanged
from clustergenie_server.domain.models import (
    Cluster,
    ClusterStatus,
    DropletStatus,
    Job,
    JobKind,
)
from clustergenie_server.services.jobs.job_engine import JobEngine
from clustergenie_server.services.shared import validation
from clustergenie_server.simulation.clock import SimClock

_Change = Callable[[Session], tuple[tuple[Deployment, Job], list[Event]]]


@dataclass(frozen=True, slots=True)
class DeployRequest:
    """What a deploy asks for; an empty version means the next patch version."""

    cluster_id: int
    version: str = ""
    droplet_id: int = 0  # 0: the whole cluster; else a canary on one droplet
    # The simulation's hidden flaw of the version (the fault injector's bad deploy), 0: none.
    defect_error_rate: float = 0.0
    fault_id: int | None = None


class DeployService:
    """Queues DEPLOY_VERSION jobs and reads the deploy history."""

    def __init__(self, db: Database, outbox: Outbox, jobs: JobEngine, clock: SimClock) -> None:
        self._db, self._outbox, self._jobs, self._clock = db, outbox, jobs, clock

    async def deploy(self, r: DeployRequest) -> tuple[Deployment, Job]:
        """Roll a version out; the cluster's other deploy must have ended."""
        validation.positive_id(r.cluster_id, "cluster")
        if r.version and not valid_version(r.version):
            raise InvalidArgument(
                f"version {r.version!r} is not valid; give 1-40 characters without spaces, "
                "e.g. v2.4.0, or leave it empty for the next patch version"
            )
        now = self._clock.now()

        def change(s: Session) -> tuple[tuple[Deployment, Job], list[Event]]:
            cluster = _live_cluster(s, r.cluster_id)
            repo = DeployRepository(s)
            current = _running_version(s, cluster, r.droplet_id)
            version = r.version or next_version(repo.cluster_version(cluster.id))
            if version == current:
                raise FailedPrecondition(
                    f"{_target(s, cluster, r.droplet_id)} runs {version} already; "
                    "give another version"
                )
            if r.defect_error_rate > 0:
                DefectRepository(s).mark_bad(cluster.id, version, r.defect_error_rate, r.fault_id)
            return self._queue(s, cluster, r.droplet_id, version, current, False, now)

        return await self._commit(change)

    async def rollback(self, cluster_id: int) -> tuple[Deployment, Job]:
        """Deploy the version that ran before the newest deploy, to the same droplets."""
        validation.positive_id(cluster_id, "cluster")
        now = self._clock.now()

        def change(s: Session) -> tuple[tuple[Deployment, Job], list[Event]]:
            cluster = _live_cluster(s, cluster_id)
            history = DeployRepository(s).list(cluster_id=cluster_id, limit=1)
            if not history:
                raise FailedPrecondition(
                    f"cluster {cluster.name} has never been deployed to; nothing to roll back"
                )
            last = history[0]
            if last.rollback:
                raise FailedPrecondition(
                    f"the newest deploy of {cluster.name} is a rollback to {last.version} "
                    "already; deploy a version instead"
                )
            droplet_id = last.droplet_id or 0
            return self._queue(
                s, cluster, droplet_id, last.previous_version, last.version, True, now
            )

        return await self._commit(change)

    async def history(self, cluster_id: int, since: float | None = None) -> list[Deployment]:
        """A cluster's deploys, newest first."""
        validation.positive_id(cluster_id, "cluster")
        return await self._db.read(
            lambda s: DeployRepository(s).list(cluster_id=cluster_id, since=since)
        )

    async def version(self, cluster_id: int) -> str:
        """The version a cluster runs."""
        return await self._db.read(lambda s: DeployRepository(s).cluster_version(cluster_id))

    async def retry(self, job: Job) -> Job:
        """RetryJob of a deploy: roll the same version out again to the same droplets."""
        droplet = int(job.params.get("target_droplet", "0"))
        _, new_job = await self.deploy(
            DeployRequest(job.cluster_id, job.params["version"], droplet_id=droplet)
        )
        return new_job

    async def _commit(self, change: _Change) -> tuple[Deployment, Job]:
        result = await self._outbox.commit(change)
        await self._jobs.submitted([result[1]])
        return result

    def _queue(
        self,
        s: Session,
        cluster: Cluster,
        droplet_id: int,
        version: str,
        previous: str,
        rollback: bool,
        now: float,
    ) -> tuple[tuple[Deployment, Job], list[Event]]:
        for job in JobRepository(s).active_for_cluster(cluster.id):
            if job.kind in (JobKind.DEPLOY_VERSION, JobKind.DELETE_CLUSTER):
                raise FailedPrecondition(
                    f"cluster {cluster.name} is busy with job {job.id} "
                    f"({job.kind.value.replace('_', ' ')}); wait for it or cancel it"
                )
        if droplet_id:
            targets = [droplet_id]
        else:
            targets = [
                d.id
                for d in DropletRepository(s).list(cluster_id=cluster.id)
                if d.status is DropletStatus.ACTIVE
            ]
        repo = DeployRepository(s)
        deployment = repo.add(
            cluster_id=cluster.id,
            droplet_id=droplet_id or None,
            version=version,
            previous_version=previous,
            rollback=rollback,
            started_at=now,
            droplets_total=len(targets),
        )
        job = self._jobs.new_job(
            s,
            kind=JobKind.DEPLOY_VERSION,
            cluster_id=cluster.id,
            droplet_id=None,
            target_name=_target(s, cluster, droplet_id),
            params={
                "version": version,
                "previous_version": previous,
                "deployment": str(deployment.id),
                "droplets": ",".join(map(str, targets)),
                "target_droplet": str(droplet_id),
                "rollback": "1" if rollback else "0",
            },
        )
        repo.set_job(deployment.id, job.id)
        return (repo.get(deployment.id) or deployment, job), [JobChanged(job)]


def _live_cluster(s: Session, cluster_id: int) -> Cluster:
    cluster = ClusterRepository(s).get(cluster_id)
    if cluster is None:
        raise NotFound(f"cluster {cluster_id} does not exist")
    if cluster.status is not ClusterStatus.ACTIVE:
        raise FailedPrecondition(f"cluster {cluster.name} is {cluster.status.value}")
    return cluster


def _running_version(s: Session, cluster: Cluster, droplet_id: int) -> str:
    repo = DeployRepository(s)
    if not droplet_id:
        return repo.cluster_version(cluster.id)
    droplet = DropletRepository(s).get(droplet_id)
    if droplet is None or droplet.cluster_id != cluster.id:
        raise NotFound(f"droplet {droplet_id} does not exist in cluster {cluster.name}")
    if droplet.status is not DropletStatus.ACTIVE:
        raise FailedPrecondition(f"droplet {droplet.name} is {droplet.status.value}")
    return repo.versions_of(cluster.id, [droplet_id])[droplet_id]


def _target(s: Session, cluster: Cluster, droplet_id: int) -> str:
    if not droplet_id:
        return cluster.name
    droplet = DropletRepository(s).get(droplet_id)
    return droplet.name if droplet is not None else f"droplet {droplet_id}"
