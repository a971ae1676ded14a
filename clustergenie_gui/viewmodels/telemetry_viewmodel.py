"""TelemetryViewModel: live aggregate metrics of every cluster, for the Overview's sparklines."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

import numpy as np
from PySide6.QtCore import QObject, Signal
from qasync import asyncSlot

from clustergenie_gui.client import ClientError
from clustergenie_gui.client.protocols import TelemetryApi
from clustergenie_gui.client.types import Cluster, Metric, MetricSample
from clustergenie_gui.models.metric_buffer import FloatArray, MetricBuffer
from clustergenie_gui.viewmodels.connection_viewmodel import ConnectionState
from clustergenie_gui.viewmodels.stream_runner import StreamRunner

SPARK_FIELDS = ("cpu_percent", "requests_per_second", "serving_droplets")
HISTORY_METRICS = (Metric.CPU_PERCENT, Metric.REQUESTS_PER_SECOND)
SPARK_POINTS = 160  # a sparkline is ~160 px wide: one bucket per pixel column
MAX_CONCURRENT_QUERIES = 8  # hundreds of clusters must not open hundreds of calls at once


class TelemetryViewModel(QObject):
    """One WatchMetrics stream of every cluster's aggregate, buffered in `buffers[cluster_id]`.

    One stream, not one per cluster: with hundreds of clusters the Overview would otherwise hold
    hundreds of streams (and the server convert each tick once per stream). Sparklines redraw
    from the buffers on their own timer; samples_added only marks them dirty.

    A window longer than the live backfill (the range picker's 1 h, 6 h...) is served
    downsampled by QuerySeries, one call per cluster, into `history[cluster_id]`; live samples
    after its end still come from the buffers.

    Signals:
        clusters_changed(list): [(cluster_id, name), ...] by name, when the set or a name changes.
        samples_added(int): the cluster id whose buffer (or history) received new samples.
        window_changed(float): the simulated seconds the sparklines show now.
    """

    clusters_changed = Signal(list)
    samples_added = Signal(int)
    window_changed = Signal(float)

    BACKFILL_SECONDS = 600.0
    EVERY_CLUSTER = 0  # WatchMetrics' cluster id for every cluster's aggregate

    def __init__(self, client: TelemetryApi, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._client = client
        self._clusters: list[tuple[int, str]] = []
        # Samples may arrive before the inventory lists their cluster (the backfill races the
        # inventory snapshot), so a buffer is made for any cluster not known to be gone.
        self.buffers: dict[int, MetricBuffer] = {}
        self._gone: set[int] = set()
        self.window_seconds = self.BACKFILL_SECONDS
        # cluster id -> (times, cpu %, requests/s) over window_seconds, when longer than live.
        self.history: dict[int, tuple[FloatArray, FloatArray, FloatArray]] = {}
        # Sparklines are decoration: a failed stream just retries with backoff, shown nowhere.
        self._runner = StreamRunner("metrics", self._consume)

    @property
    def clusters(self) -> list[tuple[int, str]]:
        """[(cluster_id, name), ...] sorted by name."""
        return list(self._clusters)

    def set_clusters(self, clusters: Iterable[Cluster]) -> None:
        """Follow exactly these clusters: buffers for new ones, none for those gone."""
        wanted = sorted(((c.id, c.name) for c in clusters), key=lambda c: (c[1].casefold(), c[0]))
        if wanted == self._clusters:
            return
        ids = {cluster_id for cluster_id, _ in wanted}
        for cluster_id, _ in self._clusters:
            if cluster_id not in ids:
                self._gone.add(cluster_id)
                self.buffers.pop(cluster_id, None)
        for cluster_id in ids:
            self._buffer(cluster_id)
        self._clusters = wanted
        self.clusters_changed.emit(self.clusters)

    def _buffer(self, cluster_id: int) -> MetricBuffer:
        buffer = self.buffers.get(cluster_id)
        if buffer is None:
            buffer = self.buffers[cluster_id] = MetricBuffer(SPARK_FIELDS, capacity=512)
        return buffer

    def set_window(self, seconds: float) -> None:
        """Show the last `seconds` (simulated): the live buffers up to their backfill, else
        the server's downsampled series (QuerySeries) for each cluster."""
        if seconds == self.window_seconds:
            return
        self.window_seconds = seconds
        self.history.clear()
        self.window_changed.emit(seconds)
        for cluster_id, _ in self._clusters:
            self.samples_added.emit(cluster_id)
        if seconds > self.BACKFILL_SECONDS:
            self.load_history(seconds)

    @asyncSlot(float)
    async def load_history(self, seconds: float) -> None:
        """Fetch every followed cluster's CPU and requests/s over the last `seconds`."""
        gate = asyncio.Semaphore(MAX_CONCURRENT_QUERIES)

        async def one(cluster_id: int) -> None:
            async with gate:
                try:
                    series = await self._client.query_series(
                        cluster_id,
                        list(HISTORY_METRICS),
                        window_seconds=seconds,
                        max_points=SPARK_POINTS,
                    )
                except ClientError:
                    return  # decoration: this card keeps its live samples
            if seconds != self.window_seconds or cluster_id in self._gone:
                return  # the user moved on while it loaded
            cpu, rps = (np.asarray(s.values, dtype=float) for s in series)
            times = np.asarray(series[0].times, dtype=float)
            size = min(times.size, cpu.size, rps.size)
            self.history[cluster_id] = (times[:size], cpu[:size], rps[:size])
            self.samples_added.emit(cluster_id)

        await asyncio.gather(*(one(cluster_id) for cluster_id, _ in self._clusters))

    def series(self, cluster_id: int) -> tuple[FloatArray, FloatArray, FloatArray, float]:
        """(times, cpu %, requests/s, window start) the cluster's sparklines show now."""
        buffer = self.buffers.get(cluster_id)
        times = buffer.times() if buffer is not None else np.zeros(0)
        cpu = buffer.values("cpu_percent") if buffer is not None else np.zeros(0)
        rps = buffer.values("requests_per_second") if buffer is not None else np.zeros(0)
        past = self.history.get(cluster_id)
        if past is not None and past[0].size:
            newer = times > past[0][-1]  # live samples after the downsampled window's end
            times = np.concatenate((past[0], times[newer]))
            cpu = np.concatenate((past[1], cpu[newer]))
            rps = np.concatenate((past[2], rps[newer]))
        end = float(times[-1]) if times.size else 0.0
        start = end - self.window_seconds
        first = int(np.searchsorted(times, start))
        return times[first:], cpu[first:], rps[first:], start

    def _on_connection_changed(self, state: str, _message: str) -> None:
        if state == ConnectionState.CONNECTED:
            self._runner.start()
        else:
            self._runner.stop()

    def stop(self) -> None:
        """Stop the stream."""
        self._runner.stop()

    async def _consume(self) -> None:
        # A new stream's backfill replaces what the buffers hold (maybe another server's).
        for buffer in self.buffers.values():
            buffer.clear()
        stream = self._client.watch_metrics(
            self.EVERY_CLUSTER, backfill_seconds=self.BACKFILL_SECONDS
        )
        async for samples in stream:
            self.add_samples(samples)
            self._runner.healthy()

    def add_samples(self, samples: list[MetricSample]) -> None:
        """Buffer cluster aggregate samples; emit samples_added per cluster that got new ones."""
        touched: set[int] = set()
        for sample in samples:
            if sample.droplet_id != 0 or sample.cluster_id in self._gone:
                continue
            if self._buffer(sample.cluster_id).append(sample):
                touched.add(sample.cluster_id)
        for cluster_id in sorted(touched):
            self.samples_added.emit(cluster_id)
