"""ServerMetrics: this server's Prometheus metrics, in a registry of its own.

Counters and histograms are updated as things happen (RPCs by the interceptor in rpc/, bus
deliveries by a listener); the gauges about shared state (jobs, droplets, outbox) are read from
the database when Prometheus scrapes, and the simulated droplets' metrics come from the newest
simulation tick (only the leading server simulates, so only it reports them). The log lines'
counters are the log pipeline's and the bus log lane's own stats, read at scrape time.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

from clustergenie_server.bus.event_bus import (
    CLUSTERS_TOPIC,
    DROPLETS_TOPIC,
    JOBS_TOPIC,
    EventBus,
    LogBusStats,
)
from clustergenie_server.db import Database
from clustergenie_server.db.ops_repository import OpsCounts, OpsRepository
from clustergenie_server.domain.events import ClusterChanged, DropletChanged, Event, JobChanged
from clustergenie_server.domain.models import JobState
from clustergenie_server.domain.telemetry import CLUSTER_ONLY, METRICS
from clustergenie_server.services.logs.pipeline import PipelineStats
from clustergenie_server.services.telemetry.telemetry_runner import TelemetryRunner
from clustergenie_server.simulation.engine import TickResult
from clustergenie_server.version import runtime_versions

log = logging.getLogger(__name__)

PREFIX = "clustergenie_"
# RPC latencies: reads answer in milliseconds, a CreateCluster of many droplets in a second.
_LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
_LAG_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
_FINAL = frozenset({JobState.SUCCEEDED.value, JobState.FAILED.value, JobState.CANCELLED.value})


class ServerMetrics:
    """The registry /metrics serves, and the instruments the rest of the server updates."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        info = Gauge(
            f"{PREFIX}build_info", "Versions of this server", list(runtime_versions()), registry=r
        )
        info.labels(**runtime_versions()).set(1)
        self.rpcs = Counter(
            f"{PREFIX}rpc_requests",
            "RPCs this server finished, by method and status code",
            ["service", "method", "code"],
            registry=r,
        )
        self.rpc_seconds = Histogram(
            f"{PREFIX}rpc_duration_seconds",
            "Time to answer a unary RPC, by method",
            ["service", "method"],
            buckets=_LATENCY_BUCKETS,
            registry=r,
        )
        self.open_streams = Gauge(
            f"{PREFIX}rpc_open_streams",
            "Watch streams open now, by method",
            ["service", "method"],
            registry=r,
        )
        self.bus_lag = Histogram(
            f"{PREFIX}bus_delivery_lag_seconds",
            "From a change's commit (its updated_at) to this server hearing it on the event bus",
            ["entity"],
            buckets=_LAG_BUCKETS,
            registry=r,
        )
        self.scrape_errors = Counter(
            f"{PREFIX}metrics_refresh_errors", "Scrapes whose database read failed", registry=r
        )
        self.state = StateCollector()
        r.register(self.state)

    def count_logs(self, pipeline: PipelineStats, bus: LogBusStats | None) -> None:
        """Serve the log pipeline's line counters, and the bus log lane's when there is one."""
        self.registry.register(LogCollector(pipeline, bus))

    def hear(self, event: Event) -> None:
        """A bus listener: how long after its commit an event reached this server."""
        if isinstance(event, JobChanged):
            entity, updated = "job", event.job.updated_at
        elif isinstance(event, DropletChanged):
            entity, updated = "droplet", event.droplet.updated_at
        elif isinstance(event, ClusterChanged):
            entity, updated = "cluster", event.cluster.updated_at
        else:
            return
        if updated is not None:
            lag = (datetime.now(UTC) - updated).total_seconds()
            self.bus_lag.labels(entity).observe(max(0.0, lag))


class StateCollector(Collector):
    """Gauges computed at scrape time from the last database read and simulation tick."""

    def __init__(self) -> None:
        self.counts: OpsCounts | None = None
        self.read_at = 0.0  # time.time() of the read
        self.tick: TickResult | None = None
        self.ticks = 0

    def collect(self) -> Iterator[GaugeMetricFamily | CounterMetricFamily]:
        """The families Prometheus reads (called by generate_latest)."""
        if (counts := self.counts) is not None:
            yield from _job_families(counts)
            yield from _inventory_families(counts, self.read_at)
        ticks = CounterMetricFamily(f"{PREFIX}simulation_ticks", "Simulation ticks this server ran")
        ticks.add_metric([], self.ticks)
        yield ticks
        if self.tick is not None:
            yield from _tick_families(self.tick)


class LogCollector(Collector):
    """Counters of log lines, read from the pipeline's and the bus lane's stats at each scrape
    (they count on the event loop and in the lane's thread; a scrape reads plain ints)."""

    def __init__(self, pipeline: PipelineStats, bus: LogBusStats | None) -> None:
        self._pipeline, self._bus = pipeline, bus

    def collect(self) -> Iterator[CounterMetricFamily]:
        """The families Prometheus reads (called by generate_latest)."""
        p = self._pipeline
        yield _by_event(
            "log_lines",
            "Log lines by what happened to them on this server: accepted (simulated and "
            "ingested), stored, dropped (accepted but never stored: the database could not keep "
            "up), received (other servers' lines, fed to the live readers here)",
            accepted=p.accepted, stored=p.stored, dropped=p.dropped, received=p.received,
        )  # fmt: skip
        failures = CounterMetricFamily(
            f"{PREFIX}log_write_failures",
            "Writes of log lines that failed (the lines stay pending and are written again)",
        )
        failures.add_metric([], p.write_failures)
        yield failures
        if (b := self._bus) is None:
            return  # the in-process bus: no lines travel
        yield _by_event(
            "log_bus_lines",
            "Log lines on the event bus's log topic: sent (handed to the producer), dropped (not "
            "sent: the backlog was full or too old), failed (the broker did not take them), "
            "received (from other servers); lines lost here miss other servers' tails only",
            sent=b.sent, dropped=b.dropped, failed=b.failed, received=b.received,
        )  # fmt: skip


def _by_event(name: str, documentation: str, **counts: int) -> CounterMetricFamily:
    """A counter family with one series per event label."""
    family = CounterMetricFamily(f"{PREFIX}{name}", documentation, labels=["event"])
    for event, n in counts.items():
        family.add_metric([event], n)
    return family


def _job_families(counts: OpsCounts) -> Iterator[GaugeMetricFamily | CounterMetricFamily]:
    jobs = GaugeMetricFamily(
        f"{PREFIX}jobs", "Jobs by kind and current state", labels=["kind", "state"]
    )
    outcomes = CounterMetricFamily(
        f"{PREFIX}job_outcomes", "Jobs that ended, by kind and outcome", labels=["kind", "outcome"]
    )
    queued = 0
    for kind, state, n in counts.jobs:
        jobs.add_metric([kind, state], n)
        if state in _FINAL:
            outcomes.add_metric([kind, state], n)
        if state == JobState.QUEUED.value:
            queued += n
    depth = GaugeMetricFamily(f"{PREFIX}job_queue_depth", "Jobs queued and not yet running")
    depth.add_metric([], queued)
    yield from (jobs, outcomes, depth)


def _inventory_families(counts: OpsCounts, read_at: float) -> Iterator[GaugeMetricFamily]:
    droplets = GaugeMetricFamily(f"{PREFIX}droplets", "Droplets by status", labels=["status"])
    for status, n in counts.droplets:
        droplets.add_metric([status], n)
    clusters = GaugeMetricFamily(
        f"{PREFIX}cluster_info",
        "One per live cluster, naming it",
        labels=["cluster_id", "name", "region"],
    )
    for cluster_id, name, region in counts.clusters:
        clusters.add_metric([str(cluster_id), name, region], 1)
    pending = GaugeMetricFamily(f"{PREFIX}outbox_pending", "Committed events not yet on the bus")
    pending.add_metric([], counts.outbox_pending)
    lag = GaugeMetricFamily(
        f"{PREFIX}outbox_lag_seconds", "Age of the oldest event not yet on the bus (0: none)"
    )
    oldest = counts.outbox_oldest
    lag.add_metric([], max(0.0, read_at - oldest.timestamp()) if oldest else 0.0)
    yield from (droplets, clusters, pending, lag)


def _tick_families(tick: TickResult) -> Iterator[GaugeMetricFamily]:
    at = GaugeMetricFamily(f"{PREFIX}simulation_time_seconds", "Simulated time of the newest tick")
    at.add_metric([], tick.t)
    yield at
    for column, metric in enumerate(METRICS):
        cluster = GaugeMetricFamily(
            f"{PREFIX}cluster_{metric.value}",
            f"Simulated {metric.value} of a cluster",
            labels=["cluster_id"],
        )
        for cid, value in zip(
            tick.cluster_ids.tolist(), tick.cluster_values[:, column].tolist(), strict=True
        ):
            cluster.add_metric([str(cid)], value)
        yield cluster
        if metric in CLUSTER_ONLY:
            continue
        droplet = GaugeMetricFamily(
            f"{PREFIX}droplet_{metric.value}",
            f"Simulated {metric.value} of a droplet",
            labels=["cluster_id", "droplet_id"],
        )
        rows = zip(
            tick.droplet_cluster_ids.tolist(),
            tick.droplet_ids.tolist(),
            tick.droplet_values[:, column].tolist(),
            strict=True,
        )
        for cid, did, value in rows:
            droplet.add_metric([str(cid), str(did)], value)
        yield droplet


class MetricsSources:
    """Keeps ServerMetrics' state current: the bus listener, the newest tick, a fresh database
    read before each scrape."""

    def __init__(
        self, metrics: ServerMetrics, db: Database, bus: EventBus, runner: TelemetryRunner | None
    ) -> None:
        self._metrics, self._db, self._bus, self._runner = metrics, db, bus, runner
        self._unlisten: Callable[[], None] | None = None
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Listen to the bus and follow the simulation's ticks."""
        self._unlisten = self._bus.listen(
            (CLUSTERS_TOPIC, DROPLETS_TOPIC, JOBS_TOPIC), self._metrics.hear
        )
        if self._runner is not None:
            self._task = asyncio.create_task(self._follow_ticks(self._runner), name="metrics-ticks")

    async def stop(self) -> None:
        """Stop listening."""
        if self._unlisten is not None:
            self._unlisten()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def refresh(self) -> None:
        """Read the database's counts (in the executor); a failed read keeps the last ones."""
        try:
            counts = await self._db.read(lambda s: OpsRepository(s).counts())
        except Exception:
            log.warning(
                "metrics: the database read failed; serving the previous counts", exc_info=True
            )
            self._metrics.scrape_errors.inc()
            return
        state = self._metrics.state
        state.counts, state.read_at = counts, time.time()

    async def _follow_ticks(self, runner: TelemetryRunner) -> None:
        queue = runner.subscribe()
        try:
            while True:
                tick = await queue.get()
                state = self._metrics.state
                state.tick, state.ticks = tick, state.ticks + 1
        finally:
            runner.unsubscribe(queue)
