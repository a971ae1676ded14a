"""The simulation engine: routes each cluster's traffic to its droplets and samples them.

Pure computation on numpy arrays, no I/O and no clock: the telemetry runner feeds it the
inventory and the faults and calls tick(t) at every simulated tick.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from clustergenie_server.domain.telemetry import METRICS, Fault, Metric, Sample
from clustergenie_server.simulation.catalog import Catalog
from clustergenie_server.simulation.droplet_metrics import (
    COLS,
    DropletArrays,
    serving_mask,
    step_droplets,
)
from clustergenie_server.simulation.faults import fault_effects
from clustergenie_server.simulation.traffic import TrafficModel, TrafficProfile, profile_from_tags

_MEAN_COLS = [COLS[m] for m in (Metric.CPU_PERCENT, Metric.MEMORY_PERCENT, Metric.DISK_PERCENT)]
_SUM_COLS = [COLS[m] for m in (Metric.NET_IN_MBPS, Metric.NET_OUT_MBPS)]
_WEIGHTED_COLS = [
    COLS[m] for m in (Metric.LATENCY_P50_MS, Metric.LATENCY_P95_MS, Metric.LATENCY_P99_MS)
]


@dataclass(frozen=True, slots=True)
class ClusterInfo:
    """A live cluster as the simulation needs it."""

    id: int
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DropletInfo:
    """An active droplet as the simulation needs it."""

    id: int
    cluster_id: int
    size: str


@dataclass(frozen=True, slots=True)
class TickResult:
    """One tick's samples: a row per active droplet and a row per cluster (METRICS columns)."""

    t: float
    droplet_ids: np.ndarray
    droplet_cluster_ids: np.ndarray
    droplet_values: np.ndarray
    cluster_ids: np.ndarray
    cluster_values: np.ndarray

    def samples(self) -> list[Sample]:
        """Every row as a Sample: cluster aggregates first."""
        out = [
            Sample(int(c), 0, self.t, tuple(row.tolist()))
            for c, row in zip(self.cluster_ids, self.cluster_values, strict=True)
        ]
        out.extend(
            Sample(int(c), int(d), self.t, tuple(row.tolist()))
            for d, c, row in zip(
                self.droplet_ids, self.droplet_cluster_ids, self.droplet_values, strict=True
            )
        )
        return out


class SimulationEngine:
    """Traffic and metrics of every cluster and active droplet, replayable from a seed."""

    def __init__(
        self, seed: int, catalog: Catalog, *, tick_seconds: float, bursts_per_day: float
    ) -> None:
        self.seed = seed
        self.tick_seconds = tick_seconds
        self._catalog = catalog
        self._rng = np.random.default_rng([seed, 0xD0])
        self._traffic = TrafficModel(seed, bursts_per_day=bursts_per_day, tick_seconds=tick_seconds)
        self._profile_of: dict[ClusterInfo, TrafficProfile] = {}
        self._cluster_ids = np.zeros(0, np.int64)
        self._cluster_pos: dict[int, int] = {}
        self._d = _empty_arrays()
        self._index: dict[int, int] = {}
        self._faults: Sequence[Fault] = ()
        self._version_errors: dict[int, float] = {}
        self._version_error = np.zeros(0)
        self._last_t: float | None = None

    @property
    def droplet_count(self) -> int:
        """Active droplets being simulated."""
        return len(self._d)

    def set_inventory(
        self,
        clusters: Sequence[ClusterInfo],
        droplets: Sequence[DropletInfo],
        draining: Iterable[int] = (),
        *,
        restarted: Iterable[int] = (),
    ) -> None:
        """Replace the inventory, keeping each surviving droplet's state (leaks, disk); a
        `restarted` droplet (rebooted, resized) keeps its disk but its memory starts clean."""
        # Kept while a cluster and its tags stay the same: drawing a profile costs a seeded
        # generator (~20 us), and the inventory changes every tick while droplets come up.
        known = self._profile_of
        self._profile_of = {
            c: known.get(c) or profile_from_tags(self.seed, c.id, c.tags) for c in clusters
        }
        self._cluster_ids = np.array([c.id for c in clusters], np.int64)
        cluster_pos = {c.id: i for i, c in enumerate(clusters)}
        live = [d for d in droplets if d.cluster_id in cluster_pos]
        old, old_index = self._d, self._index
        n = len(live)
        new = _empty_arrays(n)
        new.ids[:] = [d.id for d in live]
        new.cluster_index[:] = [cluster_pos[d.cluster_id] for d in live]
        for i, info in enumerate(live):
            size = self._catalog.size(info.size)
            new.vcpus[i] = size.vcpus if size else 1
            new.memory_mb[i] = size.memory_mb if size else 1024
        drain = set(draining)
        new.draining[:] = [d.id in drain for d in live]
        index = {d.id: i for i, d in enumerate(live)}
        fresh = self._rng.uniform(8.0, 25.0, n)
        new.disk_floor[:] = fresh
        new.disk_percent[:] = fresh
        for i, info in enumerate(live):
            if (j := old_index.get(info.id)) is not None:
                new.leaked_mb[i] = old.leaked_mb[j]
                new.disk_percent[i] = old.disk_percent[j]
                new.disk_floor[i] = old.disk_floor[j]
                new.restart_until[i] = old.restart_until[j]
        for droplet_id in restarted:
            if (k := index.get(droplet_id)) is not None:
                new.leaked_mb[k] = 0.0
        self._d = new
        self._index = {d.id: i for i, d in enumerate(live)}
        self._place_version_errors()
        self._cluster_pos = cluster_pos
        self._traffic.set_clusters(self._cluster_ids, [self._profile_of[c] for c in clusters])

    @property
    def faults(self) -> Sequence[Fault]:
        """The faults being applied (active or scheduled), as last set."""
        return self._faults

    def set_faults(self, faults: Sequence[Fault]) -> None:
        """The faults to apply from now on (active or scheduled; each knows when it acts)."""
        self._faults = tuple(faults)

    @property
    def version_errors(self) -> Mapping[int, float]:
        """The error rate of each droplet that runs a defective version, as last set."""
        return self._version_errors

    def set_version_errors(self, errors: Mapping[int, float]) -> None:
        """The error rate of each droplet that runs a defective version (a bad deploy)."""
        self._version_errors = dict(errors)
        self._place_version_errors()

    def _place_version_errors(self) -> None:
        self._version_error = np.zeros(len(self._d))
        for droplet_id, rate in self._version_errors.items():
            if (i := self._index.get(droplet_id)) is not None:
                self._version_error[i] = rate

    def tick(self, t: float) -> TickResult:
        """Advance to simulated time t and sample every droplet and cluster."""
        dt = self.tick_seconds if self._last_t is None else max(0.0, t - self._last_t)
        self._last_t = t
        d, m = self._d, len(self._cluster_ids)
        cluster_of = self._cluster_ids[d.cluster_index] if len(d) else np.zeros(0, np.int64)
        fx = fault_effects(self._faults, t, d.ids, cluster_of, self._index)
        np.maximum(fx.error_rate, self._version_error, out=fx.error_rate)
        spike = np.ones(m)
        for cluster_id, factor in fx.spike.items():
            if (i := self._cluster_pos.get(cluster_id)) is not None:
                spike[i] = factor
        offered = self._traffic.offered(t, dt, spike)
        serving = serving_mask(d, fx, t)
        # A weighted balancer: a droplet gets traffic in proportion to its vCPUs.
        weight = np.where(serving, d.vcpus, 0.0)
        total_weight = np.bincount(d.cluster_index, weight, m)
        share = np.divide(
            weight, total_weight[d.cluster_index], out=np.zeros(len(d)), where=weight > 0
        )
        routed = offered[d.cluster_index] * share if len(d) else np.zeros(0)
        values = step_droplets(d, fx, routed, t, dt, self._rng)
        clusters = _aggregate(values, d.cluster_index, serving, offered, m)
        return TickResult(t, d.ids.copy(), cluster_of, values, self._cluster_ids.copy(), clusters)


def _aggregate(
    values: np.ndarray, index: np.ndarray, serving: np.ndarray, offered: np.ndarray, m: int
) -> np.ndarray:
    """Cluster rows: means over serving droplets, sums, request-weighted latency and errors."""
    out = np.zeros((m, len(METRICS)))
    n_serving = _sum(index, serving.astype(float), m)
    rps = values[:, COLS[Metric.REQUESTS_PER_SECOND]]
    received = _sum(index, rps, m)
    for col in _MEAN_COLS:
        total = _sum(index, np.where(serving, values[:, col], 0.0), m)
        out[:, col] = np.divide(total, n_serving, out=np.zeros(m), where=n_serving > 0)
    for col in _SUM_COLS:
        out[:, col] = _sum(index, values[:, col], m)
    for col in _WEIGHTED_COLS:
        total = _sum(index, values[:, col] * rps, m)
        out[:, col] = np.divide(total, received, out=np.zeros(m), where=received > 0)
    errors = _sum(index, values[:, COLS[Metric.ERROR_RATE]] * rps, m)
    errors += np.maximum(offered - received, 0.0)  # arrived, but no droplet could take it
    out[:, COLS[Metric.ERROR_RATE]] = np.divide(errors, offered, out=np.zeros(m), where=offered > 0)
    out[:, COLS[Metric.REQUESTS_PER_SECOND]] = received
    out[:, COLS[Metric.SERVING_DROPLETS]] = n_serving
    out[:, COLS[Metric.REQUESTS_PER_DROPLET]] = np.divide(
        offered, n_serving, out=np.zeros(m), where=n_serving > 0
    )
    out[:, COLS[Metric.OFFERED_RPS]] = offered
    return out


def _sum(index: np.ndarray, weights: np.ndarray, m: int) -> np.ndarray:
    """Per-cluster sums (as floats even when there are no droplets at all)."""
    return np.bincount(index, weights, minlength=m).astype(float)


def _empty_arrays(n: int = 0) -> DropletArrays:
    return DropletArrays(
        ids=np.zeros(n, np.int64),
        cluster_index=np.zeros(n, np.int64),
        vcpus=np.ones(n),
        memory_mb=np.full(n, 1024.0),
        draining=np.zeros(n, bool),
        leaked_mb=np.zeros(n),
        disk_percent=np.zeros(n),
        disk_floor=np.zeros(n),
        restart_until=np.full(n, -np.inf),
    )
