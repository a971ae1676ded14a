"""InventoryView: WatchInventory's snapshot from memory must say what the database says."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from clustergenie_server.bus.in_process_bus import InProcessEventBus
from clustergenie_server.db import ClusterRepository, Database, DropletRepository
from clustergenie_server.domain.events import ClusterChanged, DropletChanged
from clustergenie_server.domain.models import Cluster, ClusterStatus, Droplet, DropletStatus
from clustergenie_server.services.provisioning.inventory_view import InventoryView

from .test_recent_jobs import FakeClock

MakeCluster = Callable[..., Cluster]
MakeDroplets = Callable[..., list[Droplet]]


def stored(database: Database) -> tuple[list[Cluster], list[Droplet]]:
    """What a snapshot read from the database would hold."""
    return database.run_sync(lambda s: (ClusterRepository(s).list(), DropletRepository(s).list()))


def set_droplet(database: Database, droplet: Droplet, at: datetime, **change: Any) -> Droplet:
    """Change a droplet in the database (committed); the stored droplet."""
    return database.run_sync(lambda s: DropletRepository(s).update(droplet.id, now=at, **change))


def touched(database: Database, cluster: Cluster, at: datetime) -> Cluster:
    """The cluster as the server announces it after its droplets changed (counts, new version)."""
    found = database.run_sync(lambda s: ClusterRepository(s).touch(cluster.id, at))
    assert found is not None
    return found


def delete_cluster(database: Database, cluster: Cluster, at: datetime) -> Cluster:
    """Mark a cluster deleted (committed); the stored cluster."""
    return database.run_sync(
        lambda s: ClusterRepository(s).set_status(cluster.id, ClusterStatus.DELETED, at)
    )


async def test_the_view_follows_every_change_the_bus_hands_out(
    database: Database, make_cluster: MakeCluster, make_droplets: MakeDroplets, now: datetime
) -> None:
    bus = InProcessEventBus()
    view = InventoryView(database, bus)
    web = make_cluster("web")
    w1, w2 = make_droplets(web.id, "web-1", "web-2")
    assert await view.snapshot() == stored(database)

    # Changes after the read, each announced as the outbox does after its commit.
    api = make_cluster("api")
    (a1,) = make_droplets(api.id, "api-1")
    later = now + timedelta(seconds=1)
    active = set_droplet(database, w1, later, status=DropletStatus.ACTIVE)
    destroyed = set_droplet(database, w2, later, status=DropletStatus.ARCHIVE)
    await bus.publish([ClusterChanged(api), DropletChanged(a1)])
    await bus.publish([DropletChanged(active), DropletChanged(destroyed)])
    await bus.publish([ClusterChanged(touched(database, c, later)) for c in (web, api)])

    assert await view.snapshot() == stored(database)
    assert [d.name for d in (await view.snapshot())[1]] == ["web-1", "api-1"]


async def test_a_late_older_version_brings_nothing_back(
    database: Database, make_cluster: MakeCluster, make_droplets: MakeDroplets, now: datetime
) -> None:
    # Two servers' outboxes publish independently: "deleted" can arrive before an older "active".
    bus = InProcessEventBus()
    view = InventoryView(database, bus)
    web = make_cluster("web")
    (w1,) = make_droplets(web.id, "web-1")
    await view.snapshot()
    destroyed = set_droplet(database, w1, now + timedelta(seconds=5), status=DropletStatus.ARCHIVE)
    deleted = delete_cluster(database, web, now + timedelta(seconds=5))

    await bus.publish([DropletChanged(destroyed), ClusterChanged(deleted)])
    await bus.publish([DropletChanged(w1), ClusterChanged(web)])  # the older versions, late

    assert await view.snapshot() == ([], [])


async def test_a_change_made_during_the_read_is_kept(
    database: Database, make_cluster: MakeCluster, make_droplets: MakeDroplets, now: datetime
) -> None:
    bus = InProcessEventBus()
    web = make_cluster("web")
    (w1,) = make_droplets(web.id, "web-1")

    class ChangesWhileReading:
        """The database, with a droplet powered off just after the view's read."""

        def __init__(self) -> None:
            self.off: Droplet | None = None

        async def read(self, unit: Callable[..., Any]) -> Any:
            result = await database.read(unit)
            self.off = set_droplet(
                database, w1, now + timedelta(seconds=1), status=DropletStatus.OFF
            )
            await bus.publish([DropletChanged(self.off)])  # handed out while the read "runs"
            return result

    db = ChangesWhileReading()
    view = InventoryView(db, bus)  # type: ignore[arg-type]

    clusters, droplets = await view.snapshot()

    assert droplets == [db.off]
    assert (clusters, droplets) == stored(database)


async def test_a_change_whose_event_never_came_is_repaired_by_the_next_read(
    database: Database, make_cluster: MakeCluster, now: datetime
) -> None:
    clock = FakeClock()
    view = InventoryView(database, InProcessEventBus(), refresh_seconds=30.0, clock=clock)
    web = make_cluster("web")
    await view.snapshot()
    delete_cluster(database, web, now)  # committed by a server whose event was lost
    clock.now = 29.0
    assert [c.name for c in (await view.snapshot())[0]] == ["web"]

    clock.now = 30.0
    assert await view.snapshot() == stored(database) == ([], [])
