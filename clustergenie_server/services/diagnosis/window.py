"""A window of telemetry as an operator's tools show it: metrics, deploys, jobs, scaling,
health and logs. Analyzers are pure functions over one of these (never over the faults)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from clustergenie_server.domain.deploys import Deployment
from clustergenie_server.domain.diagnosis import Target
from clustergenie_server.domain.models import Job
from clustergenie_server.domain.scaling import ScalingDecision, ScalingPolicy
from clustergenie_server.domain.telemetry import METRICS, Metric
from clustergenie_server.services.diagnosis.sources import HealthView, LogView


@dataclass(frozen=True, slots=True)
class DropletInfo:
    """A droplet of the cluster as the inventory shows it."""

    target: Target
    vcpus: int
    memory_mb: int
    size: str = ""
    ip_address: str = ""


@dataclass(frozen=True)
class TelemetryWindow:
    """Every sample of a cluster and its droplets in [since, until) on one tick grid.

    `cluster_values` is (ticks, metrics) and `droplet_values` (droplets, ticks, metrics) in
    METRICS column order, NaN where a droplet had no sample (not yet active, off, destroyed).
    """

    cluster: Target
    since: float
    until: float
    tick_seconds: float
    times: np.ndarray
    cluster_values: np.ndarray
    droplets: tuple[DropletInfo, ...]
    droplet_values: np.ndarray
    deploys: tuple[Deployment, ...] = ()
    jobs: tuple[Job, ...] = ()
    decisions: tuple[ScalingDecision, ...] = ()
    policy: ScalingPolicy | None = None
    health: HealthView = field(default_factory=HealthView)
    logs: LogView = field(default_factory=LogView)
    cluster_tags: tuple[str, ...] = ()

    def cluster_series(self, metric: Metric) -> np.ndarray:
        """One aggregate metric, a value per tick."""
        return self.cluster_values[:, metric.column]

    def droplet_matrix(self, metric: Metric) -> np.ndarray:
        """One droplet metric, (droplets, ticks)."""
        return self.droplet_values[:, :, metric.column]

    @cached_property
    def vcpus(self) -> np.ndarray:
        """vCPUs of each droplet, (droplets, 1), to compare loads across sizes."""
        return np.array([max(1, d.vcpus) for d in self.droplets], float).reshape(-1, 1)

    def droplet(self, droplet_id: int) -> DropletInfo | None:
        """The droplet with that id, if it is in the window."""
        return next((d for d in self.droplets if d.target.droplet_id == droplet_id), None)


def empty_window(cluster: Target, since: float, until: float, tick: float) -> TelemetryWindow:
    """A window without samples (a cluster too new to have any)."""
    return TelemetryWindow(
        cluster, since, until, tick, np.zeros(0), np.zeros((0, len(METRICS))), (),
        np.zeros((0, 0, len(METRICS))),
    )  # fmt: skip


def grid(
    times: Sequence[float], rows: Sequence[tuple[int, Sequence[float]]], droplet_ids: list[int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Samples (time and droplet id 0 for the cluster, with their values) as the window's
    arrays: the tick times, the cluster's (ticks, metrics), the droplets' (D, ticks, metrics)."""
    ticks = np.unique(np.asarray(times, float))
    pos = {t: i for i, t in enumerate(ticks.tolist())}
    where = {d: i for i, d in enumerate(droplet_ids)}
    cluster = np.full((len(ticks), len(METRICS)), np.nan)
    droplets = np.full((len(droplet_ids), len(ticks), len(METRICS)), np.nan)
    for t, (droplet_id, values) in zip(times, rows, strict=True):
        if droplet_id == 0:
            cluster[pos[t]] = values
        elif (d := where.get(droplet_id)) is not None:
            droplets[d, pos[t]] = values
    return ticks, cluster, droplets
