"""TelemetryViewModel: live aggregate metrics of every cluster, for the Overview's sparklines."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QObject, Signal

from clustergenie_gui.client.protocols import TelemetryApi
from clustergenie_gui.client.types import Cluster, MetricSample
from clustergenie_gui.models.metric_buffer import MetricBuffer
from clustergenie_gui.viewmodels.connection_viewmodel import ConnectionState
from clustergenie_gui.viewmodels.stream_runner import StreamRunner

SPARK_FIELDS = ("cpu_percent", "requests_per_second", "serving_droplets")


class TelemetryViewModel(QObject):
    """One WatchMetrics stream of every cluster's aggregate, buffered in `buffers[cluster_id]`.

    One stream, not one per cluster: with hundreds of clusters the Overview would otherwise hold
    hundreds of streams (and the server convert each tick once per stream). Sparklines redraw
    from the buffers on their own timer; samples_added only marks them dirty.

    Signals:
        clusters_changed(list): [(cluster_id, name), ...] by name, when the set or a name changes.
        samples_added(int): the cluster id whose buffer received new samples.
    """

    clusters_changed = Signal(list)
    samples_added = Signal(int)

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
