"""MaintenanceDialog: list, add and delete maintenance windows (Health → Maintenance windows…,
admins only): once from a start to an end, or daily / weekly at a time for a duration."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clustergenie_gui.client.health_admin_client import Maintenance
from clustergenie_gui.models.cluster_list_model import ClusterListModel
from clustergenie_gui.viewmodels.health_admin_viewmodel import HealthAdminViewModel
from clustergenie_gui.widgets.common import ErrorLabel
from clustergenie_gui.widgets.components.field_errors import FieldErrors

ROLE_ID = Qt.ItemDataRole.UserRole
REPEATS = (("Once", "once"), ("Every day", "daily"), ("Every week", "weekly"))
_FORMAT = "yyyy-MM-dd HH:mm"
EVERYTHING = "every cluster and address"  # cluster_id 0


def describe(w: Maintenance) -> tuple[str, str, str]:
    """(starts, lasts, repeats) as the list shows them, in local time."""
    start = time.localtime(w.start)
    minutes = round(w.duration_seconds / 60)
    lasts = f"{minutes // 60} h {minutes % 60:02d} min" if minutes >= 60 else f"{minutes} min"
    at = time.strftime("%H:%M", start)
    end = time.localtime(w.start + w.duration_seconds)
    repeats = {
        "once": f"once, until {time.strftime('%Y-%m-%d %H:%M', end)}",
        "daily": f"every day at {at}",
        "weekly": f"every {time.strftime('%A', start)} at {at}",
    }[w.recurrence]
    return time.strftime("%Y-%m-%d %H:%M", start), lasts, repeats


class MaintenanceDialog(QDialog):
    """The windows, newest last; a form to add one; the server's refusals under their field."""

    def __init__(
        self,
        vm: HealthAdminViewModel,
        clusters: ClusterListModel,
        cluster_name: Callable[[int], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Maintenance windows")
        self.resize(860, 560)
        self._vm, self._clusters, self._cluster_name = vm, clusters, cluster_name
        self.list = QTreeWidget()
        self.list.setRootIsDecorated(False)
        self.list.setHeaderLabels(["Cluster", "Starts", "Lasts", "Repeats", "Description"])
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        for column, width in enumerate((185, 125, 85, 215)):
            self.list.setColumnWidth(column, width)
        self.delete_button = QPushButton("&Delete selected")
        self.delete_button.setEnabled(False)
        self.refresh_button = QPushButton("Re&fresh")
        self.error_label = ErrorLabel()

        self.cluster = QComboBox()
        self.repeats = QComboBox()
        for text, value in REPEATS:
            self.repeats.addItem(text, value)
        now = QDateTime.currentDateTime()
        now = now.addSecs(-now.time().second())
        self.starts = QDateTimeEdit(now)
        self.ends = QDateTimeEdit(now.addSecs(3600))
        for edit in (self.starts, self.ends):
            edit.setDisplayFormat(_FORMAT)
            edit.setCalendarPopup(True)
        self.lasts = QSpinBox()
        self.lasts.setRange(1, 366 * 24 * 60)
        self.lasts.setValue(60)
        self.lasts.setSuffix(" min")
        self.hint = QLabel()
        self.description = QLineEdit()
        self.description.setPlaceholderText("e.g. kernel upgrades")
        self.add_button = QPushButton("&Add window")
        self.add_button.setDefault(True)
        box = QGroupBox("Add a window")
        self._form = form = QFormLayout(box)
        form.addRow("&Cluster", self.cluster)
        form.addRow("&Repeats", self.repeats)
        form.addRow("&Starts", self.starts)
        form.addRow("&Ends", self.ends)
        form.addRow("&Lasts", self.lasts)
        form.addRow("", self.hint)
        form.addRow("Descri&ption", self.description)
        form.addRow("", self.add_button)
        self.errors = FieldErrors(form, self.error_label)
        self.errors.add("cluster", self.cluster, ("cluster_id:",))
        self.errors.add("starts", self.starts, ("start:",))
        self.errors.add("lasts", self.lasts, ("duration_seconds:",))
        self.errors.add("description", self.description, ("description:",))

        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        row = QHBoxLayout()  # a plain layout, so a RoleGate could hold the buttons
        row.addWidget(self.refresh_button)
        row.addWidget(self.delete_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addLayout(row)
        layout.addWidget(box)
        layout.addWidget(self.error_label)
        layout.addWidget(close)

        self.repeats.currentIndexChanged.connect(self._on_repeats_changed)
        self.starts.dateTimeChanged.connect(self._on_starts_changed)
        self.lasts.valueChanged.connect(self._update_hint)
        self.list.itemSelectionChanged.connect(
            lambda: self.delete_button.setEnabled(self._selected_id() is not None)
        )
        self.add_button.clicked.connect(self._on_add)
        self.delete_button.clicked.connect(self._on_delete)
        self.refresh_button.clicked.connect(vm.load_windows)
        vm.windows_changed.connect(self._on_windows_changed)
        vm.window_error.connect(self.errors.show_message)
        self._on_starts_changed(self.starts.dateTime())
        self._on_repeats_changed()
        self._on_windows_changed(vm.windows)
        self.cluster.setFocus()  # where the dialog's keyboard user starts

    def reload(self) -> None:
        """Fill the cluster choice from the inventory and read the windows again."""
        chosen = self.cluster.currentData()
        self.cluster.clear()
        self.cluster.addItem("Every cluster and address", 0)
        for c in self._clusters.items():
            self.cluster.addItem(f"{c.name} (id {c.id})", c.id)
        index = self.cluster.findData(chosen)
        self.cluster.setCurrentIndex(max(index, 0))
        self._vm.load_windows()

    def _recurrence(self) -> str:
        return str(self.repeats.currentData())

    def _on_repeats_changed(self) -> None:
        once = self._recurrence() == "once"
        self._form.setRowVisible(self.ends, once)
        self._form.setRowVisible(self.lasts, not once)
        self._update_hint()

    def _on_starts_changed(self, starts: QDateTime) -> None:
        """A one-off window ends after it starts (at least a minute later)."""
        length = self.starts.dateTime().secsTo(self.ends.dateTime())
        self.ends.setMinimumDateTime(starts.addSecs(60))
        self.ends.setDateTime(starts.addSecs(max(60, length)))
        self._update_hint()

    def entered(self) -> Maintenance:
        """The window the form describes."""
        start = self.starts.dateTime().toSecsSinceEpoch()
        once = self._recurrence() == "once"
        duration = (
            self.ends.dateTime().toSecsSinceEpoch() - start if once else self.lasts.value() * 60
        )
        return Maintenance(
            0, int(self.cluster.currentData() or 0), float(start), float(duration),
            self._recurrence(), self.description.text().strip(),
        )  # fmt: skip

    def _update_hint(self) -> None:
        _starts, lasts, repeats = describe(self.entered())
        self.hint.setText(f"{repeats}, for {lasts}")

    def _on_add(self) -> None:
        self._vm.add_window(self.entered())

    def _selected_id(self) -> int | None:
        items = self.list.selectedItems()
        found = items[0].data(0, ROLE_ID) if items else None
        return None if found is None else int(found)

    def _on_delete(self) -> None:
        window_id = self._selected_id()
        if window_id is not None:
            self._vm.delete_window(window_id)

    def _on_windows_changed(self, windows: list[Maintenance]) -> None:
        self.list.clear()
        for w in sorted(windows, key=lambda w: w.start):
            cluster = self._cluster_name(w.cluster_id) if w.cluster_id else EVERYTHING
            item = QTreeWidgetItem([cluster, *describe(w), w.description])
            item.setData(0, ROLE_ID, w.id)
            self.list.addTopLevelItem(item)
        if not windows:
            note = QTreeWidgetItem(["No maintenance windows."])
            self.list.addTopLevelItem(note)
            note.setFirstColumnSpanned(True)
        self.delete_button.setEnabled(False)

    def rows(self) -> list[list[str]]:
        """The listed windows' cells (what a user reads)."""
        out = []
        for i in range(self.list.topLevelItemCount()):
            item = self.list.topLevelItem(i)
            if item is not None and item.data(0, ROLE_ID) is not None:
                out.append([item.text(c) for c in range(self.list.columnCount())])
        return out
