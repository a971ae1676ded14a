"""The telemetry runner over a real database: persisted faults act after a restart, move through
their states, and samples are written in batches."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta
from typing import TypeVar

import numpy as np
import pytest
from sqlalchemy.orm import Session

from clustergenie_server.bus.in_process_bus import InProcessEventBus
from clustergenie_server.bus.outbox import Outbox
from clustergenie_server.db import Database, DropletRepository
from clustergenie_server.db.fault_repository import FaultRepository
from clustergenie_server.db.metric_repository import MetricRepository
from clustergenie_server.db.scaling_repository import ScalingRepository
from clustergenie_server.domain.events import DropletChanged, Event, FaultChanged
from clustergenie_server.domain.models import Cluster, Droplet, DropletStatus
from clustergenie_server.domain.telemetry import METRICS, FaultKind, FaultState, Metric
from clustergenie_server.services.shared.leadership import Leadership
from clustergenie_server.services.telemetry import telemetry_runner
from clustergenie_server.services.telemetry.downsample import bucket_start
from clustergenie_server.services.telemetry.hot_window import MemoryHotWindow
from clustergenie_server.services.telemetry.metrics_service import MetricsService, SeriesQuery
from clustergenie_server.services.telemetry.telemetry_runner import (
    RETENTION_BATCH_ROWS,
    TelemetryRunner,
)
from clustergenie_server.settings import TelemetrySettings
from clustergenie_server.simulation.catalog import DEFAULT_CATALOG
from clustergenie_server.simulation.clock import SimClock
from clustergenie_server.simulation.engine import SimulationEngine
from tests.server.db.conftest import NOW

T = TypeVar("T")


def runner(
    database: Database,
    t: float,
    bus: InProcessEventBus | None = None,
    settings: TelemetrySettings | None = None,
) -> TelemetryRunner:
    """A runner whose clock stands still at t (tests step it by hand)."""
    outbox = Outbox(database, bus or InProcessEventBus(), owner="test")
    settings = settings or TelemetrySettings()
    engine = SimulationEngine(1, DEFAULT_CATALOG, tick_seconds=10.0, bursts_per_day=0.0)
    return TelemetryRunner(
        database, outbox, SimClock(1.0, origin=t, monotonic=lambda: 0.0), engine,
        MemoryHotWindow(100), settings, Leadership(None, "test", 10.0),
    )  # fmt: skip


def offered_rps(
    database: Database, cluster_id: int, since: float, until: float
) -> tuple[np.ndarray, np.ndarray]:
    """The stored aggregate OFFERED_RPS series of a cluster in [since, until)."""
    return database.run_sync(
        lambda s: MetricRepository(s).read(
            cluster_id=cluster_id, droplet_id=0, metrics=[Metric.OFFERED_RPS],
            since=since, until=until,
        )
    )  # fmt: skip


def activate(database: Database, droplets: list[Droplet]) -> None:
    """Mark droplets active, as their provisioning would."""

    def activate_all(s: Session) -> None:
        for d in droplets:
            DropletRepository(s).update(d.id, now=NOW, status=DropletStatus.ACTIVE)

    database.run_sync(activate_all)


async def test_a_persisted_fault_acts_in_a_fresh_runner_and_expires(
    database: Database,
    make_cluster: Callable[..., Cluster],
    make_droplets: Callable[..., list[Droplet]],
) -> None:
    cluster = make_cluster(tags=("rps:40", "traffic:flat"))
    droplets = make_droplets(cluster.id, "web-1", "web-2")
    activate(database, droplets)
    hog = database.run_sync(
        lambda s: FaultRepository(s).add(
            kind=FaultKind.CPU_HOG, cluster_id=cluster.id, droplet_id=droplets[0].id,
            magnitude=0.6, start_at=NOW, duration_seconds=120.0, state=FaultState.ACTIVE,
            description="hog", now=NOW,
        )
    )  # fmt: skip
    t = NOW.timestamp() + 10
    r = runner(database, t)  # a "restarted" server: it knows the fault only from the database
    await r.refresh()
    tick = r.step(t)
    cpu = tick.droplet_values[:, Metric.CPU_PERCENT.column].tolist()
    assert cpu[0] > cpu[1] + 50

    bus = InProcessEventBus()
    events = bus.subscribe()  # the runner announces state changes
    later = runner(database, NOW.timestamp() + 130, bus)
    await later.refresh()
    stored = database.run_sync(lambda s: FaultRepository(s).get(hog.id))
    assert stored is not None
    assert (stored.state, stored.ended_at) == (FaultState.EXPIRED, NOW + timedelta(seconds=120))
    event = await anext(aiter(events))
    assert isinstance(event, FaultChanged)
    assert event.fault.state is FaultState.EXPIRED


async def test_a_fault_on_a_destroyed_droplet_is_cleared(
    database: Database,
    make_cluster: Callable[..., Cluster],
    make_droplets: Callable[..., list[Droplet]],
) -> None:
    cluster = make_cluster()
    droplet = make_droplets(cluster.id, "web-1")[0]
    fault = database.run_sync(
        lambda s: FaultRepository(s).add(
            kind=FaultKind.NETWORK_PARTITION, cluster_id=cluster.id, droplet_id=droplet.id,
            magnitude=1.0, start_at=NOW, duration_seconds=0.0, state=FaultState.ACTIVE,
            description="partition", now=NOW,
        )
    )  # fmt: skip
    database.run_sync(
        lambda s: DropletRepository(s).update(droplet.id, now=NOW, status=DropletStatus.ARCHIVE)
    )
    await runner(database, NOW.timestamp() + 10).refresh()
    stored = database.run_sync(lambda s: FaultRepository(s).get(fault.id))
    assert stored is not None
    assert stored.state is FaultState.CLEARED


async def test_droplets_join_and_leave_the_simulation_from_their_events_alone(
    database: Database,
    make_cluster: Callable[..., Cluster],
    make_droplets: Callable[..., list[Droplet]],
) -> None:
    # A provision's job announces the droplet active; the runner simulates it from the next
    # tick without re-reading the inventory, and stops when it is destroyed.
    cluster = make_cluster(tags=("rps:100", "traffic:flat"))
    first, second = make_droplets(cluster.id, "web-1", "web-2")
    activate(database, [first])
    bus = InProcessEventBus()
    r = runner(database, NOW.timestamp(), bus)
    await r.refresh()
    outbox = Outbox(database, bus, owner="jobs")

    async def change(droplet: Droplet, status: DropletStatus) -> None:
        await outbox.commit(
            lambda s: (
                None,
                [DropletChanged(DropletRepository(s).update(droplet.id, now=NOW, status=status))],
            )
        )

    async def ticks_until(expected: list[int]) -> None:
        t = NOW.timestamp()
        async with asyncio.timeout(10):
            while (t := t + 10) and r.step(t).droplet_ids.tolist() != expected:  # noqa: ASYNC110
                await asyncio.sleep(0.01)  # the follower task applies the event in between

    follower = asyncio.create_task(r._follow_inventory())
    try:
        await asyncio.sleep(0)  # let it subscribe
        assert r.step(NOW.timestamp() + 10).droplet_ids.tolist() == [first.id]
        await change(second, DropletStatus.ACTIVE)
        await ticks_until([first.id, second.id])
        await change(first, DropletStatus.ARCHIVE)
        await ticks_until([second.id])
    finally:
        follower.cancel()


async def test_a_drained_droplet_announced_by_its_job_stops_serving_before_the_periodic_refresh(
    database: Database,
    make_cluster: Callable[..., Cluster],
    make_droplets: Callable[..., list[Droplet]],
) -> None:
    # The scale-down job drains its victims and announces them unchanged; drains live only in
    # the database, so the announcement must make the runner read them now, not in a minute.
    cluster = make_cluster(tags=("rps:100", "traffic:flat"))
    kept, victim = make_droplets(cluster.id, "web-1", "web-2")
    activate(database, [kept, victim])
    bus = InProcessEventBus()
    slow = TelemetrySettings(inventory_refresh_seconds=600.0)
    r = runner(database, NOW.timestamp(), bus, slow)
    await r.refresh()

    victim_now = database.run_sync(lambda s: DropletRepository(s).get(victim.id))
    assert victim_now is not None

    def drain(s: Session) -> tuple[None, list[Event]]:
        ScalingRepository(s).drain(victim.id, cluster.id, NOW)
        return None, [DropletChanged(victim_now)]

    tasks = [asyncio.create_task(r._follow_inventory()), asyncio.create_task(r._refresh_loop())]
    try:
        await asyncio.sleep(0)  # let the follower subscribe
        await Outbox(database, bus, owner="jobs").commit(drain)
        t = NOW.timestamp()
        rps = Metric.REQUESTS_PER_SECOND.column
        async with asyncio.timeout(10):
            while (t := t + 10) and r.step(t).droplet_values[1, rps] > 0:  # noqa: ASYNC110
                await asyncio.sleep(0.05)  # the refresh it asked for runs in between
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def test_a_change_heard_while_the_inventory_is_read_is_not_lost(
    database: Database,
    make_cluster: Callable[..., Cluster],
    make_droplets: Callable[..., list[Droplet]],
) -> None:
    # The read saw the droplet before it became active; its event arrived during the read.
    cluster = make_cluster(tags=("rps:100", "traffic:flat"))
    (droplet,) = make_droplets(cluster.id, "web-1")
    r = runner(database, NOW.timestamp())
    read_done, event_heard = asyncio.Event(), asyncio.Event()
    real_read = database.read

    async def read_then_wait(fn: Callable[[Session], T]) -> T:
        result = await real_read(fn)
        read_done.set()
        await event_heard.wait()
        return result

    database.read = read_then_wait  # type: ignore[method-assign]
    refreshing = asyncio.create_task(r.refresh())
    await read_done.wait()
    activate(database, [droplet])
    active = database.run_sync(lambda s: DropletRepository(s).get(droplet.id))
    assert active is not None
    r._hear(DropletChanged(active))  # what the runner's event follower does
    event_heard.set()
    await refreshing
    assert r.step(NOW.timestamp() + 10).droplet_ids.tolist() == [droplet.id]


async def test_ticks_are_written_in_one_batch(
    database: Database,
    make_cluster: Callable[..., Cluster],
    make_droplets: Callable[..., list[Droplet]],
) -> None:
    cluster = make_cluster(tags=("rps:100", "traffic:flat"))
    activate(database, make_droplets(cluster.id, "web-1", "web-2", "web-3"))
    t0 = NOW.timestamp()
    r = runner(database, t0)
    await r.refresh()
    r._pending = [r.step(t0 + 10 * k) for k in range(6)]
    await r._flush()
    times, values = offered_rps(database, cluster.id, t0, t0 + 60)
    assert times.tolist() == [t0 + 10 * k for k in range(6)]
    assert set(values[:, 0]) == {100.0}
    assert database.run_sync(lambda s: MetricRepository(s).latest_time()) == t0 + 50


async def test_a_query_joins_the_database_and_the_hot_window(
    database: Database,
    make_cluster: Callable[..., Cluster],
    make_droplets: Callable[..., list[Droplet]],
) -> None:
    cluster = make_cluster(tags=("rps:100", "traffic:flat"))
    activate(database, make_droplets(cluster.id, "web-1"))
    t0 = NOW.timestamp()
    # An earlier server wrote the first minute; this one holds the next in memory only.
    earlier = runner(database, t0)
    await earlier.refresh()
    earlier._pending = [earlier.step(t0 + 10 * k) for k in range(6)]
    await earlier._flush()
    r = runner(database, t0 + 60)
    await r.refresh()
    for k in range(6, 12):
        r.step(t0 + 10 * k)
    service = MetricsService(database, r, TelemetrySettings())
    query = SeriesQuery(
        cluster.id, 0, [Metric.OFFERED_RPS], window_seconds=120, end=t0 + 120, step_seconds=10
    )
    (series,) = await service.query(query)
    assert list(series.times) == [bucket_start(t0, 10) + 10 * k for k in range(12)]  # aligned
    assert set(series.values) == {100.0}


async def test_retention_deletes_every_old_sample_in_batches_and_keeps_the_recent(
    database: Database,
) -> None:
    # More old rows than one batch: all go, over several units of work; the recent one stays.
    old = RETENTION_BATCH_ROWS + 7
    t_now = NOW.timestamp()
    cutoff = t_now - TelemetrySettings().retention_hours * 3600.0
    times = np.array([cutoff - 100.0] * old + [t_now])
    database.run_sync(
        lambda s: MetricRepository(s).insert(
            times, np.ones(len(times), int), np.zeros(len(times), int),
            np.zeros((len(times), len(METRICS))),
        )
    )  # fmt: skip

    assert await runner(database, t_now).apply_retention() == old
    assert database.run_sync(lambda s: MetricRepository(s).latest_time()) == t_now
    remaining = database.run_sync(
        lambda s: MetricRepository(s).read(
            cluster_id=1, droplet_id=0, metrics=[Metric.CPU_PERCENT], since=0, until=2 * t_now
        )
    )[0]
    assert remaining.tolist() == [t_now]


async def test_a_backlog_of_ticks_is_written_in_bounded_units(
    database: Database,
    make_cluster: Callable[..., Cluster],
    make_droplets: Callable[..., list[Droplet]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A backlog written in one transaction held the write lock for seconds; every RPC's write
    # waited for it. Each unit now holds at most FLUSH_BATCH_ROWS rows (whole ticks), and none
    # is lost.
    monkeypatch.setattr(telemetry_runner, "FLUSH_BATCH_ROWS", 10)
    cluster = make_cluster(tags=("rps:100", "traffic:flat"))
    activate(database, make_droplets(cluster.id, "web-1", "web-2", "web-3"))  # 4 rows a tick
    t0 = NOW.timestamp()
    r = runner(database, t0)
    await r.refresh()
    units: list[int] = []
    insert = MetricRepository.insert

    def counted(self: MetricRepository, t: np.ndarray, *rest: np.ndarray) -> int:
        units.append(len(t))
        return insert(self, t, *rest)

    monkeypatch.setattr(MetricRepository, "insert", counted)
    r._pending = [r.step(t0 + 10 * k) for k in range(5)]
    await r._flush()

    assert units == [8, 8, 4]
    times, _ = offered_rps(database, cluster.id, t0, t0 + 60)
    assert times.tolist() == [t0 + 10 * k for k in range(5)]
