"""DropletRepository on SQLite and MariaDB."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest

from clustergenie_server.db import Database, DropletRepository
from clustergenie_server.domain.errors import AlreadyExists, NotFound
from clustergenie_server.domain.models import Cluster, Droplet, DropletStatus

MakeCluster = Callable[..., Cluster]
MakeDroplets = Callable[..., list[Droplet]]


def test_add_many_creates_new_locked_droplets_in_order(
    make_cluster: MakeCluster, make_droplets: MakeDroplets, now: datetime
) -> None:
    cluster = make_cluster("web")

    droplets = make_droplets(cluster.id, "web-2", "web-1")

    assert [d.name for d in droplets] == ["web-2", "web-1"]
    assert droplets[0].id < droplets[1].id
    for droplet in droplets:
        assert droplet.cluster_id == cluster.id
        assert (droplet.region, droplet.size) == ("nyc1", "s-1vcpu-1gb")
        assert droplet.image == "ubuntu-24-04-x64"
        assert droplet.status is DropletStatus.NEW
        assert droplet.locked is True
        assert droplet.ip_address == ""
        assert droplet.created_at == droplet.updated_at == now


def test_duplicate_name_in_a_cluster_is_already_exists(
    make_cluster: MakeCluster, make_droplets: MakeDroplets
) -> None:
    web, api = make_cluster("web"), make_cluster("api")
    make_droplets(web.id, "node-1")

    with pytest.raises(AlreadyExists, match="choose other names"):
        make_droplets(web.id, "node-2", "node-1")
    # The same name in another cluster is fine.
    assert [d.name for d in make_droplets(api.id, "node-1")] == ["node-1"]


def test_get_reads_back_and_misses(
    database: Database, make_cluster: MakeCluster, make_droplets: MakeDroplets
) -> None:
    (droplet,) = make_droplets(make_cluster("web").id, "web-1")

    assert database.run_sync(lambda s: DropletRepository(s).get(droplet.id)) == droplet
    assert database.run_sync(lambda s: DropletRepository(s).get(droplet.id + 1000)) is None


def test_list_filters_by_cluster_and_hides_destroyed(
    database: Database, make_cluster: MakeCluster, make_droplets: MakeDroplets, now: datetime
) -> None:
    web, api = make_cluster("web"), make_cluster("api")
    w1, w2 = make_droplets(web.id, "web-1", "web-2")
    (a1,) = make_droplets(api.id, "api-1")
    database.run_sync(
        lambda s: DropletRepository(s).update(w1.id, now=now, status=DropletStatus.ARCHIVE)
    )

    def ids(**kwargs: Any) -> list[int]:
        found = database.run_sync(lambda s: DropletRepository(s).list(**kwargs))
        return [d.id for d in found]

    assert ids() == [w2.id, a1.id]
    assert ids(include_destroyed=True) == [w1.id, w2.id, a1.id]
    assert ids(cluster_id=web.id) == [w2.id]
    assert ids(cluster_id=web.id, include_destroyed=True) == [w1.id, w2.id]
    assert ids(cluster_id=api.id) == [a1.id]
    # The simulation's narrow read sees the same droplets as list().
    placements = database.run_sync(lambda s: DropletRepository(s).placements())
    assert placements == [(d.id, d.cluster_id, d.size, d.status) for d in (w2, a1)]


def test_names_include_destroyed_droplets(
    database: Database, make_cluster: MakeCluster, make_droplets: MakeDroplets, now: datetime
) -> None:
    web = make_cluster("web")
    w1, _ = make_droplets(web.id, "web-1", "web-2")
    make_droplets(make_cluster("api").id, "api-1")
    database.run_sync(
        lambda s: DropletRepository(s).update(w1.id, now=now, status=DropletStatus.ARCHIVE)
    )

    assert database.run_sync(lambda s: DropletRepository(s).names(web.id)) == {"web-1", "web-2"}
    assert database.run_sync(lambda s: DropletRepository(s).names(999_999)) == set()


def test_update_changes_only_the_given_fields(
    database: Database, make_cluster: MakeCluster, make_droplets: MakeDroplets, now: datetime
) -> None:
    (droplet,) = make_droplets(make_cluster("web").id, "web-1")
    later = now + timedelta(seconds=30)

    updated = database.run_sync(
        lambda s: DropletRepository(s).update(
            droplet.id, now=later, status=DropletStatus.ACTIVE, ip_address="10.0.0.7", locked=False
        )
    )
    resized = database.run_sync(
        lambda s: DropletRepository(s).update(droplet.id, now=later, size="s-2vcpu-4gb")
    )

    assert (updated.status, updated.ip_address, updated.locked) == (
        DropletStatus.ACTIVE,
        "10.0.0.7",
        False,
    )
    assert updated.size == droplet.size
    assert (updated.created_at, updated.updated_at) == (now, later)
    assert resized.size == "s-2vcpu-4gb"
    assert (resized.status, resized.ip_address, resized.locked) == (
        DropletStatus.ACTIVE,
        "10.0.0.7",
        False,
    )
    assert database.run_sync(lambda s: DropletRepository(s).get(droplet.id)) == resized


def test_update_of_a_missing_droplet_is_not_found(database: Database, now: datetime) -> None:
    with pytest.raises(NotFound, match="droplet 424242 does not exist"):
        database.run_sync(lambda s: DropletRepository(s).update(424242, now=now, locked=False))
