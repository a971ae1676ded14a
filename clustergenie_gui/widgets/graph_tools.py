"""The live-graph component's parts, for every graph: theme, crosshair read-out, time ranges,
zoom/pan with a reset, shaded spans (faults, maintenance) and event markers.

API (with any pyqtgraph PlotWidget; LiveGraph and ScalingGraph use them all):
    theme_plot(plot)                         # colours from the palette in force; call again
                                             # on QEvent.PaletteChange (theme switched)
    FollowTheme(widget, redraw)              # calls redraw on each PaletteChange of widget
    Crosshair(plot, readout, label)          # vertical line under the mouse; label shows
                                             # readout(x) ("20:41:07 · CPU 63.2 % · 4 droplets")
    picker = TimeRangePicker(); picker.range_changed(float seconds); picker.key ("10m"...)
    view = FollowView(plot, reset_button)    # wheel zooms / drag pans x; the graph stops
                                             # following live data until Reset (or Esc)
    view.following -> bool; view.follow(start, end) scrolls only while following
    notes = Annotations(plot); notes.set_spans([Span(start, end, "fault", "cpu hog")]);
    notes.set_markers([Marker(t, "↑ 5", "scaling"), Marker(t, "deploy 1.4.2", "deploy")])
    (build them from faults and deployments with models/components/graph_notes.py)
Percentages pin their y axis: plot.setYRange(0, 100) with PERCENT_RANGE, never auto-range.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, QPointF, Qt, Signal
from PySide6.QtWidgets import QComboBox, QInputDialog, QLabel, QPushButton, QWidget

from clustergenie_gui.models.components.graph_notes import Marker, Span
from clustergenie_gui.models.components.palette_in_force import colour, current_palette

__all__ = [  # Span and Marker live with the Qt-free note builders; graphs import them here
    "CUSTOM",
    "PERCENT_RANGE",
    "RANGES",
    "Annotations",
    "Crosshair",
    "FollowTheme",
    "FollowView",
    "Marker",
    "Span",
    "TimeRangePicker",
    "theme_plot",
]

PERCENT_RANGE = (0.0, 100.0)

RANGES: tuple[tuple[str, str, float], ...] = (
    ("10m", "Last 10 min", 600.0),
    ("1h", "Last hour", 3600.0),
    ("6h", "Last 6 h", 6 * 3600.0),
    ("24h", "Last 24 h", 24 * 3600.0),
)
CUSTOM = "custom"


def theme_plot(plot: pg.PlotWidget) -> None:
    """Background, axes and text in the palette in force."""
    palette = current_palette()
    plot.setBackground(colour(palette.graph_background))
    item = plot.getPlotItem()
    for name in ("left", "bottom"):
        axis = item.getAxis(name)
        axis.setTextPen(colour(palette.graph_axis_text))
        axis.setPen(colour(palette.graph_axis))
        # setLabel resets what it is not given: pass the label's own text, units and prefix.
        axis.setLabel(
            axis.labelText,
            units=axis.labelUnits or None,
            unitPrefix=axis.labelUnitPrefix or None,
            color=palette.graph_axis_text,
        )


class FollowTheme(QObject):
    """Calls redraw when widget's palette changes (Qt sends PaletteChange on a theme switch)."""

    def __init__(self, widget: QWidget, redraw: Callable[[], None]) -> None:
        super().__init__(widget)
        self._redraw = redraw
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Redraw on PaletteChange; never swallows the event."""
        if event.type() == QEvent.Type.PaletteChange:
            self._redraw()
        return False


class Annotations:
    """Spans and markers over one plot; replaced wholesale on each set_* (few items)."""

    def __init__(self, plot: pg.PlotWidget) -> None:
        self._plot = plot
        self._spans: list[pg.LinearRegionItem] = []
        self._markers: list[pg.InfiniteLine] = []
        self.spans: tuple[Span, ...] = ()
        self.markers: tuple[Marker, ...] = ()

    def set_spans(self, spans: Sequence[Span]) -> None:
        """Shade these spans (faults, maintenance) behind the curves."""
        spans = tuple(spans)
        if spans == self.spans:
            return
        self.spans = spans
        for item in self._spans:
            self._plot.removeItem(item)
        palette = current_palette()
        self._spans = []
        for span in spans:
            brush = palette.fault_span if span.kind == "fault" else palette.maintenance_span
            region = pg.LinearRegionItem(
                values=(span.start, span.end),
                orientation="vertical",
                movable=False,
                brush=colour(brush),
                pen=pg.mkPen(None),
            )
            region.setZValue(-10)
            region.setToolTip(span.label)
            self._plot.addItem(region, ignoreBounds=True)
            self._spans.append(region)

    def set_markers(self, markers: Sequence[Marker]) -> None:
        """Draw a labelled dashed line at each marker."""
        markers = tuple(markers)
        if markers == self.markers:
            return
        self.markers = markers
        for item in self._markers:
            self._plot.removeItem(item)
        palette = current_palette()
        self._markers = []
        for marker in markers:
            # Deploys in their own colour, dash-dotted and labelled lower, so a deploy and a
            # scaling event at nearly the same moment stay told apart.
            deploy = marker.kind == "deploy"
            hex_colour = palette.deploy_marker if deploy else palette.marker
            style = Qt.PenStyle.DashDotLine if deploy else Qt.PenStyle.DashLine
            line = pg.InfiniteLine(
                pos=marker.time,
                angle=90,
                movable=False,
                pen=pg.mkPen(colour(hex_colour), width=1.5 if deploy else 1, style=style),
                label=marker.label,
                labelOpts={
                    "position": 0.15 if deploy else 0.92,
                    "color": colour(hex_colour),
                    # Left of its line: a deploy just made sits at the right edge.
                    "anchors": [(1, 0.5), (1, 0.5)] if deploy else None,
                },
            )
            line.setToolTip(marker.label)
            self._plot.addItem(line, ignoreBounds=True)
            self._markers.append(line)

    def restyle(self) -> None:
        """Redraw in the palette now in force."""
        spans, markers = self.spans, self.markers
        self.spans, self.markers = (), ()
        self.set_spans(spans)
        self.set_markers(markers)


class Crosshair(QObject):
    """A vertical line that follows the mouse over a plot, with a read-out in a label."""

    def __init__(
        self,
        plot: pg.PlotWidget,
        readout: Callable[[float], str],
        label: QLabel,
        linked: Sequence[pg.PlotWidget] = (),
    ) -> None:
        super().__init__(plot)
        self._plot = plot
        self._readout = readout
        self._label = label
        pen = pg.mkPen(colour(current_palette().crosshair), width=1)
        self._lines = []
        for target in (plot, *linked):
            line = pg.InfiniteLine(angle=90, movable=False, pen=pen)
            line.setVisible(False)
            target.addItem(line, ignoreBounds=True)
            self._lines.append(line)
            target.scene().sigMouseMoved.connect(
                lambda position, t=target: self._on_mouse_moved(t, position)
            )
        self.last_x: float | None = None

    def _on_mouse_moved(self, target: pg.PlotWidget, position: QPointF) -> None:
        item = target.getPlotItem()
        if not item.sceneBoundingRect().contains(position):
            self.hide()
            return
        self.show_at(float(item.vb.mapSceneToView(position).x()))

    def show_at(self, x: float) -> None:
        """Put the line at x and show the read-out there (the mouse does it; tests too)."""
        self.last_x = x
        for line in self._lines:
            line.setPos(x)
            line.setVisible(True)
        self._label.setText(self._readout(x))

    def hide(self) -> None:
        """Hide the line and clear the read-out."""
        self.last_x = None
        for line in self._lines:
            line.setVisible(False)
        self._label.setText("")

    def restyle(self) -> None:
        """Recolour for the palette now in force."""
        pen = pg.mkPen(colour(current_palette().crosshair), width=1)
        for line in self._lines:
            line.setPen(pen)


class TimeRangePicker(QComboBox):
    """Last 10 min / hour / 6 h / 24 h, or a custom number of minutes.

    Signals:
        range_changed(float): the chosen range in (simulated) seconds.
    """

    range_changed = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("time_range")
        self.setToolTip("How much history the graph shows (served downsampled by the server)")
        for key, label, seconds in RANGES:
            self.addItem(label, (key, seconds))
        self.addItem("Custom…", (CUSTOM, 0.0))
        self._seconds = RANGES[0][2]
        self._key = RANGES[0][0]
        self.custom_dialog: QInputDialog | None = None
        self.activated.connect(self._on_activated)

    @property
    def seconds(self) -> float:
        """The range chosen, in seconds."""
        return self._seconds

    @property
    def key(self) -> str:
        """ "10m", "1h", "6h", "24h" or "custom:<minutes>" (for QSettings)."""
        return self._key

    def set_key(self, key: str) -> None:
        """Choose by key (as saved); unknown keys are ignored."""
        if key.startswith(f"{CUSTOM}:"):
            minutes = float(key.partition(":")[2] or 0)
            if minutes > 0:
                self._set_custom(minutes)
            return
        for row in range(self.count()):
            item_key, seconds = self.itemData(row)
            if item_key == key:
                self.setCurrentIndex(row)
                self._choose(key, seconds)

    def _on_activated(self, row: int) -> None:
        key, seconds = self.itemData(row)
        if key != CUSTOM:
            self._choose(key, seconds)
            return
        # Opened, not exec()'d: a nested event loop would stall the asyncio work on this loop.
        dialog = QInputDialog(self)
        dialog.setObjectName("custom_range_dialog")
        dialog.setWindowTitle("Custom range")
        dialog.setLabelText("Show the last … simulated minutes:")
        dialog.setInputMode(QInputDialog.InputMode.IntInput)
        dialog.setIntRange(1, 7 * 24 * 60)
        dialog.setIntValue(90)
        dialog.intValueSelected.connect(lambda minutes: self._set_custom(float(minutes)))
        dialog.rejected.connect(self._restore_row)
        dialog.finished.connect(dialog.deleteLater)
        self.custom_dialog = dialog
        dialog.open()

    def _restore_row(self) -> None:
        """Cancelled: show the range still in force."""
        for row in range(self.count()):
            if self.itemData(row)[0] == self._key.partition(":")[0]:
                self.setCurrentIndex(row)

    def _set_custom(self, minutes: float) -> None:
        row = self.count() - 1
        self.setItemText(row, f"Last {minutes:g} min")
        self.setCurrentIndex(row)
        self._choose(f"{CUSTOM}:{minutes:g}", minutes * 60)

    def _choose(self, key: str, seconds: float) -> None:
        self._key = key
        if seconds != self._seconds:
            self._seconds = seconds
            self.range_changed.emit(seconds)


class FollowView(QObject):
    """Wheel to zoom and drag to pan along x; the view then stays put until reset().

    Signals:
        following_changed(bool): True while the view scrolls with live data.
    """

    following_changed = Signal(bool)

    def __init__(self, plot: pg.PlotWidget, reset_button: QPushButton) -> None:
        super().__init__(plot)
        self._plot = plot
        self._following = True
        self._reset_button = reset_button
        item = plot.getPlotItem()
        item.setMouseEnabled(x=True, y=False)
        item.vb.sigRangeChangedManually.connect(self._on_manual_range)
        reset_button.setText("Reset view")
        reset_button.setToolTip("Back to the live window (Esc in the graph)")
        reset_button.clicked.connect(self.reset)
        reset_button.hide()

    @property
    def following(self) -> bool:
        """True while the graph scrolls with live data."""
        return self._following

    def follow(self, start: float, end: float) -> None:
        """Show [start, end] when following (a zoomed or panned view is left alone)."""
        if self._following:
            self._plot.getPlotItem().setXRange(start, end, padding=0)

    def _on_manual_range(self, *_args: object) -> None:
        self._set_following(False)

    def reset(self) -> None:
        """Follow live data again."""
        self._set_following(True)

    def _set_following(self, following: bool) -> None:
        if following != self._following:
            self._following = following
            self._reset_button.setVisible(not following)
            self.following_changed.emit(following)
