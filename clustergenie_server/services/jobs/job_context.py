"""What a running job's handler may touch: its job, droplet and cluster, and their events."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from clustergenie_server.bus.outbox import Outbox
from clustergenie_server.db import ClusterRepository, Database, DropletRepository, JobRepository
from clustergenie_server.domain.clock import utcnow
from clustergenie_server.domain.events import ClusterChanged, DropletChanged, Event
from clustergenie_server.domain.models import Droplet, DropletStatus, Job
from clustergenie_server.simulation.cloud import SimulatedCloud

T = TypeVar("T")

# A change staged by a step's effect: it runs in the job's next write and returns its events.
Staged = Callable[[Session], list[Event]]


@dataclass(slots=True)
class JobContext:
    """Handed to each step of a job; its writes commit at once, with their events."""

    job: Job
    db: Database
    outbox: Outbox
    cloud: SimulatedCloud
    # Scratch space for one run of the job (lost on restart, by design: steps re-decide).
    scratch: dict[str, str] = field(default_factory=dict)
    # The job droplet's fields staged by step effects, merged into few UPDATEs (stage_droplet);
    # the engine commits them with the job's next progress write or its end.
    _droplet_changes: list[dict[str, Any]] = field(default_factory=list, init=False, repr=False)

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
        """Change the job's droplet (or another one) and announce it (and its cluster's counts)."""
        return await self.write(self._droplet_change(droplet_id, status, size, ip_address, locked))

    def stage_droplet(
        self,
        *,
        status: DropletStatus | None = None,
        size: str | None = None,
        ip_address: str | None = None,
        locked: bool | None = None,
    ) -> None:
        """update_droplet for a step's effect, committed with the job's next write.

        One transaction instead of two, and all or nothing with the job's step: if the job's
        lease was lost, the change is rolled back with the progress write, and a job that
        resumes after a crash runs the step's effect again (every effect is idempotent).
        Several steps' changes that reach the same write become one UPDATE and one event (the
        later step's value wins), except that each status the droplet passes through is still
        written and announced: off, then active again, stays two changes.
        """
        given = {"status": status, "size": size, "ip_address": ip_address, "locked": locked}
        fields = {k: v for k, v in given.items() if v is not None}
        changes = self._droplet_changes
        if not changes or ("status" in fields and changes[-1].get("status", status) != status):
            changes.append({})
        changes[-1].update(fields)

    def take_staged(self) -> list[Staged]:
        """The staged changes, handed over once (the engine's next write runs them)."""
        staged: list[Staged] = []
        for fields in self._droplet_changes:
            staged.append(_events_of(self._droplet_change(None, **fields)))
        self._droplet_changes = []
        return staged

    def _droplet_change(
        self,
        droplet_id: int | None,
        status: DropletStatus | None = None,
        size: str | None = None,
        ip_address: str | None = None,
        locked: bool | None = None,
    ) -> Callable[[Session], tuple[Droplet, list[Event]]]:
        """The unit of work that changes a droplet and announces it and its cluster."""
        target = droplet_id if droplet_id is not None else self.job.droplet_id
        if target is None:
            raise ValueError(f"job {self.job.id} has no droplet")

        def change(s: Session) -> tuple[Droplet, list[Event]]:
            droplet = DropletRepository(s).update(
                target, now=utcnow(), status=status, size=size, ip_address=ip_address, locked=locked
            )
            events: list[Event] = [DropletChanged(droplet)]
            if status is not None:
                # Only a status moves the cluster's droplet counts; an address, a size or a lock
                # leaves the cluster as it was (and its re-read is most of this unit's work).
                events += cluster_changed(s, droplet.cluster_id)
            return droplet, events

        return change

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

        return await self.db.read(read)


def cluster_changed(session: Session, cluster_id: int) -> list[Event]:
    """The event that announces a cluster's current state and counts (a newer version of it).

    Inside clusters_announced_once the cluster is only noted, and announced once at the end.
    """
    if (later := session.info.get(_ANNOUNCE_LATER)) is not None:
        later[cluster_id] = None
        return []
    cluster = ClusterRepository(session).touch(cluster_id, utcnow())
    return [ClusterChanged(cluster)] if cluster is not None else []


@contextlib.contextmanager
def clusters_announced_once(session: Session) -> Iterator[list[Event]]:
    """Within the block, cluster_changed only notes clusters; after it, the yielded list holds
    one announcement per noted cluster, with the counts of every change the block made (fifty
    droplets of a cluster that become active in one transaction: one re-count, one event)."""
    later: dict[int, None] = {}
    session.info[_ANNOUNCE_LATER] = later
    announced: list[Event] = []
    try:
        yield announced
    finally:
        del session.info[_ANNOUNCE_LATER]
    for cluster_id in later:
        announced += cluster_changed(session, cluster_id)


_ANNOUNCE_LATER = "clustergenie_clusters_to_announce"


def _events_of(change: Callable[[Session], tuple[Droplet, list[Event]]]) -> Staged:
    """A staged unit of work running `change` for the events it announces."""

    def staged(session: Session) -> list[Event]:
        return change(session)[1]

    return staged
