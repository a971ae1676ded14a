"""The simulation engine: traffic sharing, size-bound saturation, faults, replay."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np

from clustergenie_server.domain.telemetry import Fault, FaultKind, FaultState, Metric
from clustergenie_server.simulation.catalog import DEFAULT_CATALOG
from clustergenie_server.simulation.droplet_metrics import OOM_RESTART_SECONDS
from clustergenie_server.simulation.engine import ClusterInfo, DropletInfo, SimulationEngine

T0 = datetime(2025, 3, 3, 12, tzinfo=UTC).timestamp()  # a Monday noon
FLAT = ("rps:150", "traffic:flat")


def engine(
    droplets: list[DropletInfo], tags: tuple[str, ...] = FLAT, seed: int = 1
) -> SimulationEngine:
    """An engine over one cluster (id 1) with the given droplets."""
    e = SimulationEngine(seed, DEFAULT_CATALOG, tick_seconds=10.0, bursts_per_day=4.0)
    e.set_inventory([ClusterInfo(1, tags)], droplets)
    return e


def small(n: int, size: str = "s-1vcpu-1gb") -> list[DropletInfo]:
    """n droplets of one size in cluster 1."""
    return [DropletInfo(i, 1, size) for i in range(1, n + 1)]


def fault(kind: FaultKind, magnitude: float, droplet_id: int | None = None) -> Fault:
    """A fault active from T0 on."""
    start = datetime.fromtimestamp(T0, UTC)
    return Fault(1, kind, 1, droplet_id, magnitude, start, 0.0, FaultState.ACTIVE, None, "", start)


def col(values: np.ndarray, metric: Metric) -> np.ndarray:
    """One metric's column."""
    return values[:, metric.column]


def test_traffic_is_shared_among_active_droplets() -> None:
    e = engine(small(3))
    tick = e.tick(T0)
    assert np.allclose(col(tick.droplet_values, Metric.REQUESTS_PER_SECOND), 50.0)
    aggregate = tick.cluster_values[0]
    assert aggregate[Metric.OFFERED_RPS.column] == 150.0
    assert aggregate[Metric.SERVING_DROPLETS.column] == 3
    assert aggregate[Metric.REQUESTS_PER_DROPLET.column] == 50.0
    # More droplets: less load on each.
    e.set_inventory([ClusterInfo(1, FLAT)], small(6))
    assert np.allclose(col(e.tick(T0 + 10).droplet_values, Metric.REQUESTS_PER_SECOND), 25.0)


def test_draining_droplets_get_no_traffic() -> None:
    e = engine(small(3))
    e.set_inventory([ClusterInfo(1, FLAT)], small(3), draining={3})
    rps = col(e.tick(T0).droplet_values, Metric.REQUESTS_PER_SECOND)
    assert rps.tolist() == [75.0, 75.0, 0.0]


def test_a_bigger_droplet_saturates_later() -> None:
    tags = ("rps:300", "traffic:flat")
    one = engine(small(1, "s-1vcpu-1gb"), tags).tick(T0).droplet_values[0]
    four = engine(small(1, "s-4vcpu-8gb"), tags).tick(T0).droplet_values[0]
    assert one[Metric.CPU_PERCENT.column] == 100.0
    assert one[Metric.ERROR_RATE.column] > 0.5  # 300 offered, 100 served
    assert four[Metric.CPU_PERCENT.column] < 85.0
    assert four[Metric.LATENCY_P95_MS.column] < one[Metric.LATENCY_P95_MS.column]


def test_cpu_hog_raises_cpu() -> None:
    e = engine(small(2), tags=("rps:40", "traffic:flat"))
    before = col(e.tick(T0).droplet_values, Metric.CPU_PERCENT)
    e.set_faults([fault(FaultKind.CPU_HOG, 0.5, droplet_id=1)])
    after = col(e.tick(T0 + 10).droplet_values, Metric.CPU_PERCENT)
    assert after[0] > before[0] + 40
    assert abs(after[1] - before[1]) < 5


def test_memory_leak_climbs_to_oom_then_restarts() -> None:
    e = engine(small(1))
    e.set_faults([fault(FaultKind.MEMORY_LEAK, 10.0)])  # 10 % of memory per minute
    memory, serving = [], []
    for k in range(80):
        tick = e.tick(T0 + 10 * k)
        memory.append(tick.droplet_values[0, Metric.MEMORY_PERCENT.column])
        serving.append(tick.cluster_values[0, Metric.SERVING_DROPLETS.column])
    peak = int(np.argmax(memory))
    assert memory[peak] > 90
    assert all(b > a for a, b in zip(memory[:peak], memory[1 : peak + 1], strict=True))
    assert memory[peak + 1] < 30  # killed for memory and restarted clean
    # Down while it restarts (from the tick after the kill), then it serves, and leaks, again.
    down = int(OOM_RESTART_SECONDS // 10) - 1  # the kill's own tick had served already
    assert serving[peak + 2 : peak + 2 + down] == [0.0] * down
    assert serving[peak + 2 + down] == 1.0


def test_partition_and_crash_loop_take_droplets_out_of_the_balancer() -> None:
    e = engine(small(2))
    e.set_faults([fault(FaultKind.NETWORK_PARTITION, 1.0, droplet_id=2)])
    rps = col(e.tick(T0).droplet_values, Metric.REQUESTS_PER_SECOND)
    assert rps.tolist() == [150.0, 0.0]
    e.set_faults([fault(FaultKind.CRASH_LOOP, 60.0)])
    aggregate = e.tick(T0 + 10).cluster_values[0]  # 10 s into a 60 s period: down
    assert aggregate[Metric.SERVING_DROPLETS.column] == 0
    assert aggregate[Metric.ERROR_RATE.column] == 1.0


def test_bad_deploy_latency_disk_and_spike() -> None:
    e = engine(small(2))
    base = e.tick(T0).cluster_values[0]
    e.set_faults(
        [
            fault(FaultKind.BAD_DEPLOY, 0.3),
            fault(FaultKind.NETWORK_LATENCY, 200.0),
            fault(FaultKind.TRAFFIC_SPIKE, 2.0),
            fault(FaultKind.DISK_FILL, 30.0),
        ]
    )
    hit = e.tick(T0 + 10).cluster_values[0]
    assert hit[Metric.ERROR_RATE.column] > 0.29
    assert hit[Metric.LATENCY_P50_MS.column] > base[Metric.LATENCY_P50_MS.column] + 190
    assert hit[Metric.OFFERED_RPS.column] == 300.0
    assert hit[Metric.DISK_PERCENT.column] > base[Metric.DISK_PERCENT.column] + 4


def test_a_seed_replays_the_same_run() -> None:
    def run(seed: int) -> np.ndarray:
        e = engine(small(5), tags=(), seed=seed)
        return np.vstack([e.tick(T0 + 10 * k).cluster_values for k in range(50)])

    assert np.array_equal(run(7), run(7))
    assert not np.array_equal(run(7), run(8))


def test_traffic_follows_a_daily_shape() -> None:
    e = engine(small(3), tags=("rps:200",))
    night = np.mean([e.tick(T0 - 9 * 3600 + 10 * k).cluster_values[0, -1] for k in range(30)])
    day = np.mean([e.tick(T0 + 3 * 3600 + 10 * k).cluster_values[0, -1] for k in range(30)])
    assert day > 1.5 * night
