"""Runs the simulation on the clock: ticks, fan-out to watchers, batch writes and retention.

Only the leader (one server, through the cache's lock) simulates, so samples are written once;
the others serve queries from the database.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
from dataclasses import replace

import numpy as np
from sqlalchemy.orm import Session

from clustergenie_server.bus.event_bus import (
    CLUSTERS_TOPIC,
    DROPLETS_TOPIC,
    FAULTS_TOPIC,
    SubscriberOverflow,
)
from clustergenie_server.bus.outbox import Outbox
from clustergenie_server.db import ClusterRepository, Database, DropletRepository
from clustergenie_server.db.deploy_repository import DefectRepository, DeployRepository
from clustergenie_server.db.fault_repository import FaultRepository
from clustergenie_server.db.metric_repository import MetricRepository
from clustergenie_server.db.scaling_repository import ScalingRepository
from clustergenie_server.domain.events import ClusterChanged, DropletChanged, Event, FaultChanged
from clustergenie_server.domain.models import ClusterStatus, DropletStatus
from clustergenie_server.domain.telemetry import Fault, FaultKind, FaultState
from clustergenie_server.services.shared.leadership import Leadership
from clustergenie_server.services.telemetry.hot_window import HotWindow
from clustergenie_server.settings import TelemetrySettings
from clustergenie_server.simulation.clock import SimClock, as_datetime
from clustergenie_server.simulation.engine import (
    ClusterInfo,
    DropletInfo,
    SimulationEngine,
    TickResult,
)

log = logging.getLogger(__name__)

MAX_PENDING_ROWS = 200_000  # beyond this the database cannot keep up: drop the oldest ticks
RETENTION_EVERY_SECONDS = 60.0  # wall clock
RETENTION_BATCH_ROWS = 5_000  # per transaction: a few milliseconds of the write lock
# Sample rows per INSERT transaction (at least one whole tick). Each transaction rewrites the
# series index's pages of every series it touches, so ticks written together share that cost:
# with 2,500 clusters, one tick per transaction cost 74 ms a tick, three 38 ms (SQLite). The
# bound keeps the write lock held ~0.1 s at most, so API writes do not queue behind it.
FLUSH_BATCH_ROWS = 10_000
WATCH_QUEUE_TICKS = 64
FLUSH_EVERY_SECONDS = 0.5  # wall clock
MIN_REFRESH_GAP_SECONDS = 0.25  # a burst of changes that need a re-read costs one refresh


class TelemetryRunner:
    """The simulation's loop; watchers subscribe to its ticks."""

    def __init__(
        self,
        db: Database,
        outbox: Outbox,
        clock: SimClock,
        engine: SimulationEngine,
        hot: HotWindow,
        settings: TelemetrySettings,
        leadership: Leadership,
    ) -> None:
        self._db, self._outbox, self.clock, self.engine = db, outbox, clock, engine
        self.hot, self._settings, self.leadership = hot, settings, leadership
        self._watchers: set[asyncio.Queue[TickResult]] = set()
        # Live bad-deploy faults, as last read: the engine gets them as version errors only;
        # the simulated logs want the fault too (when it began, the deploy line, the version).
        self.bad_deploys: tuple[Fault, ...] = ()
        self._pending: list[TickResult] = []
        self._wrote = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._refresh_now = asyncio.Event()
        # The inventory as last read, kept current from droplet and cluster events between reads
        # (see _follow_inventory); the engine gets it before its next tick when it changed.
        self._clusters: dict[int, ClusterInfo] = {}
        self._droplets: dict[int, DropletInfo] = {}
        self._drains: set[int] = set()
        self._inventory_changed = False
        self._restarted: set[int] = set()  # left "active" since the engine last saw them
        self._heard_while_reading: list[list[Event]] = []
        self.last_tick: float | None = None
        self.ticks = 0

    async def start(self) -> None:
        """Read the inventory and start the loops."""
        await self.leadership.check()
        await self.refresh()
        self._tasks = [
            asyncio.create_task(self._tick_loop(), name="telemetry-ticks"),
            asyncio.create_task(self._refresh_loop(), name="telemetry-refresh"),
            asyncio.create_task(self._write_loop(), name="telemetry-writes"),
            asyncio.create_task(self._follow_inventory(), name="telemetry-inventory"),
        ]

    async def stop(self) -> None:
        """Stop the loops, write what is pending, give up leadership."""
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        with contextlib.suppress(Exception):
            await self._flush()
        await self.leadership.release()

    def subscribe(self) -> asyncio.Queue[TickResult]:
        """A queue that receives every tick from now on (a slow reader loses the oldest)."""
        queue: asyncio.Queue[TickResult] = asyncio.Queue(WATCH_QUEUE_TICKS)
        self._watchers.add(queue)
        return queue

    def unsubscribe(self, queue: asyncio.Queue[TickResult]) -> None:
        """Stop feeding a queue."""
        self._watchers.discard(queue)

    def refresh_soon(self) -> None:
        """Re-read inventory and faults before the next tick."""
        self._refresh_now.set()

    async def refresh(self) -> None:
        """Feed the engine the live clusters, active droplets, drains and faults."""
        now = self.clock.now()
        heard: list[Event] = []
        self._heard_while_reading.append(heard)
        try:
            clusters, droplets, drains, faults, live, bad = await self._db.read(_read_inventory)
        finally:
            self._heard_while_reading.remove(heard)
        live.update(-c.id for c in clusters)  # clusters as negative ids, droplets as positive
        if any(_next_state(f, now, live) is not f.state for f in faults):
            # Rare: a write (and its events) only when a fault starts, ends or loses its target.
            faults = await self._outbox.commit(lambda s: _advance_faults(s, now, live))
        read = ({c.id: c for c in clusters}, {d.id: d for d in droplets}, drains)
        if read != (self._clusters, self._droplets, self._drains):
            # Rebuilding the engine's arrays costs work that grows with the fleet; a refresh
            # that finds what the events already told (nearly always) costs a comparison.
            self._clusters, self._droplets, self._drains = read
            self._inventory_changed = True
        # Changes heard while the read ran may be newer than what it saw; the bus keeps each
        # droplet's events in order, so applying them again converges on the newest state.
        for event in heard:
            self._apply(event)
        self._feed_inventory()
        # A bad deploy acts through the version it deployed (set_version_errors), so that it
        # reaches droplets as the deploy rolls and ends when a rollback replaces the version.
        self.engine.set_faults([f for f in faults if f.kind is not FaultKind.BAD_DEPLOY])
        self.engine.set_version_errors(bad)
        self.bad_deploys = tuple(f for f in faults if f.kind is FaultKind.BAD_DEPLOY)

    def faults_in_effect(self) -> list[Fault]:
        """The faults as the world feels them: the engine's, plus each bad deploy as a fault of
        each droplet that runs its defective version by now (it follows the rollout, and a
        rollback ends it), so probes see 5xx exactly where the errors are."""
        defective = self.engine.version_errors
        deployed = [
            replace(fault, droplet_id=droplet_id)
            for droplet_id in defective
            if (droplet := self._droplets.get(droplet_id)) is not None
            for fault in self.bad_deploys
            if fault.cluster_id == droplet.cluster_id and fault.droplet_id in (None, droplet_id)
        ]
        return [*self.engine.faults, *deployed]

    def step(self, t: float) -> TickResult:
        """Run one tick at simulated time t and hand it to the hot window and the watchers."""
        self._feed_inventory()
        result = self.engine.tick(t)
        self.hot.append(result)
        self.last_tick, self.ticks = t, self.ticks + 1
        for queue in list(self._watchers):
            if queue.full():
                queue.get_nowait()  # a slow watcher loses the oldest tick, never the newest
            queue.put_nowait(result)
        return result

    async def _tick_loop(self) -> None:
        tick = self._settings.tick_seconds
        t = math.floor(self.clock.now() / tick) * tick + tick
        while True:
            await self.clock.sleep_until(t)
            if self.leadership.is_leader:
                try:
                    self._pending.append(self.step(t))
                    self._wrote.set()
                except Exception:  # one bad tick must not stop the simulation
                    log.exception("simulation tick at %.0f failed", t)
            now = self.clock.now()
            t += tick
            if now - t > 10 * tick:  # far behind (a suspended laptop): skip, do not replay
                log.warning("simulation fell %.0f simulated s behind; skipping ahead", now - t)
                t = math.floor(now / tick) * tick + tick

    async def _refresh_loop(self) -> None:
        period = self._settings.inventory_refresh_seconds
        last_retention = time.monotonic()
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._refresh_now.wait(), timeout=period)
            self._refresh_now.clear()
            await asyncio.sleep(MIN_REFRESH_GAP_SECONDS)
            try:
                await self.leadership.check()
                await self.refresh()
                if time.monotonic() - last_retention > RETENTION_EVERY_SECONDS:
                    last_retention = time.monotonic()
                    await self.apply_retention()
            except Exception:  # a database hiccup must not stop the simulation
                log.exception("telemetry refresh failed; retrying in %.1fs", period)

    async def _follow_inventory(self) -> None:
        """Keep the inventory current from cluster and droplet events, on whichever server they
        happened; re-read everything when a fault changes or events were lost.

        A droplet or cluster event carries all the simulation needs, so it is applied in memory:
        re-reading every droplet for each one that became active cost work that grew with the
        fleet while the provisioning jobs competed for the same database.
        """
        while True:
            topics = (CLUSTERS_TOPIC, DROPLETS_TOPIC, FAULTS_TOPIC)
            subscription = self._outbox.bus.subscribe(topics)
            try:
                async for event in subscription:
                    if isinstance(event, FaultChanged):
                        self.refresh_soon()  # injected or cleared: act on the next tick
                        continue
                    self._hear(event)
                return
            except SubscriberOverflow:
                self.refresh_soon()  # events were lost; a refresh reads everything anyway
            finally:
                subscription.close()

    def _hear(self, event: Event) -> None:
        """Apply a droplet or cluster event now, and again after any read in flight."""
        for heard in self._heard_while_reading:
            heard.append(event)
        if not self._apply(event) and _active_droplet(event):
            # A simulated droplet announced unchanged: it may have been drained (the scale-down
            # job announces its victims so that traffic leaves them now); drains are in the
            # database only.
            self.refresh_soon()

    def _apply(self, event: Event) -> bool:
        """Apply a droplet or cluster change to the inventory (as _read_inventory would see it);
        False when it changed nothing the simulation uses."""
        changed = False
        if isinstance(event, DropletChanged):
            d = event.droplet
            info = DropletInfo(d.id, d.cluster_id, d.size)
            if d.status is DropletStatus.ACTIVE:
                changed = self._droplets.get(d.id) != info
                self._droplets[d.id] = info
            else:
                changed = self._droplets.pop(d.id, None) is not None
                self._restarted.add(d.id)  # off, rebooting or resized: its processes restart
        elif isinstance(event, ClusterChanged):
            c = event.cluster
            cluster = ClusterInfo(c.id, c.tags)
            if c.status is not ClusterStatus.DELETED:
                changed = self._clusters.get(c.id) != cluster
                self._clusters[c.id] = cluster
            else:
                changed = self._clusters.pop(c.id, None) is not None
        self._inventory_changed = self._inventory_changed or changed
        return changed

    def _feed_inventory(self) -> None:
        """Hand the engine the inventory if it changed since it last did (once per tick at most:
        a thousand droplets becoming active cost one rebuild of its arrays, not a thousand)."""
        if self._inventory_changed:
            self._inventory_changed = False
            clusters = sorted(self._clusters.values(), key=lambda c: c.id)
            droplets = sorted(self._droplets.values(), key=lambda d: d.id)
            restarted, self._restarted = self._restarted, set()
            self.engine.set_inventory(clusters, droplets, self._drains, restarted=restarted)

    async def apply_retention(self) -> int:
        """Delete samples older than the retention, a batch per unit of work; returns how many.

        Other writes (jobs, the API) run between the batches instead of waiting for the lot.
        """
        cutoff = self.clock.now() - self._settings.retention_hours * 3600.0
        deleted = 0
        while True:
            batch = await self._db.run(
                lambda s: MetricRepository(s).delete_before(cutoff, RETENTION_BATCH_ROWS)
            )
            deleted += batch
            if batch < RETENTION_BATCH_ROWS:
                return deleted

    async def _write_loop(self) -> None:
        while True:
            await self._wrote.wait()
            self._wrote.clear()
            try:
                await self._flush()
            except Exception:
                log.exception("writing metric samples failed; they stay pending")
                await asyncio.sleep(1.0)
            # At most a few transactions a second, whatever the time scale: at 60x that is
            # ~3 ticks per INSERT, and the jobs' own writes are not starved of the write lock.
            await asyncio.sleep(FLUSH_EVERY_SECONDS)

    async def _flush(self) -> None:
        """Write every pending tick, up to FLUSH_BATCH_ROWS rows per unit of work (executemany).

        Bounded like retention: a backlog written at once (after the database was busy) held
        the write lock for seconds under load, and every RPC's write waited for it.
        """
        if sum(map(_rows, self._pending)) > MAX_PENDING_ROWS:
            log.warning(
                "dropping %d ticks of samples: the database is not keeping up",
                len(self._pending) - len(self._pending) // 2,
            )
            self._pending = self._pending[-max(1, len(self._pending) // 2) :]
        while self._pending:
            size = _ticks_within(self._pending, FLUSH_BATCH_ROWS)
            batch, self._pending = self._pending[:size], self._pending[size:]
            try:
                await self._insert(batch)
            except Exception:
                self._pending[:0] = batch  # keep them for the next try
                raise

    async def _insert(self, batch: list[TickResult]) -> None:
        t, c, d, v = _stack(batch)
        await self._db.run(lambda s: MetricRepository(s).insert(t, c, d, v))


def _rows(tick: TickResult) -> int:
    """Sample rows of one tick: every droplet and every cluster aggregate."""
    return len(tick.droplet_ids) + len(tick.cluster_ids)


def _ticks_within(ticks: list[TickResult], max_rows: int) -> int:
    """How many of the first ticks fit in max_rows rows (at least one)."""
    size, rows = 1, _rows(ticks[0])
    while size < len(ticks) and rows + _rows(ticks[size]) <= max_rows:
        rows += _rows(ticks[size])
        size += 1
    return size


def _active_droplet(event: Event) -> bool:
    return isinstance(event, DropletChanged) and event.droplet.status is DropletStatus.ACTIVE


def _stack(batch: list[TickResult]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Every row of several ticks as four parallel arrays (time, cluster, droplet, values)."""
    t, c, d, v = [], [], [], []
    for tick in batch:
        for ids, clusters, values in (
            (np.zeros(len(tick.cluster_ids), np.int64), tick.cluster_ids, tick.cluster_values),
            (tick.droplet_ids, tick.droplet_cluster_ids, tick.droplet_values),
        ):
            t.append(np.full(len(ids), tick.t))
            c.append(clusters)
            d.append(ids)
            v.append(values)
    return np.concatenate(t), np.concatenate(c), np.concatenate(d), np.vstack(v)


def _read_inventory(
    s: Session,
) -> tuple[list[ClusterInfo], list[DropletInfo], set[int], list[Fault], set[int], dict[int, float]]:
    """Live clusters, active droplets, drains, live faults, the ids of undestroyed droplets,
    and the error rate of each droplet that runs a defective version."""
    clusters = [ClusterInfo(*row) for row in ClusterRepository(s).live_tags()]
    existing = DropletRepository(s).placements()
    droplets = [
        DropletInfo(droplet_id, cluster_id, size)
        for droplet_id, cluster_id, size, status in existing
        if status is DropletStatus.ACTIVE
    ]
    faults = FaultRepository(s).list(include_ended=False, limit=10_000)
    bad = _defective_droplets(s, droplets, {f.id for f in faults})
    drains = ScalingRepository(s).draining()
    return clusters, droplets, drains, faults, {d[0] for d in existing}, bad


def _defective_droplets(
    s: Session, droplets: list[DropletInfo], live_faults: set[int]
) -> dict[int, float]:
    """Droplets running a defective version (whose bad-deploy fault, if any, still lives)."""
    defects: dict[int, dict[str, float]] = {}
    for cluster_id, version, error_rate, fault_id in DefectRepository(s).defects():
        if fault_id is None or fault_id in live_faults:
            defects.setdefault(cluster_id, {})[version] = error_rate
    if not defects:
        return {}
    repo = DeployRepository(s)
    own = repo.droplet_versions(defects)
    cluster_version = {c: repo.cluster_version(c) for c in defects}
    out = {}
    for d in droplets:
        if (bad := defects.get(d.cluster_id)) is not None:
            version = own.get(d.id, cluster_version[d.cluster_id])
            if version in bad:
                out[d.id] = bad[version]
    return out


def _next_state(fault: Fault, now: float, live: set[int]) -> FaultState:
    """The state a fault should have now; one whose target was destroyed is cleared.

    `live` holds undestroyed droplets' ids and live clusters' ids negated.
    """
    if -fault.cluster_id not in live or (
        fault.droplet_id is not None and fault.droplet_id not in live
    ):
        return FaultState.CLEARED
    return fault.state_at(now)


def _advance_faults(s: Session, now: float, live: set[int]) -> tuple[list[Fault], list[Event]]:
    """Move faults whose time came (or whose target is gone); returns the live ones."""
    repo = FaultRepository(s)
    acting: list[Fault] = []
    changed: list[Event] = []
    for fault in repo.list(include_ended=False, limit=10_000):
        state = _next_state(fault, now, live)
        if state is not fault.state:
            ended = None if state is FaultState.ACTIVE else as_datetime(now)
            if state is FaultState.EXPIRED:
                ended = as_datetime(fault.start_at.timestamp() + fault.duration_seconds)
            fault = repo.set_state(fault.id, state, ended)
            changed.append(FaultChanged(fault))
        if state in (FaultState.SCHEDULED, FaultState.ACTIVE):
            acting.append(fault)
    return acting, changed
