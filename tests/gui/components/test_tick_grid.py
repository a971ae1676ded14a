"""The graphs' grid (widgets/tick_grid.py): faint lines at the axes' major ticks, inside the
plot, moving with the range; none between ticks."""

from __future__ import annotations

import pyqtgraph as pg
import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from clustergenie_gui.models.components.palette import LIGHT
from clustergenie_gui.widgets.live_graph_widget import styled_plot

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def _plot(qtbot: QtBot) -> pg.PlotWidget:
    plot = styled_plot(date_axis=False)
    qtbot.addWidget(plot)
    plot.resize(800, 300)
    plot.setXRange(0, 100, padding=0)
    plot.setYRange(0, 10, padding=0)
    plot.show()
    qtbot.waitExposed(plot)
    return plot


def _column(plot: pg.PlotWidget, image: QImage, x: float, shift: int) -> list[str]:
    """The colours of the pixel column at view x (moved by shift pixels), over the middle of
    the plot's height."""
    vb = plot.getPlotItem().vb
    top = plot.mapFromScene(vb.mapViewToScene(QPointF(x, 8.5)))
    bottom = plot.mapFromScene(vb.mapViewToScene(QPointF(x, 1.5)))
    return [image.pixelColor(top.x() + shift, y).name() for y in range(top.y(), bottom.y())]


def _lines_at(plot: pg.PlotWidget, xs: list[float]) -> list[bool]:
    """For each view x: is a vertical grid line drawn there (most of a pixel column within a
    pixel of it, as the line is rounded to the pixel grid, not the background)?"""
    image = plot.grab().toImage()
    background = QColor(LIGHT.graph_background).name()
    drawn = []
    for x in xs:
        columns = [_column(plot, image, x, shift) for shift in (-1, 0, 1)]
        drawn.append(any(sum(c != background for c in col) > 0.9 * len(col) for col in columns))
    return drawn


def test_lines_are_drawn_at_the_major_ticks_and_nowhere_between(qtbot: QtBot) -> None:
    plot = _plot(qtbot)
    # 0..100 over 800 px: pyqtgraph's major ticks every 20, minor every 10 (fainter, drawn),
    # nothing at the fives.
    assert _lines_at(plot, [20.0, 40.0, 60.0, 80.0]) == [True] * 4
    assert _lines_at(plot, [25.0, 45.0, 65.0]) == [False] * 3


def test_the_lines_move_with_the_range(qtbot: QtBot) -> None:
    plot = _plot(qtbot)
    plot.setXRange(5, 105, padding=0)  # the ticks stay at round values: 20, 40 ...
    qtbot.waitUntil(lambda: _lines_at(plot, [20.0, 40.0]) == [True, True])
    assert _lines_at(plot, [25.0, 45.0]) == [False, False]
