"""What a running job's handler may touch: its job, droplet and cluster, and their events."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from sqlalchemy.orm import Session

from clustergenie_server.bus.outbox import Outbox
from clustergenie_server.db import ClusterRepository, Database, DropletRepository, JobRepository
from clustergenie_server.domain.clock import utcnow
from clustergenie_server.domain.events import ClusterChanged, DropletChanged, Event
from clustergenie_server.domain.models import Droplet, DropletStatus, Job
from clustergenie_server.simulation.cloud import SimulatedCloud

T = TypeVar("T")


@dataclass(slots=True)
class JobContext:
    """Handed to each step of a job; its writes commit at once, with their events."""

    job: Job
    db: Database
    outbox: Outbox
    cloud: SimulatedCloud
    # Scratch space for one run of the job (lost on restart, by design: steps re-decide).
    scratch: dict[str, str] = field(default_factory=dict)

    async def write(self, fn: Callable[[Session], tuple[T, list[Event]]]) -> T:
        """Run fn in one unit of work that also commits the events it returned (the outbox)."""
        return await self.outbox.commit(fn)

    async def update_droplet(
        self,
        droplet_id: int | None = None,
        *,
        status: DropletStatus | None = None,
        size: str | None = None,
        ip_address: str | None = None,
        locked: bool | None = None,
    ) -> Droplet:
        """Change the job's droplet (or another one) and announce it and its cluster."""
        target = droplet_id if droplet_id is not None else self.job.droplet_id
        if target is None:
            raise ValueError(f"job {self.job.id} has no droplet")

        def change(s: Session) -> tuple[Droplet, list[Event]]:
            droplet = DropletRepository(s).update(
                target, now=utcnow(), status=status, size=size, ip_address=ip_address, locked=locked
            )
            return droplet, [DropletChanged(droplet), *cluster_changed(s, droplet.cluster_id)]

        return await self.write(change)

    async def other_active_jobs(self) -> list[Job]:
        """Unfinished jobs other than this one on the same droplet, or the same cluster."""
        job = self.job

        def read(s: Session) -> list[Job]:
            repo = JobRepository(s)
            if job.droplet_id is not None:
                found = repo.active_for_droplet(job.droplet_id)
                others = [found] if found is not None else []
            else:
                others = repo.active_for_cluster(job.cluster_id)
            return [j for j in others if j.id != job.id]

        return await self.db.run(read)


def cluster_changed(session: Session, cluster_id: int) -> list[Event]:
    """The event that announces a cluster's current state and counts (a newer version of it)."""
    cluster = ClusterRepository(session).touch(cluster_id, utcnow())
    return [ClusterChanged(cluster)] if cluster is not None else []
