"""Metric samples, faults, scaling policies, decisions and drains on SQLite and MariaDB."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta

import numpy as np
from sqlalchemy.orm import Session

from clustergenie_server.db import Database
from clustergenie_server.db.fault_repository import FaultRepository
from clustergenie_server.db.metric_repository import MetricRepository
from clustergenie_server.db.scaling_repository import ScalingRepository
from clustergenie_server.domain.models import Cluster, Droplet
from clustergenie_server.domain.scaling import (
    DecisionRule,
    RateLimit,
    RateLimitKind,
    ScalingAction,
    ScalingDecision,
    ScalingMetric,
    ScalingPolicy,
    ScalingRules,
    ScheduledMinimum,
    SelectPolicy,
)
from clustergenie_server.domain.telemetry import METRICS, Fault, FaultKind, FaultState, Metric
from tests.server.db.conftest import NOW


def test_samples_are_written_in_a_batch_and_read_back_by_series(database: Database) -> None:
    n = 30
    t = np.repeat(np.arange(n) * 10.0 + 1e9, 2)
    clusters = np.full(2 * n, 7)
    droplets = np.tile([0, 42], n)
    values = np.arange(2 * n * len(METRICS), dtype=float).reshape(2 * n, len(METRICS)) / 3
    assert (
        database.run_sync(lambda s: MetricRepository(s).insert(t, clusters, droplets, values))
        == 2 * n
    )

    times, got = database.run_sync(
        lambda s: MetricRepository(s).read(
            cluster_id=7, droplet_id=42, metrics=[Metric.CPU_PERCENT, Metric.ERROR_RATE],
            since=1e9 + 50, until=1e9 + 100,
        )
    )  # fmt: skip
    assert times.tolist() == [1e9 + 50 + 10 * k for k in range(5)]
    rows = values[1::2][5:10]
    assert np.allclose(got[:, 0], rows[:, Metric.CPU_PERCENT.column])
    assert np.allclose(got[:, 1], rows[:, Metric.ERROR_RATE.column])
    assert database.run_sync(lambda s: MetricRepository(s).latest_time()) == 1e9 + 290
    # Retention deletes in bounded batches, oldest first: 20 rows are older than 1e9 + 100.
    delete = [database.run_sync(lambda s: MetricRepository(s).delete_before(1e9 + 100, 15))
              for _ in range(3)]  # fmt: skip
    assert delete == [15, 5, 0]
    times, _ = database.run_sync(
        lambda s: MetricRepository(s).read(
            cluster_id=7, droplet_id=0, metrics=[Metric.CPU_PERCENT], since=0, until=2e9
        )
    )
    assert len(times) == 20


def test_every_clusters_aggregates_are_read_in_time_order(
    database: Database, make_cluster: Callable[..., Cluster]
) -> None:
    a, b = make_cluster(name="a"), make_cluster(name="b")
    # Two ticks: each cluster's aggregate (droplet 0) and one droplet of a.
    t = np.array([100.0, 100.0, 100.0, 110.0, 110.0, 110.0])
    clusters = np.array([a.id, b.id, a.id, b.id, a.id, a.id])
    droplets = np.array([0, 0, 9, 0, 0, 9])
    values = np.arange(6 * len(METRICS), dtype=float).reshape(6, len(METRICS))
    database.run_sync(lambda s: MetricRepository(s).insert(t, clusters, droplets, values))

    samples = database.run_sync(lambda s: MetricRepository(s).aggregates(since=100, until=120))
    assert [(x.time, x.cluster_id, x.droplet_id) for x in samples] == [
        (100.0, a.id, 0), (100.0, b.id, 0), (110.0, a.id, 0), (110.0, b.id, 0)
    ]  # fmt: skip
    assert samples[3].values == tuple(values[3].tolist())
    later = database.run_sync(lambda s: MetricRepository(s).aggregates(since=105, until=110))
    assert later == []


def test_faults_are_kept_and_move_through_their_states(
    database: Database,
    make_cluster: Callable[..., Cluster],
    make_droplets: Callable[..., list[Droplet]],
) -> None:
    cluster = make_cluster()
    droplet = make_droplets(cluster.id, "web-1")[0]

    def add(s: Session, kind: FaultKind, droplet_id: int | None) -> Fault:
        return FaultRepository(s).add(
            kind=kind, cluster_id=cluster.id, droplet_id=droplet_id, magnitude=0.5,
            start_at=NOW, duration_seconds=600.0, state=FaultState.ACTIVE,
            description="CPU hog", now=NOW,
        )  # fmt: skip

    hog = database.run_sync(lambda s: add(s, FaultKind.CPU_HOG, droplet.id))
    spike = database.run_sync(lambda s: add(s, FaultKind.TRAFFIC_SPIKE, None))
    assert hog.start_at == NOW
    assert hog.active_at(NOW.timestamp() + 10)
    assert not hog.active_at(NOW.timestamp() + 600)
    live = database.run_sync(lambda s: FaultRepository(s).list(cluster_id=cluster.id))
    assert [f.id for f in live] == [spike.id, hog.id]
    ended = NOW + timedelta(seconds=60)
    cleared = database.run_sync(
        lambda s: FaultRepository(s).set_state(hog.id, FaultState.CLEARED, ended)
    )
    assert (cleared.state, cleared.ended_at) == (FaultState.CLEARED, ended)
    assert [f.id for f in database.run_sync(lambda s: FaultRepository(s).list())] == [spike.id]
    every = database.run_sync(lambda s: FaultRepository(s).list(include_ended=True))
    assert len(every) == 2


def test_a_policy_round_trips_with_every_rule(
    database: Database, make_cluster: Callable[..., Cluster]
) -> None:
    cluster = make_cluster()
    policy = ScalingPolicy(
        cluster_id=cluster.id,
        metric=ScalingMetric.P95_LATENCY,
        target=250.0,
        min_droplets=2,
        max_droplets=9,
        tolerance=0.05,
        scale_up=ScalingRules(
            30.0, SelectPolicy.MIN, (RateLimit(RateLimitKind.DROPLETS, 2, 60.0),)
        ),
        scale_down=ScalingRules(120.0, SelectPolicy.DISABLED, ()),
        schedules=(ScheduledMinimum(4, 8, 18, (1, 2, 3, 4, 5)),),
    )
    stored = database.run_sync(lambda s: ScalingRepository(s).put_policy(policy, NOW))
    assert stored.created_at == NOW
    got = database.run_sync(lambda s: ScalingRepository(s).get_policy(cluster.id))
    assert got == replace(policy, created_at=NOW, updated_at=NOW)
    later = NOW + timedelta(minutes=1)
    database.run_sync(lambda s: ScalingRepository(s).put_policy(replace(policy, target=300), later))
    again = database.run_sync(lambda s: ScalingRepository(s).get_policy(cluster.id))
    assert again is not None
    assert (again.target, again.created_at, again.updated_at) == (300.0, NOW, later)
    assert len(database.run_sync(lambda s: ScalingRepository(s).list_policies())) == 1
    assert database.run_sync(lambda s: ScalingRepository(s).delete_policy(cluster.id))
    assert not database.run_sync(lambda s: ScalingRepository(s).delete_policy(cluster.id))


def test_decisions_and_drains(
    database: Database,
    make_cluster: Callable[..., Cluster],
    make_droplets: Callable[..., list[Droplet]],
) -> None:
    cluster = make_cluster()
    droplets = make_droplets(cluster.id, "web-1", "web-2")

    def decision(k: int, action: ScalingAction) -> ScalingDecision:
        return ScalingDecision(
            0, cluster.id, NOW + timedelta(seconds=15 * k), ScalingMetric.CPU, 80.0, 60.0,
            3, 3, 4, 4, 4, 4 if action is ScalingAction.SCALE_UP else 3, action,
            DecisionRule.FORMULA, "why", None,
        )  # fmt: skip

    def add(k: int, action: ScalingAction) -> Callable[[Session], ScalingDecision]:
        return lambda s: ScalingRepository(s).add_decision(decision(k, action), evaluated=k > 0)

    for k, action in enumerate([ScalingAction.NONE, ScalingAction.SCALE_UP, ScalingAction.NONE]):
        database.run_sync(add(k, action))
    newest = database.run_sync(lambda s: ScalingRepository(s).list_decisions(cluster_id=cluster.id))
    assert [d.time for d in newest] == [NOW + timedelta(seconds=15 * k) for k in (2, 1, 0)]
    changes = database.run_sync(lambda s: ScalingRepository(s).list_decisions(changes_only=True))
    assert [d.action for d in changes] == [ScalingAction.SCALE_UP]
    history = database.run_sync(lambda s: ScalingRepository(s).history(cluster.id, NOW))
    assert [(d.time, evaluated) for d, evaluated in history] == [
        (NOW + timedelta(seconds=15), True),
        (NOW + timedelta(seconds=30), True),
    ]

    database.run_sync(lambda s: ScalingRepository(s).drain(droplets[1].id, cluster.id, NOW))
    database.run_sync(lambda s: ScalingRepository(s).drain(droplets[1].id, cluster.id, NOW))
    assert database.run_sync(lambda s: ScalingRepository(s).draining(cluster.id)) == {
        droplets[1].id
    }
    database.run_sync(lambda s: ScalingRepository(s).undrain([droplets[1].id]))
    assert database.run_sync(lambda s: ScalingRepository(s).draining()) == set()
