"""ClusterRepository on SQLite and MariaDB."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from clustergenie_server.db import ClusterRepository, Database, DropletRepository
from clustergenie_server.domain.errors import AlreadyExists, NotFound
from clustergenie_server.domain.models import Cluster, ClusterStatus, Droplet, DropletStatus

MakeCluster = Callable[..., Cluster]


def test_add_returns_an_active_cluster(make_cluster: MakeCluster, now: datetime) -> None:
    cluster = make_cluster("web")

    assert cluster.id > 0
    assert (cluster.name, cluster.region, cluster.size) == ("web", "nyc1", "s-1vcpu-1gb")
    assert cluster.image == "ubuntu-24-04-x64"
    assert cluster.tags == ("prod", "web")
    assert cluster.status is ClusterStatus.ACTIVE
    assert cluster.created_at == cluster.updated_at == now
    assert (cluster.droplet_count, cluster.active_droplet_count) == (0, 0)


def test_get_reads_back_what_add_wrote(database: Database, make_cluster: MakeCluster) -> None:
    cluster = make_cluster("web")

    assert database.run_sync(lambda s: ClusterRepository(s).get(cluster.id)) == cluster
    assert database.run_sync(lambda s: ClusterRepository(s).get(cluster.id + 1000)) is None


def test_timestamps_round_trip_as_aware_utc(database: Database, make_cluster: MakeCluster) -> None:
    # 14:30:45 at +02:00 is 12:30:45 UTC; microseconds must survive DATETIME(6) too.
    local = datetime(2025, 3, 1, 14, 30, 45, 654321, tzinfo=timezone(timedelta(hours=2)))
    added = make_cluster("web", now=local)

    read = database.run_sync(lambda s: ClusterRepository(s).get(added.id))

    assert read is not None
    for cluster in (added, read):
        assert cluster.created_at == local
        assert cluster.created_at.tzinfo is UTC
        assert cluster.created_at.replace(tzinfo=None) == datetime(2025, 3, 1, 12, 30, 45, 654321)


def test_naive_datetimes_are_refused(make_cluster: MakeCluster) -> None:
    with pytest.raises(sa.exc.StatementError, match="naive datetime"):
        make_cluster("web", now=datetime(2025, 3, 1, 12, 0))


def test_duplicate_live_name_is_already_exists(make_cluster: MakeCluster) -> None:
    make_cluster("web")

    with pytest.raises(AlreadyExists, match="a cluster named 'web' exists already"):
        make_cluster("web")


def test_refused_duplicate_leaves_the_transaction_usable(
    database: Database, make_cluster: MakeCluster, now: datetime
) -> None:
    make_cluster("web")

    def add_twice(session: Session) -> Cluster:
        repository = ClusterRepository(session)
        with pytest.raises(AlreadyExists):
            repository.add(name="web", region="nyc1", size="s", image="i", tags=(), now=now)
        return repository.add(name="api", region="nyc1", size="s", image="i", tags=(), now=now)

    api = database.run_sync(add_twice)

    names = [c.name for c in database.run_sync(lambda s: ClusterRepository(s).list())]
    assert names == ["web", "api"]
    assert api.name == "api"


def test_name_can_be_reused_after_delete(
    database: Database, make_cluster: MakeCluster, now: datetime
) -> None:
    old = make_cluster("web")
    deleted = database.run_sync(
        lambda s: ClusterRepository(s).set_status(old.id, ClusterStatus.DELETED, now)
    )

    new = make_cluster("web")

    assert deleted.status is ClusterStatus.DELETED
    assert new.id != old.id
    live = database.run_sync(lambda s: ClusterRepository(s).get_live_by_name("web"))
    assert live == new
    assert database.run_sync(lambda s: ClusterRepository(s).list()) == [new]
    everything = database.run_sync(lambda s: ClusterRepository(s).list(include_deleted=True))
    assert [c.id for c in everything] == [old.id, new.id]


def test_get_live_by_name_ignores_deleted_and_unknown(
    database: Database, make_cluster: MakeCluster, now: datetime
) -> None:
    cluster = make_cluster("web")
    deleting = database.run_sync(
        lambda s: ClusterRepository(s).set_status(cluster.id, ClusterStatus.DELETING, later(now))
    )

    # DELETING still holds the name: the cluster is not gone yet.
    assert deleting.status is ClusterStatus.DELETING
    assert deleting.updated_at == later(now)
    assert database.run_sync(lambda s: ClusterRepository(s).get_live_by_name("web")) == deleting
    assert database.run_sync(lambda s: ClusterRepository(s).get_live_by_name("nope")) is None

    database.run_sync(
        lambda s: ClusterRepository(s).set_status(cluster.id, ClusterStatus.DELETED, now)
    )
    assert database.run_sync(lambda s: ClusterRepository(s).get_live_by_name("web")) is None


def test_live_tags_are_those_of_the_clusters_list_shows(
    database: Database, make_cluster: MakeCluster, now: datetime
) -> None:
    web, api = make_cluster("web", tags=("rps:300",)), make_cluster("api", tags=())
    gone = make_cluster("gone")
    database.run_sync(
        lambda s: ClusterRepository(s).set_status(gone.id, ClusterStatus.DELETED, now)
    )

    live = database.run_sync(lambda s: ClusterRepository(s).live_tags())

    assert live == [(web.id, ("rps:300",)), (api.id, ())]
    listed = database.run_sync(lambda s: ClusterRepository(s).list())
    assert live == [(c.id, c.tags) for c in listed]


def test_set_status_of_a_missing_cluster_is_not_found(database: Database, now: datetime) -> None:
    with pytest.raises(NotFound, match="cluster 424242 does not exist"):
        database.run_sync(
            lambda s: ClusterRepository(s).set_status(424242, ClusterStatus.DELETED, now)
        )


def test_droplet_counts_skip_destroyed_droplets(
    database: Database,
    make_cluster: MakeCluster,
    make_droplets: Callable[..., list[Droplet]],
    now: datetime,
) -> None:
    web, api, empty = make_cluster("web"), make_cluster("api"), make_cluster("empty")
    a, b, c, _ = make_droplets(web.id, "web-1", "web-2", "web-3", "web-4")
    make_droplets(api.id, "api-1")

    def change(session: Session) -> None:
        droplets = DropletRepository(session)
        droplets.update(a.id, now=now, status=DropletStatus.ACTIVE)
        droplets.update(b.id, now=now, status=DropletStatus.ACTIVE)
        droplets.update(c.id, now=now, status=DropletStatus.ARCHIVE)

    database.run_sync(change)

    counts = {
        cluster.name: (cluster.droplet_count, cluster.active_droplet_count)
        for cluster in database.run_sync(lambda s: ClusterRepository(s).list())
    }
    assert counts == {"web": (3, 2), "api": (1, 0), "empty": (0, 0)}
    got = database.run_sync(lambda s: ClusterRepository(s).get(web.id))
    assert got is not None
    assert (got.droplet_count, got.active_droplet_count) == (3, 2)
    assert empty.droplet_count == 0


def test_list_counts_droplets_in_one_query(
    database: Database, make_cluster: MakeCluster, make_droplets: Callable[..., list[Droplet]]
) -> None:
    for name in ("a", "b", "c"):
        make_droplets(make_cluster(name).id, f"{name}-1", f"{name}-2")
    statements: list[str] = []

    def record(*args: object) -> None:
        statements.append(str(args[2]))

    sa.event.listen(database.engine, "before_cursor_execute", record)
    try:
        clusters = database.run_sync(lambda s: ClusterRepository(s).list())
    finally:
        sa.event.remove(database.engine, "before_cursor_execute", record)

    assert [c.droplet_count for c in clusters] == [2, 2, 2]
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 1


def later(now: datetime) -> datetime:
    """A minute after now."""
    return now + timedelta(minutes=1)


def test_touch_moves_updated_at_so_count_changes_are_newer_versions(database: Database) -> None:
    def scenario(s: Session) -> tuple[Cluster, Cluster]:
        repo = ClusterRepository(s)
        before = repo.add(
            name="t",
            region="nyc1",
            size="s-1vcpu-1gb",
            image="debian-12-x64",
            tags=(),
            now=datetime(2026, 1, 1, tzinfo=UTC),
        )
        after = repo.touch(before.id, datetime(2026, 1, 2, tzinfo=UTC))
        assert after is not None
        return before, after

    before, after = database.run_sync(scenario)
    assert after.updated_at > before.updated_at
