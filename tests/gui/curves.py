"""What a pyqtgraph curve holds, for the graph tests (a curve has no data until setData)."""

from __future__ import annotations

import pyqtgraph as pg

from clustergenie_gui.models.metric_buffer import FloatArray


def points(curve: pg.PlotDataItem) -> int:
    """How many points the curve holds."""
    x = curve.getData()[0]
    return 0 if x is None else len(x)


def curve_x(curve: pg.PlotDataItem) -> FloatArray:
    """The curve's x values; fails the test when it has none yet."""
    assert curve.xData is not None, "the curve has no data"
    return curve.xData


def curve_y(curve: pg.PlotDataItem) -> FloatArray:
    """The curve's y values; fails the test when it has none yet."""
    assert curve.yData is not None, "the curve has no data"
    return curve.yData
