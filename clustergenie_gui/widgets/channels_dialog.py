"""ChannelsDialog: list, add and delete notification channels, and read the delivery log of an
alert and channel (Health → Notification channels…, admins only)."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clustergenie_gui.client.health_admin_client import AlertSummary, Channel, Delivery
from clustergenie_gui.viewmodels.health_admin_viewmodel import HealthAdminViewModel
from clustergenie_gui.widgets.common import ErrorLabel
from clustergenie_gui.widgets.components.field_errors import FieldErrors

ROLE_ID = Qt.ItemDataRole.UserRole


def _tree(headers: list[str], widths: tuple[int, ...]) -> QTreeWidget:
    tree = QTreeWidget()
    tree.setRootIsDecorated(False)
    tree.setHeaderLabels(headers)
    tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    for column, width in enumerate(widths):
        tree.setColumnWidth(column, width)
    return tree


def _note(tree: QTreeWidget, text: str) -> None:
    """A line across every column saying why the list is empty."""
    item = QTreeWidgetItem([text])
    tree.addTopLevelItem(item)
    item.setFirstColumnSpanned(True)


def _rows(tree: QTreeWidget) -> list[list[str]]:
    """The cells of every item that stands for something (not the 'none' line)."""
    out = []
    for i in range(tree.topLevelItemCount()):
        item = tree.topLevelItem(i)
        if item is not None and item.data(0, ROLE_ID) is not None:
            out.append([item.text(c) for c in range(tree.columnCount())])
    return out


class ChannelsDialog(QDialog):
    """The channels and a form to add one; below, the delivery log filtered by alert and
    channel; the server's refusals under their field."""

    def __init__(self, vm: HealthAdminViewModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Notification channels")
        self.resize(820, 640)
        self._vm = vm
        self.list = _tree(["Name", "Kind", "URL", "Reminders"], (160, 80, 360))
        self.delete_button = QPushButton("&Delete selected")
        self.delete_button.setEnabled(False)
        self.refresh_button = QPushButton("Re&fresh")
        self.error_label = ErrorLabel()

        self.name = QLineEdit()
        self.name.setPlaceholderText("e.g. on-call webhook")
        self.kind = QComboBox()
        self.kind.addItem("Webhook (an HTTP POST with a JSON body)", "webhook")
        self.kind.addItem("Desktop (status bar and system notification)", "desktop")
        self.url = QLineEdit()
        self.url.setPlaceholderText("https://hooks.example.com/clustergenie")
        self.reminder = QSpinBox()
        self.reminder.setRange(0, 30 * 24 * 60)
        self.reminder.setSuffix(" min")
        self.reminder.setSpecialValueText("no reminders")
        self.add_button = QPushButton("&Add channel")
        self.add_button.setDefault(True)
        box = QGroupBox("Add a channel")
        self._form = form = QFormLayout(box)
        form.addRow("&Name", self.name)
        form.addRow("&Kind", self.kind)
        form.addRow("&URL", self.url)
        form.addRow("&Remind every", self.reminder)
        form.addRow("", self.add_button)
        self.errors = FieldErrors(form, self.error_label)
        self.errors.add("name", self.name, ("name:",))
        self.errors.add("url", self.url, ("url:",))
        self.errors.add("reminder", self.reminder, ("reminder_seconds:",))

        self.alert = QComboBox()
        self.channel = QComboBox()
        self.deliveries = _tree(
            ["When", "Alert", "Channel", "Event", "Attempts", "Delivered", "Error"],
            (130, 200, 120, 70, 65, 70),
        )
        log = QGroupBox("Delivery log")
        log_layout = QVBoxLayout(log)
        filters = QFormLayout()
        filters.addRow("Ale&rt", self.alert)
        filters.addRow("C&hannel", self.channel)
        log_layout.addLayout(filters)
        log_layout.addWidget(self.deliveries, 1)

        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.refresh_button)
        row.addWidget(self.delete_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addLayout(row)
        layout.addWidget(box)
        layout.addWidget(self.error_label)
        layout.addWidget(log, 1)
        layout.addWidget(close)

        self.kind.currentIndexChanged.connect(self._on_kind_changed)
        self.list.itemSelectionChanged.connect(self._on_selection)
        self.add_button.clicked.connect(self._on_add)
        self.delete_button.clicked.connect(self._on_delete)
        self.refresh_button.clicked.connect(self.reload)
        self.alert.activated.connect(lambda _i: self._load_deliveries())
        self.channel.activated.connect(lambda _i: self._show_deliveries(vm.deliveries))
        vm.channels_changed.connect(self._on_channels_changed)
        vm.alerts_changed.connect(self._on_alerts_changed)
        vm.deliveries_changed.connect(self._show_deliveries)
        vm.channel_error.connect(self.errors.show_message)
        self._on_channels_changed(vm.channels)
        self._on_alerts_changed(vm.alerts)
        self._on_kind_changed()
        self.name.setFocus()  # where the dialog's keyboard user starts

    def reload(self) -> None:
        """Read the channels, the alerts and the delivery log again."""
        self._vm.load_channels()
        self._load_deliveries()

    def _load_deliveries(self) -> None:
        self._vm.load_deliveries(int(self.alert.currentData() or 0))

    def _on_kind_changed(self) -> None:
        self._form.setRowVisible(self.url, self.kind.currentData() == "webhook")

    def entered(self) -> Channel:
        """The channel the form describes."""
        kind = str(self.kind.currentData())
        url = self.url.text().strip() if kind == "webhook" else ""
        return Channel(0, self.name.text().strip(), kind, url, self.reminder.value() * 60.0)

    def _on_add(self) -> None:
        self._vm.add_channel(self.entered())

    def _selected_id(self) -> int | None:
        items = self.list.selectedItems()
        found = items[0].data(0, ROLE_ID) if items else None
        return None if found is None else int(found)

    def _on_selection(self) -> None:
        """Delete what is selected; the delivery log follows the selected channel."""
        channel_id = self._selected_id()
        self.delete_button.setEnabled(channel_id is not None)
        if channel_id is not None:
            self.channel.setCurrentIndex(max(0, self.channel.findData(channel_id)))
            self._show_deliveries(self._vm.deliveries)

    def _on_delete(self) -> None:
        channel_id = self._selected_id()
        if channel_id is not None:
            self._vm.delete_channel(channel_id)

    def _on_channels_changed(self, channels: list[Channel]) -> None:
        self.list.clear()
        for c in channels:
            reminders = f"every {c.reminder_seconds / 60:g} min" if c.reminder_seconds else "none"
            item = QTreeWidgetItem([c.name, c.kind, c.url, reminders])
            item.setData(0, ROLE_ID, c.id)
            self.list.addTopLevelItem(item)
        if not channels:
            _note(self.list, "No channels: alerts reach no one. Add a webhook below.")
        self.delete_button.setEnabled(False)
        chosen = self.channel.currentData()
        self.channel.clear()
        self.channel.addItem("Every channel", 0)
        for c in channels:
            self.channel.addItem(c.name, c.id)
        self.channel.setCurrentIndex(max(0, self.channel.findData(chosen)))

    def _on_alerts_changed(self, alerts: list[AlertSummary]) -> None:
        chosen = self.alert.currentData()
        self.alert.clear()
        self.alert.addItem("Every alert", 0)
        for a in alerts:
            opened = time.strftime("%Y-%m-%d %H:%M", time.localtime(a.opened_at))
            state = "resolved" if a.resolved else "open"
            self.alert.addItem(f"#{a.id} {a.subject} ({state}, opened {opened})", a.id)
        self.alert.setCurrentIndex(max(0, self.alert.findData(chosen)))

    def _show_deliveries(self, deliveries: list[Delivery]) -> None:
        names = {c.id: c.name for c in self._vm.channels}
        subjects = {a.id: a.subject for a in self._vm.alerts}
        channel_id = int(self.channel.currentData() or 0)
        shown = [d for d in deliveries if not channel_id or d.channel_id == channel_id]
        self.deliveries.clear()
        for d in shown:
            item = QTreeWidgetItem([
                time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(d.at)),
                f"#{d.alert_id} {subjects.get(d.alert_id, '')}".strip(),
                names.get(d.channel_id, f"channel {d.channel_id}"), d.event, str(d.attempts),
                "yes" if d.delivered else "no", d.error,
            ])  # fmt: skip
            item.setData(0, ROLE_ID, d.id)
            self.deliveries.addTopLevelItem(item)
        if not shown:
            _note(self.deliveries, "Nothing sent yet for this alert and channel.")

    def channel_rows(self) -> list[list[str]]:
        """The listed channels' cells (what a user reads)."""
        return _rows(self.list)

    def delivery_rows(self) -> list[list[str]]:
        """The delivery log's cells as shown."""
        return _rows(self.deliveries)
