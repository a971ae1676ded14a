"""LogsGraph: lines per second by level (stacked bars) and the error ratio, redrawn at 10 Hz;
hover shows the bucket's figures, the wheel zooms the time axis, a click emits its time."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from pyqtgraph.GraphicsScene.mouseEvents import MouseClickEvent
from PySide6.QtCore import QPointF, QTimer, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from clustergenie_gui.models.log_colours import ERROR_RATIO_COLOUR, STACK_ORDER, level_colour
from clustergenie_gui.models.log_stats_buffer import LogStatsBuffer
from clustergenie_gui.models.log_table_model import time_text
from clustergenie_gui.widgets.components.theme import set_role
from clustergenie_gui.widgets.live_graph_widget import styled_plot

REDRAW_MS = 100


class LogsGraph(QWidget):
    """Two linked plots over one LogStatsBuffer.

    Signals:
        clicked(float): the time (simulated seconds) under a click on either plot.
    """

    clicked = Signal(float)

    def __init__(self, stats: LogStatsBuffer, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._stats, self._drawn = stats, -1
        self.rate_plot = styled_plot()
        self.ratio_plot = styled_plot()
        for plot in (self.rate_plot, self.ratio_plot):
            plot.getPlotItem().setMouseEnabled(x=True, y=False)  # the wheel zooms time
        self.rate_plot.setLabel("left", "lines/s")
        self.ratio_plot.setLabel("left", "errors")  # "error ratio" does not fit its height
        self.ratio_plot.setXLink(self.rate_plot)
        self.ratio_plot.setYRange(0, 1)
        # 0, 0.5 and 1 only: pyqtgraph's own spacing crams five labels into 60 px.
        self.ratio_plot.getPlotItem().getAxis("left").setTickSpacing(0.5, 0.25)
        self.ratio_plot.setMaximumHeight(110)
        # Made once; redraws only setOpts/setData them.
        self.bars: dict[str, pg.BarGraphItem] = {}
        for level in STACK_ORDER:
            bar = pg.BarGraphItem(x=[], height=[], width=1, brush=level_colour(level), pen=None)
            self.bars[level] = bar
            self.rate_plot.addItem(bar)
        self.ratio_curve = self.ratio_plot.plot(pen=pg.mkPen(ERROR_RATIO_COLOUR, width=1))
        self.readout = QLabel("Hover over the graph for the figures; click a spike for its lines.")
        set_role(self.readout, "muted")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.rate_plot, 3)
        layout.addWidget(self.ratio_plot, 1)
        layout.addWidget(self.readout)
        for plot in (self.rate_plot, self.ratio_plot):
            plot.scene().sigMouseMoved.connect(lambda pos, p=plot: self._on_moved(p, pos))
            plot.scene().sigMouseClicked.connect(lambda ev, p=plot: self._on_clicked(p, ev))
        self._timer = QTimer(self)
        self._timer.setInterval(REDRAW_MS)
        self._timer.timeout.connect(self.redraw)
        self._timer.start()

    def redraw(self) -> None:
        """Draw the buffer if it changed since last drawn."""
        if self._drawn == self._stats.version:
            return
        self._drawn = self._stats.version
        times = self._stats.times()
        step = self._stats.step
        base = np.zeros(len(times))
        for level in STACK_ORDER:
            rate = self._stats.per_second(level)
            self.bars[level].setOpts(
                x=times + step / 2, height=rate, y0=base.copy(), width=step * 0.9
            )
            base += rate
        self.ratio_curve.setData(times + step / 2, self._stats.error_ratio())
        if len(times):
            self.rate_plot.setXRange(times[0], times[-1] + step, padding=0)

    def x_of(self, plot: pg.PlotWidget, scene_pos: QPointF) -> float:
        """The time under a scene position."""
        return float(plot.getPlotItem().vb.mapSceneToView(scene_pos).x())

    def _on_moved(self, plot: pg.PlotWidget, pos: QPointF) -> None:
        if not plot.getPlotItem().sceneBoundingRect().contains(pos) or not self._stats.counts:
            return
        start, rates = self._stats.at(self.x_of(plot, pos))
        if not rates:
            return
        total = sum(rates.values())
        parts = ", ".join(f"{k} {v:.1f}" for k, v in sorted(rates.items()) if v)
        ratio = rates.get("error", 0.0) / total if total else 0.0
        self.readout.setText(
            f"{time_text(start)}: {total:.1f} lines/s ({parts or 'none'}); errors {ratio:.1%}"
        )

    def _on_clicked(self, plot: pg.PlotWidget, event: MouseClickEvent) -> None:
        self.clicked.emit(self.x_of(plot, event.scenePos()))
