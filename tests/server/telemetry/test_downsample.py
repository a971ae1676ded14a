"""Server-side downsampling and the in-memory hot window."""

from __future__ import annotations

import numpy as np

from clustergenie_server.domain.telemetry import Aggregation, Metric
from clustergenie_server.services.telemetry.downsample import bucket_start, downsample
from clustergenie_server.services.telemetry.hot_window import MemoryHotWindow
from clustergenie_server.simulation.catalog import DEFAULT_CATALOG
from clustergenie_server.simulation.engine import ClusterInfo, DropletInfo, SimulationEngine


def test_buckets_take_mean_min_max_and_last() -> None:
    times = np.arange(0.0, 120.0, 10.0)  # 12 samples, 10 s apart
    values = np.arange(12.0)
    for aggregation, expected in [
        (Aggregation.MEAN, [2.5, 8.5]),
        (Aggregation.MAX, [5.0, 11.0]),
        (Aggregation.MIN, [0.0, 6.0]),
        (Aggregation.LAST, [5.0, 11.0]),
    ]:
        bt, bv, bmin, bmax = downsample(
            times, values, start=0.0, step=60.0, aggregation=aggregation
        )
        assert bt.tolist() == [0.0, 60.0]
        assert bv.tolist() == expected
        assert (bmin.tolist(), bmax.tolist()) == ([0.0, 6.0], [5.0, 11.0])


def test_empty_buckets_are_left_out_and_buckets_are_aligned() -> None:
    times = np.array([5.0, 15.0, 205.0])
    bt, bv, _, _ = downsample(
        times, np.array([1.0, 3.0, 10.0]), start=bucket_start(5.0, 60.0), step=60.0,
        aggregation=Aggregation.MEAN,
    )  # fmt: skip
    assert bt.tolist() == [0.0, 180.0]
    assert bv.tolist() == [2.0, 10.0]
    assert bucket_start(125.0, 60.0) == 120.0


def test_a_day_of_samples_downsamples_to_the_asked_points() -> None:
    times = np.arange(0.0, 86_400.0, 10.0)
    values = np.sin(times / 3600.0)
    bt, bv, bmin, bmax = downsample(
        times, values, start=0.0, step=86_400.0 / 500, aggregation=Aggregation.MEAN
    )
    assert len(bt) == 500
    assert np.all(bmin <= bv)
    assert np.all(bv <= bmax)


def test_hot_window_reads_a_series_and_knows_what_it_covers() -> None:
    engine = SimulationEngine(1, DEFAULT_CATALOG, tick_seconds=10.0, bursts_per_day=0.0)
    engine.set_inventory(
        [ClusterInfo(1, ("rps:100", "traffic:flat"))], [DropletInfo(5, 1, "s-1vcpu-1gb")]
    )
    hot = MemoryHotWindow(max_ticks=10)
    for k in range(15):
        hot.append(engine.tick(1000.0 + 10 * k))
    assert hot.start() == 1050.0
    times, values = hot.read(1, 0, [Metric.OFFERED_RPS, Metric.SERVING_DROPLETS], 1100.0, 1200.0)
    assert times.tolist() == [1100.0 + 10 * k for k in range(5)]
    assert values[:, 0].tolist() == [100.0] * 5
    assert values[:, 1].tolist() == [1.0] * 5
    droplet_times, droplet_values = hot.read(1, 5, [Metric.REQUESTS_PER_SECOND], 0.0, 1e9)
    assert len(droplet_times) == 10
    assert set(droplet_values[:, 0]) == {100.0}
    recent = hot.recent(1, None, 1100.0)
    assert [ss[0].time for ss in recent] == [1100.0 + 10 * k for k in range(5)]
    assert {s.droplet_id for ss in recent for s in ss} == {0, 5}
    # Every watch of the same aggregate gets the same list, converted once for all of them.
    aggregates = hot.recent(1, 0, 1100.0)
    assert [len(ss) for ss in aggregates] == [1] * 5
    assert all(a is b for a, b in zip(aggregates, hot.recent(1, 0, 1100.0), strict=True))
