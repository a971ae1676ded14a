"""ScalingViewModel: the selected cluster's policy, manual scaling, decisions and live metrics."""

from __future__ import annotations

import time

import numpy as np
from PySide6.QtCore import QObject, Signal
from qasync import asyncSlot

from clustergenie_gui.client import ClientError
from clustergenie_gui.client.protocols import TelemetryScalingApi
from clustergenie_gui.client.types import (
    DecisionEvent,
    Metric,
    MetricSample,
    ScalingDecision,
    ScalingMetric,
    ScalingPolicy,
    SimulationClock,
    SnapshotComplete,
)
from clustergenie_gui.models.decision_table_model import DecisionTableModel
from clustergenie_gui.models.metric_buffer import FloatArray, MetricBuffer
from clustergenie_gui.viewmodels.connection_viewmodel import ConnectionState
from clustergenie_gui.viewmodels.stream_runner import StreamRunner

# Every field a scaling graph can show: the three policy metrics and the droplet count.
GRAPH_FIELDS = ("cpu_percent", "requests_per_droplet", "latency_p95_ms", "serving_droplets")


class ScalingViewModel(QObject):
    """Follows one cluster: its policy (get/set/delete), scale jobs, decisions and metrics.

    Samples go into `buffer` without a signal per field; a graph redraws from it on its own
    timer. Decisions go into the `decisions` table model.

    Signals:
        cluster_changed(int): the selected cluster id (0: none).
        policy_changed(object): the cluster's ScalingPolicy, or None when it has none.
        policy_busy_changed(bool): a get/set/delete of the policy is (no longer) in flight.
        policy_error(str): the server's message for a failed policy request; "" clears it.
        policy_saved(object): the ScalingPolicy the server stored after a Save.
        scale_error(str): the server's message for a failed manual scale; "" clears it.
        scale_started(object): the Job a manual scale queued.
        samples_added(int): how many new aggregate samples were buffered.
        clock_changed(object): the SimulationClock, after each (re)connect or cluster change.
        history_changed(): `history` holds a new downsampled window (or None: live window).
    """

    cluster_changed = Signal(int)
    policy_changed = Signal(object)
    policy_busy_changed = Signal(bool)
    policy_error = Signal(str)
    policy_saved = Signal(object)
    scale_error = Signal(str)
    scale_started = Signal(object)
    samples_added = Signal(int)
    clock_changed = Signal(object)
    history_changed = Signal()

    WINDOW_SECONDS = 600.0  # the graph's scrolling window: ten simulated minutes
    SNAPSHOT_LIMIT = 100

    def __init__(self, client: TelemetryScalingApi, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._client = client
        self._cluster_id = 0
        self._connected = False
        self._policy: ScalingPolicy | None = None
        self._busy = False
        self._policy_reloading = False
        self._live_decisions = False  # the decisions stream is past its snapshot
        self._newest_decision: ScalingDecision | None = None  # the snapshot's newest
        self._clock: SimulationClock | None = None
        self._clock_anchor = (0.0, 0.0)  # (simulated seconds, time.monotonic()) at GetClock
        self.buffer = MetricBuffer(GRAPH_FIELDS)
        self.decisions = DecisionTableModel(self)
        # A longer window than the live buffer's, served downsampled by QuerySeries:
        # (times, metric values, serving droplets), or None to show the live buffer.
        self.history: tuple[FloatArray, FloatArray, FloatArray] | None = None
        self.history_seconds = self.WINDOW_SECONDS
        self._metrics = StreamRunner("metrics", self._consume_metrics, self._on_stream_error)
        self._decisions = StreamRunner("decisions", self._consume_decisions, self._on_stream_error)

    # State ---------------------------------------------------------------------------

    @property
    def cluster_id(self) -> int:
        """The selected cluster (0: none)."""
        return self._cluster_id

    @property
    def policy(self) -> ScalingPolicy | None:
        """The selected cluster's policy, or None."""
        return self._policy

    @property
    def policy_busy(self) -> bool:
        """A get, set or delete of the policy is in flight."""
        return self._busy

    @property
    def graph_metric(self) -> ScalingMetric:
        """What the graph plots: the policy's metric, CPU without a policy."""
        return self._policy.metric if self._policy else ScalingMetric.CPU

    @property
    def clock(self) -> SimulationClock | None:
        """The last simulation clock received."""
        return self._clock

    def sim_now(self) -> float | None:
        """The simulated now (Unix seconds), extrapolated from the last GetClock; None unknown."""
        if self._clock is None:
            return self.buffer.last_time
        sim, wall = self._clock_anchor
        estimate = sim + (time.monotonic() - wall) * self._clock.time_scale
        last = self.buffer.last_time
        return estimate if last is None else max(estimate, last)

    # Selection and connection --------------------------------------------------------

    def select_cluster(self, cluster_id: int) -> None:
        """Follow another cluster (0: none): restart the streams and load its policy."""
        if cluster_id == self._cluster_id:
            return
        self._stop_streams()
        self._cluster_id = cluster_id
        self.buffer.clear()
        self.decisions.clear()
        self._set_policy(None)
        self._set_history(None)
        self.policy_error.emit("")
        self.scale_error.emit("")
        self.cluster_changed.emit(cluster_id)
        self._start()

    def _on_connection_changed(self, state: str, _message: str) -> None:
        self._connected = state == ConnectionState.CONNECTED
        if self._connected:
            self._start()
        else:
            self._stop_streams()

    def stop(self) -> None:
        """Stop the streams."""
        self._stop_streams()

    def _start(self) -> None:
        if self._connected and self._cluster_id:
            self._live_decisions, self._newest_decision = False, None
            self._metrics.start()
            self._decisions.start()
            self.load_policy()
            self.load_clock()

    def _stop_streams(self) -> None:
        self._metrics.stop()
        self._decisions.stop()

    # Streams -------------------------------------------------------------------------

    async def _consume_metrics(self) -> None:
        # The backfill refills the window after every (re)start, so start from empty.
        self.buffer.clear()
        cluster_id = self._cluster_id
        stream = self._client.watch_metrics(cluster_id, backfill_seconds=self.WINDOW_SECONDS)
        async for samples in stream:
            self.add_samples(samples)
            self._metrics.healthy()

    def add_samples(self, samples: list[MetricSample]) -> None:
        """Buffer the selected cluster's aggregate samples; emit samples_added when any is new."""
        mine = [s for s in samples if s.cluster_id == self._cluster_id and s.droplet_id == 0]
        added = self.buffer.extend(mine)
        if added:
            self.samples_added.emit(added)

    async def _consume_decisions(self) -> None:
        cluster_id = self._cluster_id
        async for event in self._client.watch_decisions(cluster_id, self.SNAPSHOT_LIMIT):
            self.apply_decision(event)

    def apply_decision(self, event: DecisionEvent) -> None:
        """Add one decision of the selected cluster to the table.

        A decision made under another metric or target than the policy shown (or with none
        shown) means someone else set the policy (the CLI, another window, the demo): it is
        read again, once the snapshot's newest decision or a live one shows it.
        """
        if isinstance(event, SnapshotComplete):
            self._decisions.healthy()
            self._live_decisions = True
            if self._newest_decision is not None:
                self._reload_if_policy_differs(self._newest_decision)
        elif event.cluster_id == self._cluster_id:
            self.decisions.add(event)
            if self._live_decisions:
                self._reload_if_policy_differs(event)
            elif self._newest_decision is None or event.id > self._newest_decision.id:
                self._newest_decision = event

    def _reload_if_policy_differs(self, decision: ScalingDecision) -> None:
        p = self._policy
        differs = p is None or p.metric != decision.metric or p.target != decision.target
        if differs and not self._policy_reloading:
            self._policy_reloading = True
            self.load_policy()

    def _on_stream_error(self, error: ClientError) -> None:
        if not error.is_connection_error:
            self.policy_error.emit(f"Live scaling data stopped: {error.message}")

    # Requests ------------------------------------------------------------------------

    @asyncSlot()
    async def load_clock(self) -> None:
        """Fetch the simulation clock (for the graph's scrolling x axis)."""
        try:
            clock = await self._client.get_clock()
        except ClientError:
            return  # the graph then scrolls with the samples instead
        if clock.now is not None:
            self._clock_anchor = (clock.now.timestamp(), time.monotonic())
        if clock != self._clock:
            self._clock = clock
            self.clock_changed.emit(clock)

    @asyncSlot()
    async def load_policy(self) -> None:
        """Fetch the selected cluster's policy (None when it has none)."""
        cluster_id = self._cluster_id
        self._set_busy(True)
        try:
            policy: ScalingPolicy | None = await self._client.get_policy(cluster_id)
        except ClientError as error:
            if error.code != "NOT_FOUND":
                self.policy_error.emit(error.message)
            policy = None
        finally:
            self._set_busy(False)
            self._policy_reloading = False
        if cluster_id == self._cluster_id:
            self._set_policy(policy)

    @asyncSlot(object)
    async def save_policy(self, policy: ScalingPolicy) -> None:
        """Create or replace the policy; a rejection goes to policy_error."""
        self.policy_error.emit("")
        self._set_busy(True)
        try:
            saved = await self._client.set_policy(policy)
        except ClientError as error:
            self.policy_error.emit(error.message)
        else:
            if saved.cluster_id == self._cluster_id:
                self._set_policy(saved)
            self.policy_saved.emit(saved)
        finally:
            self._set_busy(False)

    @asyncSlot()
    async def delete_policy(self) -> None:
        """Remove the selected cluster's policy."""
        cluster_id = self._cluster_id
        self.policy_error.emit("")
        self._set_busy(True)
        try:
            await self._client.delete_policy(cluster_id)
        except ClientError as error:
            self.policy_error.emit(error.message)
        else:
            if cluster_id == self._cluster_id:
                self._set_policy(None)
        finally:
            self._set_busy(False)

    def set_history_window(self, seconds: float, max_points: int = 600) -> None:
        """Show the last `seconds` (simulated): the live buffer for its own window, else a
        downsampled query (QuerySeries: the server picks the buckets)."""
        self.history_seconds = seconds
        if seconds <= self.WINDOW_SECONDS:
            self._set_history(None)
        else:
            self.load_history(seconds, max_points)

    @asyncSlot(float, int)
    async def load_history(self, seconds: float, max_points: int = 600) -> None:
        """Fetch the selected cluster's metric and droplet count over the last `seconds`."""
        cluster_id, metric = self._cluster_id, self.graph_metric
        if not cluster_id:
            return
        per_droplet = metric == ScalingMetric.REQUESTS_PER_DROPLET
        asked = Metric.REQUESTS_PER_SECOND if per_droplet else Metric(metric.sample_field)
        try:
            series = await self._client.query_series(
                cluster_id,
                [asked, Metric.SERVING_DROPLETS],
                window_seconds=seconds,
                max_points=max_points,
            )
        except ClientError as error:
            self.policy_error.emit(f"Could not load the graph's history: {error.message}")
            return
        if cluster_id != self._cluster_id or seconds != self.history_seconds:
            return  # the user moved on while it loaded
        values, counts = (np.asarray(s.values, dtype=float) for s in series)
        times = np.asarray(series[0].times, dtype=float)
        size = min(times.size, values.size, counts.size)
        times, values, counts = times[:size], values[:size], counts[:size]
        if per_droplet:
            values = np.divide(values, counts, out=np.zeros_like(values), where=counts > 0)
        self._set_history((times, values, counts))

    def _set_history(self, history: tuple[FloatArray, FloatArray, FloatArray] | None) -> None:
        if history is None and self.history is None:
            return
        self.history = history
        self.history_changed.emit()

    @asyncSlot(int)
    async def scale_to(self, count: int) -> None:
        """Start a job that scales the selected cluster to count droplets."""
        self.scale_error.emit("")
        try:
            job = await self._client.scale_cluster(self._cluster_id, count)
        except ClientError as error:
            self.scale_error.emit(error.message)
        else:
            self.scale_started.emit(job)

    def _set_policy(self, policy: ScalingPolicy | None) -> None:
        if policy != self._policy:
            self._policy = policy
            self.policy_changed.emit(policy)

    def _set_busy(self, busy: bool) -> None:
        if busy != self._busy:
            self._busy = busy
            self.policy_busy_changed.emit(busy)
