"""Running jobs' writes in batches: each job keeps its own result, failure and announcement."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest
from sqlalchemy.orm import Session

from clustergenie_server.bus.event_bus import CLUSTERS_TOPIC, Subscription
from clustergenie_server.bus.in_process_bus import InProcessEventBus
from clustergenie_server.bus.outbox import Outbox
from clustergenie_server.db import Database, DropletRepository
from clustergenie_server.domain.events import ClusterChanged, DropletChanged, Event
from clustergenie_server.domain.models import Cluster, Droplet, DropletStatus
from clustergenie_server.services.jobs.job_context import cluster_changed
from clustergenie_server.services.jobs.job_writes import JobWrites
from tests.server.db.conftest import NOW


class LeaseGone(Exception):
    """Stands for the engine's LeaseLost: raised inside one job's unit of work."""


def activate(droplet: Droplet) -> Callable[[Session], tuple[int, list[Event]]]:
    """A job's last write: its droplet becomes active, which moves the cluster's counts."""

    def unit(s: Session) -> tuple[int, list[Event]]:
        changed = DropletRepository(s).update(droplet.id, now=NOW, status=DropletStatus.ACTIVE)
        return droplet.id, [DropletChanged(changed), *cluster_changed(s, changed.cluster_id)]

    return unit


def lose_lease(s: Session) -> tuple[int, list[Event]]:
    raise LeaseGone("another server took the job")


async def announced_before(subscription: Subscription, marker: Cluster) -> list[ClusterChanged]:
    """The cluster announcements a subscription received before the marker cluster's."""
    seen: list[ClusterChanged] = []
    async with asyncio.timeout(10):
        async for event in subscription:
            assert isinstance(event, ClusterChanged)
            if event.cluster.id == marker.id:
                return seen
            seen.append(event)
    raise AssertionError("the subscription ended")


async def test_jobs_finishing_together_announce_their_cluster_once_with_every_change(
    database: Database,
    make_cluster: Callable[..., Cluster],
    make_droplets: Callable[..., list[Droplet]],
) -> None:
    cluster, marker = make_cluster(), make_cluster("marker")
    droplets = make_droplets(cluster.id, "web-1", "web-2", "web-3")
    bus = InProcessEventBus()
    clusters = bus.subscribe([CLUSTERS_TOPIC])
    writes = JobWrites(Outbox(database, bus, owner="server-a"))

    results = await asyncio.gather(*(writes.commit(activate(d)) for d in droplets))
    await writes.commit(lambda s: (None, cluster_changed(s, marker.id)))

    assert results == [d.id for d in droplets]  # each job gets its own result
    (announced,) = await announced_before(clusters, marker)  # one, not one per droplet
    assert announced.cluster.active_droplet_count == 3


async def test_a_write_that_fails_in_a_batch_fails_only_its_own_job(
    database: Database,
    make_cluster: Callable[..., Cluster],
    make_droplets: Callable[..., list[Droplet]],
) -> None:
    cluster = make_cluster()
    first, last = make_droplets(cluster.id, "web-1", "web-2")
    writes = JobWrites(Outbox(database, InProcessEventBus(), owner="server-a"))

    results = await asyncio.gather(
        writes.commit(activate(first)),
        writes.commit(lose_lease),
        writes.commit(activate(last)),
        return_exceptions=True,
    )

    assert (results[0], results[2]) == (first.id, last.id)
    assert isinstance(results[1], LeaseGone)
    stored = database.run_sync(lambda s: DropletRepository(s).list(cluster_id=cluster.id))
    assert [d.status for d in stored] == [DropletStatus.ACTIVE, DropletStatus.ACTIVE]


async def test_a_lone_write_that_fails_raises_to_its_job(database: Database) -> None:
    writes = JobWrites(Outbox(database, InProcessEventBus(), owner="server-a"))
    with pytest.raises(LeaseGone):
        await writes.commit(lose_lease)
