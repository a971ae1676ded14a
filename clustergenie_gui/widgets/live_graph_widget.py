"""LiveGraph: many long series of one ring buffer, drawn by pyqtgraph at no more than 10 Hz."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from functools import partial

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QTimer
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from clustergenie_gui.models.components.palette_in_force import colour, current_palette
from clustergenie_gui.models.metric_buffer import MetricBuffer
from clustergenie_gui.widgets.components.theme import set_role
from clustergenie_gui.widgets.graph_tools import Crosshair, FollowTheme, theme_plot
from clustergenie_gui.widgets.tick_grid import TickGrid

REDRAW_MS = 100  # 10 Hz: never more redraws than that, however often samples arrive
# A 1-px cosmetic pen: Qt's raster engine draws it as plain lines; any wider pen goes through
# the stroker, which cost 3-9x more for 10 x 10,000 points (bench, docs/PERFORMANCE.md).
PEN_WIDTH = 1


def styled_plot(date_axis: bool = True, grid: bool = True) -> pg.PlotWidget:
    """A plot in the theme's colours, no mouse interaction (FollowView adds zoom and pan),
    peak downsampling and clip-to-view."""
    axis_items = {"bottom": pg.DateAxisItem(utcOffset=0)} if date_axis else None
    widget = pg.PlotWidget(axisItems=axis_items)
    item = widget.getPlotItem()
    if grid:
        TickGrid(item)  # not item.showGrid: see tick_grid for why
    item.setMouseEnabled(x=False, y=False)
    item.hideButtons()
    item.setMenuEnabled(False)
    # Peak downsampling keeps spikes visible while drawing about two points per pixel column;
    # clipToView skips the points left of the visible range.
    item.setDownsampling(auto=True, mode="peak")
    item.setClipToView(True)
    theme_plot(widget)
    FollowTheme(widget, partial(theme_plot, widget))  # and again on every theme switch
    return widget


class LiveGraph(QWidget):
    """One curve per field of `buffer`; items are made once and fed with setData.

    The shared live-graph component: theme colours (restyled on a theme switch), a crosshair
    with a read-out of every field under the mouse, and `y_range` to pin an axis (percentages
    use graph_tools.PERCENT_RANGE, 0..100) instead of fitting the data. See graph_tools for
    time ranges, zoom/pan with reset, spans and markers.

    The buffer is plain data (Qt-free) that its owner appends to at any rate; a 10 Hz timer
    compares the buffer's version with the one drawn, so a burst of appends costs one redraw
    and an idle buffer costs nothing. The timer runs only while the graph is visible.

    The graph always shows the whole buffer, so clip-to-view would clip nothing, and pyqtgraph's
    *auto* downsampling recomputes every curve again whenever the x range scrolls (each
    update). Instead the peak-downsampling factor is set here from the plot's width: one
    bucket per two pixel columns, each drawn as its min and max, so spikes survive and a
    10,000-point series draws ~1 point per pixel. No grid: its translucent lines across the
    whole plot cost a fifth of each redraw (bench, docs/PERFORMANCE.md).
    """

    def __init__(
        self,
        buffer: MetricBuffer,
        fields: Sequence[str] | None = None,
        parent: QWidget | None = None,
        y_range: tuple[float, float] | None = None,
    ) -> None:
        super().__init__(parent)
        self._y_range = y_range
        self._buffer = buffer
        self._fields = tuple(fields or buffer.fields)
        self._drawn_version = -1
        self._downsample = 1
        self.plot = styled_plot(grid=False)
        self.curves = [self.plot.plot([], [], dynamicRangeLimit=None) for _ in self._fields]
        self._colour_curves()
        for curve in self.curves:
            curve.setDownsampling(ds=1, auto=False, method="peak")
            curve.setClipToView(False)
        self.readout = QLabel()
        self.readout.setObjectName("graph_readout")
        set_role(self.readout, "muted")
        self.crosshair = Crosshair(self.plot, self.read_at, self.readout)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.readout)
        layout.addWidget(self.plot)
        self.timer = QTimer(self)
        self.timer.setInterval(REDRAW_MS)
        self.timer.timeout.connect(self.redraw)

    def _colour_curves(self) -> None:
        series = current_palette().series
        for i, curve in enumerate(self.curves):
            curve.setPen(pg.mkPen(colour(series[i % len(series)]), width=PEN_WIDTH))

    def changeEvent(self, event: QEvent) -> None:
        """Follow the theme."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            theme_plot(self.plot)
            self._colour_curves()
            self.crosshair.restyle()

    def read_at(self, x: float) -> str:
        """The crosshair's read-out: every field at the sample nearest to x."""
        buffer = self._buffer
        if len(buffer) == 0:
            return ""
        times = buffer.times()
        index = int(min(max(int(np.searchsorted(times, x)), 0), len(times) - 1))
        moment = datetime.fromtimestamp(float(times[index]), UTC).strftime("%H:%M:%S")
        values = " · ".join(
            f"{field} {float(buffer.values(field)[index]):,.1f}" for field in self._fields
        )
        return f"{moment} UTC · {values}"

    def redraw(self) -> None:
        """Feed the curves when the buffer changed since the last redraw."""
        buffer = self._buffer
        if buffer.version == self._drawn_version or len(buffer) < 2:
            return
        self._drawn_version = buffer.version
        downsample = max(1, 2 * len(buffer) // max(1, self.plot.width()))
        if downsample != self._downsample:
            self._downsample = downsample
            for curve in self.curves:
                curve.setDownsampling(ds=downsample, auto=False, method="peak")
        # Copies: the ring buffer compacts in place, and pyqtgraph keeps what it is given.
        times = buffer.times().copy()
        low, high = float("inf"), float("-inf")
        for curve, field in zip(self.curves, self._fields, strict=True):
            values = buffer.values(field).copy()
            curve.setData(times, values)
            low, high = min(low, float(values.min())), max(high, float(values.max()))
        # Fixed ranges: no auto-range pass over every point of every curve.
        item = self.plot.getPlotItem()
        item.setXRange(float(times[0]), float(times[-1]), padding=0)
        if self._y_range is not None:
            item.setYRange(*self._y_range, padding=0)
        else:
            item.setYRange(low, high, padding=0.05)

    def showEvent(self, event: QShowEvent) -> None:
        """Redraw only while visible."""
        super().showEvent(event)
        self._drawn_version = -1
        self.timer.start()

    def hideEvent(self, event: QHideEvent) -> None:
        """Stop the redraw timer while hidden."""
        self.timer.stop()
        super().hideEvent(event)
