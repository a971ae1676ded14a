"""Types for the part of pyqtgraph ClusterGenie uses (it ships none); see typings/README.md."""

from collections.abc import Mapping
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from PySide6 import QtCore as _QtCore
from PySide6 import QtWidgets as _QtWidgets
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFontMetrics, QPen
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsObject,
    QGraphicsView,
    QGraphicsWidget,
    QWidget,
)

from . import functions as functions

_ColorLike = str | QColor | tuple[int, int, int] | tuple[int, int, int, int]
_PenLike = _ColorLike | QPen | None
_BrushLike = _ColorLike | QBrush | None
_Floats = NDArray[np.float64]

def mkPen(
    color: _ColorLike | None = ...,
    *,
    width: float = ...,
    style: Qt.PenStyle = ...,
    cosmetic: bool = ...,
) -> QPen: ...

# Like mkColor: one colour argument, or 3-4 ints (r, g, b[, a]); mkBrush(None) is no fill.
def mkBrush(*args: _BrushLike | int, **kwargs: Any) -> QBrush: ...

class InfiniteLine(QGraphicsObject):
    """A line across the view at one position (a region is bounded by two)."""

    def __init__(
        self,
        pos: float | None = ...,
        angle: float = ...,
        pen: _PenLike = ...,
        movable: bool = ...,
        **kwargs: Any,
    ) -> None: ...
    def setPen(self, *args: _PenLike, **kwargs: Any) -> None: ...
    # One position along the line's normal (or a point), not QGraphicsItem's (x, y).
    def setPos(self, pos: float | _QtCore.QPointF) -> None: ...  # type: ignore[override]

class LinearRegionItem(QGraphicsObject):
    """A shaded span between two positions (two InfiniteLines, in lines)."""

    lines: list[InfiniteLine]
    def __init__(
        self,
        values: tuple[float, float] = ...,
        orientation: str = ...,
        brush: _BrushLike = ...,
        pen: _PenLike = ...,
        hoverBrush: _BrushLike = ...,
        hoverPen: _PenLike = ...,
        movable: bool = ...,
        bounds: tuple[float, float] | None = ...,
        span: tuple[float, float] = ...,
        swapMode: str | None = ...,
        clipItem: QGraphicsObject | None = ...,
    ) -> None: ...
    def setRegion(self, rgn: tuple[float, float]) -> None: ...
    def getRegion(self) -> tuple[float, float]: ...

class AxisItem(QGraphicsWidget):
    """One axis of a plot."""

    labelText: str
    labelUnits: str
    labelUnitPrefix: str
    def setLabel(
        self,
        text: str | None = ...,
        units: str | None = ...,
        unitPrefix: str | None = ...,
        **kwargs: Any,
    ) -> None: ...
    def __init__(self, orientation: str, **kwargs: Any) -> None: ...
    def setPen(self, pen: _PenLike) -> None: ...
    def setTextPen(self, pen: _PenLike) -> None: ...
    def enableAutoSIPrefix(self, enable: bool = ...) -> None: ...
    # pyqtgraph replaces QGraphicsWidget.style() with a dict of axis options ("tickFont"...).
    style: dict[str, Any]  # type: ignore[assignment]
    fontMetrics: QFontMetrics  # DateAxisItem sets it when it first lays out its ticks
    def tickPen(self) -> QPen: ...
    # [(spacing, [values]), ...] for each tick level, major first, over minVal..maxVal.
    def tickValues(
        self, minVal: float, maxVal: float, size: float
    ) -> list[tuple[float, list[float]]]: ...
    # pyqtgraph replaces QGraphicsWidget.setStyle(QStyle) with its own axis options.
    def setStyle(self, **kwargs: Any) -> None: ...  # type: ignore[override]

class DateAxisItem(AxisItem):
    """An axis whose values are Unix times, labelled as dates."""

    def __init__(
        self, orientation: str = ..., utcOffset: float | None = ..., **kwargs: Any
    ) -> None: ...

class PlotDataItem(QGraphicsObject):
    """One curve; its data is replaced with setData."""

    opts: dict[str, Any]  # the curve's options as set ("pen", "symbol", ...)
    def setPen(self, *args: _PenLike, **kwargs: Any) -> None: ...
    xData: _Floats | None
    yData: _Floats | None
    def setData(self, *args: ArrayLike, **kwargs: Any) -> None: ...
    def getData(self) -> tuple[_Floats | None, _Floats | None]: ...
    def setDownsampling(
        self, ds: int | None = ..., auto: bool | None = ..., method: str | None = ...
    ) -> None: ...
    def setClipToView(self, state: bool) -> None: ...

class GraphicsObject(QGraphicsObject):
    """pyqtgraph's base of items in a view: they know their view's visible rect."""

    def viewRect(self) -> _QtCore.QRectF | None: ...
    def getViewBox(self) -> ViewBox: ...
    def viewRangeChanged(self) -> None: ...

class PlotItem(QGraphicsWidget):
    """A plot: a view box, its axes and its curves."""

    vb: ViewBox
    def getViewBox(self) -> ViewBox: ...
    def clear(self) -> None: ...  # removes every item added (curves, lines)
    def listDataItems(self) -> list[PlotDataItem]: ...
    def getAxis(self, name: str) -> AxisItem: ...
    def plot(self, *args: ArrayLike, **kwargs: Any) -> PlotDataItem: ...
    def showGrid(
        self, x: bool | None = ..., y: bool | None = ..., alpha: float | None = ...
    ) -> None: ...
    def setMouseEnabled(self, x: bool | None = ..., y: bool | None = ...) -> None: ...
    def hideButtons(self) -> None: ...
    def hideAxis(self, axis: str) -> None: ...
    def addLine(
        self, x: float | None = ..., y: float | None = ..., z: float | None = ..., **kwargs: Any
    ) -> Any: ...
    def setMenuEnabled(
        self, enableMenu: bool = ..., enableViewBoxMenu: bool | str | None = ...
    ) -> None: ...
    def setDownsampling(
        self, ds: int | None = ..., auto: bool | None = ..., mode: str | None = ...
    ) -> None: ...
    def setClipToView(self, clip: bool) -> None: ...
    def setLabel(
        self, axis: str, text: str | None = ..., units: str | None = ..., **kwargs: Any
    ) -> None: ...
    def setXRange(
        self, min: float, max: float, padding: float | None = ..., update: bool = ...
    ) -> None: ...
    def setYRange(
        self, min: float, max: float, padding: float | None = ..., update: bool = ...
    ) -> None: ...
    def setXLink(self, view: PlotItem | PlotWidget | None) -> None: ...
    def viewRange(self) -> list[list[float]]: ...
    def addItem(self, item: QGraphicsItem, *args: Any, **kwargs: Any) -> None: ...
    def removeItem(self, item: QGraphicsItem) -> None: ...

class PlotWidget(QGraphicsView):
    """A QWidget showing one PlotItem; the plot methods below are forwarded to it."""

    def __init__(
        self,
        parent: QWidget | None = ...,
        background: _ColorLike = ...,
        plotItem: PlotItem | None = ...,
        *,
        axisItems: Mapping[str, AxisItem] | None = ...,
        **kwargs: Any,
    ) -> None: ...
    def getPlotItem(self) -> PlotItem: ...
    def setBackground(self, background: _ColorLike) -> None: ...
    # pyqtgraph's views always hold its own GraphicsScene (with the mouse signals).
    def scene(self) -> GraphicsScene: ...
    def setLabel(
        self, axis: str, text: str | None = ..., units: str | None = ..., **kwargs: Any
    ) -> None: ...
    def sceneBoundingRect(self) -> _QtCore.QRectF: ...  # the PlotItem's, forwarded
    def plot(self, *args: ArrayLike, **kwargs: Any) -> PlotDataItem: ...
    def setXRange(
        self, min: float, max: float, padding: float | None = ..., update: bool = ...
    ) -> None: ...
    def setYRange(
        self, min: float, max: float, padding: float | None = ..., update: bool = ...
    ) -> None: ...
    def setXLink(self, view: PlotItem | PlotWidget | None) -> None: ...
    def addItem(self, item: QGraphicsItem, *args: Any, **kwargs: Any) -> None: ...
    def removeItem(self, item: QGraphicsItem) -> None: ...

class ViewBox(QGraphicsWidget):
    """The area of a plot that shows the data; it maps scene points to data coordinates."""

    sigRangeChangedManually: _QtCore.SignalInstance  # (mouseEnabled): the user zoomed/panned
    state: dict[str, Any]
    def addItem(self, item: QGraphicsItem, ignoreBounds: bool = ...) -> None: ...
    def viewPixelSize(self) -> tuple[float, float]: ...
    def mapSceneToView(self, obj: _QtCore.QPointF) -> _QtCore.QPointF: ...
    def mapViewToScene(self, obj: _QtCore.QPointF) -> _QtCore.QPointF: ...
    def scaleBy(
        self,
        s: float | tuple[float, float] | None = ...,
        center: _QtCore.QPointF | None = ...,
        x: float | None = ...,
        y: float | None = ...,
    ) -> None: ...

class GraphicsScene(_QtWidgets.QGraphicsScene):
    """The scene of every pyqtgraph view, with mouse signals in scene coordinates."""

    sigMouseMoved: _QtCore.SignalInstance  # (QPointF): the mouse moved over the scene
    sigMouseClicked: _QtCore.SignalInstance  # (MouseClickEvent): a click on the scene

class BarGraphItem(QGraphicsObject):
    """Bars at x with heights (from y0); every option is a keyword, as in setOpts."""

    def __init__(self, **opts: Any) -> None: ...
    def setOpts(self, **opts: Any) -> None: ...
