"""Telemetry figures: simulation throughput, and a 24-hour metrics query with downsampling."""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
from sqlalchemy.orm import Session

from bench.report import Row, median
from clustergenie_server.db import Database
from clustergenie_server.db.metric_repository import MetricRepository
from clustergenie_server.db.telemetry_models import metric_samples
from clustergenie_server.domain.telemetry import METRICS, Aggregation, Metric
from clustergenie_server.services.telemetry.downsample import bucket_start, downsample
from clustergenie_server.simulation.catalog import DEFAULT_CATALOG
from clustergenie_server.simulation.engine import ClusterInfo, DropletInfo, SimulationEngine

DROPLETS = 1_000
CLUSTERS = 20
TICK = 10.0
TIME_SCALE = 60.0
DAY = 86_400.0
BENCH_CLUSTER = 987_654  # metric_samples has no foreign keys: any id will do
POINTS = 500


def tick_rate(ticks: int, rounds: int) -> float:
    """Droplets ticked per wall-clock second, 1,000 droplets in 20 clusters."""
    engine = SimulationEngine(1, DEFAULT_CATALOG, tick_seconds=TICK, bursts_per_day=4.0)
    engine.set_inventory(
        [ClusterInfo(c) for c in range(1, CLUSTERS + 1)],
        [DropletInfo(d, 1 + d % CLUSTERS, "s-2vcpu-4gb") for d in range(1, DROPLETS + 1)],
    )
    rates = []
    for r in range(rounds):
        start = time.perf_counter()
        for k in range(ticks):
            engine.tick(1.7e9 + TICK * (r * ticks + k))
        rates.append(DROPLETS * ticks / (time.perf_counter() - start))
    return median(rates)


def _fill_day(db: Database, droplets: int) -> float:
    """A day of samples of one cluster (aggregate plus `droplets`); returns the day's end."""
    end = 1.7e9 + DAY
    times = np.arange(end - DAY, end, TICK)
    ids = np.arange(droplets + 1)
    t = np.repeat(times, len(ids))
    values = np.random.default_rng(1).uniform(0, 100, (len(t), len(METRICS)))
    chunk = 50_000
    droplet_ids = np.tile(ids, len(times))

    def insert(p: slice) -> Callable[[Session], int]:
        return lambda s: MetricRepository(s).insert(
            t[p], np.full(len(t[p]), BENCH_CLUSTER), droplet_ids[p], values[p]
        )

    for i in range(0, len(t), chunk):
        db.run_sync(insert(slice(i, i + chunk)))
    return end


def query_times(url: str, droplets: int, rounds: int) -> tuple[float, float]:
    """(ours, reference) ms for 24 h of one cluster aggregate: ours reads and downsamples to
    500 points (QuerySeries' path below gRPC); the reference only SELECTs the same rows."""
    db = Database.connect(url)
    try:
        db.migrate()
        end = _fill_day(db, droplets)
        step = DAY / POINTS
        metrics = [Metric.CPU_PERCENT, Metric.REQUESTS_PER_DROPLET]

        def ours() -> None:
            times, values = db.run_sync(
                lambda s: MetricRepository(s).read(
                    cluster_id=BENCH_CLUSTER, droplet_id=0, metrics=metrics,
                    since=end - DAY, until=end,
                )
            )  # fmt: skip
            for i in range(len(metrics)):
                downsample(
                    times, values[:, i], start=bucket_start(end - DAY, step), step=step,
                    aggregation=Aggregation.MEAN,
                )  # fmt: skip

        def reference() -> None:
            c = metric_samples.c
            query = (
                metric_samples.select()
                .with_only_columns(c.t, c.cpu_percent, c.requests_per_droplet)
                .where(c.cluster_id == BENCH_CLUSTER, c.droplet_id == 0, c.t >= end - DAY)
                .order_by(c.t)
            )
            db.run_sync(lambda s: s.execute(query).all())

        return _timed(ours, rounds), _timed(reference, rounds)
    finally:
        with db.engine.begin() as connection:
            connection.execute(
                metric_samples.delete().where(metric_samples.c.cluster_id == BENCH_CLUSTER)
            )
        db.close()


def _timed(fn: Callable[[], object], rounds: int) -> float:
    samples = []
    for _ in range(rounds + 1):  # the first call warms caches and is not counted
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return median(samples[1:])


def rows(url: str, *, quick: bool) -> list[Row]:
    """The telemetry figures beside their references."""
    needed = DROPLETS * TIME_SCALE / TICK
    rate = tick_rate(ticks=50 if quick else 500, rounds=1 if quick else 3)
    ours, ref = query_times(url, droplets=0 if quick else 10, rounds=3 if quick else 7)
    return [
        Row(
            f"simulation: droplets ticked per second ({DROPLETS} droplets)",
            rate,
            needed,
            "droplets/s",
            f"needed for {DROPLETS} droplets at {TIME_SCALE:g}x",
        ),
        Row(
            f"QuerySeries path: 24 h of a cluster, {POINTS} points",
            ours,
            ref,
            "ms",
            "plain SELECT of the same rows",
        ),
    ]
