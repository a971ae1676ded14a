"""ClusterSparklines: a grid of cluster cards with CPU and requests/s sparklines, one timer,
and the shared time range picker (longer ranges served downsampled by QuerySeries)."""

from __future__ import annotations

from typing import cast

import numpy as np
from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from clustergenie_gui.models.components.navigation import Navigation
from clustergenie_gui.models.components.palette_in_force import colour, current_palette
from clustergenie_gui.models.metric_buffer import FloatArray
from clustergenie_gui.viewmodels.telemetry_viewmodel import TelemetryViewModel
from clustergenie_gui.widgets.components.nav_card import NavCard
from clustergenie_gui.widgets.components.theme import set_role
from clustergenie_gui.widgets.graph_tools import TimeRangePicker

REDRAW_MS = 250  # sparklines are glanceable: 4 Hz is plenty and costs nothing
COLUMNS = 3


def window_text(seconds: float) -> str:
    """ "10 simulated minutes", "1 simulated hour", "6 simulated hours"."""
    if seconds >= 3600 and seconds % 3600 == 0:
        hours = int(seconds // 3600)
        return f"{hours} simulated hour{'s' if hours != 1 else ''}"
    return f"{seconds / 60:g} simulated minutes"


class Sparkline(QWidget):
    """A tiny line chart painted by hand, scaled to 0..its top (or 0..fixed_max); the top's
    value is written at the left and a faint baseline marks 0, so the scale is readable."""

    def __init__(
        self, series: int, fixed_max: float | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._series = series  # index into the palette's series colours
        self._fixed_max = fixed_max
        self.xs: FloatArray = np.zeros(0)
        self.ys: FloatArray = np.zeros(0)
        self.x_range = (0.0, 0.0)  # the window drawn left to right, simulated seconds
        self.set_window_text(window_text(600.0))
        self.setMinimumHeight(36)

    def sizeHint(self) -> QSize:
        """Wide and short."""
        return QSize(160, 34)

    def set_window_text(self, text: str) -> None:
        """Say in the tooltip what time the line covers."""
        self.setToolTip(f"Last {text}; click the card to open the cluster")

    def set_data(self, x: FloatArray, y: FloatArray, start: float | None = None) -> None:
        """Show these points (copied) at the next paint, over [start, last x] (start None:
        from the first point)."""
        self.xs, self.ys = x.copy(), y.copy()
        if x.size:
            self.x_range = (float(x[0]) if start is None else start, float(x[-1]))
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        """Draw the polyline scaled into the widget."""
        if self.xs.size < 2:
            return
        # Imported here: the window's first paint must not wait for pyqtgraph (the app
        # imports it right after that paint, before any sparkline has data to draw).
        from pyqtgraph.functions import arrayToQPath

        palette = current_palette()
        painter = QPainter(self)
        top = self._fixed_max or max(float(self.ys.max()), 1e-9) * 1.1
        scale = f"{top:,.0f}"
        painter.setPen(colour(palette.text_muted))
        margin = painter.fontMetrics().horizontalAdvance(scale) + 4
        painter.drawText(0, painter.fontMetrics().ascent(), scale)
        painter.drawText(0, self.height() - 2, "0")
        painter.setPen(colour(palette.border))
        painter.drawLine(margin, self.height() - 2, self.width(), self.height() - 2)
        width, height = self.width() - 2 - margin, self.height() - 4
        left, right = self.x_range
        span = (right - left) or 1.0
        xs = margin + 1 + (self.xs - left) / span * width
        ys = 2 + height - np.clip(self.ys / top, 0, 1) * height
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(colour(palette.series[self._series]), 1.6)
        pen.setCosmetic(True)
        painter.setPen(pen)
        # One numpy pass into a QPainterPath: no QPointF per point.
        painter.drawPath(arrayToQPath(xs, ys))
        painter.end()


class ClusterCard(NavCard):
    """One cluster: its name, latest CPU and requests/s, a sparkline of each; opens Scaling."""

    def __init__(self, cluster_id: int, name: str, parent: QWidget | None = None) -> None:
        super().__init__(
            Navigation("Scaling", item_kind="cluster", item_id=cluster_id),
            f"Open {name}'s load and scaling",
            parent,
        )
        self.setObjectName("card")
        self.name_label = QLabel(name)
        set_role(self.name_label, "section")
        self.cpu_label = QLabel("CPU —")
        self.rps_label = QLabel("requests/s —")
        for label in (self.cpu_label, self.rps_label):
            set_role(label, "muted")
        self.cpu_line = Sparkline(0, fixed_max=100.0)
        self.rps_line = Sparkline(2)
        layout = QGridLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addWidget(self.name_label, 0, 0, 1, 2)
        layout.addWidget(self.cpu_label, 1, 0)
        layout.addWidget(self.cpu_line, 1, 1)
        layout.addWidget(self.rps_label, 2, 0)
        layout.addWidget(self.rps_line, 2, 1)
        layout.setColumnStretch(1, 1)
        self.cpu_label.setMinimumWidth(120)


class ClusterSparklines(QWidget):
    """Cards for every cluster the telemetry view-model follows; one timer redraws dirty ones.

    Signals:
        opened(object): a card's Navigation (to the Scaling panel, on that cluster).
    """

    opened = Signal(object)

    def __init__(self, telemetry: TelemetryViewModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._vm = telemetry
        self.cards: dict[int, ClusterCard] = {}
        self._dirty: set[int] = set()
        self._grid = QGridLayout()
        self._grid.setSpacing(12)
        self.empty_label = QLabel("Clusters and their load show here once you create one.")
        set_role(self.empty_label, "muted")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel()
        set_role(self.title, "section")
        self.range_picker = TimeRangePicker()
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.title, 1)
        top.addWidget(self.range_picker)
        layout.addLayout(top)
        layout.addWidget(self.empty_label)
        layout.addLayout(self._grid)
        self.timer = QTimer(self)
        self.timer.setInterval(REDRAW_MS)
        self.timer.timeout.connect(self.redraw)
        self.timer.start()
        telemetry.clusters_changed.connect(self._on_clusters_changed)
        telemetry.samples_added.connect(self._on_samples_added)
        telemetry.window_changed.connect(self._on_window_changed)
        self.range_picker.range_changed.connect(telemetry.set_window)
        self._on_clusters_changed(telemetry.clusters)
        self._on_window_changed(telemetry.window_seconds)

    def _on_window_changed(self, seconds: float) -> None:
        text = window_text(seconds)
        self.title.setText(f"Clusters · CPU and requests/s, last {text}")
        for card in self.cards.values():
            for line in (card.cpu_line, card.rps_line):
                line.set_window_text(text)

    def _on_samples_added(self, cluster_id: int) -> None:
        self._dirty.add(cluster_id)

    def _grid_cell(self, index: int) -> tuple[int, int]:
        # PySide6 types getItemPosition's (row, column, row span, column span) as object.
        row, column, _, _ = cast(tuple[int, int, int, int], self._grid.getItemPosition(index))
        return row, column

    def _on_clusters_changed(self, clusters: list[tuple[int, str]]) -> None:
        # Cards are kept across changes: with many clusters, rebuilding every card (and its
        # style sheet) for each new cluster stalled the Qt thread for hundreds of ms.
        wanted = dict(clusters)
        for cluster_id in set(self.cards) - set(wanted):
            card = self.cards.pop(cluster_id)
            self._grid.removeWidget(card)
            card.deleteLater()
        for cluster_id, name in wanted.items():
            existing = self.cards.get(cluster_id)
            if existing is None:
                self.cards[cluster_id] = created = ClusterCard(cluster_id, name)
                for line in (created.cpu_line, created.rps_line):
                    line.set_window_text(window_text(self._vm.window_seconds))
                created.opened.connect(self.opened)
                self._dirty.add(cluster_id)
            elif existing.name_label.text() != name:
                existing.name_label.setText(name)
        self.cards = {cluster_id: self.cards[cluster_id] for cluster_id in wanted}
        for position, card in enumerate(self.cards.values()):
            row, column = divmod(position, COLUMNS)
            index = self._grid.indexOf(card)
            if index < 0 or self._grid_cell(index) != (row, column):
                self._grid.removeWidget(card)
                self._grid.addWidget(card, row, column, Qt.AlignmentFlag.AlignTop)
        for column in range(COLUMNS):
            self._grid.setColumnStretch(column, 1)
        self.empty_label.setVisible(not self.cards)

    def redraw(self) -> None:
        """Feed new samples to the sparklines of the clusters that got some (while visible)."""
        if not self.isVisible():
            return  # the dirty set waits: a hidden Overview costs nothing
        dirty, self._dirty = self._dirty, set()
        for cluster_id in dirty:
            card = self.cards.get(cluster_id)
            if card is None:
                continue
            times, cpu, rps, start = self._vm.series(cluster_id)
            if not times.size:
                continue
            card.cpu_line.set_data(times, cpu, start)
            card.rps_line.set_data(times, rps, start)
            card.cpu_label.setText(f"CPU {cpu[-1]:.0f} %")
            card.rps_label.setText(f"{rps[-1]:,.0f} req/s")
