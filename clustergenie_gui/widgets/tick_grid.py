"""TickGrid: a plot's grid lines, drawn inside its view at the axes' own tick positions.

pyqtgraph's AxisItem grid (PlotItem.showGrid) draws each line from the axis across the view in
the axis's picture; Qt's raster engine then blends every line through its span pipeline, which
splits large blends across the GUI thread pool and makes the painting thread wait for the
pool's threads: about 250 such waits and 15-20 ms per repaint of a 1200 x 200 plot (0.3 ms
without the grid), and far more whenever another process has the cores (the bundled server
ingesting logs). Lines drawn here, in view coordinates with a cosmetic pen, are plain line
draws: no waits, under a millisecond. Same ticks and the same fading per tick level as the
axis grid, so the picture does not change.
"""

from __future__ import annotations

from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QLineF, QRectF
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPen

GRID_ALPHA = 0.15  # of the axis colour, for the major ticks (minor ones fade further)


class TickGrid(pg.GraphicsObject):
    """Vertical lines at the bottom axis's ticks and horizontal ones at the left axis's."""

    def __init__(self, plot: pg.PlotItem, alpha: float = GRID_ALPHA) -> None:
        super().__init__()
        self._bottom, self._left = plot.getAxis("bottom"), plot.getAxis("left")
        self._alpha = alpha
        self.setZValue(-1000)  # under every curve and bar
        plot.getViewBox().addItem(self, ignoreBounds=True)

    def boundingRect(self) -> QRectF:
        """The visible part of the view."""
        rect = self.viewRect()
        return QRectF() if rect is None else rect

    def viewRangeChanged(self) -> None:
        """pyqtgraph calls this when the view's range changes: the lines move."""
        self.prepareGeometryChange()
        self.update()

    def paint(self, painter: QPainter, *_args: Any) -> None:
        """Draw each tick level's lines in one call, fainter per level."""
        rect = self.viewRect()
        if rect is None:
            return
        pixel = self.getViewBox().viewPixelSize()
        if not pixel[0] or not pixel[1]:
            return
        x_lo, x_hi, y_lo, y_hi = rect.left(), rect.right(), rect.top(), rect.bottom()
        width_px, height_px = rect.width() / pixel[0], rect.height() / pixel[1]
        for axis in (self._bottom, self._left):
            if not hasattr(axis, "fontMetrics"):  # a DateAxisItem sets it on its first paint
                axis.fontMetrics = QFontMetrics(axis.style["tickFont"] or axis.font())
        for axis, lo, hi, length, vertical in (
            (self._bottom, x_lo, x_hi, width_px, True),
            (self._left, y_lo, y_hi, height_px, False),
        ):
            for level, (_spacing, values) in enumerate(axis.tickValues(lo, hi, length)):
                shown = [v for v in values if lo <= v <= hi]
                if not shown:
                    continue
                painter.setPen(self._pen(axis, level, length, len(values)))
                if vertical:
                    painter.drawLines([QLineF(v, y_lo, v, y_hi) for v in shown])
                else:
                    painter.drawLines([QLineF(x_lo, v, x_hi, v) for v in shown])

    def _pen(self, axis: pg.AxisItem, level: int, length_px: float, ticks: int) -> QPen:
        """The axis's tick colour (the theme's, set by theme_plot) faded as the axis grid
        fades: 1/(level+1), and less when the ticks are dense."""
        density = min(1.0, max(0.0, 0.05 * length_px / (ticks + 1)))
        colour = QColor(axis.tickPen().color())
        colour.setAlpha(round(255 * self._alpha * density / (level + 1)))
        pen = QPen(colour)
        pen.setCosmetic(True)
        pen.setWidth(1)
        return pen
