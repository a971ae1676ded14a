"""ScalingGraph: the policy's metric against its target, and the droplet count, live or over a
chosen range; crosshair read-out, zoom/pan with reset, fault spans, scaling and deploy markers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QHideEvent, QKeyEvent, QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from clustergenie_gui.client.diagnosis_types import Deployment
from clustergenie_gui.client.types import Fault, ScalingAction, ScalingMetric, ScalingPolicy
from clustergenie_gui.models.components.graph_notes import deploy_markers, fault_spans
from clustergenie_gui.models.components.palette_in_force import colour, current_palette
from clustergenie_gui.models.metric_buffer import FloatArray
from clustergenie_gui.viewmodels.scaling_viewmodel import ScalingViewModel
from clustergenie_gui.widgets.components.theme import set_role
from clustergenie_gui.widgets.graph_tools import (
    PERCENT_RANGE,
    Annotations,
    Crosshair,
    FollowView,
    Marker,
    TimeRangePicker,
    theme_plot,
)
from clustergenie_gui.widgets.live_graph_widget import styled_plot

REDRAW_MS = 100  # 10 Hz: smooth scrolling between 1 s updates, cheap when nothing changed


def _clock(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%H:%M:%S")


class ScalingGraph(QWidget):
    """Two plots sharing a simulated-time x axis; items are made once and fed with setData."""

    def __init__(self, scaling: ScalingViewModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._vm = scaling
        self._dirty = True
        self._faults: list[Fault] = []
        self._deployments: list[Deployment] = []
        self.metric_plot = styled_plot(date_axis=False)
        self.count_plot = styled_plot()
        self.count_plot.setMaximumHeight(150)
        self.count_plot.setXLink(self.metric_plot)
        self.metric_plot.getPlotItem().getAxis("bottom").setStyle(showValues=False)
        # A QLabel legend: pyqtgraph's LegendItem is anchored to the ViewBox and trips over it
        # being deleted first when the widget goes away.
        self.legend = QLabel()
        self.legend.setObjectName("graph_legend")
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setWordWrap(True)
        self.readout = QLabel()
        self.readout.setObjectName("graph_readout")
        set_role(self.readout, "muted")
        self.range_picker = TimeRangePicker()
        self.reset_button = QPushButton()
        self.reset_button.setObjectName("graph_reset")
        self.metric_curve = self.metric_plot.plot([], [])
        self.target_curve = self.metric_plot.plot([], [])
        self.count_curve = self.count_plot.plot([], [], stepMode="left")
        self.count_plot.getPlotItem().setLabel("left", "droplets")
        self.view = FollowView(self.metric_plot, self.reset_button)
        self.crosshair = Crosshair(
            self.metric_plot, self.read_at, self.readout, linked=[self.count_plot]
        )
        self.notes = Annotations(self.metric_plot)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.legend, 1)
        top.addWidget(self.reset_button)
        top.addWidget(self.range_picker)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addWidget(self.readout)
        layout.addWidget(self.metric_plot, 3)
        layout.addWidget(self.count_plot, 1)
        self._restyle()

        self.timer = QTimer(self)
        self.timer.setInterval(REDRAW_MS)
        self.timer.timeout.connect(self.redraw)
        scaling.samples_added.connect(self._on_samples_added)
        scaling.policy_changed.connect(self._on_policy_changed)
        scaling.cluster_changed.connect(self._on_cluster_changed)
        scaling.history_changed.connect(self._on_samples_added)
        scaling.decisions.rowsInserted.connect(self._on_samples_added)
        self.range_picker.range_changed.connect(self._on_range_changed)
        self._on_policy_changed(scaling.policy)

    # Inputs --------------------------------------------------------------------------

    def set_notes(self, faults: Sequence[Fault], deployments: Sequence[Deployment] = ()) -> None:
        """Faults to shade and deploys to mark (those of the cluster shown are drawn)."""
        self._faults, self._deployments = list(faults), list(deployments)
        self._dirty = True

    def _on_samples_added(self, *_args: object) -> None:
        self._dirty = True

    def _on_cluster_changed(self, _cluster_id: int) -> None:
        self.view.reset()
        self._dirty = True
        if self.range_picker.seconds > self._vm.WINDOW_SECONDS:
            self._vm.set_history_window(self.range_picker.seconds, self._points())

    def _on_range_changed(self, seconds: float) -> None:
        self.view.reset()
        self._vm.set_history_window(seconds, self._points())
        self._dirty = True

    def _points(self) -> int:
        return max(200, int(self.metric_plot.width()))  # about one bucket per pixel column

    def _on_policy_changed(self, policy: ScalingPolicy | None) -> None:
        self._update_legend(policy)
        self._dirty = True

    def _update_legend(self, policy: ScalingPolicy | None) -> None:
        palette = current_palette()
        metric = self._vm.graph_metric
        self.metric_plot.getPlotItem().setLabel("left", metric.label)
        target = f"target {policy.target:g}" if policy else "no policy: no target"
        self.legend.setText(
            f"<span style='color:{palette.series[0]}'>━━</span> {metric.label} &nbsp;"
            f"<span style='color:{palette.series[1]}'>╍╍</span> {target} &nbsp;"
            f"<span style='color:{palette.series[2]}'>━━</span> serving droplets &nbsp;"
            f"<span style='color:{palette.fault_span[:7]}'>▮</span> faults &nbsp;"
            f"<span style='color:{palette.marker}'>┆</span> scaling &nbsp;"
            f"<span style='color:{palette.deploy_marker}'>┆</span> deploys"
        )

    def _restyle(self) -> None:
        palette = current_palette()
        for plot in (self.metric_plot, self.count_plot):
            theme_plot(plot)
        self.metric_curve.setPen(pg.mkPen(colour(palette.series[0]), width=2))
        self.target_curve.setPen(
            pg.mkPen(colour(palette.series[1]), width=1.5, style=Qt.PenStyle.DashLine)
        )
        self.count_curve.setPen(pg.mkPen(colour(palette.series[2]), width=2))
        self.crosshair.restyle()
        self.notes.restyle()
        self._update_legend(self._vm.policy)

    def changeEvent(self, event: QEvent) -> None:
        """Follow the theme."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._restyle()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Esc returns a zoomed or panned view to the live window."""
        if event.key() == Qt.Key.Key_Escape and not self.view.following:
            self.view.reset()
            return
        super().keyPressEvent(event)

    # Drawing -------------------------------------------------------------------------

    def _series(self) -> tuple[FloatArray, FloatArray, FloatArray]:
        """(times, metric values, serving droplets) shown now: history, or the live buffer."""
        if self._vm.history is not None:
            return self._vm.history
        buffer = self._vm.buffer
        return (
            buffer.times(),
            buffer.values(self._vm.graph_metric.sample_field),
            buffer.values("serving_droplets"),
        )

    def read_at(self, x: float) -> str:
        """The crosshair's read-out: the sample nearest to x."""
        times, values, counts = self._series()
        if not times.size:
            return ""
        index = int(np.clip(np.searchsorted(times, x), 0, times.size - 1))
        if index and abs(times[index - 1] - x) < abs(times[index] - x):
            index -= 1
        metric = self._vm.graph_metric
        return (
            f"{_clock(float(times[index]))} UTC · {metric.label} {values[index]:,.1f} · "
            f"{int(counts[index])} serving droplets"
        )

    def redraw(self) -> None:
        """Feed the samples to the curves (when new) and scroll the window."""
        now = self._vm.sim_now()
        if now is None:
            return
        start = now - self._vm.history_seconds
        if self._dirty:
            self._dirty = False
            self._update_curves(start, now)
            self._update_notes(start, now)
        self.view.follow(start, now)

    def _update_curves(self, start: float, now: float) -> None:
        times, values, counts = (array.copy() for array in self._series())
        # Copies: the ring buffer compacts in place, and pyqtgraph keeps what it is given.
        self.metric_curve.setData(times, values)
        self.count_curve.setData(times, counts)
        policy = self._vm.policy
        target = 0.0
        if policy is None:
            self.target_curve.setData([], [])
        else:
            # Long enough to span the window while it scrolls until the next sample.
            self.target_curve.setData([start, now + self._vm.history_seconds], [policy.target] * 2)
            target = policy.target
        if self._vm.graph_metric == ScalingMetric.CPU:
            self.metric_plot.setYRange(*PERCENT_RANGE, padding=0)  # percentages: 0..100
        else:
            visible = values[times >= start]
            top = max(float(visible.max()) if visible.size else 0.0, target)
            self.metric_plot.setYRange(0, max(top * 1.2, 1.0), padding=0)
        highest = float(np.max(counts)) if counts.size else 0.0
        self.count_plot.setYRange(0, max(highest + 1, 2), padding=0)

    def _update_notes(self, start: float, now: float) -> None:
        cluster_id = self._vm.cluster_id
        self.notes.set_spans(fault_spans(self._faults, cluster_id, start, now))
        markers = deploy_markers(self._deployments, cluster_id, start)
        for decision in self._vm.decisions.items():
            if decision.action == ScalingAction.NONE or decision.time is None:
                continue
            moment = decision.time.timestamp()
            if moment >= start:
                arrow = "↑" if decision.action == ScalingAction.SCALE_UP else "↓"
                markers.append(Marker(moment, f"{arrow} {decision.desired_droplets}"))
        self.notes.set_markers(sorted(markers, key=lambda marker: marker.time))

    def showEvent(self, event: QShowEvent) -> None:
        """Redraw only while visible."""
        super().showEvent(event)
        self._dirty = True
        self.timer.start()

    def hideEvent(self, event: QHideEvent) -> None:
        """Stop the redraw timer while hidden."""
        self.timer.stop()
        super().hideEvent(event)
