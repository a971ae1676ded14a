"""TelemetryViewModel: live aggregate metrics of every cluster, for the Overview's sparklines."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QObject, Signal

from clustergenie_gui.client import ClientError, ClusterGenieClient
from clustergenie_gui.client.types import Cluster, MetricSample
from clustergenie_gui.models.metric_buffer import MetricBuffer
from clustergenie_gui.viewmodels.connection_viewmodel import ConnectionState
from clustergenie_gui.viewmodels.stream_runner import StreamRunner

SPARK_FIELDS = ("cpu_percent", "requests_per_second", "serving_droplets")


class TelemetryViewModel(QObject):
    """One WatchMetrics stream per live cluster, each buffered in `buffers[cluster_id]`.

    Sparklines redraw from the buffers on their own timer; samples_added only marks them dirty.

    Signals:
        clusters_changed(list): [(cluster_id, name), ...] by name, when the set or a name changes.
        samples_added(int): the cluster id whose buffer received new samples.
    """

    clusters_changed = Signal(list)
    samples_added = Signal(int)

    BACKFILL_SECONDS = 600.0

    def __init__(self, client: ClusterGenieClient, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._client = client
        self._connected = False
        self._clusters: list[tuple[int, str]] = []
        self.buffers: dict[int, MetricBuffer] = {}
        self._runners: dict[int, StreamRunner] = {}

    @property
    def clusters(self) -> list[tuple[int, str]]:
        """[(cluster_id, name), ...] sorted by name."""
        return list(self._clusters)

    def set_clusters(self, clusters: Iterable[Cluster]) -> None:
        """Follow exactly these clusters: start streams for new ones, stop those gone."""
        wanted = sorted(((c.id, c.name) for c in clusters), key=lambda c: (c[1].casefold(), c[0]))
        if wanted == self._clusters:
            return
        ids = {cluster_id for cluster_id, _ in wanted}
        for cluster_id in set(self._runners) - ids:
            self._runners.pop(cluster_id).stop()
            self.buffers.pop(cluster_id, None)
        for cluster_id in ids - set(self._runners):
            self.buffers[cluster_id] = MetricBuffer(SPARK_FIELDS, capacity=512)
            self._runners[cluster_id] = StreamRunner(
                f"metrics {cluster_id}", lambda i=cluster_id: self._consume(i),  # type: ignore[misc]
                self._on_stream_error)
            if self._connected:
                self._runners[cluster_id].start()
        self._clusters = wanted
        self.clusters_changed.emit(self.clusters)

    def _on_connection_changed(self, state: str, _message: str) -> None:
        self._connected = state == ConnectionState.CONNECTED
        for runner in self._runners.values():
            if self._connected:
                runner.start()
            else:
                runner.stop()

    def stop(self) -> None:
        """Stop every stream."""
        for runner in self._runners.values():
            runner.stop()

    async def _consume(self, cluster_id: int) -> None:
        buffer = self.buffers.get(cluster_id)
        if buffer is None:
            return
        buffer.clear()
        stream = self._client.watch_metrics(cluster_id, backfill_seconds=self.BACKFILL_SECONDS)
        async for samples in stream:
            self.add_samples(samples)
            self._runners[cluster_id].healthy()

    def add_samples(self, samples: list[MetricSample]) -> None:
        """Buffer cluster aggregate samples; emit samples_added per cluster that got new ones."""
        touched: set[int] = set()
        for sample in samples:
            buffer = self.buffers.get(sample.cluster_id)
            if sample.droplet_id == 0 and buffer is not None and buffer.append(sample):
                touched.add(sample.cluster_id)
        for cluster_id in sorted(touched):
            self.samples_added.emit(cluster_id)

    def _on_stream_error(self, error: ClientError) -> None:
        # Sparklines are decoration: a stream that fails just retries with backoff.
        pass
