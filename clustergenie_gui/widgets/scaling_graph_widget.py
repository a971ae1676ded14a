"""ScalingGraph: the policy's metric against its target, and the droplet count, scrolling live."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from clustergenie_gui.client.types import ScalingPolicy
from clustergenie_gui.viewmodels.scaling_viewmodel import ScalingViewModel
from clustergenie_gui.widgets.live_graph_widget import styled_plot

REDRAW_MS = 100  # 10 Hz: smooth scrolling between 1 s updates, cheap when nothing changed
_METRIC_PEN = pg.mkPen("#1a73e8", width=2)
_TARGET_PEN = pg.mkPen("#d93025", width=1.5, style=Qt.PenStyle.DashLine)
_COUNT_PEN = pg.mkPen("#188038", width=2)


class ScalingGraph(QWidget):
    """Two plots sharing a simulated-time x axis; items are made once and fed with setData."""

    def __init__(self, scaling: ScalingViewModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._vm = scaling
        self._dirty = True
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
        self.metric_curve = self.metric_plot.plot([], [], pen=_METRIC_PEN)
        self.target_curve = self.metric_plot.plot([], [], pen=_TARGET_PEN)
        self.count_curve = self.count_plot.plot([], [], pen=_COUNT_PEN, stepMode="left")
        self.count_plot.getPlotItem().setLabel("left", "droplets", color="#5f6368")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.legend)
        layout.addWidget(self.metric_plot, 3)
        layout.addWidget(self.count_plot, 1)

        self.timer = QTimer(self)
        self.timer.setInterval(REDRAW_MS)
        self.timer.timeout.connect(self.redraw)
        scaling.samples_added.connect(self._on_samples_added)
        scaling.policy_changed.connect(self._on_policy_changed)
        scaling.cluster_changed.connect(self._on_samples_added)
        self._on_policy_changed(scaling.policy)

    def _on_samples_added(self, _count: int) -> None:
        self._dirty = True

    def _on_policy_changed(self, policy: ScalingPolicy | None) -> None:
        metric = self._vm.graph_metric
        item = self.metric_plot.getPlotItem()
        item.setLabel("left", metric.label, color="#5f6368")
        target = f"target {policy.target:g}" if policy else "no policy: no target"
        self.legend.setText(
            f"<span style='color:#1a73e8'>━━</span> {metric.label} &nbsp;&nbsp;"
            f"<span style='color:#d93025'>╍╍</span> {target} &nbsp;&nbsp;"
            "<span style='color:#188038'>━━</span> serving droplets &nbsp;&nbsp;"
            "<span style='color:#5f6368'>(last 10 simulated minutes, UTC)</span>"
        )
        self._dirty = True

    def redraw(self) -> None:
        """Feed the buffered samples to the curves (when new) and scroll the window."""
        now = self._vm.sim_now()
        if now is None:
            return
        start = now - self._vm.WINDOW_SECONDS
        if self._dirty:
            self._dirty = False
            self._update_curves(start, now)
        self.metric_plot.setXRange(start, now, padding=0)

    def _update_curves(self, start: float, now: float) -> None:
        buffer = self._vm.buffer
        # Copies: the ring buffer compacts in place, and pyqtgraph keeps what it is given.
        times = buffer.times().copy()
        values = buffer.values(self._vm.graph_metric.sample_field).copy()
        counts = buffer.values("serving_droplets").copy()
        self.metric_curve.setData(times, values)
        self.count_curve.setData(times, counts)
        policy = self._vm.policy
        if policy is None:
            self.target_curve.setData([], [])
            target = 0.0
        else:
            # Long enough to span the window while it scrolls until the next sample.
            ahead = self._vm.WINDOW_SECONDS
            self.target_curve.setData([start, now + ahead], [policy.target] * 2)
            target = policy.target
        visible = values[times >= start]
        top = max(float(visible.max()) if visible.size else 0.0, target)
        self.metric_plot.setYRange(0, max(top * 1.2, 1.0), padding=0)
        highest = float(np.max(counts)) if counts.size else 0.0
        self.count_plot.setYRange(0, max(highest + 1, 2), padding=0)

    def showEvent(self, event: QShowEvent) -> None:
        """Redraw only while visible."""
        super().showEvent(event)
        self._dirty = True
        self.timer.start()

    def hideEvent(self, event: QHideEvent) -> None:
        """Stop the redraw timer while hidden."""
        self.timer.stop()
        super().hideEvent(event)
