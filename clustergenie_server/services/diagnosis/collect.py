"""Reading a window of telemetry for diagnosis: metrics (hot window or database), deploys,
jobs, scaling, health and logs. Never the fault injector's table."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np
from sqlalchemy.orm import Session

from clustergenie_server.db import ClusterRepository, Database, DropletRepository, JobRepository
from clustergenie_server.db.deploy_repository import DeployRepository
from clustergenie_server.db.metric_repository import MetricRepository
from clustergenie_server.db.scaling_repository import ScalingRepository
from clustergenie_server.domain.deploys import Deployment
from clustergenie_server.domain.diagnosis import Target
from clustergenie_server.domain.errors import FailedPrecondition, NotFound
from clustergenie_server.domain.models import Cluster, ClusterStatus, DropletStatus, Job
from clustergenie_server.domain.scaling import ScalingDecision, ScalingPolicy
from clustergenie_server.domain.telemetry import METRICS
from clustergenie_server.services.diagnosis.sources import (
    HealthReader,
    HealthView,
    LogReader,
    LogView,
)
from clustergenie_server.services.diagnosis.window import DropletInfo, TelemetryWindow
from clustergenie_server.services.telemetry.hot_window import HotWindow
from clustergenie_server.simulation.catalog import Catalog

MAX_JOBS = 200
MAX_DECISIONS = 500


@dataclass(frozen=True, slots=True)
class Inventory:
    """The cluster and its active droplets, as the window needs them."""

    cluster: Cluster
    droplets: tuple[DropletInfo, ...]


@dataclass(frozen=True, slots=True)
class OpsEvents:
    """What happened to a cluster in the window: deploys, jobs, scaling decisions, its policy."""

    deploys: tuple[Deployment, ...]
    jobs: tuple[Job, ...]
    decisions: tuple[ScalingDecision, ...]
    policy: ScalingPolicy | None


@dataclass(frozen=True, slots=True)
class Samples:
    """A cluster's samples: times, droplet ids (0: the aggregate), values."""

    times: np.ndarray
    droplet_ids: np.ndarray
    values: np.ndarray


class WindowReader:
    """Reads what diagnosis may see of a cluster, one read per tool."""

    def __init__(
        self,
        db: Database,
        catalog: Catalog,
        health: HealthReader,
        logs: LogReader,
        hot: Callable[[], HotWindow | None] = lambda: None,
        tick_seconds: float = 10.0,
    ) -> None:
        self._db, self._catalog, self.health, self.logs = db, catalog, health, logs
        self._hot, self.tick_seconds = hot, tick_seconds

    async def inventory(self, cluster_id: int) -> Inventory:
        """The cluster and its active droplets; NotFound or FailedPrecondition otherwise."""

        def read(s: Session) -> Inventory:
            cluster = ClusterRepository(s).get(cluster_id)
            if cluster is None:
                raise NotFound(f"cluster {cluster_id} does not exist; see ListClusters")
            if cluster.status is ClusterStatus.DELETED:
                raise FailedPrecondition(f"cluster {cluster.name} is deleted")
            droplets = []
            for d in DropletRepository(s).list(cluster_id=cluster_id):
                if d.status is not DropletStatus.ACTIVE:
                    continue
                size = self._catalog.size(d.size)
                droplets.append(
                    DropletInfo(
                        Target(cluster_id, d.id, d.name),
                        size.vcpus if size else 1,
                        size.memory_mb if size else 1024,
                        d.size,
                        d.ip_address,
                    )
                )
            return Inventory(cluster, tuple(droplets))

        return await self._db.read(read)

    async def samples(
        self, cluster_id: int, droplet_ids: Sequence[int], since: float, until: float
    ) -> Samples:
        """Every sample of the cluster in [since, until): from memory when the hot window holds
        the whole range, else from the database."""
        hot = self._hot()
        start = hot.start() if hot is not None else None
        if hot is not None and start is not None and start <= since:
            ticks = hot.recent(cluster_id, None, since)
            rows = [s for tick in ticks for s in tick if s.time < until]
            if rows:
                return Samples(
                    np.array([s.time for s in rows]),
                    np.array([s.droplet_id for s in rows], np.int64),
                    np.array([s.values for s in rows], float),
                )
        t, d, v = await self._db.read(
            lambda s: MetricRepository(s).cluster_rows(
                cluster_id=cluster_id, droplet_ids=droplet_ids, since=since, until=until
            )
        )
        return Samples(t, d, v)

    async def events(self, cluster_id: int, since: float) -> OpsEvents:
        """Deploys, jobs, scaling decisions since `since`, and the scaling policy."""

        def read(s: Session) -> OpsEvents:
            deploys = tuple(DeployRepository(s).list(cluster_id=cluster_id, since=since))
            jobs = tuple(JobRepository(s).list(cluster_id=cluster_id, limit=MAX_JOBS))
            scaling = ScalingRepository(s)
            decisions = tuple(
                d
                for d in reversed(
                    scaling.list_decisions(cluster_id=cluster_id, limit=MAX_DECISIONS)
                )
                if d.time.timestamp() >= since
            )
            return OpsEvents(deploys, jobs, decisions, scaling.get_policy(cluster_id))

        return await self._db.read(read)

    async def health_view(self, target: Target, since: float, until: float) -> HealthView:
        """Check results and transitions of the target in the window."""
        results = await self.health.results(target.cluster_id, target.droplet_id, since, until)
        transitions = await self.health.transitions(
            target.cluster_id, target.droplet_id, since, until
        )
        return HealthView(tuple(results), tuple(transitions))

    async def log_view(self, target: Target, since: float, until: float) -> LogView:
        """Pattern counts and new patterns of the target in the window."""
        patterns = await self.logs.pattern_counts(
            target.cluster_id, target.droplet_id, since, until
        )
        new = await self.logs.new_patterns(target.cluster_id, target.droplet_id, since, until)
        return LogView(tuple(patterns), tuple(new))


def build_window(
    inventory: Inventory,
    samples: Samples,
    since: float,
    until: float,
    tick_seconds: float,
) -> TelemetryWindow:
    """The window's arrays from a cluster's samples (droplets by inventory order)."""
    cluster = inventory.cluster
    target = Target(cluster.id, 0, cluster.name)
    ticks = np.unique(samples.times)
    pos = np.searchsorted(ticks, samples.times)
    ids = [d.target.droplet_id for d in inventory.droplets]
    where = {d: i for i, d in enumerate(ids)}
    cluster_values = np.full((len(ticks), len(METRICS)), np.nan)
    droplet_values = np.full((len(ids), len(ticks), len(METRICS)), np.nan)
    agg = samples.droplet_ids == 0
    cluster_values[pos[agg]] = samples.values[agg]
    rows = np.array([where.get(int(d), -1) for d in samples.droplet_ids.tolist()], np.int64)
    mine = rows >= 0
    droplet_values[rows[mine], pos[mine]] = samples.values[mine]
    return TelemetryWindow(
        target, since, until, tick_seconds, ticks, cluster_values, inventory.droplets,
        droplet_values, cluster_tags=cluster.tags,
    )  # fmt: skip


def with_events(w: TelemetryWindow, e: OpsEvents) -> TelemetryWindow:
    """The window with the cluster's deploys, jobs, decisions and policy."""
    return replace(w, deploys=e.deploys, jobs=e.jobs, decisions=e.decisions, policy=e.policy)
