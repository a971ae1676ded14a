"""Provisioning: clusters and droplets, each action validated here and carried out by a job."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from clustergenie_server.bus.outbox import Outbox
from clustergenie_server.db import ClusterRepository, Database, DropletRepository, JobRepository
from clustergenie_server.domain.clock import utcnow
from clustergenie_server.domain.errors import FailedPrecondition, NotFound
from clustergenie_server.domain.events import DropletChanged, Event, JobChanged
from clustergenie_server.domain.models import (
    Cluster,
    ClusterStatus,
    Droplet,
    DropletStatus,
    Job,
    JobKind,
)
from clustergenie_server.services.jobs.job_context import cluster_changed
from clustergenie_server.services.jobs.job_engine import JobEngine
from clustergenie_server.services.jobs.job_queue import JobTarget
from clustergenie_server.services.jobs.job_retry_link import link_retry
from clustergenie_server.services.provisioning.inventory_watch import InventoryWatch, Row
from clustergenie_server.services.shared import validation
from clustergenie_server.services.shared.hot_view import HotView
from clustergenie_server.services.shared.watch import Snapshot
from clustergenie_server.simulation.catalog import Catalog


@dataclass(frozen=True, slots=True)
class ClusterAction:
    """What a cluster action returns at once: the cluster, new droplets, and the jobs queued."""

    cluster: Cluster
    droplets: tuple[Droplet, ...]
    jobs: tuple[Job, ...]


@dataclass(frozen=True, slots=True)
class DropletAction:
    """What a droplet action returns at once."""

    droplet: Droplet
    job: Job


# Which droplet statuses allow which action, and what to tell people otherwise.
_ALLOWED: dict[JobKind, tuple[frozenset[DropletStatus], str]] = {
    JobKind.REBOOT_DROPLET: (frozenset({DropletStatus.ACTIVE}), "only an active droplet reboots"),
    JobKind.POWER_OFF_DROPLET: (frozenset({DropletStatus.ACTIVE}), "it is not running"),
    JobKind.POWER_ON_DROPLET: (
        frozenset({DropletStatus.OFF}),
        "only a droplet that is off powers on",
    ),
    JobKind.RESIZE_DROPLET: (
        frozenset({DropletStatus.ACTIVE, DropletStatus.OFF}),
        "only an active or powered-off droplet can be resized",
    ),
}


class ProvisioningService:
    """Creates, changes and destroys clusters and droplets, always through jobs."""

    def __init__(
        self,
        db: Database,
        outbox: Outbox,
        jobs: JobEngine,
        catalog: Catalog,
        inventory: InventoryWatch,
        hot_view: HotView | None = None,
    ) -> None:
        self._db, self._outbox, self._jobs = db, outbox, jobs
        self.catalog = catalog
        self._hot_view = hot_view
        self._inventory = inventory

    # -- reads ---------------------------------------------------------------------------------

    async def list_clusters(self, *, include_deleted: bool = False) -> list[Cluster]:
        """Every cluster, oldest first."""
        return await self._db.read(
            lambda s: ClusterRepository(s).list(include_deleted=include_deleted)
        )

    async def get_cluster(self, cluster_id: int) -> Cluster:
        """One cluster, or NotFound."""
        validation.positive_id(cluster_id, "cluster")
        return await self._db.read(lambda s: _cluster(s, cluster_id))

    def watch(self) -> AsyncIterator[Snapshot[Row] | Row]:
        """WatchInventory: a Snapshot of every live cluster and droplet, then their changes."""
        return self._inventory.watch()

    async def list_droplets(
        self, *, cluster_id: int | None = None, include_destroyed: bool = False
    ) -> list[Droplet]:
        """Droplets of one cluster or all, oldest first."""
        if cluster_id is not None:
            await self.get_cluster(cluster_id)
        return await self._db.read(
            lambda s: DropletRepository(s).list(
                cluster_id=cluster_id, include_destroyed=include_destroyed
            )
        )

    async def get_droplet(self, droplet_id: int) -> Droplet:
        """One droplet, or NotFound; read through the hot view when there is one."""
        validation.positive_id(droplet_id, "droplet")
        if self._hot_view and (cached := await self._hot_view.droplet(droplet_id)):
            return cached
        droplet = await self._db.read(lambda s: _droplet(s, droplet_id))
        if self._hot_view:
            await self._hot_view.put_droplet(droplet)
        return droplet

    # -- cluster actions -----------------------------------------------------------------------

    async def create_cluster(
        self,
        *,
        name: str,
        region: str,
        size: str,
        image: str,
        droplet_count: int,
        tags: Sequence[str] = (),
    ) -> ClusterAction:
        """A cluster and its first droplets, each provisioned by its own job."""
        name = validation.cluster_name(name)
        reg = validation.region(self.catalog, region)
        siz = validation.size(self.catalog, size)
        img = validation.image(self.catalog, image)
        count = validation.droplet_count(droplet_count, allow_zero=True)
        clean_tags = validation.tags(tags)

        def change(s: Session) -> tuple[ClusterAction, list[Event]]:
            cluster = ClusterRepository(s).add(
                name=name,
                region=reg.slug,
                size=siz.slug,
                image=img.slug,
                tags=clean_tags,
                now=utcnow(),
            )
            return self._provision(s, cluster, count, siz.slug)

        return await self._commit(change)

    async def add_droplets(self, *, cluster_id: int, count: int, size: str = "") -> ClusterAction:
        """More droplets in an existing cluster."""
        validation.positive_id(cluster_id, "cluster")
        count = validation.droplet_count(count, allow_zero=False)
        size_slug = validation.size(self.catalog, size).slug if size.strip() else ""

        def change(s: Session) -> tuple[ClusterAction, list[Event]]:
            cluster = _live_cluster(s, cluster_id)
            return self._provision(s, cluster, count, size_slug or cluster.size)

        return await self._commit(change)

    def _provision(
        self, s: Session, cluster: Cluster, count: int, size: str
    ) -> tuple[ClusterAction, list[Event]]:
        droplets_repo = DropletRepository(s)
        existing = droplets_repo.names(cluster.id)
        if (
            len(droplets_repo.list(cluster_id=cluster.id)) + count
            > validation.MAX_DROPLETS_PER_CLUSTER
        ):
            raise FailedPrecondition(
                f"cluster {cluster.name} would have more than "
                f"{validation.MAX_DROPLETS_PER_CLUSTER} droplets"
            )
        names: list[str] = []
        n = 1
        while len(names) < count:
            candidate = f"{cluster.name}-{n}"
            if candidate not in existing:
                names.append(candidate)
            n += 1
        droplets = droplets_repo.add_many(
            cluster_id=cluster.id,
            names=names,
            region=cluster.region,
            size=size,
            image=cluster.image,
            now=utcnow(),
        )
        jobs = self._jobs.new_jobs(
            s,
            kind=JobKind.PROVISION_DROPLET,
            cluster_id=cluster.id,
            targets=[
                JobTarget(d.id, d.name, {"region": d.region, "image": d.image, "size": d.size})
                for d in droplets
            ],
        )
        events: list[Event] = [*cluster_changed(s, cluster.id), *map(DropletChanged, droplets)]
        refreshed = ClusterRepository(s).get(cluster.id) or cluster
        return ClusterAction(refreshed, tuple(droplets), tuple(jobs)), events

    async def delete_cluster(
        self, cluster_id: int, *, retry_of: int | None = None
    ) -> ClusterAction:
        """Destroy every droplet, then the cluster; running jobs on it are cancelled first."""
        validation.positive_id(cluster_id, "cluster")

        def change(s: Session) -> tuple[ClusterAction, list[Event]]:
            cluster = _cluster(s, cluster_id)
            if cluster.status is ClusterStatus.DELETED:
                raise FailedPrecondition(f"cluster {cluster.name} is deleted already")
            jobs_repo = JobRepository(s)
            busy = [
                j
                for j in jobs_repo.active_for_cluster(cluster_id)
                if j.kind is JobKind.DELETE_CLUSTER
            ]
            if busy:
                raise FailedPrecondition(
                    f"cluster {cluster.name} is being deleted by job {busy[0].id}"
                )
            to_cancel = [j.id for j in jobs_repo.active_for_cluster(cluster_id)]
            cluster = ClusterRepository(s).set_status(cluster_id, ClusterStatus.DELETING, utcnow())
            job = self._jobs.new_job(
                s,
                kind=JobKind.DELETE_CLUSTER,
                cluster_id=cluster_id,
                droplet_id=None,
                target_name=cluster.name,
                retry_of=retry_of,
                params={"cancelled_jobs": ",".join(map(str, to_cancel))},
            )
            events = [*link_retry(s, retry_of, job), *cluster_changed(s, cluster_id)]
            return ClusterAction(cluster, (), (job,)), events

        action = await self._commit(change)
        await self._cancel_listed(action.jobs[0])
        return action

    # -- droplet actions -----------------------------------------------------------------------

    async def resize_droplet(
        self, droplet_id: int, size: str, *, retry_of: int | None = None
    ) -> DropletAction:
        """Change a droplet's size; a running droplet is powered off and on around it."""
        new = validation.size(self.catalog, size)

        def check(d: Droplet) -> dict[str, str]:
            if d.size == new.slug:
                raise FailedPrecondition(f"droplet {d.name} is size {new.slug} already")
            old = self.catalog.size(d.size)
            if old is not None and new.disk_gb < old.disk_gb:
                raise FailedPrecondition(
                    f"cannot shrink {d.name}'s disk from {old.disk_gb} GB to {new.disk_gb} GB; "
                    f"choose a size with at least {old.disk_gb} GB of disk"
                )
            return {"size": new.slug, "power_on": "1" if d.status is DropletStatus.ACTIVE else "0"}

        return await self._droplet_action(droplet_id, JobKind.RESIZE_DROPLET, check, retry_of)

    async def reboot_droplet(
        self, droplet_id: int, *, retry_of: int | None = None
    ) -> DropletAction:
        """Restart a running droplet."""
        return await self._droplet_action(droplet_id, JobKind.REBOOT_DROPLET, None, retry_of)

    async def power_off_droplet(
        self, droplet_id: int, *, retry_of: int | None = None
    ) -> DropletAction:
        """Shut a running droplet down."""
        return await self._droplet_action(droplet_id, JobKind.POWER_OFF_DROPLET, None, retry_of)

    async def power_on_droplet(
        self, droplet_id: int, *, retry_of: int | None = None
    ) -> DropletAction:
        """Start a droplet that is off."""
        return await self._droplet_action(droplet_id, JobKind.POWER_ON_DROPLET, None, retry_of)

    async def destroy_droplet(
        self, droplet_id: int, *, retry_of: int | None = None
    ) -> DropletAction:
        """Destroy a droplet in any state; a job running on it is cancelled first."""
        return await self._droplet_action(droplet_id, JobKind.DESTROY_DROPLET, None, retry_of)

    async def reprovision_droplet(
        self, droplet_id: int, *, retry_of: int | None = None
    ) -> DropletAction:
        """Provision again a droplet whose provisioning failed (the retry of such a job)."""
        return await self._droplet_action(droplet_id, JobKind.PROVISION_DROPLET, None, retry_of)

    async def _droplet_action(
        self,
        droplet_id: int,
        kind: JobKind,
        check: Callable[[Droplet], dict[str, str]] | None,
        retry_of: int | None,
    ) -> DropletAction:
        validation.positive_id(droplet_id, "droplet")

        def change(s: Session) -> tuple[tuple[DropletAction, list[int]], list[Event]]:
            droplet = _droplet(s, droplet_id)
            _check_cluster_allows(s, droplet)
            cancel = _check_droplet_allows(s, droplet, kind)
            params = check(droplet) if check else {}
            if kind is JobKind.PROVISION_DROPLET:
                params = {"region": droplet.region, "image": droplet.image, "size": droplet.size}
            status = DropletStatus.NEW if kind is JobKind.PROVISION_DROPLET else None
            droplet = DropletRepository(s).update(
                droplet_id, now=utcnow(), locked=True, status=status
            )
            job = self._jobs.new_job(
                s,
                kind=kind,
                cluster_id=droplet.cluster_id,
                droplet_id=droplet_id,
                target_name=droplet.name,
                params=params,
                retry_of=retry_of,
            )
            events: list[Event] = [
                DropletChanged(droplet),
                *cluster_changed(s, droplet.cluster_id),
                JobChanged(job),  # "queued": in the same transaction as the job row
                *link_retry(s, retry_of, job),
            ]
            return (DropletAction(droplet, job), cancel), events

        action, to_cancel = await self._outbox.commit(change)
        await self._jobs.submitted([action.job])
        for job_id in to_cancel:
            await self._jobs.cancel(job_id)
        return action

    async def _commit(
        self, change: Callable[[Session], tuple[ClusterAction, list[Event]]]
    ) -> ClusterAction:
        def with_jobs(s: Session) -> tuple[ClusterAction, list[Event]]:
            action, events = change(s)
            return action, [*events, *map(JobChanged, action.jobs)]

        action = await self._outbox.commit(with_jobs)
        await self._jobs.submitted(action.jobs)
        return action

    async def _cancel_listed(self, job: Job) -> None:
        for text in filter(None, job.params.get("cancelled_jobs", "").split(",")):
            await self._jobs.cancel(int(text))


def _cluster(s: Session, cluster_id: int) -> Cluster:
    cluster = ClusterRepository(s).get(cluster_id)
    if cluster is None:
        raise NotFound(f"cluster {cluster_id} does not exist")
    return cluster


def _live_cluster(s: Session, cluster_id: int) -> Cluster:
    cluster = _cluster(s, cluster_id)
    if cluster.status is not ClusterStatus.ACTIVE:
        raise FailedPrecondition(
            f"cluster {cluster.name} is {cluster.status.value}; "
            "droplets can be added only to an active cluster"
        )
    return cluster


def _droplet(s: Session, droplet_id: int) -> Droplet:
    droplet = DropletRepository(s).get(droplet_id)
    if droplet is None:
        raise NotFound(f"droplet {droplet_id} does not exist")
    return droplet


def _check_cluster_allows(s: Session, droplet: Droplet) -> None:
    """Refuse any action on a droplet of a cluster being deleted: the delete destroys it, and an
    action that ran after the delete's destroy step would bring it back (found by the fuzz)."""
    cluster = _cluster(s, droplet.cluster_id)
    if cluster.status is not ClusterStatus.ACTIVE and droplet.status is not DropletStatus.ARCHIVE:
        raise FailedPrecondition(
            f"droplet {droplet.name} belongs to cluster {cluster.name}, which is "
            f"{cluster.status.value}; its droplets are destroyed with it"
        )


def _check_droplet_allows(s: Session, droplet: Droplet, kind: JobKind) -> list[int]:
    """Refuse an action the droplet's state does not allow; return job ids to cancel for it."""
    if droplet.status is DropletStatus.ARCHIVE:
        raise FailedPrecondition(f"droplet {droplet.name} is destroyed")
    busy = JobRepository(s).active_for_droplet(droplet.id)
    if kind is JobKind.DESTROY_DROPLET:
        if busy is not None and busy.kind is JobKind.DESTROY_DROPLET:
            raise FailedPrecondition(f"droplet {droplet.name} is being destroyed by job {busy.id}")
        return [busy.id] if busy is not None else []
    if busy is not None:
        raise FailedPrecondition(
            f"droplet {droplet.name} is busy with job {busy.id} "
            f"({busy.kind.value.replace('_', ' ')}); "
            "wait for it to finish or cancel it"
        )
    if kind is JobKind.PROVISION_DROPLET:
        if droplet.status is not DropletStatus.ERRORED:
            raise FailedPrecondition(
                f"droplet {droplet.name} is {droplet.status.value}; only a "
                "droplet whose provisioning failed can be provisioned again"
            )
        return []
    allowed, why = _ALLOWED[kind]
    if droplet.status not in allowed:
        raise FailedPrecondition(
            f"cannot {kind.value.removesuffix('_droplet').replace('_', ' ')} "
            f"droplet {droplet.name}: it is {droplet.status.value}; {why}"
        )
    return []
