"""ProvisionPanel: clusters, the create form, and the selected cluster's droplets with actions."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from clustergenie_gui.client.types import Cluster, Droplet
from clustergenie_gui.models.cluster_list_model import can_change
from clustergenie_gui.models.droplet_table_model import (
    ClusterDropletsProxy,
    DropletAction,
    allowed_actions,
)
from clustergenie_gui.models.row_table_model import ITEM_ROLE
from clustergenie_gui.viewmodels.provisioning_viewmodel import ProvisioningViewModel
from clustergenie_gui.widgets.common import ErrorLabel, panel_header, setup_table
from clustergenie_gui.widgets.create_cluster_form import CreateClusterForm
from clustergenie_gui.widgets.resize_dialog import ResizeDialog

_SECTION_STYLE = "font-weight: 600; font-size: 11pt;"


class ProvisionPanel(QWidget):
    """Create clusters and act on their droplets; buttons follow the selected droplet's state."""

    def __init__(self, provisioning: ProvisioningViewModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._vm = provisioning
        self.confirm_box: QMessageBox | None = None
        self.resize_dialog: ResizeDialog | None = None

        self.cluster_view = QTableView()
        self.cluster_view.setObjectName("cluster_table")
        self.cluster_view.setModel(provisioning.clusters)
        setup_table(self.cluster_view)
        header = self.cluster_view.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(provisioning.clusters.NAME, QHeaderView.ResizeMode.Stretch)
        self.form = CreateClusterForm(provisioning)

        self.proxy = ClusterDropletsProxy(self)
        self.proxy.setSourceModel(provisioning.droplets)
        self.droplet_view = QTableView()
        self.droplet_view.setObjectName("droplet_table")
        self.droplet_view.setModel(self.proxy)
        setup_table(self.droplet_view)
        self.droplet_view.setColumnHidden(provisioning.droplets.CLUSTER, True)
        for column, width in enumerate((160, 80, 130, 70, 120)):
            self.droplet_view.setColumnWidth(column, width)

        self.droplets_title = QLabel("Droplets")
        self.droplets_title.setStyleSheet(_SECTION_STYLE)
        self.add_count = QSpinBox()
        self.add_count.setRange(1, 50)
        self.add_button = self._button("Add droplets", "add_droplets", self._on_add_clicked)
        self.delete_button = self._button(
            "Delete cluster…", "delete_cluster", self._on_delete_clicked
        )
        # Red only while enabled, so a disabled Delete greys out like the other buttons.
        self.delete_button.setStyleSheet("QPushButton:enabled { color: #a50e0e; }")
        self.action_buttons: dict[DropletAction, QPushButton] = {
            DropletAction.RESIZE: self._button("Resize…", "resize", self._on_resize_clicked),
            DropletAction.REBOOT: self._button(
                "Reboot", "reboot", self._droplet_slot(provisioning.reboot)
            ),
            DropletAction.POWER_OFF: self._button(
                "Power off", "power_off", self._droplet_slot(provisioning.power_off)
            ),
            DropletAction.POWER_ON: self._button(
                "Power on", "power_on", self._droplet_slot(provisioning.power_on)
            ),
            DropletAction.DESTROY: self._button("Destroy…", "destroy", self._on_destroy_clicked),
        }
        self.action_error = ErrorLabel()
        self.action_error.setObjectName("action_error")
        self._build_layout()

        self.cluster_view.selectionModel().selectionChanged.connect(self._on_cluster_selected)
        self.droplet_view.selectionModel().selectionChanged.connect(self._on_droplet_selected)
        for model in (provisioning.clusters, self.proxy):
            model.dataChanged.connect(self._update_buttons)
            model.rowsInserted.connect(self._update_buttons)
            model.rowsRemoved.connect(self._update_buttons)
            model.modelReset.connect(self._update_buttons)
        provisioning.action_error.connect(self.action_error.show_message)
        provisioning.cluster_created.connect(self._on_cluster_created)
        self._update_buttons()

    def _button(self, text: str, name: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.clicked.connect(slot)
        return button

    def _build_layout(self) -> None:
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 8, 0)
        clusters_title = QLabel("Clusters")
        clusters_title.setStyleSheet(_SECTION_STYLE)
        left_layout.addWidget(clusters_title)
        left_layout.addWidget(self.cluster_view, 1)
        left_layout.addWidget(self.form)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(8, 0, 0, 0)
        cluster_row = QHBoxLayout()
        cluster_row.addWidget(self.droplets_title, 1)
        cluster_row.addWidget(self.add_count)
        cluster_row.addWidget(self.add_button)
        cluster_row.addWidget(self.delete_button)
        right_layout.addLayout(cluster_row)
        right_layout.addWidget(self.droplet_view, 1)
        droplet_row = QHBoxLayout()
        droplet_row.addWidget(QLabel("Selected droplet:"))
        for button in self.action_buttons.values():
            droplet_row.addWidget(button)
        droplet_row.addStretch(1)
        right_layout.addLayout(droplet_row)
        right_layout.addWidget(self.action_error)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([480, 820])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(
            panel_header(
                "Provision", "Create clusters of droplets and power, resize or destroy them."
            )
        )
        layout.addWidget(splitter, 1)

    # Selection -----------------------------------------------------------------------

    def selected_cluster(self) -> Cluster | None:
        """The cluster selected in the list, if any."""
        rows = self.cluster_view.selectionModel().selectedRows()
        cluster = rows[0].data(ITEM_ROLE) if rows else None
        return cluster if isinstance(cluster, Cluster) else None

    def selected_droplet(self) -> Droplet | None:
        """The droplet selected in the table, if any."""
        rows = self.droplet_view.selectionModel().selectedRows()
        droplet = rows[0].data(ITEM_ROLE) if rows else None
        return droplet if isinstance(droplet, Droplet) else None

    def select_cluster(self, cluster_id: int) -> None:
        """Select the cluster with cluster_id in the list."""
        row = self._vm.clusters.row_of(cluster_id)
        if row is not None:
            self.cluster_view.selectRow(row)

    def _on_cluster_selected(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        cluster = self.selected_cluster()
        self.proxy.set_cluster_id(cluster.id if cluster else 0)
        self.action_error.show_message("")
        self._update_buttons()

    def _on_droplet_selected(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._update_buttons()

    def _on_cluster_created(self, cluster: Cluster) -> None:
        self.select_cluster(cluster.id)

    def _update_buttons(self, *_args: object) -> None:
        cluster = self.selected_cluster()
        self.proxy.set_cluster_id(cluster.id if cluster else 0)
        if cluster is None:
            self.droplets_title.setText("Droplets — select a cluster")
        else:
            self.droplets_title.setText(f"Droplets in {cluster.name}")
        changeable = can_change(cluster)
        self.add_button.setEnabled(changeable)
        self.add_count.setEnabled(changeable)
        self.delete_button.setEnabled(changeable)
        allowed = allowed_actions(self.selected_droplet())
        for action, button in self.action_buttons.items():
            button.setEnabled(action in allowed)

    # Actions -------------------------------------------------------------------------

    def _droplet_slot(self, action: Callable[[int], object]) -> Callable[[], None]:
        def run() -> None:
            droplet = self.selected_droplet()
            if droplet is not None:
                action(droplet.id)

        return run

    def _on_add_clicked(self) -> None:
        cluster = self.selected_cluster()
        if cluster is not None:
            self._vm.add_droplets(cluster.id, self.add_count.value(), "")

    def _on_resize_clicked(self) -> None:
        droplet = self.selected_droplet()
        if droplet is None:
            return
        self.resize_dialog = ResizeDialog(droplet, self._vm.catalog, self)
        self.resize_dialog.accepted.connect(self._on_resize_accepted)
        self.resize_dialog.open()

    def _on_resize_accepted(self) -> None:
        dialog = self.resize_dialog
        if dialog is not None and dialog.chosen_size():
            self._vm.resize(dialog.droplet_id, dialog.chosen_size())

    def _on_destroy_clicked(self) -> None:
        droplet = self.selected_droplet()
        if droplet is not None:
            self._confirm(
                f"Destroy droplet {droplet.name}? This cannot be undone.",
                lambda: self._vm.destroy(droplet.id),
            )

    def _on_delete_clicked(self) -> None:
        cluster = self.selected_cluster()
        if cluster is not None:
            self._confirm(
                f"Delete cluster {cluster.name} and destroy its {cluster.droplet_count} "
                "droplet(s)? This cannot be undone.",
                lambda: self._vm.delete_cluster(cluster.id),
            )

    def _confirm(self, question: str, then: Callable[[], object]) -> None:
        """Ask without blocking: a window-modal box opened with open(), acting on Yes."""
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Please confirm",
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)

        def on_finished(_result: int) -> None:
            if box.clickedButton() is box.button(QMessageBox.StandardButton.Yes):
                then()
            box.deleteLater()
            self.confirm_box = None

        box.finished.connect(on_finished)
        self.confirm_box = box
        box.open()
