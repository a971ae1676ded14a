"""The Health panel: a status grid (cluster -> targets by state), details, and an add-check form."""

from __future__ import annotations

from collections.abc import Callable

import pyqtgraph as pg
from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QAction, QBrush, QColor
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QScrollArea,
    QSplitter,
    QSystemTrayIcon,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clustergenie_gui.client.health_client import TargetHealth, Uptime
from clustergenie_gui.models.components.navigation import Navigation, logs_of
from clustergenie_gui.models.health_model import cell_text, colour, grouped
from clustergenie_gui.viewmodels.health_viewmodel import HealthViewModel
from clustergenie_gui.widgets.components.theme import set_role, set_tone
from clustergenie_gui.widgets.health_check_form import CheckFormWidget
from clustergenie_gui.widgets.live_graph_widget import styled_plot

ROLE_KEY = Qt.ItemDataRole.UserRole
SPAN_KIND = 0  # a shaded span's QGraphicsItem data key: "maintenance" or "failure"
ROLE_CLUSTER = Qt.ItemDataRole.UserRole + 1  # a cluster row's id


def state_text(r: TargetHealth) -> str:
    """'healthy', or 'healthy (failing from sgp1 only)' for a failure below the quorum."""
    if r.state == "healthy" and r.failing_locations:
        return f"healthy (failing from {', '.join(r.failing_locations)} only)"
    return r.state


def notify_system(window: QWidget, title: str, text: str) -> None:
    """A system notification through a tray icon, where the desktop has a tray."""
    if not QSystemTrayIcon.isSystemTrayAvailable():
        return
    tray = window.findChild(QSystemTrayIcon)
    if tray is None:
        tray = QSystemTrayIcon(window.windowIcon(), window)
        tray.show()
    tray.showMessage(title, text)


class LatencyGraph(QWidget):
    """The selected target's latency, failure spans shaded red and maintenance grey."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot = styled_plot()
        self.plot.setMinimumHeight(180)
        self.plot.getPlotItem().setLabel("left", "latency", units="ms")
        self.curve = self.plot.plot(
            [], [], pen=pg.mkPen("#1a73e8", width=1), symbol="o", symbolSize=4,
            symbolBrush="#1a73e8", symbolPen=None,
        )  # fmt: skip
        self.spans: list[pg.LinearRegionItem] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot)

    def show_uptime(self, u: Uptime) -> None:
        """Draw the series and its spans (the curve is made once; spans are replaced)."""
        times, values = with_gaps(u.times, u.latency_ms)
        self.curve.setData(times, values, connect="finite")
        for item in self.spans:
            self.plot.removeItem(item)
        self.spans = []
        for kind, spans, tint in (
            ("maintenance", u.maintenance, (138, 143, 152, 60)),
            ("failure", u.failures, (214, 69, 69, 70)),
        ):
            for start, end in spans:
                region = pg.LinearRegionItem((start, end), movable=False, brush=pg.mkBrush(*tint))
                region.setData(SPAN_KIND, kind)
                region.setZValue(-10)
                for line in region.lines:
                    line.setPen(pg.mkPen(None))
                self.plot.addItem(region)
                self.spans.append(region)


def with_gaps(
    times: tuple[float, ...], values: tuple[float, ...]
) -> tuple[list[float], list[float]]:
    """A NaN where buckets are missing (no answer), so the line breaks across an outage."""
    if len(times) < 3:
        return list(times), list(values)
    step = min(b - a for a, b in zip(times, times[1:], strict=False))
    out_t, out_v = [times[0]], [values[0]]
    for i in range(1, len(times)):
        if times[i] - times[i - 1] > 1.5 * step:
            out_t.append(times[i - 1] + step)
            out_v.append(float("nan"))
        out_t.append(times[i])
        out_v.append(values[i])
    return out_t, out_v


class UnhealthyTile(QPushButton):
    """The Overview's count of unhealthy targets; a click opens the Health panel."""

    def __init__(self, vm: HealthViewModel, parent: QWidget | None = None) -> None:
        super().__init__("0 unhealthy targets", parent)
        self.setFlat(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        # The theme's card surface and its good/bad tones (theme.py), light and dark alike.
        set_role(self, "tile")
        set_tone(self, "good")
        vm.unhealthy_changed.connect(self._on_unhealthy_changed)

    def _on_unhealthy_changed(self, count: int) -> None:
        self.setText(f"{count} unhealthy target{'s' if count != 1 else ''}")
        set_tone(self, "bad" if count else "good")


class HealthPanel(QWidget):
    """Status grid on the left, the selected target's figures and the form on the right.

    Signals:
        navigate_requested(object): a Navigation (Show logs of the selected target or cluster).
    """

    navigate_requested = Signal(object)

    def __init__(
        self,
        vm: HealthViewModel,
        cluster_name: Callable[[int], str] = lambda c: f"cluster {c}",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._vm, self._cluster_name = vm, cluster_name
        self._rows: dict[tuple[int, str], TargetHealth] = {}
        self.menu: QMenu | None = None  # the grid's context menu last opened
        self.grid = QTreeWidget()
        self.grid.setHeaderLabels(["Target", "State", "Latency", "Last result"])
        self.grid.setColumnWidth(0, 220)
        self.details = QLabel("Select a target to see its uptime.")
        self.details.setWordWrap(True)
        self.graph = LatencyGraph()
        self.graph.setMaximumHeight(260)  # room for the form below it at 1024x700
        self.history = QLabel()
        self.history.setWordWrap(True)
        self.refresh = QPushButton("Refresh")
        self.run_button = QPushButton("Run now")
        self.pause_button = QPushButton("Pause")
        self.resume_button = QPushButton("Resume")
        self.edit_button = QPushButton("Edit")
        self.delete_button = QPushButton("Delete")
        self.check_buttons = (
            self.run_button, self.pause_button, self.resume_button, self.edit_button,
            self.delete_button,
        )  # fmt: skip
        for button in self.check_buttons:
            button.setEnabled(False)  # until a target is selected
        self.logs_button = QPushButton("Show logs")
        self.logs_button.setToolTip(
            "The selected droplet's lines (or its cluster's) in the Logs panel (Ctrl+L)"
        )
        self.logs_button.setEnabled(False)
        self.grid.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.form = CheckFormWidget(vm)
        right = QVBoxLayout()
        right.addWidget(self.details)
        right.addWidget(self.graph)
        right.addWidget(self.history)
        right.addWidget(self.form)
        right.addStretch(1)
        side = QWidget()
        side.setLayout(right)
        # The form is taller than a 1024x700 window leaves: the right column scrolls.
        side_scroll = QScrollArea()
        side_scroll.setWidgetResizable(True)
        side_scroll.setFrameShape(QFrame.Shape.NoFrame)
        side_scroll.setWidget(side)
        splitter = QSplitter()
        left = QWidget()
        left_layout = QVBoxLayout(left)
        top = QHBoxLayout()
        top.addWidget(QLabel("<b>Health</b> — clusters and their droplets, coloured by state"))
        top.addStretch(1)
        self.tools = QHBoxLayout()  # the app adds the admin dialogs' buttons here
        top.addLayout(self.tools)
        top.addWidget(self.refresh)
        left_layout.addLayout(top)
        left_layout.addWidget(self.grid)
        actions = QHBoxLayout()
        for button in self.check_buttons:
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.logs_button)
        left_layout.addLayout(actions)
        splitter.addWidget(left)
        splitter.addWidget(side_scroll)
        splitter.setStretchFactor(0, 3)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        vm.rows_changed.connect(self._update_grid)
        vm.uptime_loaded.connect(self._update_details)
        self.refresh.clicked.connect(vm.load)
        self.run_button.clicked.connect(lambda: self._with_check(vm.run_now))
        self.pause_button.clicked.connect(
            lambda: self._with_check(lambda c: vm.set_paused(c, True))
        )
        self.resume_button.clicked.connect(
            lambda: self._with_check(lambda c: vm.set_paused(c, False))
        )
        self.edit_button.clicked.connect(lambda: self._with_check(vm.load_check))
        self.delete_button.clicked.connect(lambda: self._with_check(vm.delete_check))
        self.grid.itemSelectionChanged.connect(self._on_selection)
        self.grid.customContextMenuRequested.connect(self._on_context_menu)
        self.logs_button.clicked.connect(self._on_logs_clicked)

    def _update_grid(self, rows: list[TargetHealth]) -> None:
        selected = self._selected_key()
        self.grid.blockSignals(True)  # a redraw is not a new selection
        self.grid.clear()
        self._rows = {(r.check_id, r.target): r for r in rows}
        for cluster_id, members in grouped(rows).items():
            healthy = sum(1 for r in members if r.state == "healthy")
            title = self._cluster_name(cluster_id) if cluster_id else "addresses"
            parent = QTreeWidgetItem([title, f"{healthy} of {len(members)} healthy"])
            parent.setData(0, ROLE_CLUSTER, cluster_id)
            self.grid.addTopLevelItem(parent)
            for r in members:
                shown = state_text(r)
                measured = bool(r.location or r.last_reason)  # no result yet: no latency either
                latency = f"{r.latency_ms:.0f} ms" if measured else "—"
                item = QTreeWidgetItem([r.label, shown, latency, r.last_reason])
                item.setData(0, ROLE_KEY, (r.check_id, r.target))
                item.setBackground(1, QBrush(QColor(colour(r))))
                item.setForeground(1, QBrush(QColor(cell_text())))
                parent.addChild(item)
                if (r.check_id, r.target) == selected:
                    item.setSelected(True)
            parent.setExpanded(True)
        self.grid.blockSignals(False)
        self.logs_button.setEnabled(self.logs_navigation() is not None)

    def _selected_key(self) -> tuple[int, str] | None:
        items = self.grid.selectedItems()
        key = items[0].data(0, ROLE_KEY) if items else None
        return (int(key[0]), str(key[1])) if key else None

    def state_colour_of(self, label: str) -> str:
        """The colour shown for a target (what a user sees; used by tests)."""
        for i in range(self.grid.topLevelItemCount()):
            top = self.grid.topLevelItem(i)
            children = [top.child(j) for j in range(top.childCount())] if top else []
            for child in children:
                if child is not None and child.text(0) == label:
                    return child.background(1).color().name()
        return ""

    def _with_check(self, action: Callable[[int], object]) -> None:
        key = self._selected_key()
        if key:
            action(key[0])

    def logs_navigation(self) -> Navigation | None:
        """The logs of the selected row: a droplet target's own, else its cluster's."""
        items = self.grid.selectedItems()
        if not items:
            return None
        key = self._selected_key()
        row = self._rows.get(key) if key else None
        if row is not None and row.target.startswith("droplet:"):
            return logs_of(droplet=row.label)
        cluster_id = row.cluster_id if row is not None else items[0].data(0, ROLE_CLUSTER)
        return logs_of(cluster=self._cluster_name(int(cluster_id))) if cluster_id else None

    def _on_logs_clicked(self) -> None:
        nav = self.logs_navigation()
        if nav is not None:
            self.navigate_requested.emit(nav)

    def _on_context_menu(self, position: QPoint) -> None:
        """The row under the mouse is selected; its actions, Show logs last."""
        item = self.grid.itemAt(position)
        if item is not None and not item.isSelected():
            self.grid.setCurrentItem(item)
        self.menu = QMenu(self)
        for button in (*self.check_buttons, self.logs_button):
            action = QAction(button.text(), self.menu)
            action.setEnabled(button.isEnabled())
            action.triggered.connect(button.click)
            self.menu.addAction(action)
        self.menu.popup(self.grid.viewport().mapToGlobal(position))

    def _on_selection(self) -> None:
        key = self._selected_key()
        for button in self.check_buttons:
            button.setEnabled(key is not None)
        self.logs_button.setEnabled(self.logs_navigation() is not None)
        if key:
            self._vm.load_uptime(key[0], key[1])

    def _update_details(self, u: Uptime) -> None:
        self.graph.show_uptime(u)
        self.history.setText("<br>".join(u.history) or "No results yet.")
        names = ("1 h", "24 h", "7 d", "30 d")
        figures = ", ".join(
            f"{n}: {'—' if p is None else f'{p:.2f} %'}"
            for n, p in zip(names, u.percents, strict=False)
        )
        self.details.setText(
            f"Uptime {figures}<br>latency p50 {u.p50_ms:.0f} ms, p95 {u.p95_ms:.0f} ms; "
            f"{len(u.failures)} failure span(s), {len(u.maintenance)} maintenance span(s)"
        )
