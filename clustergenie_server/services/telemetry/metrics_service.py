"""Metric queries (downsampled on the server) and live watches of a cluster or droplet."""

from __future__ import annotations

import asyncio
import math
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from functools import partial

import numpy as np
from sqlalchemy.orm import Session

from clustergenie_server.db import ClusterRepository, Database, DropletRepository
from clustergenie_server.db.metric_repository import MetricRepository
from clustergenie_server.domain.errors import InvalidArgument, NotFound
from clustergenie_server.domain.telemetry import CLUSTER_ONLY, Aggregation, Metric, Sample, Series
from clustergenie_server.services.shared import validation
from clustergenie_server.services.telemetry.downsample import bucket_start, downsample
from clustergenie_server.services.telemetry.telemetry_runner import TelemetryRunner
from clustergenie_server.settings import TelemetrySettings
from clustergenie_server.simulation.clock import SimClock

DEFAULT_WINDOW = 3600.0
DEFAULT_POINTS = 500
MAX_POINTS = 10_000


@dataclass(frozen=True, slots=True)
class SeriesQuery:
    """What QuerySeries asks for; zeros mean "the default"."""

    cluster_id: int
    droplet_id: int
    metrics: Sequence[Metric]
    window_seconds: float = 0.0
    end: float | None = None
    step_seconds: float = 0.0
    max_points: int = 0
    aggregation: Aggregation = Aggregation.MEAN


class MetricsService:
    """Reads series from the hot window (recent) or the database, and streams live ticks."""

    def __init__(self, db: Database, runner: TelemetryRunner, settings: TelemetrySettings) -> None:
        self._db, self._runner, self._settings = db, runner, settings

    @property
    def clock(self) -> SimClock:
        """The simulation clock."""
        return self._runner.clock

    @property
    def tick_seconds(self) -> float:
        """Simulated seconds between samples."""
        return self._settings.tick_seconds

    @property
    def retention_seconds(self) -> float:
        """How far back samples are kept."""
        return self._settings.retention_hours * 3600.0

    async def query(self, q: SeriesQuery) -> list[Series]:
        """One downsampled series per metric, in the order asked."""
        await self.check_target(q.cluster_id, q.droplet_id)
        metrics = _metrics(q.metrics, q.droplet_id)
        window = q.window_seconds or DEFAULT_WINDOW
        if not 0 < window <= self.retention_seconds:
            raise InvalidArgument(
                f"window_seconds {window:g} is out of range; give up to the retention of "
                f"{self.retention_seconds:g} s"
            )
        points = q.max_points or DEFAULT_POINTS
        if not 1 <= points <= MAX_POINTS:
            raise InvalidArgument(f"max_points {points} is out of range; give 1 to {MAX_POINTS}")
        if q.step_seconds < 0:
            raise InvalidArgument(f"step_seconds {q.step_seconds:g} must not be negative")
        step = max(q.step_seconds or window / points, self._settings.tick_seconds)
        if window / step > MAX_POINTS:
            raise InvalidArgument(
                f"a step of {step:g} s makes {math.ceil(window / step)} points; "
                f"at most {MAX_POINTS}: use a larger step"
            )
        end = self._runner.clock.now() if q.end is None else q.end
        since = end - window
        times, values = await self._read(q.cluster_id, q.droplet_id, metrics, since, end)
        start = bucket_start(since, step)
        out = []
        for i, metric in enumerate(metrics):
            bt, bv, bmin, bmax = downsample(
                times, values[:, i], start=start, step=step, aggregation=q.aggregation
            )
            out.append(
                Series(
                    metric,
                    q.cluster_id,
                    q.droplet_id,
                    step,
                    tuple(bt.tolist()),
                    tuple(bv.tolist()),
                    tuple(bmin.tolist()),
                    tuple(bmax.tolist()),
                )  # fmt: skip
            )
        return out

    async def _read(
        self, cluster_id: int, droplet_id: int, metrics: list[Metric], since: float, until: float
    ) -> tuple[np.ndarray, np.ndarray]:
        """Recent ticks from the hot window, anything older from the database."""
        hot_start = self._runner.hot.start() if self._runner.leadership.is_leader else None
        if hot_start is None or hot_start >= until:
            return await self._db.read(
                partial(_read_rows, cluster_id, droplet_id, metrics, since, until)
            )
        hot = self._runner.hot.read(cluster_id, droplet_id, metrics, max(since, hot_start), until)
        if since >= hot_start:
            return hot
        old = await self._db.read(
            partial(_read_rows, cluster_id, droplet_id, metrics, since, hot_start)
        )
        return np.concatenate([old[0], hot[0]]), np.vstack([old[1], hot[1]])

    async def check_target(self, cluster_id: int, droplet_id: int) -> None:
        """NotFound unless the cluster exists and the droplet (if any) belongs to it."""
        validation.positive_id(cluster_id, "cluster")
        if droplet_id < 0:
            raise InvalidArgument(
                f"droplet id must be 0 (the cluster) or positive, got {droplet_id}"
            )
        await self._db.read(lambda s: _check_target(s, cluster_id, droplet_id))

    async def watch(
        self, cluster_id: int, droplet_id: int, *, include_droplets: bool, backfill_seconds: float
    ) -> AsyncIterator[list[list[Sample]]]:
        """Backfill from memory, then each tick's samples for the cluster/droplet; cluster_id 0:
        every cluster's aggregate (one stream for an overview of every cluster).

        Each item is one update: the samples of one tick (live) or of several (the backfill),
        a list per tick; an empty item marks the end of the backfill (only when one was asked
        for). Aggregate lists are shared by every watch of the same tick (see
        HotWindow.select); callers must not change them.
        """
        if cluster_id == 0:
            if droplet_id or include_droplets:
                raise InvalidArgument(
                    "cluster_id 0 watches every cluster's aggregate only; to watch droplets, "
                    "give their cluster's id"
                )
        else:
            await self.check_target(cluster_id, droplet_id)
        if backfill_seconds < 0:
            raise InvalidArgument("backfill_seconds must not be negative")
        which: int | None = droplet_id or (None if include_droplets else 0)
        queue = self._runner.subscribe()
        try:
            if backfill_seconds > 0:
                since = self._runner.clock.now() - backfill_seconds
                if backlog := self._runner.hot.recent(cluster_id, which, since):
                    yield backlog
                yield []  # the backfill is complete
            if not self._runner.leadership.is_leader:
                async for batch in self._poll(cluster_id, which):
                    yield [batch]
            while True:
                tick = await queue.get()
                if samples := self._runner.hot.select(tick, cluster_id, which):
                    yield [samples]
        finally:
            self._runner.unsubscribe(queue)

    async def _poll(self, cluster_id: int, which: int | None) -> AsyncIterator[list[Sample]]:
        """Another server simulates: follow the database, one tick at a time."""
        last = self._runner.clock.now()
        period = self._runner.clock.wall_seconds(self._settings.tick_seconds)
        read = _read_aggregates if cluster_id == 0 else partial(_read_samples, cluster_id, which)
        while not self._runner.leadership.is_leader:
            await asyncio.sleep(period)
            until = self._runner.clock.now()
            batch = await self._db.read(partial(read, last, until))
            last = until
            if batch:
                yield batch


def _metrics(raw: Sequence[Metric], droplet_id: int) -> list[Metric]:
    if not raw:
        raise InvalidArgument("no metrics asked for; give at least one, e.g. METRIC_CPU_PERCENT")
    if droplet_id and (bad := [m.value for m in raw if m in CLUSTER_ONLY]):
        raise InvalidArgument(
            f"{', '.join(bad)} exist only for a cluster aggregate; set droplet_id to 0"
        )
    return list(raw)


def _check_target(s: Session, cluster_id: int, droplet_id: int) -> None:
    if ClusterRepository(s).get(cluster_id) is None:
        raise NotFound(f"cluster {cluster_id} does not exist")
    if droplet_id:
        droplet = DropletRepository(s).get(droplet_id)
        if droplet is None:
            raise NotFound(f"droplet {droplet_id} does not exist")
        if droplet.cluster_id != cluster_id:
            raise InvalidArgument(
                f"droplet {droplet_id} belongs to cluster {droplet.cluster_id}, not {cluster_id}"
            )


def _read_rows(
    cluster_id: int,
    droplet_id: int,
    metrics: list[Metric],
    since: float,
    until: float,
    s: Session,
) -> tuple[np.ndarray, np.ndarray]:
    return MetricRepository(s).read(
        cluster_id=cluster_id, droplet_id=droplet_id, metrics=metrics, since=since, until=until
    )


def _read_aggregates(since: float, until: float, s: Session) -> list[Sample]:
    return MetricRepository(s).aggregates(since=since, until=until)


def _read_samples(
    cluster_id: int, which: int | None, since: float, until: float, s: Session
) -> list[Sample]:
    """One series (the aggregate when which is 0 or None) as samples of every metric."""
    droplet = which or 0
    times, values = _read_rows(cluster_id, droplet, list(Metric), since, until, s)
    return [
        Sample(cluster_id, droplet, float(t), tuple(row.tolist()))
        for t, row in zip(times, values, strict=True)
    ]
