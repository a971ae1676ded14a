"""The hot window: the last minutes of ticks, in memory, for live graphs and recent queries.

The shared cache (clustergenie_server.cache) has "latest points" lists, but pushing a point per
droplet per tick to Redis costs a round trip each (6,000/s at 1,000 droplets and 60×), so the
simulating server keeps whole ticks here, and other servers read the database instead.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from typing import Protocol

import numpy as np

from clustergenie_server.domain.telemetry import Metric, Sample
from clustergenie_server.simulation.engine import TickResult


class HotWindow(Protocol):
    """Recent samples by series."""

    def append(self, tick: TickResult) -> None: ...

    def start(self) -> float | None: ...

    def read(
        self,
        cluster_id: int,
        droplet_id: int,
        metrics: Sequence[Metric],
        since: float,
        until: float,
    ) -> tuple[np.ndarray, np.ndarray]: ...

    def recent(
        self, cluster_id: int, droplet_id: int | None, since: float
    ) -> list[list[Sample]]: ...

    def select(self, tick: TickResult, cluster_id: int, droplet_id: int | None) -> list[Sample]: ...


class MemoryHotWindow:
    """A ring of whole ticks (numpy arrays); reads pick one row per tick."""

    def __init__(self, max_ticks: int) -> None:
        self._ticks: deque[TickResult] = deque(maxlen=max(1, max_ticks))
        # Aggregate selections of each held tick, by id(tick) (a held tick's id is its own):
        # every watch of the same aggregates then gets the same list, which the API converts
        # to protobuf once for all of them (50 Overviews, one conversion per tick).
        self._selections: dict[int, dict[tuple[int, int | None], list[Sample]]] = {}

    def append(self, tick: TickResult) -> None:
        """Remember a tick; the oldest falls out."""
        if len(self._ticks) == self._ticks.maxlen:
            self._selections.pop(id(self._ticks[0]), None)
        self._ticks.append(tick)
        self._selections[id(tick)] = {}

    def start(self) -> float | None:
        """The time of the oldest tick held (every later tick is held too), or None."""
        return self._ticks[0].t if self._ticks else None

    def read(
        self,
        cluster_id: int,
        droplet_id: int,
        metrics: Sequence[Metric],
        since: float,
        until: float,
    ) -> tuple[np.ndarray, np.ndarray]:
        """(times, values) of one series in [since, until)."""
        cols = [m.column for m in metrics]
        times: list[float] = []
        rows: list[np.ndarray] = []
        for tick in self._ticks:
            if not since <= tick.t < until:
                continue
            row = _row(tick, cluster_id, droplet_id)
            if row is not None:
                times.append(tick.t)
                rows.append(row[cols])
        if not rows:
            return np.zeros(0), np.zeros((0, len(cols)))
        return np.array(times), np.vstack(rows)

    def recent(self, cluster_id: int, droplet_id: int | None, since: float) -> list[list[Sample]]:
        """The samples of each held tick from `since` on (see select), oldest first; ticks
        without any are left out."""
        return [
            samples
            for tick in self._ticks
            if tick.t >= since and (samples := self.select(tick, cluster_id, droplet_id))
        ]

    def select(self, tick: TickResult, cluster_id: int, droplet_id: int | None) -> list[Sample]:
        """select_samples of a tick; the same list for the same aggregates while it is held.

        Callers must not change the list. Droplet selections are not kept: a tick of 1,000
        droplets would hold 1,000 more objects per selection.
        """
        held = self._selections.get(id(tick)) if droplet_id == 0 else None
        if held is None:
            return select_samples(tick, cluster_id, droplet_id)
        key = (cluster_id, droplet_id)
        if (samples := held.get(key)) is None:
            samples = held[key] = select_samples(tick, cluster_id, droplet_id)
        return samples


def _row(tick: TickResult, cluster_id: int, droplet_id: int) -> np.ndarray | None:
    if droplet_id == 0:
        hits = np.flatnonzero(tick.cluster_ids == cluster_id)
        return tick.cluster_values[hits[0]] if len(hits) else None
    hits = np.flatnonzero(tick.droplet_ids == droplet_id)
    return tick.droplet_values[hits[0]] if len(hits) else None


def select_samples(tick: TickResult, cluster_id: int, droplet_id: int | None) -> list[Sample]:
    """One tick's samples for a watch: the aggregate, one droplet, or (None) everything;
    cluster_id 0 (with droplet_id 0): every cluster's aggregate."""
    if cluster_id == 0:
        t = tick.t
        return [
            Sample(c, 0, t, tuple(row))
            for c, row in zip(tick.cluster_ids.tolist(), tick.cluster_values.tolist(), strict=True)
        ]
    out: list[Sample] = []
    if droplet_id in (0, None):
        row = _row(tick, cluster_id, 0)
        if row is not None:
            out.append(Sample(cluster_id, 0, tick.t, tuple(row.tolist())))
    if droplet_id != 0:
        mask = tick.droplet_cluster_ids == cluster_id
        if droplet_id is not None:
            mask &= tick.droplet_ids == droplet_id
        for d, row in zip(tick.droplet_ids[mask], tick.droplet_values[mask], strict=True):
            out.append(Sample(cluster_id, int(d), tick.t, tuple(row.tolist())))
    return out
