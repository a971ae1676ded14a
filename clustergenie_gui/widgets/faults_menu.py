"""The Faults menu for demos: inject a fault into a cluster or droplet, list and clear them."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clustergenie_gui.client.auth_types import Role
from clustergenie_gui.client.types import Fault, FaultKind
from clustergenie_gui.models.cluster_list_model import ClusterListModel
from clustergenie_gui.models.droplet_table_model import DropletTableModel
from clustergenie_gui.viewmodels.faults_viewmodel import FaultsViewModel
from clustergenie_gui.widgets.common import ErrorLabel
from clustergenie_gui.widgets.role_gate import RoleGate

_MAGNITUDE_HELP = {
    FaultKind.CPU_HOG: "share of CPU, 0..1 (default 0.8)",
    FaultKind.MEMORY_LEAK: "% per simulated minute (default 2)",
    FaultKind.DISK_FILL: "% per simulated minute (default 1)",
    FaultKind.NETWORK_LATENCY: "added ms (default 200)",
    FaultKind.NETWORK_PARTITION: "no magnitude",
    FaultKind.CRASH_LOOP: "seconds between crashes (default 60)",
    FaultKind.BAD_DEPLOY: "error rate, 0..1 (default 0.3)",
    FaultKind.TRAFFIC_SPIKE: "traffic multiplier (default 3); whole cluster only",
}


class InjectFaultDialog(QDialog):
    """Kind, target (cluster, optionally one droplet), magnitude and duration; errors inline."""

    def __init__(
        self,
        faults: FaultsViewModel,
        clusters: ClusterListModel,
        droplets: DropletTableModel,
        cluster_id: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Inject a fault")
        self._vm = faults
        self._droplets = droplets
        self.kind_combo = QComboBox()
        for kind in _MAGNITUDE_HELP:
            self.kind_combo.addItem(kind.label, kind.value)
        self.cluster_combo = QComboBox()
        for cluster in clusters.items():
            self.cluster_combo.addItem(cluster.name, cluster.id)
        self.cluster_combo.setCurrentIndex(max(0, self.cluster_combo.findData(cluster_id)))
        self.droplet_combo = QComboBox()
        self.magnitude_spin = QDoubleSpinBox()
        self.magnitude_spin.setRange(0, 10_000)
        self.magnitude_spin.setDecimals(2)
        self.magnitude_spin.setSpecialValueText("default")
        self.duration_spin = QDoubleSpinBox()
        self.duration_spin.setRange(0, 24 * 60)
        self.duration_spin.setDecimals(0)
        self.duration_spin.setValue(10)
        self.duration_spin.setSuffix(" sim. min")
        self.duration_spin.setSpecialValueText("until cleared")
        self.error_label = ErrorLabel()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.inject_button = self.buttons.addButton(
            "Inject", QDialogButtonBox.ButtonRole.AcceptRole
        )
        form = QFormLayout()
        form.addRow("Fault", self.kind_combo)
        form.addRow("Cluster", self.cluster_combo)
        form.addRow("Droplet", self.droplet_combo)
        form.addRow("Magnitude", self.magnitude_spin)
        form.addRow("Duration", self.duration_spin)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.kind_combo.currentIndexChanged.connect(self._on_kind_changed)
        self.cluster_combo.currentIndexChanged.connect(self._fill_droplets)
        self.buttons.accepted.connect(self._on_inject_clicked)
        self.buttons.rejected.connect(self.reject)
        faults.error.connect(self.error_label.show_message)
        faults.fault_injected.connect(self._on_fault_injected)
        self._fill_droplets()
        self._on_kind_changed()

    def _fill_droplets(self, *_args: object) -> None:
        cluster_id = self.cluster_combo.currentData()
        self.droplet_combo.clear()
        self.droplet_combo.addItem("whole cluster", 0)
        for droplet in self._droplets.items():
            if droplet.cluster_id == cluster_id:
                self.droplet_combo.addItem(droplet.name, droplet.id)

    def _on_kind_changed(self, *_args: object) -> None:
        kind = FaultKind(self.kind_combo.currentData())
        self.magnitude_spin.setToolTip(_MAGNITUDE_HELP[kind])
        self.magnitude_spin.setEnabled(kind != FaultKind.NETWORK_PARTITION)
        if kind == FaultKind.TRAFFIC_SPIKE:
            self.droplet_combo.setCurrentIndex(0)
        self.droplet_combo.setEnabled(kind != FaultKind.TRAFFIC_SPIKE)

    def _on_inject_clicked(self) -> None:
        if self.cluster_combo.currentData() is None:
            self.error_label.show_message("Create a cluster first: faults act on clusters.")
            return
        self._vm.inject(
            self.kind_combo.currentData(),
            int(self.cluster_combo.currentData()),
            int(self.droplet_combo.currentData() or 0),
            self.magnitude_spin.value(),
            self.duration_spin.value() * 60.0,
        )

    def _on_fault_injected(self, _fault: Fault) -> None:
        self.accept()


class ActiveFaultsDialog(QDialog):
    """The scheduled and active faults; select one and clear it."""

    def __init__(self, faults: FaultsViewModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Active faults")
        self.resize(520, 320)
        self._vm = faults
        self.list = QListWidget()
        self.clear_button = QPushButton("Clear selected")
        self.refresh_button = QPushButton("Refresh")
        self.error_label = ErrorLabel()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()  # a plain layout, so a RoleGate can hold the clear button
        row.addWidget(self.refresh_button)
        row.addWidget(self.clear_button)
        row.addStretch(1)
        row.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list)
        layout.addWidget(self.error_label)
        layout.addLayout(row)
        self.clear_button.clicked.connect(self._on_clear_clicked)
        self.refresh_button.clicked.connect(faults.refresh)
        faults.faults_changed.connect(self._on_faults_changed)
        faults.error.connect(self.error_label.show_message)
        self._on_faults_changed(faults.faults)
        faults.refresh()

    def _on_faults_changed(self, faults: list[Fault]) -> None:
        self.list.clear()
        for fault in faults:
            item = QListWidgetItem(
                f"#{fault.id} {fault.state.value}: {fault.description or fault.kind.label}"
            )
            item.setData(256, fault.id)
            self.list.addItem(item)
        if not faults:
            self.list.addItem("No scheduled or active faults.")
        self.clear_button.setEnabled(bool(faults))

    def _on_clear_clicked(self) -> None:
        item = self.list.currentItem() or self.list.item(0)
        if item is not None and item.data(256) is not None:
            self._vm.clear(int(item.data(256)))


class FaultsMenu(QMenu):
    """Inject fault… and Active faults…; dialogs open non-modally over the main window."""

    def __init__(
        self,
        faults: FaultsViewModel,
        clusters: ClusterListModel,
        droplets: DropletTableModel,
        current_cluster: Callable[[], int],
        gate: RoleGate,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("F&aults", parent)
        self._vm = faults
        self._gate = gate
        self._clusters = clusters
        self._droplets = droplets
        self._current_cluster = current_cluster
        self.dialog: QDialog | None = None
        self.inject_action = self.addAction("&Inject fault…")
        self.list_action = self.addAction("&Active faults…")
        self.inject_action.triggered.connect(self.open_inject)
        self.list_action.triggered.connect(self.open_list)
        gate.add(self.inject_action, Role.ADMIN)

    def open_inject(self) -> InjectFaultDialog:
        """Open the inject dialog on the currently selected cluster."""
        dialog = InjectFaultDialog(
            self._vm, self._clusters, self._droplets, self._current_cluster(), self.parentWidget()
        )
        self._show(dialog)
        return dialog

    def open_list(self) -> ActiveFaultsDialog:
        """Open the list of active faults."""
        dialog = ActiveFaultsDialog(self._vm, self.parentWidget())
        self._gate.add(dialog.clear_button, Role.ADMIN)
        self._show(dialog)
        return dialog

    def _show(self, dialog: QDialog) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = dialog
        dialog.open()
